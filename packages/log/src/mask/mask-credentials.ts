import { caseForms } from './case-forms.js';
import { rewriteMatches, type Decision } from './rewrite.js';
import { EMPTY_VALUE } from './mask-key-values.js';
import { classifyKey } from './sensitive-keys.js';
import { isMaskToken, MaskToken } from './tokens.js';

/**
 * Credentials recognisable by their shape rather than by a key: passwords in URLs, bearer and
 * basic credentials, JWTs, API keys with a known prefix, and long random strings right after
 * a key-like word (`secret 9f86d0…`). A match must start at a word boundary; for the patterns
 * that start with a word that is checked on the match (`startsInsideWord`), and the JWT pattern
 * has a look-behind, so a long run of word characters is scanned once, not once per character.
 */

/** `scheme://user:password@host` → `scheme://user:[SECRET]@host`. */
const URL_PASSWORD = /:\/\/([^\s/?#:]{0,128}):([^\s/?#]{1,512})@/g;

function maskUrlPassword(match: RegExpExecArray): Decision {
  const password = match[2]!;
  if (isMaskToken(password)) return undefined;
  const start = match.index + 3 + match[1]!.length + 1;
  return { start, end: start + password.length, text: MaskToken.secret };
}

/**
 * A word, blanks, then a value: `Bearer <credential>` / `Basic <credential>` / `Token <credential>`
 * outside a header (the scheme stays, the credential becomes `[TOKEN]`); a long random string
 * after a key-like word (`API key 9f86d0…`, `session 8f14e4…`, `секрет a1B2…`); a quoted password after its keyword,
 * as SQL writes it (`WITH PASSWORD 'n3w-pass'`); a card's security code (`cvv 123`). One regex
 * finds them all, so the text is scanned once. A lower-case `token` is a word, not a scheme.
 */
const WORD_THEN_VALUE = new RegExp(
  `(?:(?<scheme>Bearer|BEARER|Basic|BASIC|Token|TOKEN)|(?<word>${caseForms(['key', 'secret', 'token', 'session', 'password', 'passwd', 'ключ', 'токен', 'секрет', 'пароль'])})|(?<code>${caseForms(['cvv2', 'cvc2', 'cvv', 'cvc'])}))[ \\t]+`
  + `(?:(?<quote>['"])(?<quoted>[^'"\\n]{1,256})\\k<quote>|(?<value>[A-Za-z0-9\\-._~+/]+=*)(?![\\w=]))`,
  'g',
);
const CREDENTIAL_LIKE = /[\d\-._~+/=]|.[A-Z]/;
const HAS_DIGIT = /\d/;
const HAS_LETTER = /[A-Za-z]/;
const ALL_DIGITS = /^\d{3,4}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const QUOTED_SECRET_WORDS = /^(?:password|passwd|secret|пароль|секрет)$/i;
const MIN_CREDENTIAL_LENGTH = 8;
const MIN_SECRET_LENGTH = 20;

/** A random-looking string: long, with letters and digits, and not a UUID (an idempotency key is an id). */
function looksLikeSecret(value: string): boolean {
  return value.length >= MIN_SECRET_LENGTH && HAS_DIGIT.test(value) && HAS_LETTER.test(value) && !UUID.test(value);
}

/**
 * True when the match starts inside a word (`monkey`, `x-token`): the regex leaves that check to
 * this function, because a look-behind in front of a pattern slows the scan of every character.
 */
function startsInsideWord(match: RegExpExecArray, text: string): boolean {
  if (match.index === 0) return false;
  const code = text.charCodeAt(match.index - 1);
  return (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 45;
}

function maskWordThenValue(match: RegExpExecArray, text: string): Decision {
  if (startsInsideWord(match, text)) return match.index + 1;
  const { scheme, word, code, quoted, value } = match.groups!;
  const end = match.index + match[0].length;
  if (quoted !== undefined) {
    if (word === undefined || !QUOTED_SECRET_WORDS.test(word) || isMaskToken(quoted)) return undefined;
    return { start: end - 1 - quoted.length, end: end - 1, text: MaskToken.secret };
  }
  const span = { start: end - value!.length, end };
  // `Basic authentication failed`: a word after the scheme, not a credential.
  if (scheme !== undefined && value!.length >= MIN_CREDENTIAL_LENGTH && CREDENTIAL_LIKE.test(value!)) return { ...span, text: MaskToken.token };
  if (code !== undefined) return ALL_DIGITS.test(value!) ? { ...span, text: MaskToken.secret } : undefined;
  return looksLikeSecret(value!) ? { ...span, text: MaskToken.secret } : undefined;
}

/** A JSON Web Token: three base64url parts, the first one a JSON object (`eyJ` is `{"`). */
const JWT = /(?<![\w-])eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;

/** API keys whose vendors give them a fixed prefix (Stripe, GitHub, GitLab, Slack, AWS, Google). */
const PREFIXED_KEY = new RegExp(String.raw`(?:(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,}|glpat-[\w-]{20,}|xox[abprs]-[\w-]{10,}|AKIA[0-9A-Z]{16}|AIza[\w-]{35}|ya29\.[\w-]{20,})`, 'g');

const whole = (token: string) => (match: RegExpExecArray): Decision => ({ start: match.index, end: match.index + match[0].length, text: token });
const maskJwt = whole(MaskToken.jwt);
const maskWholeKey = whole(MaskToken.secret);
const maskPrefixedKey = (match: RegExpExecArray, text: string): Decision => (startsInsideWord(match, text) ? match.index + 1 : maskWholeKey(match));

/**
 * A command-line option naming a secret, then its value after blanks: `--password hunter2`,
 * `--api-key '9f86 d081'` (with `=` it is a key-value pair). Found from the `--`, which few
 * log lines hold; the option's name is classified as a key is.
 */
const OPTION_THEN_VALUE = /--(?<name>[A-Za-z][\w-]{0,47})[ \t]+(?:(?<quote>['"])(?<quoted>[^'"\n]{1,256})\k<quote>|(?<value>[^\s'"]+))/g;

const CYRILLIC_LETTER = /[Ѐ-ӿ]/;

function maskOptionValue(match: RegExpExecArray, text: string): Decision {
  // The pre-check finds an option after a blank or a punctuation mark, not inside a word.
  if (startsInsideWord(match, text) || (match.index > 0 && CYRILLIC_LETTER.test(text[match.index - 1]!))) return match.index + 2;
  const { name, quoted, value } = match.groups!;
  const kind = classifyKey(name!);
  if (kind !== 'secret' && kind !== 'credential') return match.index + 2;
  const secret = quoted ?? value!;
  // `--password --verbose`: the option has no value here (the program asks for it).
  if (secret.startsWith('-') || isMaskToken(secret) || EMPTY_VALUE.test(secret)) return match.index + 2;
  const end = match.index + match[0].length - (quoted === undefined ? 0 : 1);
  return { start: end - secret.length, end, text: MaskToken.secret };
}

function maskCommandLineSecrets(text: string): string {
  return rewriteMatches(text, OPTION_THEN_VALUE, maskOptionValue);
}

/** Masks every credential recognisable by its shape. */
export function maskCredentials(text: string): string {
  let out = text;
  if (out.includes('--')) out = maskCommandLineSecrets(out);
  if (out.includes('://')) out = rewriteMatches(out, URL_PASSWORD, maskUrlPassword);
  out = rewriteMatches(out, WORD_THEN_VALUE, maskWordThenValue);
  if (out.includes('eyJ')) out = rewriteMatches(out, JWT, maskJwt);
  return rewriteMatches(out, PREFIXED_KEY, maskPrefixedKey);
}
