/** Check digits of the numbers R22 masks, so that a random run of digits is not mistaken for one. */

function digitAt(digits: string, index: number): number {
  return digits.charCodeAt(index) - 48;
}

/** The Luhn check every payment card number passes. `digits` holds only 0-9. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digitAt(digits, i);
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

function innCheckDigit(digits: string, weights: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < weights.length; i++) sum += digitAt(digits, i) * weights[i]!;
  return (sum % 11) % 10;
}

const INN10_WEIGHTS = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_FIRST_WEIGHTS = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const INN12_SECOND_WEIGHTS = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

/**
 * A Russian taxpayer number (ИНН): 10 digits for an organisation, 12 for a person, with
 * check digits. Region `00` does not exist, which also rejects the `0000000000` placeholder.
 */
export function isValidInn(digits: string): boolean {
  if (digits.startsWith('00')) return false;
  if (digits.length === 10) return innCheckDigit(digits, INN10_WEIGHTS) === digitAt(digits, 9);
  if (digits.length === 12) {
    return innCheckDigit(digits, INN12_FIRST_WEIGHTS) === digitAt(digits, 10)
      && innCheckDigit(digits, INN12_SECOND_WEIGHTS) === digitAt(digits, 11);
  }
  return false;
}

/** A Russian insurance number (СНИЛС): 9 digits and a 2-digit checksum, 11 digits in all. */
export function isValidSnils(digits: string): boolean {
  if (digits.length !== 11) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += digitAt(digits, i) * (9 - i);
  const check = sum < 100 ? sum : sum % 101 === 100 ? 0 : sum % 101;
  return check === digitAt(digits, 9) * 10 + digitAt(digits, 10);
}
