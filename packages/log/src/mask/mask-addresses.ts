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
const STREET_TYPE_AFTER = ['улица', 'ул\\.', 'проспект', 'пр-т', 'переулок', 'пер\\.', 'шоссе', 'ш\\.', 'бульвар', 'б-р', 'набережная', 'наб\\.', 'площадь', 'пл\\.', 'проезд', 'тупик'].join('|');

const street = `(?:${STREET_TYPE}${STREET_NAME}|${CAP}(?:[- ]${CAP})? (?:${STREET_TYPE_AFTER})(?![а-яё]))(?:,? ${HOUSE_NUMBER})?`;
const house = `${marker(['д'], ['дом'])}${HOUSE_NUMBER}`;
const building = `${marker(['корп', 'к', 'стр', 'лит'], ['корпус', 'строение', 'литера'])}(?:\\d{1,3}[а-яА-Я]?|[А-Я])${WORD_END}`;
const flat = `${marker(['кв', 'оф', 'пом', 'комн'], ['квартира', 'офис', 'помещение', 'комната'])}\\d{1,5}[а-я]?${WORD_END}`;
const entrance = `${marker(['под', 'эт'], ['подъезд', 'этаж'])}\\d{1,3}${WORD_END}`;
// `2026 г. Заказ…` is a year, not a city.
const city = `(?<!\\d ?)${marker(['г', 'гор', 'пос'], ['город', 'посёлок', 'поселок', 'пгт', 'село', 'деревня'])}${CAP}(?:-на-${CAP}|[- ]${CAP})?`;
const region = `(?:${CAP} (?:обл\\.|область|край|р-н|район)|(?:(?:обл|[Рр]есп)\\. ?|(?:область|край|[Рр]еспублика) )${CAP})`;

const part = `(?:${city}|${region}|${street}|${house}|${building}|${flat}|${entrance})`;
const RUSSIAN_ADDRESS = new RegExp(`${NOT_WORD_BEFORE}(?:\\d{6},? )?${part}(?:,? ?${part}){0,8}`, 'g');

const ENGLISH_STREET_TYPE = 'Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Place|Pl|Square|Sq|Terrace|Way|Parkway|Pkwy|Highway|Hwy|Close|Crescent|Gardens|Row|Mews|Alley|Circle|Embankment';
const ENGLISH_UNIT = '(?:,? (?:Apt|Apartment|Suite|Ste|Unit|Flat|Floor|Fl|Room|#)\\.? ?#?[\\dA-Za-z]{1,6}(?![\\w]))?';
const ENGLISH_ADDRESS = new RegExp(`(?<![\\w.\\-/])\\d{1,5}[A-Za-z]?(?:-\\d{1,5})? (?:[A-Z][a-z]+ ){1,3}(?:${ENGLISH_STREET_TYPE})\\.?(?![A-Za-z])${ENGLISH_UNIT}`, 'g');

function maskAddress(match: RegExpExecArray): Decision {
  return { start: match.index, end: match.index + match[0].length, text: MaskToken.address };
}

/** Masks every recognisable postal address in `text`. */
export function maskAddresses(text: string): string {
  return rewriteMatches(rewriteMatches(text, RUSSIAN_ADDRESS, maskAddress), ENGLISH_ADDRESS, maskAddress);
}
