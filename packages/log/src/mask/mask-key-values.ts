import { FULL_NAME, ANY_NAME, NAME_END } from './person-name.js';
import { classifyKey, type KeyKind } from './sensitive-keys.js';
import { MaskToken } from './tokens.js';

/**
 * `key: value` and `key=value` pairs inside free text whose key names a secret or personal
 * data (`password=…`, `?token=…&`, `"phone":"…"`, `\"email\":\"…\"`, `X-Api-Key: …`,
 * `Пароль: …`, `user[password]=…`): the value is masked, the key kept. Found from the `:` and
 * `=` characters (cheap to find) by reading the key backwards, so the scan is linear.
 */

const textToken: Record<KeyKind, string> = {
  secret: MaskToken.secret,
  credential: MaskToken.token,
  cookie: MaskToken.secret,
  card: MaskToken.card,
  passport: MaskToken.passport,
  inn: MaskToken.inn,
  snils: MaskToken.snils,
  phone: MaskToken.phone,
  email: MaskToken.email,
  address: MaskToken.address,
  personName: MaskToken.name,
  maybeName: MaskToken.name,
};

const MAX_KEY_LENGTH = 48;
const MAX_GAP = 3;

/** Values that hold nothing to hide, left as they are so a line stays readable. */
const EMPTY_VALUE = /^(?:null|undefined|true|false|none|nil|n\/a|-+|\*+|x{3,}|<[\w -]*>|\[[\w -]*\])$/i;

/** Authorization schemes whose credential is one word; any other scheme's parameters run to the end of the line. */
const AUTH_SCHEME = /(Bearer|Basic|Token|ApiKey|Key|JWT|Digest|Negotiate|NTLM|OAuth|HOBA|Mutual|AWS4-HMAC-SHA256)[ \t]+/iy;
const ONE_WORD_SCHEMES = /^(?:bearer|basic|token|apikey|key|jwt|negotiate|ntlm)$/i;

const DIGITS_VALUE = /\+?\(?\d(?:[\d ()\-]*\d)?/y;
const FULL_NAME_VALUE = new RegExp(`${FULL_NAME}${NAME_END}`, 'y');
const ANY_NAME_VALUE = new RegExp(`${ANY_NAME}${NAME_END}`, 'y');

function isKeyChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57)
    || code === 95 || code === 45 || code === 46 || code === 91 || code === 93
    || (code >= 0x410 && code <= 0x44f) || code === 0x401 || code === 0x451;
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 0x410 && code <= 0x44f) || code === 0x401 || code === 0x451;
}

function isGap(code: number): boolean {
  return code === 32 || code === 9;
}

/** Reads the word that ends just before `end`, or `undefined` when there is none. */
function wordBefore(text: string, end: number): number | undefined {
  let start = end;
  while (start > 0 && end - start < MAX_KEY_LENGTH && isKeyChar(text.charCodeAt(start - 1))) start--;
  if (start === end || (start > 0 && isKeyChar(text.charCodeAt(start - 1)))) return undefined;
  return isLetter(text.charCodeAt(start)) ? start : undefined;
}

function keyOf(raw: string): string {
  return raw.replace(/\[/g, '.').replace(/\]/g, '');
}

/** The kind of the key before the separator at `at`, trying `API key` as well as `key`. */
function keyKindBefore(text: string, at: number): KeyKind | undefined {
  let end = at;
  for (let gap = 0; gap < MAX_GAP && end > 0 && isGap(text.charCodeAt(end - 1)); gap++) end--;
  const quote = end > 0 ? text.charCodeAt(end - 1) : 0;
  if (quote === 0x22 || quote === 0x27) end--;
  if (end > 0 && text.charCodeAt(end - 1) === 0x5c) end--;
  const start = wordBefore(text, end);
  if (start === undefined) return undefined;
  const kind = classifyKey(keyOf(text.slice(start, end)));
  if (kind !== undefined) return kind;
  if (start < 2 || text.charCodeAt(start - 1) !== 32) return undefined;
  const firstStart = wordBefore(text, start - 1);
  return firstStart === undefined ? undefined : classifyKey(`${text.slice(firstStart, start - 1)} ${text.slice(start, end)}`);
}

interface Span {
  start: number;
  end: number;
}

/** The end of a quoted value opened at `from` (just after the quote), honouring backslash escapes. */
function closingQuote(text: string, from: number, quote: string, escaped: boolean): number {
  const close = escaped ? `\\${quote}` : quote;
  let at = text.indexOf(close, from);
  while (at !== -1 && !escaped && isEscaped(text, at)) at = text.indexOf(close, at + 1);
  if (at !== -1) return at;
  const lineEnd = text.indexOf('\n', from);
  return lineEnd === -1 ? text.length : lineEnd;
}

function isEscaped(text: string, at: number): boolean {
  let backslashes = 0;
  while (at - backslashes - 1 >= 0 && text.charCodeAt(at - backslashes - 1) === 0x5c) backslashes++;
  return backslashes % 2 === 1;
}

