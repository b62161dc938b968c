import { maskAddresses } from './mask-addresses.js';
import { maskCredentials } from './mask-credentials.js';
import { maskDottedPhones } from './mask-dotted-phones.js';
import { maskEmails } from './mask-emails.js';
import { maskKeyValues } from './mask-key-values.js';
import { maskNames } from './mask-names.js';
import { maskNumbers, maskSplitPassports } from './mask-numbers.js';
import { maskXmlSecrets } from './mask-xml-secrets.js';
import { countMaskFailure } from './mask-stats.js';
import { mayContainPersonalData } from './precheck.js';
import { MaskToken } from './tokens.js';

/**
 * The rules, in order. Keyed values go first, so `"phone": "8 912 345 67 89"`,
 * `password=89123456789` or `<token>eyJ…</token>` get the token their key names;
 * credentials before e-mails, so `https://user:pass@host` loses its password and keeps its
 * shape; split passports before digit runs, so series and number become one token.
 */
const rules: ReadonlyArray<(text: string) => string> = [
  maskKeyValues,
  maskXmlSecrets,
  maskCredentials,
  maskEmails,
  maskSplitPassports,
  maskNumbers,
  maskDottedPhones,
  maskAddresses,
  maskNames,
];

/** Every rule, without the pre-check. Exported for tests that hold the pre-check to account. */
export function applyMaskingRules(text: string): string {
  let out = text;
  for (const rule of rules) out = rule(out);
  return out;
}

/**
 * Masks personal data and secrets in free text (R22): e-mails, phones, card numbers,
 * passports, INN, SNILS, JWTs, bearer credentials, API keys, passwords (in URLs, query strings
 * and `key: value` pairs), postal addresses and names after a cue. Ids, trace ids, timestamps,
 * durations, prices, IPv4 addresses and versions are kept. Returns `text` itself when nothing
 * was masked. Never throws: a line that cannot be masked becomes `[REDACTED]`, counted in
 * `maskStats()`.
 */
export function maskText(text: string): string {
  if (typeof text !== 'string') return text;
  try {
    return mayContainPersonalData(text) ? applyMaskingRules(text) : text;
  } catch {
    // A regex out of stack on a pathological line: the line is not written in clear.
    countMaskFailure();
    return MaskToken.redacted;
  }
}
