import { caseForms } from './case-forms.js';
import { hasSensitiveKey } from './key-before-separator.js';
import { ENGLISH_NAME_HINT, NAME_CUE_BEFORE_CAPITAL } from './mask-names.js';
import { ADDRESS_BEFORE_CAPITAL, ADDRESS_BEFORE_DIGIT, ENGLISH_ADDRESS_HINT, STREET_BEFORE_TYPE } from './mask-addresses.js';

/**
 * The cheap test `maskText` runs first: false means no rule can match, and the message is
 * returned as it is. It may say true for a clean message (the rules then find nothing), never
 * false for one a rule would change; `golden-corpus.test.ts` holds it to that over the corpus.
 *
 * Why it is shaped like this: a regex costs about one pass over the text per alternative it
 * has to try at each character, and a look-behind full of keywords is slow, so single
 * characters are found with `indexOf`, and the rest is a few small regexes (measured faster
 * than one regex joining them) whose alternatives start with a rarely seen character: a digit
 * after a non-word character, a capital, a Cyrillic letter. The Cyrillic ones cost nothing on a
 * Latin-1 string: the engine knows such a string cannot hold their characters.
 */

/**
 * Eight characters of a number (digits, spaces, dashes, parentheses) that does not continue a
 * word or a dash: `ORD-2026-000123`, a UUID or a trace id never pass.
 */
const DIGIT_RUN = '(?<![\\w+\\-])[\\d()+][\\d ()\\-+]{7}';

/** Credential words (`Bearer x`, `secret 9f86d0…`), titles (`Mr. Smith`), street types (`Baker Street`): all start with a capital. */
const CAPITALISED = [
  `(?:B(?:earer|EARER|asic|ASIC)|T(?:oken|OKEN)|K(?:ey|EY)|S(?:ecret|ECRET|ession|ESSION)|P(?:assword|ASSWORD|asswd|ASSWD)|C(?:[Vv][Vv]|[Vv][Cc])2?)[ \\t]`,
  ENGLISH_NAME_HINT,
  'P(?:assport|ASSPORT)|A(?:KIA|Iza)',
  ENGLISH_ADDRESS_HINT,
].join('|');

/** The same words in lower case, JWTs (`eyJ`) and API keys with a vendor's prefix (Stripe, GitHub, GitLab, Slack, Google). */
const LOWER_CASE = '(?:token|key|secret|session|password|passwd|cvv2?|cvc2?)[ \\t]|passport|eyJ|_live_|_test_|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|ya29\\.';

/** The passport keyword and Russian credential words (`пароль 'x'`, `ключ 9f86d0…`). */
const CYRILLIC_WORDS = `аспорт|АСПОРТ|(?:${caseForms(['ключ', 'токен', 'секрет', 'пароль'])})[ \\t]`;

/**
 * Names and addresses in Russian: a capital or a digit after a space or a dot, preceded by a
 * name cue or an address marker (`клиент Иванов`, `ул. Ленина`, `д. 5`); a capital starting a
 * street named before its type (`Ленинский проспект`).
 */
const CYRILLIC_NAMES_AND_ADDRESSES = `[ .][А-ЯЁ\\d](?<=(?:${NAME_CUE_BEFORE_CAPITAL}|${ADDRESS_BEFORE_CAPITAL})[А-ЯЁ]|${ADDRESS_BEFORE_DIGIT}\\d)`;

const triggers = [DIGIT_RUN, CAPITALISED, LOWER_CASE, CYRILLIC_WORDS, CYRILLIC_NAMES_AND_ADDRESSES, STREET_BEFORE_TYPE].map((source) => new RegExp(source));

/** False only when no masking rule can match `text`. */
export function mayContainPersonalData(text: string): boolean {
  // E-mails and passwords in URLs: `@`, or `%40` in a query string.
  if (text.indexOf('@') !== -1 || text.indexOf('%40') !== -1) return true;
  if ((text.indexOf(':') !== -1 || text.indexOf('=') !== -1) && hasSensitiveKey(text)) return true;
  for (const trigger of triggers) if (trigger.test(text)) return true;
  return false;
}