function runUntil(text: string, from: number, stop: (code: number) => boolean): number {
  let end = from;
  while (end < text.length && !stop(text.charCodeAt(end))) end++;
  return end;
}

const stopWord = (code: number): boolean => code <= 32 || code === 38 || code === 44 || code === 59 || code === 34 || code === 39 || code === 60 || code === 62;
const stopLine = (code: number): boolean => code === 10 || code === 13;
const stopProse = (code: number): boolean => stopLine(code) || code === 59 || code === 124 || code === 34;

function trimTrailing(text: string, start: number, end: number, chars: string): number {
  while (end > start && chars.includes(text[end - 1]!)) end--;
  return end;
}

function stickyMatchEnd(pattern: RegExp, text: string, from: number): number | undefined {
  pattern.lastIndex = from;
  return pattern.test(text) ? pattern.lastIndex : undefined;
}

/** Where an unquoted value of `kind` ends; `undefined` when the value is not of that kind. */
function unquotedEnd(text: string, start: number, kind: KeyKind, separator: string): number | undefined {
  switch (kind) {
    case 'card': case 'passport': case 'inn': case 'snils': case 'phone':
      return stickyMatchEnd(DIGITS_VALUE, text, start);
    case 'personName':
      return stickyMatchEnd(ANY_NAME_VALUE, text, start);
    case 'maybeName':
      return stickyMatchEnd(FULL_NAME_VALUE, text, start);
    case 'cookie': case 'credential':
      return runUntil(text, start, stopLine);
    case 'address':
      return separator === '=' ? runUntil(text, start, stopWord) : trimTrailing(text, start, runUntil(text, start, stopProse), ' .,');
    default:
      return trimTrailing(text, start, runUntil(text, start, stopWord), '.)]}');
  }
}

/** The span of the value after the separator at `at`, quotes excluded. */
function valueSpan(text: string, at: number, kind: KeyKind): Span | undefined {
  let start = at + 1;
  for (let gap = 0; gap < MAX_GAP && isGap(text.charCodeAt(start)); gap++) start++;
  const escaped = text.charCodeAt(start) === 0x5c && (text[start + 1] === '"' || text[start + 1] === "'");
  const quote = text[escaped ? start + 1 : start];
  if (quote === '"' || quote === "'") {
    const from = start + (escaped ? 2 : 1);
    const end = closingQuote(text, from, quote, escaped);
    // A quoted `"customer":"CUST-1042"` is an id, not a name: the whole value must look like one.
    if (kind === 'maybeName' && stickyMatchEnd(FULL_NAME_VALUE, text, from) !== end) return undefined;
    return { start: from, end };
  }
  const end = unquotedEnd(text, start, kind, text[at]!);
  return end === undefined ? undefined : { start, end };
}

/**
 * For `Authorization`: keep the scheme word and mask the credential after it (`Bearer [TOKEN]`).
 * A one-word credential ends at a space or `,`; other schemes' parameters run to the end.
 */
function credentialSpan(text: string, value: Span): Span {
  AUTH_SCHEME.lastIndex = value.start;
  const scheme = AUTH_SCHEME.exec(text);
  if (!scheme || AUTH_SCHEME.lastIndex >= value.end) return { start: value.start, end: Math.min(value.end, runUntil(text, value.start, stopWord)) };
  const start = AUTH_SCHEME.lastIndex;
  const end = ONE_WORD_SCHEMES.test(scheme[1]!) ? Math.min(value.end, runUntil(text, start, stopWord)) : value.end;
  return { start, end };
}

function* separators(text: string): Generator<number> {
  let colon = text.indexOf(':');
  let equals = text.indexOf('=');
  while (colon !== -1 || equals !== -1) {
    if (equals === -1 || (colon !== -1 && colon < equals)) {
      yield colon;
      colon = text.indexOf(':', colon + 1);
    } else {
      yield equals;
      equals = text.indexOf('=', equals + 1);
    }
  }
}

/** Masks the value of every sensitive `key: value` / `key=value` pair in `text`. */
export function maskKeyValues(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  for (const at of separators(text)) {
    if (at < copiedUpTo) continue;
    const kind = keyKindBefore(text, at);
    if (kind === undefined) continue;
    let span = valueSpan(text, at, kind);
    if (span === undefined || span.end <= span.start) continue;
    if (kind === 'credential') span = credentialSpan(text, span);
    const value = text.slice(span.start, span.end);
    if (span.end <= span.start || EMPTY_VALUE.test(value)) continue;
    out += text.slice(copiedUpTo, span.start) + textToken[kind];
    copiedUpTo = span.end;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

/** True when `text` has a `:` or `=` right after a sensitive key: what `maskKeyValues` looks for. */
export function hasSensitiveKey(text: string): boolean {
  for (const at of separators(text)) if (keyKindBefore(text, at) !== undefined) return true;
  return false;
}
