import { hasSensitiveKey } from './key-before-separator.js';
import { hasXmlSecret } from './mask-xml-secrets.js';
import {
  CUES, CUES_AFTER_NON_LETTERS, CUES_AFTER_PLUS, CUES_AT_START, CYRILLIC, CYRILLIC_BEFORE_LATIN, CYRILLIC_CREDENTIALS,
  CYRILLIC_NAMES_AND_ADDRESSES, ENGLISH_NAME_OR_STREET, LATIN_PASSPORT, PERCENT_ENCODED, type CueScan,
} from './precheck-cues.js';

/**
 * The cheap test `maskText` runs first: false means no rule can match, and the message is
 * returned as it is. It may say true for a clean message (the rules then find nothing), never
 * false for one a rule would change; `golden-corpus.test.ts` holds it to that over the corpus.
 *
 * Why it is shaped like this: on a clean message every test reads the whole text, and the
 * engine's native scan is the cheapest reader there is: a JavaScript loop over the character
 * codes measured two to three regex passes before doing any work. So single characters are
 * found with `indexOf`, and nearly everything else in one regex whose alternatives can start
 * only after a character that is not a letter or a digit (`precheck-cues.ts`): it is tried at
 * word boundaries, not at every character. The Cyrillic tests cost nothing on a Latin-1 string.
 */

/** False only when no masking rule can match `text`. */
export function mayContainPersonalData(text: string): boolean {
  // E-mails and passwords in URLs: `@`, or `%40` in a query string (and `%2B` before a phone).
  if (text.indexOf('@') !== -1 || (text.indexOf('%') !== -1 && PERCENT_ENCODED.test(text)) || hasSensitiveKey(text) || hasXmlSecret(text)) return true;
  const cyrillic = CYRILLIC.test(text);
  if (hasCue(text, cyrillic && !CYRILLIC_BEFORE_LATIN.test(text) ? CUES_AFTER_NON_LETTERS : CUES)) return true;
  CUES_AT_START.lastIndex = 0;
  if (CUES_AT_START.test(text)) return true;
  if (text.indexOf('+') !== -1 && CUES_AFTER_PLUS.test(text)) return true;
  if (LATIN_PASSPORT.test(text)) return true;
  return cyrillic && (CYRILLIC_CREDENTIALS.test(text) || CYRILLIC_NAMES_AND_ADDRESSES.test(text));
}

/**
 * True when a cue is found. A capital after a boundary counts only when the text also holds a
 * title or a street type (what the name and address rules look for first); once it does not,
 * the scan goes on without capitals, so a text full of capitalised words is read once.
 */
function hasCue(text: string, scan: CueScan): boolean {
  let cues = scan.withCapitals;
  cues.lastIndex = 0;
  for (let match = cues.exec(text); match !== null; match = cues.exec(text)) {
    if (match.groups?.capital === undefined) return true;
    if (ENGLISH_NAME_OR_STREET.test(text)) return true;
    cues = scan.withoutCapitals;
    cues.lastIndex = match.index + 1;
  }
  return false;
}
