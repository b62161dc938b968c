import { rewriteMatches, type Decision } from './rewrite.js';
import { MaskToken } from './tokens.js';

/**
 * E-mail addresses, Latin or Cyrillic (`иван@почта.рф`), also URL-encoded (`ivan%40mail.ru`).
 * The look-behind lets a match start only where the local part starts, so a long run of
 * letters without an `@` is read once; domain labels are split by dots, so no label can be
 * matched two ways and nothing backtracks exponentially.
 */
const LOCAL = '[A-Za-z0-9._%+\\-А-Яа-яЁё]';
const LABEL = '[A-Za-z0-9А-Яа-яЁё](?:[A-Za-z0-9\\-А-Яа-яЁё]{0,61}[A-Za-z0-9А-Яа-яЁё])?';
const EMAIL = new RegExp(`(?<!${LOCAL})${LOCAL}{1,64}(?:@|%40)(?:${LABEL}\\.){1,8}[A-Za-zА-Яа-яЁё]{2,24}(?![A-Za-z0-9\\-А-Яа-яЁё])`, 'g');

function maskEmail(match: RegExpExecArray): Decision {
  return { start: match.index, end: match.index + match[0].length, text: MaskToken.email };
}

/** Masks every e-mail address in `text`. */
export function maskEmails(text: string): string {
  return rewriteMatches(text, EMAIL, maskEmail);
}
