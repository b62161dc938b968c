import { caseForms } from './case-forms.js';
import { ADDRESS_BEFORE_CAPITAL, ADDRESS_BEFORE_DIGIT, ENGLISH_ADDRESS_HINT, STREET_BEFORE_TYPE } from './mask-addresses.js';
import { ENGLISH_NAME_HINT, NAME_CUE_BEFORE_CAPITAL } from './mask-names.js';

/**
 * The regexes the pre-check (`precheck.ts`) runs. Each is a necessary condition of some rules,
 * written so the engine reads a text of plain words as few times as possible: a pattern that
 * starts at a word boundary is tried only after a character that is not a letter or a digit,
 * and a fixed-length run of character classes lets the engine skip ahead (a `{7}` quantifier
 * there measured three times slower than the same classes written out).
 */

/** `word` in any mix of cases: one alternative instead of `word|Word|WORD`, which cost a try each. */
function anyCase(word: string): string {
  return [...word].map((char) => (char.toLowerCase() === char.toUpperCase() ? char : `[${char.toUpperCase()}${char}]`)).join('');
}

const NUMBER_CHARACTER = '[\\d \\u00a0()\\-+]';

/**
 * Eight characters of a number (digits, spaces, dashes, parentheses, plus): `DIGIT_RUN` in
 * mask-numbers.ts needs eight digits or more. The character before must not be a word
 * character, a dash or a plus, so `ORD-2026-000123`, a UUID or a trace id never start one.
 * Or the start of a phone with dots (`maskDottedPhones`): an area code, 3, 4, 8 or 9 first,
 * then `.ddd.d` (`916.123.45.67`, also inside `8.916.123.45.67`), which no IPv4 address holds.
 * It shares a number's first two characters, so the engine tries one alternative for both:
 * written apart, it cost a clean message 3%.
 */
const NUMBER = `[\\d()+]${NUMBER_CHARACTER}(?:${NUMBER_CHARACTER.repeat(6)}|(?<=[3489]\\d)\\d\\.\\d\\d\\d\\.\\d)`;

/** A command-line option (`--password hunter2`): `maskCredentials` reads its name and value. */
const OPTION = '--[A-Za-z]';

/**
 * Words `maskCredentials` reads a value after (`Bearer x`, `secret 9f86…`, `cvv 123`), in any
 * case, grouped by their first letter: the engine tries the groups one after the other.
 */
const CREDENTIAL_WORDS = [['bearer', 'basic'], ['token'], ['key'], ['secret', 'session'], ['password', 'passwd'], ['cvv', 'cvc', 'cvv2', 'cvc2']]
  .map((words) => `${anyCase(words[0]![0]!)}(?:${words.map((word) => anyCase(word.slice(1))).join('|')})[ \\t]`);

/** JWTs (`eyJ` is `{"`) and API keys with a vendor's prefix (Stripe, GitHub, GitLab, Slack, Google, AWS). */
const KEY_PREFIXES = ['eyJ', '[srp]k_(?:live|test)_', 'g(?:h[pousr]_|ithub_pat_|lpat-)', 'xox[abprs]-', 'ya29\\.', 'A(?:KIA|Iza)'];

/**
 * A capital and a lower-case letter, an apostrophe or a dot: how a name after a title starts
 * (`Mr. Smith`, `Dear J. Lee`, `Mr O'Brien`), and the words of an English street (`12 Baker
 * Street`). Only after a space does a rule need it; here any boundary counts, which is simpler
 * and only a little wider.
 */
const NAME_OR_STREET = "(?<capital>[A-ZА-ЯЁ][a-zа-яё'.])";

/** The cue scan: with capitals first, without them once the text is known to hold no title or street type. */
export interface CueScan {
  readonly withCapitals: RegExp;
  readonly withoutCapitals: RegExp;
}

/** The cues every rule but the e-mail, key-value, Cyrillic and passport ones needs, each after a character of `boundary`. */
function cueScan(boundary: string): CueScan {
  const source = (cues: readonly string[]) => new RegExp(`${boundary}(?:${cues.join('|')})`, 'g');
  const cues = [NUMBER, OPTION, ...CREDENTIAL_WORDS, ...KEY_PREFIXES];
  return { withCapitals: source([...cues, NAME_OR_STREET]), withoutCapitals: source(cues) };
}

/** After any character but a word character, a dash or a plus: what the rules accept before their matches. */
export const CUES = cueScan('[^\\w+\\-]');

/**
 * The same, but not after a Cyrillic letter: for a Russian text, whose letters would each be
 * tried as a boundary. Exact when no Cyrillic letter is followed by a digit, a parenthesis, a
 * plus or a Latin letter (`CYRILLIC_BEFORE_LATIN`), as every cue but a capital starts with one,
 * and a capital counts only after a space.
 */
export const CUES_AFTER_NON_LETTERS = cueScan('[^\\w+\\-Ѐ-ӿ]');
export const CYRILLIC_BEFORE_LATIN = /[Ѐ-ӿ][\d()+A-Za-z]/;

/** The same cues at the very start of the text, where no character precedes them. */
export const CUES_AT_START = new RegExp([NUMBER, OPTION, ...CREDENTIAL_WORDS, ...KEY_PREFIXES].join('|'), 'y');

/** A dotted phone's country code and first dot after its plus (`+44.20.7946.0958`). */
const DOTTED_AFTER_PLUS = '\\d{1,4}\\.\\d';

/**
 * The cue scan takes no plus for a boundary, so that a number's own plus (`+7 912…`) is read as
 * part of it; a credential word or a key prefix right after one (`+token abc…`), and a dotted
 * phone's plus (`+44.20.7946.0958`), are found here.
 */
export const CUES_AFTER_PLUS = new RegExp(`\\+(?:${[DOTTED_AFTER_PLUS, OPTION, ...CREDENTIAL_WORDS, ...KEY_PREFIXES].join('|')})`);

/** What `maskNames` and `maskAddresses` look for in English before running their rules: a title, a street type. */
export const ENGLISH_NAME_OR_STREET = new RegExp(`${ENGLISH_NAME_HINT}|${ENGLISH_ADDRESS_HINT}`);

/** Percent-encoded in a query string: an `@` (`ivan%40mail.ru`), a plus before a phone (`?q=%2B79123456789`). */
export const PERCENT_ENCODED = /%(?:40|2[Bb]\d)/;

/** The passport keyword, which `maskSplitPassports` looks for anywhere. */
export const LATIN_PASSPORT = /[Pp]assport|PASSPORT/;

/** Any Cyrillic letter: the Russian rules can match nothing without one, and the engine knows a Latin-1 string has none. */
export const CYRILLIC = /[Ѐ-ӿ]/;

/** Russian credential words before a value (`пароль 'x'`, `ключ 9f86d0…`) and the passport keyword. */
export const CYRILLIC_CREDENTIALS = new RegExp(`аспорт|АСПОРТ|(?:${caseForms(['ключ', 'токен', 'секрет', 'пароль'])})[ \\t]`);

/**
 * Names and addresses in Russian: a capital or a digit after a space or a dot, preceded by a
 * name cue or an address marker (`клиент Иванов`, `ул. Ленина`, `д. 5`); a capital starting a
 * street named before its type (`Ленинский проспект`).
 */
export const CYRILLIC_NAMES_AND_ADDRESSES = new RegExp(
  `[ .][А-ЯЁ\\d](?<=(?:${NAME_CUE_BEFORE_CAPITAL}|${ADDRESS_BEFORE_CAPITAL})[А-ЯЁ]|${ADDRESS_BEFORE_DIGIT}\\d)|${STREET_BEFORE_TYPE}`,
);
