import { FULL_NAME, ANY_NAME, NAME_END } from './person-name.js';
import { nextSeparator, sensitiveKeyBefore, separatorCursor } from './key-before-separator.js';
import { networkAddressEnd, type KeyKind } from './sensitive-keys.js';
import { maskTokenAt, MaskToken } from './tokens.js';

/**
 * `key: value` and `key=value` pairs inside free text whose key names a secret or personal
 * data (`password=…`, `?token=…&`, `"phone":"…"`, `\"email\":\"…\"`, `X-Api-Key: …`,
 * `Пароль: …`, `user[password]=…`): the value is masked with its kind's token, the key kept.
 * Keys are found from the `:` and `=` characters (`key-before-separator.ts`); here each value's
 * extent is decided: quoted, a number, a name, a header to the end of the line, or one word.
 */

/** The token each kind of key's value becomes inside free text. */
export const textToken: Record<KeyKind, string> = {
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
  nameCue: MaskToken.name,
  maybeName: MaskToken.name,
};

/** Blanks allowed between a separator and its value. */
const MAX_GAP = 3;

/** Values that hold nothing to hide, left as they are so a line stays readable. */
export const EMPTY_VALUE = /^(?:null|undefined|true|false|none|nil|n\/a|-+|\*+|x{3,}|<[\w -]*>|\[[\w -]*\])$/i;

/** Authorization schemes whose credential is one word; any other scheme's parameters run to the end of the line. */
const AUTH_SCHEME = /(Bearer|Basic|Token|ApiKey|Key|JWT|Digest|Negotiate|NTLM|OAuth|HOBA|Mutual|AWS4-HMAC-SHA256)[ \t]+/iy;
const ONE_WORD_SCHEMES = /^(?:bearer|basic|token|apikey|key|jwt|negotiate|ntlm)$/i;

// Dots too: `tel=8.916.123.45.67`.
const DIGITS_VALUE = /(?:\+|%2[Bb])?\(?\d(?:[\d \u00a0().-]*\d)?/y;
const FULL_NAME_VALUE = new RegExp(`${FULL_NAME}${NAME_END}`, 'y');
const ANY_NAME_VALUE = new RegExp(`${ANY_NAME}${NAME_END}`, 'y');

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

/** A value that starts with ten digits or more in one piece is that number: `phone=+79123456789 200` ends before the status. */
function firstWholeNumberEnd(text: string, start: number, end: number): number {
  let at = text.charCodeAt(start) === 0x2b ? start + 1 : text.charCodeAt(start) === 0x25 ? start + 3 : start;
  const digitsFrom = at;
  while (at < end && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++;
  return at - digitsFrom >= 10 ? at : end;
}

/** Where an unquoted value of `kind` ends; `undefined` when the value is not of that kind. */
function unquotedEnd(text: string, start: number, kind: KeyKind, separator: string): number | undefined {
  switch (kind) {
    case 'card': case 'passport': case 'inn': case 'snils': case 'phone': {
      const end = stickyMatchEnd(DIGITS_VALUE, text, start);
      return end === undefined ? undefined : firstWholeNumberEnd(text, start, end);
    }
    case 'personName': case 'nameCue':
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

function isGap(code: number): boolean {
  return code === 32 || code === 9;
}

/** The span of the value after the separator at `at`, quotes excluded. */
function valueSpan(text: string, at: number, kind: KeyKind): Span | undefined {
  let start = at + 1;
  for (let gap = 0; gap < MAX_GAP && isGap(text.charCodeAt(start)); gap++) start++;
  const escaped = text.charCodeAt(start) === 0x5c && (text[start + 1] === '"' || text[start + 1] === "'");
  const quote = text[escaped ? start + 1 : start];
  const quoted = quote === '"' || quote === "'";
  const from = quoted ? start + (escaped ? 2 : 1) : start;
  if (maskTokenAt(text, from)) return undefined;
  if (kind === 'address' && networkAddressEnd(text, from) !== -1) return undefined;
  if (quoted) {
    const end = closingQuote(text, from, quote, escaped);
    // A quoted `"customer":"CUST-1042"` is an id, not a name: the whole value must look like one.
    if (kind === 'maybeName' && stickyMatchEnd(FULL_NAME_VALUE, text, from) !== end) return undefined;
    if (kind === 'nameCue' && stickyMatchEnd(ANY_NAME_VALUE, text, from) !== end) return undefined;
    return { start: from, end };
  }
  const end = unquotedEnd(text, start, kind, text[at]!);
  return end === undefined ? undefined : { start, end };
}

/**
 * For `Authorization`: keep the scheme word and mask the credential after it (`Bearer [TOKEN]`).
 * A one-word credential ends at a space or `,`; other schemes' parameters run to the end.
 */
export function credentialSpan(text: string, value: Span): Span {
  AUTH_SCHEME.lastIndex = value.start;
  const scheme = AUTH_SCHEME.exec(text);
  if (!scheme || AUTH_SCHEME.lastIndex >= value.end) return { start: value.start, end: Math.min(value.end, runUntil(text, value.start, stopWord)) };
  const start = AUTH_SCHEME.lastIndex;
  const end = ONE_WORD_SCHEMES.test(scheme[1]!) ? Math.min(value.end, runUntil(text, start, stopWord)) : value.end;
  return { start, end };
}

/** Masks the value of every sensitive `key: value` / `key=value` pair in `text`. */
export function maskKeyValues(text: string): string {
  let out = '';
  let copiedUpTo = 0;
  const cursor = separatorCursor(text);
  for (let at = nextSeparator(text, cursor); at !== -1; at = nextSeparator(text, cursor)) {
    if (at < copiedUpTo) continue;
    const kind = sensitiveKeyBefore(text, at);
    if (kind === undefined) continue;
    let span = valueSpan(text, at, kind);
    if (span === undefined || span.end <= span.start) continue;
    if (kind === 'credential') span = credentialSpan(text, span);
    if (span.end <= span.start || EMPTY_VALUE.test(text.slice(span.start, span.end))) continue;
    out += text.slice(copiedUpTo, span.start) + textToken[kind];
    copiedUpTo = span.end;
  }
  return copiedUpTo === 0 ? text : out + text.slice(copiedUpTo);
}

