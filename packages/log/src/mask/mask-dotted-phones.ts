import { rewriteMatches, type Decision } from './rewrite.js';
import { MaskToken } from './tokens.js';

/**
 * Phones written with dots between the groups: `+7.916.123.45.67`, `8.916.123.45.67`,
 * `916.123.45.67`, `+44.20.7946.0958`. Dots also join IPv4 addresses, versions, dates,
 * decimals, times and thousands, so only shapes none of those has are masked:
 * - a Russian number without its country code, ten digits grouped 3.3.2.2 or 3.3.4 with an
 *   area code starting 3, 4, 8 or 9 (`916.123.45.67`): its first group is over 299, which no
 *   IPv4 octet is, and no date or time has a three-digit first group;
 * - the same after `7.`, `8.` or `+7.` (`8.916.123.45.67`), eleven digits in five or four groups;
 * - after a plus, 10 to 15 digits in three groups or more (`+1.202.555.0143`), unless every
 *   group after the first has three digits (`+1.000.000.000` is a count) or the groups are an
 *   IPv4 address.
 * The run may not touch a word, a dash, or a dot, comma or colon and a digit on either side, so
 * it is never part of a longer dotted number (`1.916.123.45.67`, an OID, `916.123.45.67.8`).
 */
const DOTTED_RUN = /(?<![\w+-]|\d[.,:])\+?\d{1,4}(?:\.\d{1,4}){2,5}(?![\w-]|[.,:]\d)/g;

/**
 * What every dotted phone holds: an area code (3, 4, 8 or 9 first) and the next group with
 * their dots, or a plus, a country code and a dot. Found at twice the speed of `DOTTED_RUN`,
 * whose look-behind is tried at every character, so a message with dots but no such phone
 * (an e-mail, a price) is read once, quickly.
 */
const DOTTED_PHONE_HINT = /[3489]\d\d\.\d\d\d\.\d|\+\d{1,4}\.\d/;

const MIN_PLUS_DIGITS = 10;
const MAX_PLUS_DIGITS = 15;

function sameSizes(groups: readonly string[], ...sizes: number[]): boolean {
  return groups.length === sizes.length && groups.every((group, i) => group.length === sizes[i]);
}

/** `916.123.45.67`, `916.123.4567`: a Russian area code (3, 4, 8 or 9 first) and a subscriber number. */
function isRussianWithoutCountry(groups: readonly string[]): boolean {
  return '3489'.includes(groups[0]![0]!) && (sameSizes(groups, 3, 3, 2, 2) || sameSizes(groups, 3, 3, 4));
}

function isIpv4(groups: readonly string[]): boolean {
  return groups.length === 4 && groups.every((group) => group.length <= 3 && Number(group) <= 255);
}

function isDottedPhone(groups: readonly string[], plus: boolean): boolean {
  if (!plus && isRussianWithoutCountry(groups)) return true;
  const country = groups[0]!;
  if ((country === '7' || (!plus && country === '8')) && isRussianWithoutCountry(groups.slice(1))) return true;
  if (!plus) return false;
  const digitCount = groups.reduce((sum, group) => sum + group.length, 0);
  if (digitCount < MIN_PLUS_DIGITS || digitCount > MAX_PLUS_DIGITS) return false;
  return !groups.slice(1).every((group) => group.length === 3) && !isIpv4(groups);
}

function maskDottedPhone(match: RegExpExecArray): Decision {
  const run = match[0];
  const plus = run.charCodeAt(0) === 0x2b;
  if (!isDottedPhone((plus ? run.slice(1) : run).split('.'), plus)) return undefined;
  return { start: match.index, end: match.index + run.length, text: MaskToken.phone };
}

/** Masks every phone written with dots between its groups. */
export function maskDottedPhones(text: string): string {
  return text.indexOf('.') === -1 || !DOTTED_PHONE_HINT.test(text) ? text : rewriteMatches(text, DOTTED_RUN, maskDottedPhone);
}
