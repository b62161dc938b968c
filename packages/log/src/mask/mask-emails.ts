import { MaskToken } from './tokens.js';

/**
 * E-mail addresses, Latin or Cyrillic (`иван@почта.рф`), also URL-encoded (`ivan%40mail.ru`).
 * Found from the `@` (cheap to find, rare in logs): the local part is read backwards and the
 * domain matched forwards from there, so a long run of letters without an `@` costs nothing and
 * each character is read a bounded number of times.
 */

const LABEL = '[A-Za-z0-9А-Яа-яЁё](?:[A-Za-z0-9\\-А-Яа-яЁё]{0,61}[A-Za-z0-9А-Яа-яЁё])?';
/** The domain, matched where the `@` (or `%40`) ends: labels separated by dots, then a top-level domain. */
const DOMAIN = new RegExp(`(?:${LABEL}\\.){1,8}[A-Za-zА-Яа-яЁё]{2,24}(?![A-Za-z0-9\\-А-Яа-яЁё])`, 'y');
const MAX_LOCAL_LENGTH = 64;

function isLocalChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57)
    || code === 46 || code === 95 || code === 37 || code === 43 || code === 45
    || (code >= 0x410 && code <= 0x44f) || code === 0x401 || code === 0x451;
}

/** Where the local part ending at `at` starts, or -1 when there is none (or it is too long to be one). */
function localPartStart(text: string, at: number, floor: number): number {
  let start = at;
  while (start > floor && at - start <= MAX_LOCAL_LENGTH && isLocalChar(text.charCodeAt(start - 1))) start--;
  if (start === at || at - start > MAX_LOCAL_LENGTH) return -1;
  return start;
}

/** Masks every e-mail address in `text`. */
export function maskEmails(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  // The next `@` and the next `%40`, each found once: searching both anew after every hit would be quadratic.
  let plain = text.indexOf('@');
  let encoded = text.indexOf('%40');
  while (plain !== -1 || encoded !== -1) {
    const isPlain = encoded === -1 || (plain !== -1 && plain < encoded);
    const at = isPlain ? plain : encoded;
    const domainStart = at + (isPlain ? 1 : 3);
    if (isPlain) plain = text.indexOf('@', domainStart);
    else encoded = text.indexOf('%40', domainStart);
    const start = localPartStart(text, at, copiedUpTo);
    if (start === -1) continue;
    DOMAIN.lastIndex = domainStart;
    if (!DOMAIN.test(text)) continue;
    out += text.slice(copiedUpTo, start) + MaskToken.email;
    copiedUpTo = DOMAIN.lastIndex;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}
