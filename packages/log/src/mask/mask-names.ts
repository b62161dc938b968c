import { caseForms } from './case-forms.js';
import { ANY_NAME, NAME_END } from './person-name.js';
import { rewriteMatches, type Decision } from './rewrite.js';
import { MaskToken } from './tokens.js';

/**
 * Personal names after a clear cue: `клиент Иванов Иван Иванович`, `получателю Петровой И.А.`,
 * `Mr. John Smith`, `Customer: Ivan Petrov`, `courier - Anna Lee`. The cue is kept, the name
 * becomes `[NAME]`.
 *
 * Limits: a name without a cue (`Ivan Petrov called support`) is not recognised, nor one
 * written in lower case; an English cue needs `: `, `= ` or ` - ` after it (`Customer Service
 * Team` is not a name), and a one-word Latin name after a Russian cue (`менеджер Shop API`) is
 * kept. Under a name key (`"full_name": …`, `name=…`) names are masked whatever the cue.
 */

const RUSSIAN_CUES = caseForms([
  'клиент', 'клиента', 'клиенту', 'клиентом', 'клиенте', 'покупатель', 'покупателя', 'покупателю', 'покупателем',
  'получатель', 'получателя', 'получателю', 'получателем', 'заказчик', 'заказчика', 'заказчику', 'заказчиком',
  'гражданин', 'гражданина', 'гражданину', 'гражданка', 'гражданки', 'гражданке', 'господин', 'госпожа', 'г-н', 'г-жа',
  'уважаемый', 'уважаемая', 'контактное лицо', 'менеджер', 'менеджера', 'менеджеру', 'курьер', 'курьера', 'курьеру',
  'оператор', 'оператора', 'оператору', 'сотрудник', 'сотрудника', 'сотруднику', 'владелец карты', 'держатель карты',
]);
const ENGLISH_TITLES = 'Mr|Mrs|Ms|Miss|Dr|Dear|Sir|Madam';
const ENGLISH_CUES = caseForms([
  'customer', 'client', 'recipient', 'buyer', 'cardholder', 'card holder', 'contact', 'contact person', 'full name',
  'operator', 'manager', 'courier', 'signed by', 'ordered by', 'attn', 'attention',
]);

/** Capitalised words that follow cues without being names (`Dear Customer`, `клиент Поддержки`). */
const NOT_A_NAME = '(?!(?:Customer|Client|Support|Service|Team|User|Admin|Operator|Manager|Клиент|Поддержка|Поддержки|Оператор|Сервис)(?![a-zа-яё]))';

const CUE = [
  `(?<![\\wА-Яа-яЁё])(?<russian>${RUSSIAN_CUES})(?: ?[:=—-])? `,
  `(?<![\\w])(?:${ENGLISH_TITLES})\\.? `,
  `(?<![\\w])(?:${ENGLISH_CUES})(?: ?[:=]| -) `,
].join('|');
const NAME_AFTER_CUE = new RegExp(`(?:${CUE})${NOT_A_NAME}(?<name>${ANY_NAME})${NAME_END}`, 'g');

const LATIN_WORD = /^[A-Za-z'-]+$/;

function maskName(match: RegExpExecArray): Decision {
  const name = match.groups!.name!;
  if (match.groups!.russian !== undefined && LATIN_WORD.test(name)) return undefined;
  const end = match.index + match[0].length;
  return { start: end - name.length, end, text: MaskToken.name };
}

/** Masks every personal name that follows a cue in `text`. */
export function maskNames(text: string): string {
  return rewriteMatches(text, NAME_AFTER_CUE, maskName);
}
