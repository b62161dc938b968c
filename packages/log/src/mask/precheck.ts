import { caseForms } from './case-forms.js';
import { hasSensitiveKey } from './mask-key-values.js';

/**
 * The cheap test `maskText` runs first: false means no rule can match, so the message is
 * returned as it is. It may say true for a clean message (the rules then find nothing), never
 * false for one a rule would change; `mask-text.test.ts` checks that over the golden corpus.
 *
 * Each alternative is anchored on a character that is rare in log messages (a space, a dot or
 * a digit followed by something specific) and looks around it, so the regex engine rejects most
 * positions after one comparison instead of trying every keyword at every character.
 */

/** Eight or more digits in a run that does not continue a word or a dash (`ORD-2026-000123`). */
const DIGIT_RUN = '(?:^|[^\\w+\\-])\\+?\\(?\\d(?:[ \\-()]{0,2}\\d){7}';

/** Words after which a credential, a passport or a name follows a space: `Bearer x`, `клиент Иванов`, `ул. Ленина`. */
const WORDS_BEFORE_SPACE = caseForms([
  'bearer', 'basic', 'token', 'key', 'secret', 'password', 'ключ', 'токен', 'секрет', 'пароль',
  'клиент', 'клиента', 'клиенту', 'клиентом', 'клиенте', 'покупатель', 'покупателя', 'покупателю', 'покупателем',
  'получатель', 'получателя', 'получателю', 'получателем', 'заказчик', 'заказчика', 'заказчику', 'заказчиком',
  'гражданин', 'гражданина', 'гражданину', 'гражданка', 'гражданки', 'гражданке', 'господин', 'госпожа', 'г-н', 'г-жа',
  'уважаемый', 'уважаемая', 'лицо', 'менеджер', 'менеджера', 'менеджеру', 'курьер', 'курьера', 'курьеру',
  'оператор', 'оператора', 'оператору', 'сотрудник', 'сотрудника', 'сотруднику', 'карты',
  'mr', 'mrs', 'ms', 'miss', 'dr', 'dear', 'sir', 'madam', 'customer', 'client', 'recipient', 'buyer', 'cardholder',
  'holder', 'contact', 'person', 'name', 'operator', 'manager', 'courier', 'by', 'attn', 'attention',
  'ул', 'улица', 'пр-т', 'пр-кт', 'проспект', 'переулок', 'шоссе', 'б-р', 'бульвар', 'набережная', 'площадь', 'проезд',
  'тупик', 'мкр', 'микрорайон', 'аллея', 'тракт', 'дом', 'корпус', 'строение', 'литера', 'квартира', 'офис', 'помещение',
  'комната', 'подъезд', 'этаж', 'город', 'посёлок', 'поселок', 'пгт', 'село', 'деревня', 'область', 'край', 'р-н', 'район',
  'республика',
]);

/** Abbreviations that end in a dot: `ул.`, `д.`, `кв.`, `г.`, `Mr.`. */
const WORDS_BEFORE_DOT = caseForms([
  'ул', 'пр', 'просп', 'пер', 'ш', 'бул', 'наб', 'пл', 'туп', 'мкр', 'д', 'корп', 'к', 'стр', 'лит', 'кв', 'оф',
  'пом', 'комн', 'под', 'эт', 'г', 'гор', 'пос', 'обл', 'респ', 'mr', 'mrs', 'ms', 'miss', 'dr', 'dear', 'sir', 'madam',
]);

/** Street types written after the street's name: `Ленинский проспект`, `Baker Street`. */
const STREET_TYPES_AFTER_SPACE = [
  'улица', 'ул\\.', 'проспект', 'пр-т', 'переулок', 'пер\\.', 'шоссе', 'ш\\.', 'бульвар', 'б-р', 'набережная', 'наб\\.',
  'площадь', 'пл\\.', 'проезд', 'тупик', 'обл\\.', 'область', 'край', 'р-н', 'район',
  'Street', 'St', 'Avenue', 'Ave', 'Road', 'Rd', 'Boulevard', 'Blvd', 'Lane', 'Ln', 'Drive', 'Dr', 'Court', 'Ct', 'Place',
  'Pl', 'Square', 'Sq', 'Terrace', 'Way', 'Parkway', 'Pkwy', 'Highway', 'Hwy', 'Close', 'Crescent', 'Gardens', 'Row',
  'Mews', 'Alley', 'Circle', 'Embankment',
].join('|');

/** Credentials with a fixed prefix: JWTs and vendors' API keys. */
const PREFIXES = 'eyJ|_live_|_test_|gh[pousr]_|github_pat_|glpat-|xox[abprs]-|AKIA|AIza|ya29\\.';

const TRIGGER = new RegExp([
  DIGIT_RUN,
  `[ \\t](?<=(?:${WORDS_BEFORE_SPACE})(?: ?[:=—-])?[ \\t])`,
  `\\.(?<=(?:${WORDS_BEFORE_DOT})\\.)`,
  `[ \\t](?=(?:${STREET_TYPES_AFTER_SPACE})(?![a-zа-яё]))`,
  `(?:аспорт|АСПОРТ|assport|ASSPORT)`,
  PREFIXES,
].join('|'));

/** False only when no masking rule can match `text`. */
export function mayContainPersonalData(text: string): boolean {
  if (text.indexOf('@') !== -1 || text.indexOf('%40') !== -1) return true;
  if ((text.indexOf(':') !== -1 || text.indexOf('=') !== -1) && hasSensitiveKey(text)) return true;
  return TRIGGER.test(text);
}
