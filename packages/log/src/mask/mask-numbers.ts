import { classifyDigitRun, type DigitRun, type NumberKind } from './classify-number.js';
import { rewriteMatches, type Decision } from './rewrite.js';
import { MaskToken } from './tokens.js';

/**
 * Phones, card numbers, passports, INN and SNILS numbers in free text. A run of 8 to 19 digits
 * (single spaces, dashes and parentheses between them) is found first; `classifyDigitRun`
 * then decides what it is. A run glued to a word or a dash (`ORD-2026-000123`, a UUID, a trace
 * id), or continued by a letter, a dot and a digit, or a colon and a digit (`152ms`,
 * `10.0.0.15`, `2026-11-21T10:15:30`) is never a candidate.
 */

const SEPARATOR = '(?:[ \\-]|[ \\-]?\\(|\\)[ \\-]?)';
const DIGIT_RUN = new RegExp(`(?<![\\w+\\-]|\\d[.,:])(?:\\+ ?)?\\(?\\d(?:${SEPARATOR}?\\d){7,18}(?!\\w|[.,:\\-]\\d)`, 'g');

/** Fewest digits a number R22 masks can have (`+44 20 7946` style international numbers). */
const MIN_DIGITS = 8;
const CONTEXT_WINDOW = 32;
const CONTEXT = /^[\s\S]*(?<![a-zа-яё])(паспорт|passport|серия|инн|inn|снилс|snils|карт|card|тел|phone|mobile|моб|whatsapp)[^\d]*$/i;

function contextBefore(text: string, start: number): NumberKind | undefined {
  const keyword = CONTEXT.exec(text.slice(Math.max(0, start - CONTEXT_WINDOW), start))?.[1]?.toLowerCase();
  switch (keyword) {
    case undefined: return undefined;
    case 'паспорт': case 'passport': case 'серия': return 'passport';
    case 'инн': case 'inn': return 'inn';
    case 'снилс': case 'snils': return 'snils';
    case 'карт': case 'card': return 'card';
    default: return 'phone';
  }
}

interface Group {
  readonly size: number;
  /** Offset in the run just after the group's last digit. */
  readonly end: number;
  /** Offset in the run of the group's first digit. */
  readonly start: number;
}

function groupsOf(run: string): Group[] {
  const groups: Group[] = [];
  let start = -1;
  for (let i = 0; i <= run.length; i++) {
    const code = i < run.length ? run.charCodeAt(i) : 0;
    const digit = code >= 48 && code <= 57;
    if (digit && start === -1) start = i;
    if (!digit && start !== -1) {
      groups.push({ size: i - start, end: i, start });
      start = -1;
    }
  }
  return groups;
}

const tokens: Record<NumberKind, string> = {
  phone: MaskToken.phone,
  card: MaskToken.card,
  passport: MaskToken.passport,
  inn: MaskToken.inn,
  snils: MaskToken.snils,
};

/**
 * The longest leading part of the run that is a number R22 masks: `8 912 345 67 89 12` is a
 * phone followed by a quantity. When no part is, scanning resumes at the run's second group,
 * so `qty 2 89123456789` still finds the phone.
 */
function maskDigitRun(match: RegExpExecArray, text: string): Decision {
  const run = match[0];
  const groups = groupsOf(run);
  const plus = run.charCodeAt(0) === 0x2b;
  const context = contextBefore(text, match.index);
  let digits = run.replace(/\D/g, '');
  for (let count = groups.length; count >= 1; count--) {
    if (digits.length < MIN_DIGITS) break;
    const end = groups[count - 1]!.end;
    const part = run.slice(0, end);
    const kind = classifyDigitRun({
      digits,
      groups: groups.slice(0, count).map((g) => g.size),
      plus,
      parenthesis: part.includes('(') || part.includes(')'),
      context,
    } satisfies DigitRun);
    if (kind) return { start: match.index, end: match.index + end, text: tokens[kind] };
    digits = digits.slice(0, digits.length - groups[count - 1]!.size);
  }
  return groups.length > 1 ? match.index + groups[1]!.start : undefined;
}

/** Masks every phone, card, passport, INN and SNILS number in `text`. */
export function maskNumbers(text: string): string {
  return rewriteMatches(text, DIGIT_RUN, maskDigitRun);
}

/**
 * A passport written with words between series and number: `паспорт серия 45 09 № 235857`,
 * `passport series 4509 number 235857`. Series and number become one `[PASSPORT]`.
 */
const SPLIT_PASSPORT = /(?<![a-zа-яё])(?:паспорт|passport)[^\d\n]{0,40}?(?<!\d)(\d{2} ?\d{2})[^\d\n]{1,20}?(\d{6})(?!\d)/gid;

function maskSplitPassport(match: RegExpExecArray): Decision {
  const indices = match.indices!;
  return { start: indices[1]![0], end: indices[2]![1], text: MaskToken.passport };
}

/** Masks passports whose series and number are apart. */
export function maskSplitPassports(text: string): string {
  return rewriteMatches(text, SPLIT_PASSPORT, maskSplitPassport);
}
