import { caseForms } from './case-forms.js';
import { rewriteMatches, type Decision } from './rewrite.js';
import { MaskToken } from './tokens.js';

/**
 * Postal addresses in free text, recognised by the words that mark their parts: Russian
 * `г. Москва, ул. Ленина, д. 5, корп. 2, кв. 12` (any run of such parts becomes one
 * `[ADDRESS]`), `Ленинский проспект`, `Московская обл.`; English `221B Baker Street`,
 * `123 Main St, Apt 4`.
 *
 * Limits: an address without such marker words (`Moscow, Lenina 5`, `Baker St` without a house
 * number, a bare postcode) is not recognised in free text; under an address key
 * (`"address": …`, `delivery_address=…`) it is masked whatever its shape.
 */

const CAP = '[А-ЯЁ][а-яё]+';
const NOT_WORD_BEFORE = '(?<![\\wА-Яа-яЁё.])';
const WORD_END = '(?![\\wА-Яа-яЁё])';

/** `Ленина`, `Малая Бронная`, `8 Марта`, `1-я Тверская-Ямская`, `50 лет Октября`, `им. Горького`. */
const STREET_NAME = `(?:\\d{1,3}(?:-?(?:я|й|е|го))? (?:лет )?)?(?:им\\. ?)?${CAP}(?:[- ]${CAP}){0,2}`;
const HOUSE_NUMBER = `\\d{1,4}(?:[а-яА-Я]${WORD_END})?(?:\\/\\d{1,4}[а-я]?)?(?![\\d.:])`;

/** A marker of an address part: an abbreviation with its dot (`ул.`, `д.`) or a whole word and a space (`улица `, `дом `). */
function marker(abbreviations: readonly string[], words: readonly string[]): string {
  return `(?:(?:${caseForms(abbreviations)})\\. ?|(?:${caseForms(words)}) )`;
}

const STREET_TYPE = marker(
  ['ул', 'просп', 'пер', 'ш', 'бул', 'наб', 'пл', 'пр', 'туп', 'мкр'],
  ['ул', 'улица', 'пр-т', 'пр-кт', 'проспект', 'переулок', 'шоссе', 'б-р', 'бульвар', 'набережная', 'площадь', 'проезд', 'тупик', 'мкр', 'микрорайон', 'аллея', 'тракт'],
);
const HOUSE = marker(['д'], ['дом']);
const BUILDING = marker(['корп', 'к', 'стр', 'лит'], ['корпус', 'строение', 'литера']);
const FLAT = marker(['кв', 'оф', 'пом', 'комн'], ['квартира', 'офис', 'помещение', 'комната']);
const ENTRANCE = marker(['под', 'эт'], ['подъезд', 'этаж']);
const CITY = marker(['г', 'гор', 'пос'], ['город', 'посёлок', 'поселок', 'пгт', 'село', 'деревня']);
const REGION_BEFORE = '(?:(?:обл|[Рр]есп)\\. ?|(?:область|край|[Рр]еспублика) )';
const REGION_AFTER = 'обл\\.|область|край|р-н|район';

const STREET_TYPE_AFTER = ['улица', 'ул\\.', 'проспект', 'просп\\.', 'пр-кт', 'пр-т', 'пр\\.', 'переулок', 'пер\\.', 'шоссе', 'ш\\.', 'бульвар', 'б-р', 'набережная', 'наб\\.', 'площадь', 'пл\\.', 'проезд', 'тупик'].join('|');

const street = `(?:${STREET_TYPE}${STREET_NAME}|${CAP}(?:[- ]${CAP})? (?:${STREET_TYPE_AFTER})(?![а-яё]))(?:,? ${HOUSE_NUMBER})?`;
const house = `${HOUSE}${HOUSE_NUMBER}`;
const building = `${BUILDING}(?:\\d{1,3}[а-яА-Я]?|[А-Я])${WORD_END}`;
const flat = `${FLAT}\\d{1,5}[а-я]?${WORD_END}`;
const entrance = `${ENTRANCE}\\d{1,3}${WORD_END}`;
// `2026 г. Заказ…` is a year, not a city.
const city = `(?<!\\d ?)${CITY}${CAP}(?:-на-${CAP}|[- ]${CAP})?`;
const region = `(?:${CAP} (?:${REGION_AFTER})(?![а-яё])|${REGION_BEFORE}${CAP})`;

