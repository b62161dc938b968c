/**
 * Regex sources for a person's name as written in Russian and English logs: one to three
 * capitalised words (`Ivan Petrov`, `Иванов Иван Иванович`, `Римский-Корсаков`, `O'Brien`,
 * `McDonald`) or a surname with initials (`Иванов И.И.`, `J. Smith`). Case-sensitive on purpose:
 * the capital letter is what tells a name from an ordinary word.
 */

const UPPER = 'A-ZА-ЯЁ';
const LOWER = 'a-zа-яё';

/** One capitalised word of a name. */
export const NAME_WORD = `[${UPPER}](?:'[${UPPER}])?[${LOWER}]+(?:[${UPPER}][${LOWER}]+)?(?:-[${UPPER}][${LOWER}]+)?`;

const INITIAL = `[${UPPER}]\\.`;
const INITIALS = `${INITIAL}(?: ?${INITIAL})?`;

/** Words of a name are separated by a space, or by `+` in a URL-encoded query string. */
const GAP = '[ +]';

/** A full name of at least two parts: two or three words, or a surname with initials. */
export const FULL_NAME = `(?:${NAME_WORD}(?:${GAP}${NAME_WORD}){1,2}|${NAME_WORD} ${INITIALS}|${INITIALS} ?${NAME_WORD})`;

/** A name of one part or more. */
export const ANY_NAME = `(?:${FULL_NAME}|${NAME_WORD})`;

/** What may not follow a name, so `Ivanov` is not cut out of `Ivanov2` or `Ivanov_backup`. */
export const NAME_END = `(?![${UPPER}${LOWER}\\w'])`;
