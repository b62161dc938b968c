import { caseForms } from './case-forms.js';
import { rewriteMatches, type Decision } from './rewrite.js';
import { isMaskToken, MaskToken } from './tokens.js';

/**
 * Credentials recognisable by their shape rather than by a key: passwords in URLs, bearer and
 * basic credentials, JWTs, API keys with a known prefix, and long random strings right after
 * a key-like word (`secret 9f86d0…`). Every pattern starts at a word boundary enforced by a
 * look-behind, so a long run of word characters is scanned once, not once per character.
 */

/** `scheme://user:password@host` → `scheme://user:[SECRET]@host`. */
const URL_PASSWORD = /:\/\/([^\s/?#:]{0,128}):([^\s/?#]{1,512})@/g;

function maskUrlPassword(match: RegExpExecArray): Decision {
  const password = match[2]!;
  if (isMaskToken(password)) return undefined;
  const start = match.index + 3 + match[1]!.length + 1;
  return { start, end: start + password.length, text: MaskToken.secret };
}

/** `Bearer <credential>` / `Basic <credential>` outside a header: the scheme stays. */
const SCHEME_CREDENTIAL = new RegExp(`(?<![A-Za-z])(?:${caseForms(['bearer', 'basic', 'token'])})[ \\t]+([A-Za-z0-9\\-._~+/]{8,}=*)`, 'g');
const CREDENTIAL_LIKE = /[\d\-._~+/=]|.[A-Z]/;

function maskSchemeCredential(match: RegExpExecArray): Decision {
  const credential = match[1]!;
  // `Basic authentication failed` has a word after the scheme, not a credential.
  if (!CREDENTIAL_LIKE.test(credential)) return undefined;
  const end = match.index + match[0].length;
  return { start: end - credential.length, end, text: MaskToken.token };
}

/** A JSON Web Token: three base64url parts, the first one a JSON object (`eyJ` is `{"`). */
const JWT = /(?<![\w-])eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]*/g;

/** API keys whose vendors give them a fixed prefix (Stripe, GitHub, GitLab, Slack, AWS, Google). */
const PREFIXED_KEY = new RegExp(String.raw`(?<![\w-])(?:(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{8,}|gh[pousr]_[A-Za-z0-9]{30,}|github_pat_\w{30,}|glpat-[\w-]{20,}|xox[abprs]-[\w-]{10,}|AKIA[0-9A-Z]{16}|AIza[\w-]{35}|ya29\.[\w-]{20,})`, 'g');

/** A long random string right after a key-like word, without `:` or `=` between them. */
const SECRET_AFTER_WORD = new RegExp(
  `(?<![\\w-])(?:${caseForms(['key', 'secret', 'token', 'password', 'ключ', 'токен', 'секрет', 'пароль'])})[ \\t]+([A-Za-z0-9+/_\\-]{20,}={0,2})(?![\\w+/=-])`,
  'g',
);
const HAS_DIGIT = /\d/;
const HAS_LETTER = /[A-Za-z]/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function maskSecretAfterWord(match: RegExpExecArray): Decision {
  const value = match[1]!;
  // An idempotency key or a request id that is a UUID is an identifier, not a secret.
  if (!HAS_DIGIT.test(value) || !HAS_LETTER.test(value) || UUID.test(value)) return undefined;
  const end = match.index + match[0].length;
  return { start: end - value.length, end, text: MaskToken.secret };
}

const whole = (token: string) => (match: RegExpExecArray): Decision => ({ start: match.index, end: match.index + match[0].length, text: token });
const maskJwt = whole(MaskToken.jwt);
const maskPrefixedKey = whole(MaskToken.secret);

/** Masks every credential recognisable by its shape. */
export function maskCredentials(text: string): string {
  let out = text;
  if (out.includes('://')) out = rewriteMatches(out, URL_PASSWORD, maskUrlPassword);
  out = rewriteMatches(out, SCHEME_CREDENTIAL, maskSchemeCredential);
  if (out.includes('eyJ')) out = rewriteMatches(out, JWT, maskJwt);
  out = rewriteMatches(out, PREFIXED_KEY, maskPrefixedKey);
  return rewriteMatches(out, SECRET_AFTER_WORD, maskSecretAfterWord);
}
