import { credentialSpan, EMPTY_VALUE, textToken } from './mask-key-values.js';
import { rewriteMatches, type Replacement } from './rewrite.js';
import { classifyKey } from './sensitive-keys.js';
import { isMaskToken } from './tokens.js';

/**
 * XML elements named for a secret (`<password>hunter2</password>`, `<apiKey>…</apiKey>`,
 * `<wsse:Password Type="PasswordText">…</wsse:Password>`): the element's name is classified as
 * a `key=value` key is (sensitive-keys.ts), and the text inside a password, token, key or
 * cookie element becomes that kind's token, tags and surrounding blanks kept. Elements that
 * name personal data (`<phone>`, `<email>`) are left to the rules that read their content.
 */

/** An XML name, Cyrillic letters included, bounded so that a run of name characters is read once. */
const NAME = '[A-Za-zА-Яа-яЁё_][\\w.\\-А-Яа-яЁё]{0,63}';
/**
 * Text without tags, or one CDATA section. The section stops at the next one's start and is
 * bounded, so unclosed sections are not each read to the end of the text.
 */
const CONTENT = '<!\\[CDATA\\[(?:[^<\\]]|<(?!!\\[CDATA\\[)|\\](?!\\]>)){0,1024}\\]\\]>|[^<]*';
const ELEMENT = new RegExp(`<((?:${NAME}:)?(${NAME}))(?:[ \\t\\r\\n][^<>]*)?>(${CONTENT})</\\1[ \\t\\r\\n]*>`, 'gd');

const isBlank = (code: number): boolean => code === 32 || code === 9 || code === 10 || code === 13;

/** The element's text, without the blanks around it, and its token; `undefined` when it holds nothing to hide. */
function maskElement(match: RegExpExecArray, text: string): Replacement | undefined {
  const kind = classifyKey(match[2]!);
  if (kind !== 'secret' && kind !== 'credential' && kind !== 'cookie') return undefined;
  let [start, end] = match.indices![3]!;
  while (start < end && isBlank(text.charCodeAt(start))) start++;
  while (end > start && isBlank(text.charCodeAt(end - 1))) end--;
  const value = text.slice(start, end);
  if (value === '' || isMaskToken(value) || EMPTY_VALUE.test(value)) return undefined;
  const span = kind === 'credential' ? credentialSpan(text, { start, end }) : { start, end };
  return span.end > span.start ? { ...span, text: textToken[kind] } : undefined;
}

/** Masks the text of every XML element named for a secret. */
export function maskXmlSecrets(text: string): string {
  return text.indexOf('</') === -1 ? text : rewriteMatches(text, ELEMENT, maskElement);
}

/** True when `maskXmlSecrets` would change `text`: the pre-check's test for it. */
export function hasXmlSecret(text: string): boolean {
  // One character is found faster than two, and most messages hold no `<`.
  if (text.indexOf('<') === -1 || text.indexOf('</') === -1) return false;
  ELEMENT.lastIndex = 0;
  for (let match = ELEMENT.exec(text); match !== null; match = ELEMENT.exec(text)) {
    if (maskElement(match, text) !== undefined) return true;
  }
  return false;
}
