import { caseForms } from './case-forms.js';
import { classifyDigitRun, type NumberKind } from './classify-number.js';
import { rewriteMatches, type Decision } from './rewrite.js';
import { MaskToken } from './tokens.js';

/**
 * Phones, card numbers, passports, INN and SNILS numbers in free text. A run of 8 to 19 digits
 * (single spaces, dashes and parentheses between them) is found first; `classifyDigitRun`
 * then decides what it is. A run glued to a word or a dash (`ORD-2026-000123`, a UUID, a trace
 * id), or continued by a letter, a dot and a digit, or a colon and a digit (`152ms`,
 * `10.0.0.15`, `2026-11-21T10:15:30`) is never a candidate.
 */

// A no-break space is a space: form fields and `Intl.NumberFormat('ru-RU')` write them.
const SEPARATOR = '(?:[ \\u00a0\\-]|[ \\u00a0\\-]?\\(|\\)[ \\u00a0\\-]?)';
/** A leading plus, also percent-encoded in a query string (`?q=%2B79123456789`). */
const PLUS = '(?:\\+ ?|%2[Bb])';
const DIGIT_RUN = new RegExp(`(?<![\\w+\\-]|\\d[.,:])${PLUS}?\\(?\\d(?:${SEPARATOR}?\\d){7,18}(?!\\w|[.,:\\-]\\d)`, 'g');

/** Fewest digits a number R22 masks can have (`+44 20 7946` style international numbers). */
const MIN_DIGITS = 8;
const CONTEXT_WINDOW = 32;
const CONTEXT_WORD = /(?<![a-zа-яё])(паспорт|passport|серия|инн|inn|снилс|snils|карт|card|тел|phone|mobile|моб|whatsapp)/g;

const contextKinds: Record<string, NumberKind> = {
  паспорт: 'passport', passport: 'passport', серия: 'passport', инн: 'inn', inn: 'inn', снилс: 'snils', snils: 'snils', карт: 'card', card: 'card',
};

