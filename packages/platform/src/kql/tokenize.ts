import { KqlSyntaxError } from './kql-error.js';

export type TokenType = 'word' | 'quoted' | '(' | ')' | ':' | 'range' | 'and' | 'or' | 'not' | 'brace' | 'end';

export interface Token {
  type: TokenType;
  /** 0-based offset of the first character and of the one after the token. */
  start: number;
  end: number;
  /** Unescaped text (words, quoted strings) or the operator itself (`>=`). */
  value: string;
  /** A word with an unescaped `*`: `value` is then a wildcard pattern (see `KqlMatch`). */
  wildcard: boolean;
}

// Kibana's SpecialCharacter rule: these end an unquoted word unless escaped.
const special = new Set(['\\', '(', ')', ':', '<', '>', '"', '*', '{', '}']);
// Kibana's Space rule, the no-break space included (it arrives when a query is pasted from a web page).
const whitespace = new Set([' ', '\t', '\r', '\n', '\u00a0']);
const keywords = new Map<string, TokenType>([['and', 'and'], ['or', 'or'], ['not', 'not']]);
const escapedWhitespace: Record<string, string> = { t: '\t', r: '\r', n: '\n' };

/** Splits a query into tokens; whitespace is dropped, each token keeps its offsets. */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < query.length) {
    if (whitespace.has(query[i]!)) {
      i++;
      continue;
    }
    const next = query[i] === '"' ? readQuoted(query, i) : (readOperator(query, i) ?? readWord(query, i));
    tokens.push(next);
    i = next.end;
  }
  tokens.push(token('end', query.length, query.length, ''));
  return tokens;
}

function token(type: TokenType, start: number, end: number, value: string, wildcard = false): Token {
  return { type, start, end, value, wildcard };
}

function readOperator(query: string, at: number): Token | undefined {
  const char = query[at]!;
  if (char === '(' || char === ')' || char === ':') return token(char, at, at + 1, char);
  if (char === '{' || char === '}') return token('brace', at, at + 1, char);
  if (char !== '<' && char !== '>') return undefined;
  const op = query[at + 1] === '=' ? `${char}=` : char;
  return token('range', at, at + op.length, op);
}

/** A double-quoted phrase: `\"` and `\\` are escapes, `\t \r \n` whitespace, `\uXXXX` a character; any other backslash is literal (as in Kibana). */
function readQuoted(query: string, start: number): Token {
  let value = '';
  for (let i = start + 1; i < query.length; i++) {
    const char = query[i]!;
    if (char === '"') return token('quoted', start, i + 1, value);
    const next = query[i + 1];
    const unicode = char === '\\' ? readUnicode(query, i) : undefined;
    if (char === '\\' && (next === '"' || next === '\\')) value += query[++i];
    else if (char === '\\' && next !== undefined && next in escapedWhitespace) value += escapedWhitespace[query[++i]!];
    else if (unicode !== undefined) {
      value += unicode;
      i += 5;
    } else value += char;
  }
  throw new KqlSyntaxError('KQL_SYNTAX', `Expected a closing " for the phrase opened at column ${start + 1}`, start + 1);
}

/** An unquoted word: ends at whitespace or an unescaped special character other than the wildcard `*`. */
function readWord(query: string, start: number): Token {
  let i = start;
  while (i < query.length && !endsWord(query[i]!) && query[i] !== '\\' && query[i] !== '*') i++;
  if (i === query.length || endsWord(query[i]!)) {
    // The common case, a plain word: no escapes, no wildcards, nothing to decode.
    const literal = query.slice(start, i);
    const keyword = literal.length <= 3 ? keywords.get(literal.toLowerCase()) : undefined;
    return token(keyword ?? 'word', start, i, literal);
  }
  let literal = query.slice(start, i);
  let pattern = literal;
  let wildcard = false;
  while (i < query.length && !endsWord(query[i]!)) {
    if (query[i] === '*') {
      wildcard = true;
      pattern += '*';
      i++;
      continue;
    }
    let text = query[i]!;
    if (text === '\\') [text, i] = readEscape(query, i);
    else i++;
    literal += text;
    pattern += text === '*' || text === '\\' ? `\\${text}` : text;
  }
  return token('word', start, i, wildcard ? pattern : literal, wildcard);
}

function endsWord(char: string): boolean {
  return whitespace.has(char) || (special.has(char) && char !== '\\' && char !== '*');
}

/** Reads the escape starting at the backslash at `at`; returns the text it stands for and the offset after it. */
function readEscape(query: string, at: number): [string, number] {
  const next = query[at + 1];
  if (next !== undefined && special.has(next)) return [next, at + 2];
  // Kibana reads `\not` as a newline and "ot"; Loupe reads the word "not", which is what its messages tell users to write.
  if (/^not(?=$|[\s\\():<>"*{}])/.test(query.slice(at + 1, at + 5))) return ['not', at + 4];
  if (next !== undefined && next in escapedWhitespace) return [escapedWhitespace[next]!, at + 2];
  const unicode = readUnicode(query, at);
  if (unicode !== undefined) return [unicode, at + 6];
  // As in Kibana, an escaped keyword need not end the word: `\andrew` is "andrew".
  const keyword = /^(?:and|or|not)/i.exec(query.slice(at + 1, at + 4));
  if (keyword) return [keyword[0], at + 1 + keyword[0].length];
  const shown = next === undefined ? 'a backslash at the end of the query' : `"\\${next}"`;
  throw new KqlSyntaxError(
    'KQL_SYNTAX',
    `Unexpected ${shown} at column ${at + 1}; a backslash escapes one of \\ ( ) : < > " * { }, the words and/or/not, \\t, \\r, \\n or \\uXXXX`,
    at + 1,
  );
}

/** The character a `\uXXXX` escape at `at` stands for, if there is one. */
function readUnicode(query: string, at: number): string | undefined {
  const unicode = /^u([0-9a-fA-F]{4})/.exec(query.slice(at + 1, at + 6));
  return unicode ? String.fromCharCode(parseInt(unicode[1]!, 16)) : undefined;
}
