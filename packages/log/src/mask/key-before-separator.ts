import { classifyKey, type KeyKind } from './sensitive-keys.js';

/**
 * Reads the key in front of a `:` or `=` backwards, word by word, and says what kind of data
 * it names. Separators are rare and each is looked at once, so text of any length is linear.
 */

const MAX_KEY_LENGTH = 48;
/** Blanks allowed between a key and its separator (`password = x`). */
const MAX_GAP = 3;

function isKeyChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57)
    || code === 95 || code === 45 || code === 46 || code === 91 || code === 93
    || (code >= 0x410 && code <= 0x44f) || code === 0x401 || code === 0x451;
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 0x410 && code <= 0x44f) || code === 0x401 || code === 0x451;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isGap(code: number): boolean {
  return code === 32 || code === 9;
}

/** Where the word that ends just before `end` starts, or `undefined` when there is none. */
function wordBefore(text: string, end: number): number | undefined {
  let start = end;
  while (start > 0 && end - start < MAX_KEY_LENGTH && isKeyChar(text.charCodeAt(start - 1))) start--;
  if (start === end || (start > 0 && isKeyChar(text.charCodeAt(start - 1)))) return undefined;
  // A command-line option: `--password=…`.
  while (start < end && text.charCodeAt(start) === 0x2d) start++;
  return start < end && isLetter(text.charCodeAt(start)) ? start : undefined;
}

/** A form field written `user[password]` is the dotted key `user.password`. */
function keyOf(raw: string): string {
  return raw.replace(/\[/g, '.').replace(/\]/g, '');
}

const ENCODED_BRACKET = /%5[BbDd]/g;
const MAX_ENCODED_KEY_LENGTH = 96;

/**
 * A form field whose brackets a browser percent-encoded (`user%5Bpassword%5D=`), read as
 * `user.password`; `end` is just after its `%5D`. `undefined` when it is not one.
 */
function encodedFormKey(text: string, end: number): string | undefined {
  let start = end - 3;
  while (start > 0 && end - start < MAX_ENCODED_KEY_LENGTH && (isKeyChar(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 0x25)) start--;
  if (start > 0 && (isKeyChar(text.charCodeAt(start - 1)) || text.charCodeAt(start - 1) === 0x25)) return undefined;
  const raw = text.slice(start, end).replace(ENCODED_BRACKET, (bracket) => (bracket[2] === 'B' || bracket[2] === 'b' ? '[' : ']'));
  return raw.includes('%') || !isLetter(raw.charCodeAt(0)) ? undefined : keyOf(raw);
}

function endsWithEncodedBracket(text: string, end: number): boolean {
  return end >= 3 && text.charCodeAt(end - 3) === 0x25 && text.charCodeAt(end - 2) === 0x35 && (text.charCodeAt(end - 1) | 0x20) === 0x64;
}

/** Where the word that ends just before a single space at `end` starts, or `undefined`. */
function previousWord(text: string, end: number): number | undefined {
  return end >= 2 && text.charCodeAt(end - 1) === 32 ? wordBefore(text, end - 1) : undefined;
}

/** Little words between a secret's name and what it belongs to: `пароль от почты:`, `password for admin:`. */
const PREPOSITIONS = new Set(['for', 'of', 'to', 'от', 'для', 'к', 'на']);

/**
 * The kind of the key before the separator at `at`: one word (`password:`), two words
 * (`API key:`), or a secret's name, a preposition and one or two words (`пароль от личного
 * кабинета:`, `password for admin:`).
 */
function keyKindBefore(text: string, at: number): KeyKind | undefined {
  let end = at;
  for (let gap = 0; gap < MAX_GAP && end > 0 && isGap(text.charCodeAt(end - 1)); gap++) end--;
  const quote = end > 0 ? text.charCodeAt(end - 1) : 0;
  if (quote === 0x22 || quote === 0x27) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 0x5c) end--;
  if (endsWithEncodedBracket(text, end)) {
    const key = encodedFormKey(text, end);
    return key === undefined ? undefined : classifyKey(key);
  }
  const start = wordBefore(text, end);
  if (start === undefined) return undefined;
  const last = text.slice(start, end);
  const kind = classifyKey(keyOf(last));
  if (kind !== undefined) return kind;
  // Words before the last one, nearest first: [start, end] pairs.
  const words: Array<[number, number]> = [];
  for (let wordEnd = start - 1, next = previousWord(text, start); next !== undefined && words.length < 3; next = previousWord(text, next)) {
    words.push([next, wordEnd]);
    wordEnd = next - 1;
  }
  if (words.length === 0) return undefined;
  const [middleStart, middleEnd] = words[0]!;
  const twoWords = classifyKey(`${text.slice(middleStart, middleEnd)} ${last}`);
  if (twoWords !== undefined) return twoWords;
  for (let i = 0; i + 1 < words.length && i < 2; i++) {
    const [prepositionStart, prepositionEnd] = words[i]!;
    const [secretStart, secretEnd] = words[i + 1]!;
    if (PREPOSITIONS.has(text.slice(prepositionStart, prepositionEnd).toLowerCase()) && classifyKey(text.slice(secretStart, secretEnd)) === 'secret') return 'secret';
  }
  return undefined;
}

interface SeparatorCursor {
  colon: number;
  equals: number;
}

/** Where the first `:` and `=` of `text` are. */
export function separatorCursor(text: string): SeparatorCursor {
  return { colon: text.indexOf(':'), equals: text.indexOf('=') };
}

/** The next `:` or `=` of `text`, or -1; each is searched for once, so many of them cost linear time. */
export function nextSeparator(text: string, cursor: SeparatorCursor): number {
  const { colon, equals } = cursor;
  if (colon !== -1 && (equals === -1 || colon < equals)) {
    cursor.colon = text.indexOf(':', colon + 1);
    return colon;
  }
  if (equals !== -1) cursor.equals = text.indexOf('=', equals + 1);
  return equals;
}

/**
 * The kind of the key before the separator at `at`, as `keyKindBefore` says, without reading
 * back when the separator follows two digits: `14:00`, `ORD-1042:`, `sha256=` are common, and
 * no sensitive key ends in two digits (only `cvv2`, `cvc2` and `address_line1` end in one).
 */
export function sensitiveKeyBefore(text: string, at: number): KeyKind | undefined {
  if (isDigit(text.charCodeAt(at - 1)) && (at < 2 || isDigit(text.charCodeAt(at - 2)))) return undefined;
  return keyKindBefore(text, at);
}

/** True when `text` has a `:` or `=` right after a sensitive key: what `maskKeyValues` looks for. */
export function hasSensitiveKey(text: string): boolean {
  const cursor = separatorCursor(text);
  for (let at = nextSeparator(text, cursor); at !== -1; at = nextSeparator(text, cursor)) {
    if (sensitiveKeyBefore(text, at) !== undefined) return true;
  }
  return false;
}
