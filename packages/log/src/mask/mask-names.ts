import { caseForms } from './case-forms.js';
import { ANY_NAME, NAME_END } from './person-name.js';
import { rewriteMatches, type Decision } from './rewrite.js';
import { MaskToken } from './tokens.js';

/**
 * Personal names after a cue in prose: `клиент Иванов Иван Иванович`, `получателю Петровой
 * И.А.`, `Mr. John Smith`, `Dear Anna Lee`. The cue is kept, the name becomes `[NAME]`.
 * Keyed names (`Customer: Ivan Petrov`, `name=John Smith`, `"full_name": "…"`) are masked by
 * `maskKeyValues`.
 *
 * Limits: a name without a cue (`Ivan Petrov called support`) is not recognised, nor one
 * written in lower case; after a Russian cue only a Cyrillic name is (`клиент Ivan Petrov` is
 * kept, `клиент: Ivan Petrov` is masked); an English word cue needs `:` or `=` (`Customer
 * Service Team` is not a name).
 */

/** Russian words after which a name follows: `клиент Иванов`, `получателю Петровой И.А.`. */
export const CYRILLIC_NAME_CUES = caseForms([
  'клиент', 'клиента', 'клиенту', 'клиентом', 'клиенте', 'покупатель', 'покупателя', 'покупателю', 'покупателем',
  'получатель', 'получателя', 'получателю', 'получателем', 'заказчик', 'заказчика', 'заказчику', 'заказчиком',
  'гражданин', 'гражданина', 'гражданину', 'гражданка', 'гражданки', 'гражданке', 'господин', 'госпожа', 'г-н', 'г-жа',
  'уважаемый', 'уважаемая', 'контактное лицо', 'менеджер', 'менеджера', 'менеджеру', 'курьер', 'курьера', 'курьеру',
  'оператор', 'оператора', 'оператору', 'сотрудник', 'сотрудника', 'сотруднику', 'владелец карты', 'держатель карты',
]);
/** Titles after which a name follows: `Mr. John Smith`, `Dear Anna Lee`. */
export const ENGLISH_TITLES = 'Mrs|Mr|Ms|Miss|Dr|Dear|Sir|Madam';

/** Capitalised words that follow cues without being names (`Dear Customer`, `Dear Mr. …`, `клиент Поддержки`). */
const NOT_A_NAME = `(?!(?:Customer|Client|Support|Service|Team|User|Admin|Operator|Manager|${ENGLISH_TITLES}|Клиент|Поддержка|Поддержки|Оператор|Сервис)(?![a-zа-яё]))`;

const NAME = `${NOT_A_NAME}(?<name>${ANY_NAME})${NAME_END}`;
const RUSSIAN_NAME = new RegExp(`(?<![\\wА-Яа-яЁё])(?:${CYRILLIC_NAME_CUES})(?: ?[:=—-])? ${NAME}`, 'g');
const ENGLISH_NAME = new RegExp(`(?<![\\w])(?:${ENGLISH_TITLES})\\.? ${NAME}`, 'g');

/**
 * Where a name can follow a cue, anchored on the capital after a space (rare in Russian text),
 * and English titles (capitalised, rare too): for the pre-check and to skip the rules.
 */
export const NAME_CUE_BEFORE_CAPITAL = `(?:${CYRILLIC_NAME_CUES})(?: ?[:=—-])? `;
const RUSSIAN_NAME_HINT = ` [А-ЯЁ](?<=${NAME_CUE_BEFORE_CAPITAL}[А-ЯЁ])`;
export const ENGLISH_NAME_HINT = `(?:${ENGLISH_TITLES})\\.? `;
const RUSSIAN_HINT = new RegExp(RUSSIAN_NAME_HINT);
const ENGLISH_HINT = new RegExp(ENGLISH_NAME_HINT);

const LATIN = /[A-Za-z]/;

function maskRussianName(match: RegExpExecArray): Decision {
  const name = match.groups!.name!;
  // After a Russian cue only a Cyrillic name counts: `менеджер Shop API` is not a person.
  if (LATIN.test(name)) return undefined;
  return maskName(match);
}

function maskName(match: RegExpExecArray): Decision {
  const name = match.groups!.name!;
  const end = match.index + match[0].length;
  return { start: end - name.length, end, text: MaskToken.name };
}

/** Masks every personal name that follows a cue in `text`. */
export function maskNames(text: string): string {
  const russian = RUSSIAN_HINT.test(text) ? rewriteMatches(text, RUSSIAN_NAME, maskRussianName) : text;
  return ENGLISH_HINT.test(russian) ? rewriteMatches(russian, ENGLISH_NAME, maskName) : russian;
}