const part = `(?:${city}|${region}|${street}|${house}|${building}|${flat}|${entrance})`;
const RUSSIAN_ADDRESS = new RegExp(`${NOT_WORD_BEFORE}(?:\\d{6},? )?${part}(?:,? ?${part}){0,8}`, 'g');

const ENGLISH_STREET_TYPES = 'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|Terrace|Way|Parkway|Pkwy|Highway|Hwy|Close|Crescent|Gardens|Row|Mews|Alley|Circle|Embankment';
const ENGLISH_UNIT = '(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|#)\\.? ?#?[\\dA-Za-z]{1,6}(?![\\w]))?';
const ENGLISH_ADDRESS = new RegExp(`(?<![\\w.\\-/])\\d{1,5}[A-Za-z]?(?:-\\d{1,5})? (?:[A-Z][a-z]+ ){1,3}(?:${ENGLISH_STREET_TYPES})\\.?(?![A-Za-z])${ENGLISH_UNIT}`, 'g');

/**
 * Where an address can start, anchored on rarely seen characters so the engine rejects most
 * positions at once: a capital or a digit after a marker and a space or dot (`ул. Ленина`,
 * `д. 5`), checked by a look-behind; a capital starting a street named before its type
 * (`Ленинский проспект`), checked by a look-ahead. The pre-check merges the look-behind bodies
 * with the name rule's; `maskAddresses` runs its big regexes only where these match.
 */
export const ADDRESS_BEFORE_CAPITAL = `(?:${STREET_TYPE}|${CITY}|${BUILDING}|${REGION_BEFORE})(?:им\\. ?)?`;
export const ADDRESS_BEFORE_DIGIT = `(?:${STREET_TYPE}|${HOUSE}|${BUILDING}|${FLAT}|${ENTRANCE})`;
export const STREET_BEFORE_TYPE = `[А-ЯЁ](?=[а-яё]+(?:[- ][А-ЯЁ][а-яё]+)? (?:${STREET_TYPE_AFTER}|${REGION_AFTER})(?![а-яё]))`;
const RUSSIAN_ADDRESS_HINT = `[ .][А-ЯЁ\\d](?<=${ADDRESS_BEFORE_CAPITAL}[А-ЯЁ]|${ADDRESS_BEFORE_DIGIT}\\d)|${STREET_BEFORE_TYPE}`;
/** A street type in English, which every English address the rule masks ends with. */
export const ENGLISH_ADDRESS_HINT = `(?:${ENGLISH_STREET_TYPES})(?![a-z])`;

const RUSSIAN_HINT = new RegExp(RUSSIAN_ADDRESS_HINT);
const ENGLISH_HINT = new RegExp(ENGLISH_ADDRESS_HINT);

/** A house, flat or floor number alone (`3 д. 4 ч.` is three days four hours) is not an address. */
const ONE_WEAK_PART = new RegExp(`^(?:${house}|${building}|${flat}|${entrance})$`);

function maskRussianAddress(match: RegExpExecArray): Decision {
  if (ONE_WEAK_PART.test(match[0])) return undefined;
  return { start: match.index, end: match.index + match[0].length, text: MaskToken.address };
}

function maskAddress(match: RegExpExecArray): Decision {
  return { start: match.index, end: match.index + match[0].length, text: MaskToken.address };
}

/** Masks every recognisable postal address in `text`. */
export function maskAddresses(text: string): string {
  const russian = RUSSIAN_HINT.test(text) ? rewriteMatches(text, RUSSIAN_ADDRESS, maskRussianAddress) : text;
  return ENGLISH_HINT.test(russian) ? rewriteMatches(russian, ENGLISH_ADDRESS, maskAddress) : russian;
}
