import { isValidInn, isValidSnils, passesLuhn } from './checksums.js';

/**
 * Decides what a run of digits is: a phone, a card, a passport, an INN or a SNILS number, or
 * nothing (an order number, a price, a date, a size). Length, grouping, check digits and a
 * keyword just before the run decide; a run that fits nothing is left alone.
 */

export type NumberKind = 'phone' | 'card' | 'passport' | 'inn' | 'snils';

export interface DigitRun {
  /** Only the digits. */
  readonly digits: string;
  /** How many digits each group between separators holds: `[4, 6]` for `4509 235857`. */
  readonly groups: readonly number[];
  readonly plus: boolean;
  readonly parenthesis: boolean;
  /** Only spaces between the groups (`4509 235857`), no dashes or parentheses. */
  readonly spacesOnly: boolean;
  /** What the text just before the run says the number is (`паспорт`, `ИНН`, `card`…); read only when needed. */
  readonly context: () => NumberKind | undefined;
}

const sameGroups = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);
const groupedAs = (run: DigitRun, ...layouts: number[][]): boolean => layouts.some((layout) => sameGroups(run.groups, layout));

/** `4111 1111 1111 1111`, `4111-1111-1111-1111-111`, Amex `3782 822463 10005`, Diners `3056 930902 5904`. */
function hasCardLayout(run: DigitRun): boolean {
  const { groups } = run;
  if (groups.length === 1) return true;
  if (groupedAs(run, [4, 6, 5], [4, 6, 4])) return true;
  return groups.every((size, i) => (i === groups.length - 1 ? size >= 1 && size <= 4 : size === 4));
}

function russianPhone(run: DigitRun): boolean {
  const { digits } = run;
  // 7/8, then an area code starting 3, 4, 8 (landlines, 800) or 9 (mobiles).
  return digits.length === 11 && (digits[0] === '7' || digits[0] === '8') && '3489'.includes(digits[1]!);
}

/** `(912) 345-67-89`, `912 345 67 89`, `495 123-45-67`: ten digits grouped like a phone without its country code. */
function localPhone(run: DigitRun): boolean {
  if (run.digits.length !== 10 || !'3489'.includes(run.digits[0]!)) return false;
  return run.parenthesis || groupedAs(run, [3, 3, 2, 2], [3, 3, 4], [3, 7]);
}

/**
 * Unix times in seconds from November 2023 to March 2030 (`exp 1732184130`): one in ten would
 * pass the INN check. Only INNs of regions 17 and 18 look the same, and a keyword still marks them.
 */
const UNIX_TIME_FROM = '1700000000';
const UNIX_TIME_UNTIL = '1900000000';

function looksLikeUnixTime(digits: string): boolean {
  return digits >= UNIX_TIME_FROM && digits < UNIX_TIME_UNTIL;
}

function byContext(run: DigitRun): NumberKind | undefined {
  const n = run.digits.length;
  switch (run.context()) {
    case 'passport': return n === 10 ? 'passport' : undefined;
    case 'inn': return n === 10 || n === 12 ? 'inn' : undefined;
    case 'snils': return n === 11 ? 'snils' : undefined;
    case 'card': return n >= 13 && n <= 19 && passesLuhn(run.digits) ? 'card' : undefined;
    case 'phone': return n >= 10 && n <= 12 ? 'phone' : undefined;
    default: return undefined;
  }
}

/** What `run` is, or `undefined` when it is none of the numbers R22 masks. */
export function classifyDigitRun(run: DigitRun): NumberKind | undefined {
  const { digits } = run;
  const n = digits.length;
  if (run.plus) return n >= 8 && n <= 15 ? 'phone' : undefined;
  const fromContext = byContext(run);
  if (fromContext) return fromContext;
  const contiguous = run.groups.length === 1;
  if (n === 11) {
    if (groupedAs(run, [3, 3, 3, 2]) && isValidSnils(digits)) return 'snils';
    if (russianPhone(run)) return 'phone';
    return contiguous && isValidSnils(digits) ? 'snils' : undefined;
  }
  if (n === 10) {
    if (run.spacesOnly && groupedAs(run, [4, 6], [2, 2, 6])) return 'passport';
    if (localPhone(run)) return 'phone';
    return contiguous && !looksLikeUnixTime(digits) && isValidInn(digits) ? 'inn' : undefined;
  }
  if (n === 12) return contiguous && isValidInn(digits) ? 'inn' : undefined;
  if (n >= 13 && n <= 19 && '23456'.includes(digits[0]!) && hasCardLayout(run) && passesLuhn(digits)) return 'card';
  return undefined;
}