/** The last keyword in the few characters before `start` with no digits after it: `паспорт`, `ИНН: `, `card no. `. */
function contextBefore(text: string, start: number): NumberKind | undefined {
  let from = start;
  while (from > 0 && start - from < CONTEXT_WINDOW && !isDigit(text.charCodeAt(from - 1))) from--;
  const window = text.slice(from, start).toLowerCase();
  let keyword: string | undefined;
  CONTEXT_WORD.lastIndex = 0;
  for (let found = CONTEXT_WORD.exec(window); found !== null; found = CONTEXT_WORD.exec(window)) keyword = found[1];
  return keyword === undefined ? undefined : contextKinds[keyword] ?? 'phone';
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** A run of digits read once: its groups, its digits, and where its first parenthesis and dash are. */
interface RunLayout {
  /** Digits in each group between separators. */
  readonly sizes: number[];
  /** Offset in the run of each group's first digit, and just after its last. */
  readonly starts: number[];
  readonly ends: number[];
  readonly digits: string;
  /** Offset of the first `(` or `)`, or the run's length. */
  readonly parenthesisAt: number;
  /** Offset of the first separator that is not a space (`-`, `(`), ignoring a leading `+`; or the run's length. */
  readonly notSpaceAt: number;
  readonly longestGroup: number;
}

/** Characters of the run's leading plus: 1 for `+`, 3 for `%2B`, 0 without one. */
function plusLength(run: string): number {
  const first = run.charCodeAt(0);
  return first === 0x2b ? 1 : first === 0x25 ? 3 : 0;
}

/**
 * Characters of a leading `00`, the international prefix dialled instead of a plus outside North
 * America (`0079161234567`, `00 44 20 7946 0958`), with the blank or dash after it: the zeros
 * must be followed by a country code's first digit, 1 to 9. 0 when the run has no such prefix.
 */
function internationalZerosLength(run: string): number {
  if (run.charCodeAt(0) !== 0x30 || run.charCodeAt(1) !== 0x30) return 0;
  const separator = run.charCodeAt(2);
  const at = separator === 0x20 || separator === 0xa0 || separator === 0x2d ? 3 : 2;
  const first = run.charCodeAt(at);
  return first >= 0x31 && first <= 0x39 ? at : 0;
}

/**
 * Fewest digits after a `00` prefix that make a phone: more than after a plus, because zeros
 * also pad ids (`0012345678`).
 */
const MIN_DIGITS_AFTER_ZEROS = 10;

/**
 * Whether the digits after a `00` prefix may be a phone. Written in one piece, a `00` number is
 * also how zero-padded ids and EAN-13 barcodes of US goods (`0012345678905`) look, so only a
 * Russian number (`007` and an area code starting 3, 4, 8 or 9) is taken; with blanks or dashes
 * between its first groups any country's is, when one group has three digits or more, as every
 * phone has.
 */
function mayFollowZeros(layout: RunLayout): boolean {
  const { sizes, digits } = layout;
  if (layout.longestGroup < 3) return false;
  if (sizes[0]! < MIN_DIGITS_AFTER_ZEROS) return true;
  return sizes[0] === 11 && digits[0] === '7' && '3489'.includes(digits[1]!);
}

function layoutOf(run: string, prefixLength: number): RunLayout {
  const sizes: number[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  let digits = '';
  let parenthesisAt = run.length;
  let notSpaceAt = run.length;
  let longestGroup = 0;
  let start = -1;
  for (let i = prefixLength; i <= run.length; i++) {
    const code = i < run.length ? run.charCodeAt(i) : 0;
    if (isDigit(code)) {
      if (start === -1) start = i;
      continue;
    }
    if (start !== -1) {
      sizes.push(i - start);
      starts.push(start);
      ends.push(i);
      digits += run.slice(start, i);
      longestGroup = Math.max(longestGroup, i - start);
      start = -1;
    }
    if (i === run.length) break;
    if ((code === 0x28 || code === 0x29) && parenthesisAt === run.length) parenthesisAt = i;
    if (code !== 0x20 && code !== 0xa0 && notSpaceAt === run.length) notSpaceAt = i;
  }
  return { sizes, starts, ends, digits, parenthesisAt, notSpaceAt, longestGroup };
}

const tokens: Record<NumberKind, string> = {
  phone: MaskToken.phone,
  card: MaskToken.card,
  passport: MaskToken.passport,
  inn: MaskToken.inn,
  snils: MaskToken.snils,
};

/**
 * Digit counts some number R22 masks can have: phones after an international prefix from
 * `minPhoneDigits` to 15, otherwise INN 10/12, SNILS 11, cards 13–19.
 */
function mayClassify(digitCount: number, minPhoneDigits: number | undefined): boolean {
  return minPhoneDigits !== undefined ? digitCount >= minPhoneDigits && digitCount <= 15 : digitCount >= 10 && digitCount <= 19;
}

/**
 * Most digits a phone with a plus can have: 11 for a Russian `+7` number, and no more than its
 * first group when that is a whole number already (`+79123456789 200` is a phone and a status).
 */
function maxPlusDigits(layout: RunLayout): number {
  if (layout.digits.charCodeAt(0) === 0x37) return 11;
  return layout.sizes[0]! >= 10 ? layout.sizes[0]! : 15;
}

/**
 * The longest leading part of the run that is a number R22 masks: `8 912 345 67 89 12` is a
 * phone followed by a quantity. `minPhoneDigits` is set when the run starts with an
 * international prefix (a plus or `00`): the fewest digits a phone after it has.
 */
function longestNumber(match: RegExpExecArray, text: string, layout: RunLayout, minPhoneDigits: number | undefined): Decision {
  const { sizes, ends } = layout;
  const plus = minPhoneDigits !== undefined;
  let context: NumberKind | undefined | null = null;
  const readContext = (): NumberKind | undefined => (context === null ? (context = contextBefore(text, match.index)) : context);
  let digitCount = layout.digits.length;
  const maxDigits = plus ? maxPlusDigits(layout) : Infinity;
  for (let count = sizes.length; count >= 1 && digitCount >= MIN_DIGITS; digitCount -= sizes[--count]!) {
    if (!mayClassify(digitCount, minPhoneDigits) || digitCount > maxDigits) continue;
    const end = ends[count - 1]!;
    const kind = classifyDigitRun({
      digits: layout.digits.slice(0, digitCount),
      groups: count === sizes.length ? sizes : sizes.slice(0, count),
      plus,
      parenthesis: layout.parenthesisAt < end,
      spacesOnly: layout.notSpaceAt >= end,
      context: readContext,
    });
    if (kind) return { start: match.index, end: match.index + end, text: tokens[kind] };
  }
  return undefined;
}

/**
 * A run that starts with `00` is first read as a phone after that prefix, then, when it is none,
 * as digits like any other (a SNILS may start `001-`). When no leading part of the run is a
 * number, scanning resumes at the run's second group, so `qty 2 89123456789` still finds the
 * phone. Every such number has a group of three digits or more; a run without one
 * (`1 2 3 4 5 6 7 8`) is skipped whole.
 */
function maskDigitRun(match: RegExpExecArray, text: string): Decision {
  const run = match[0];
  const zeros = internationalZerosLength(run);
  if (zeros > 0) {
    const afterZeros = layoutOf(run, zeros);
    const phone = mayFollowZeros(afterZeros) ? longestNumber(match, text, afterZeros, MIN_DIGITS_AFTER_ZEROS) : undefined;
    if (phone !== undefined) return phone;
  }
  const plus = plusLength(run);
  const layout = layoutOf(run, plus);
  const { sizes, starts } = layout;
  if (layout.longestGroup < 3) return match.index + starts[starts.length - 1]!;
  const found = longestNumber(match, text, layout, plus > 0 ? MIN_DIGITS : undefined);
  if (found !== undefined) return found;
  return sizes.length > 1 ? match.index + starts[1]! : undefined;
}

/** Masks every phone, card, passport, INN and SNILS number in `text`. */
export function maskNumbers(text: string): string {
  return rewriteMatches(text, DIGIT_RUN, maskDigitRun);
}

/**
 * A passport written with words between series and number: `паспорт серия 45 09 № 235857`,
 * `passport series 4509 number 235857`. Series and number become one `[PASSPORT]`.
 */
const SPLIT_PASSPORT = new RegExp(`(?<![A-Za-zА-Яа-яЁё])(?:${caseForms(['паспорт', 'passport'])})[^\\d\\n]{0,40}?(\\d{2} ?\\d{2})[^\\d\\n]{1,20}?(\\d{6})(?!\\d)`, 'gd');

/** The keyword, as a literal the engine finds fast: the full pattern runs only where it is. */
const PASSPORT_WORD = /аспорт|АСПОРТ|assport|ASSPORT/;

function maskSplitPassport(match: RegExpExecArray): Decision {
  const indices = match.indices!;
  return { start: indices[1]![0], end: indices[2]![1], text: MaskToken.passport };
}

/** Masks passports whose series and number are apart. */
export function maskSplitPassports(text: string): string {
  return PASSPORT_WORD.test(text) ? rewriteMatches(text, SPLIT_PASSPORT, maskSplitPassport) : text;
}
