import { escapeWildcardLiteral, type KqlNode, type KqlRangeOperator } from './ast.js';
import { KqlSyntaxError } from './kql-error.js';
import { tokenize, type Token } from './tokenize.js';

export interface ParseKqlOptions {
  /** Longest query accepted, in characters (default 20,000: far beyond any typed query, cheap to parse). */
  maxLength?: number;
  /** Deepest nesting of parentheses and `not` accepted (default 100), so hostile input cannot exhaust the stack. */
  maxDepth?: number;
}

const fieldPattern = /^[A-Za-z_@][A-Za-z0-9_.@-]*$/;

/**
 * Parses Kibana Query Language into a `KqlNode`. Follows Kibana's grammar (precedence
 * not > and > or, `field:(a or b)` value groups, `field:*`, ranges, escapes) with these
 * deliberate differences:
 * - free text (a value without a field) searches the message only, where Kibana searches
 *   every field; unquoted words side by side (`error timeout`) must all occur (AND, what
 *   log users expect; Kibana hands the run to a match query, which ORs the words);
 * - `and`/`or`/`not` are always operators unless escaped or quoted (Kibana reads
 *   `message:or` as the word), and `\not` is the word "not" (Kibana: a newline and "ot");
 * - no wildcards in field names (`service.*:x`, `*:x`), so every field a query reads can
 *   be checked against the user's field privileges, and no nested queries (`a:{ b:1 }`):
 *   fields are stored flat, so `a.b:1` says the same; both are refused with a message;
 * - more lenient: `not(a:1)`, `(a:1)or(b:2)` and `not not a:1`, which Kibana refuses,
 *   are read as written.
 * Unquoted words after `field:` stay one value (`error.type:Disk Full` is the value
 * "Disk Full"), as in Kibana. Throws only `KqlSyntaxError`.
 */
export function parseKql(query: string, options: ParseKqlOptions = {}): KqlNode {
  // Callers pass request bodies straight through; anything but a string is the user's mistake too.
  if (typeof query !== 'string') throw new KqlSyntaxError('KQL_SYNTAX', 'Expected the query to be a string at column 1', 1);
  const maxLength = options.maxLength ?? 20_000;
  if (query.length > maxLength) {
    throw new KqlSyntaxError('KQL_TOO_LONG', `The query runs past the limit of ${maxLength} characters at column ${maxLength + 1}; shorten it`, maxLength + 1);
  }
  return new Parser(query, options.maxDepth ?? 100).parseQuery();
}

class Parser {
  private position = 0;

  private readonly tokens: Token[];

  constructor(
    private readonly query: string,
    private readonly maxDepth: number,
  ) {
    this.tokens = tokenize(query);
  }

  parseQuery(): KqlNode {
    if (this.peek().type === 'end') return { kind: 'all' };
    const node = this.parseOr(0);
    this.expectEnd('end');
    return node;
  }

  private parseOr(depth: number): KqlNode {
    const children = [this.parseAnd(depth)];
    while (this.peek().type === 'or') {
      this.position++;
      children.push(this.parseAnd(depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private parseAnd(depth: number): KqlNode {
    const children = [this.parseNot(depth)];
    while (this.peek().type === 'and') {
      this.position++;
      children.push(this.parseNot(depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private parseNot(depth: number): KqlNode {
    const next = this.peek();
    if (next.type === 'not') {
      this.enter(depth, next);
      this.position++;
      return { kind: 'not', child: this.parseNot(depth + 1) };
    }
    if (next.type === '(') {
      this.enter(depth, next);
      this.position++;
      const inner = this.parseOr(depth + 1);
      this.closeParen(next);
      return inner;
    }
    if (next.type === 'word' || next.type === 'quoted') {
      const after = this.peek(1).type;
      if (after === ':') return this.parseFieldValue(depth);
      if (after === 'range') return this.parseRange();
      return this.parseFreeText();
    }
    throw this.expected('a field, a value or "("', next);
  }

  private parseFieldValue(depth: number): KqlNode {
    const fieldToken = this.next();
    this.position++;
    const next = this.peek();
    if (fieldToken.wildcard && fieldToken.value === '*' && next.wildcard && next.value === '*') {
      this.position++;
      return { kind: 'all' };
    }
    this.checkField(fieldToken);
    const field = fieldToken.value;
    const after = `"${field}:"`;
    if (next.type === 'brace' && next.value === '{') {
      throw new KqlSyntaxError(
        'KQL_SYNTAX',
        `Nested queries such as ${field}:{ … } are not supported (column ${next.start + 1}); Loupe stores fields flat, so write ${field}.name:value instead`,
        next.start + 1,
      );
    }
    return next.type === '(' ? this.parseValueGroup(field, after, depth) : this.parseValue(field, after);
  }

  /** `field:(a or b and not c)`: and/or/not combine values of one field. */
  private parseValueGroup(field: string, after: string, depth: number): KqlNode {
    const open = this.next();
    this.enter(depth, open);
    const inner = this.parseValueOr(field, after, depth + 1);
    this.closeParen(open);
    return inner;
  }

  private parseValueOr(field: string, after: string, depth: number): KqlNode {
    const children = [this.parseValueAnd(field, after, depth)];
    while (this.peek().type === 'or') {
      this.position++;
      children.push(this.parseValueAnd(field, after, depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  }

  private parseValueAnd(field: string, after: string, depth: number): KqlNode {
    const children = [this.parseValueNot(field, after, depth)];
    while (this.peek().type === 'and') {
      this.position++;
      children.push(this.parseValueNot(field, after, depth));
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  }

  private parseValueNot(field: string, after: string, depth: number): KqlNode {
    const next = this.peek();
    if (next.type === 'not') {
      this.enter(depth, next);
      this.position++;
      return { kind: 'not', child: this.parseValueNot(field, after, depth + 1) };
    }
    return next.type === '(' ? this.parseValueGroup(field, after, depth) : this.parseValue(field, after);
  }

  private parseValue(field: string, after: string): KqlNode {
    const next = this.peek();
    if (next.type === 'quoted') {
      this.position++;
      return { kind: 'match', field, value: next.value, wildcard: false, phrase: true };
    }
    if (next.type !== 'word') throw this.expected(`a value after ${after}`, next);
    const { value, wildcard } = this.readWords();
    if (wildcard && value === '*') return { kind: 'exists', field };
    return { kind: 'match', field, value, wildcard, phrase: false };
  }

  private parseRange(): KqlNode {
    const fieldToken = this.next();
    this.checkField(fieldToken);
    const op = this.next().value as KqlRangeOperator;
    const next = this.peek();
    const after = `"${fieldToken.value} ${op}"`;
    if (next.type === 'quoted') {
      this.position++;
      return { kind: 'range', field: fieldToken.value, op, value: next.value };
    }
    if (next.type !== 'word') throw this.expected(`a value after ${after}`, next);
    const { value, wildcard } = this.readWords();
    if (wildcard) {
      throw new KqlSyntaxError('KQL_SYNTAX', `Expected a value without wildcards after ${after} at column ${next.start + 1}; write \\* for a literal *`, next.start + 1);
    }
    return { kind: 'range', field: fieldToken.value, op, value };
  }

  private parseFreeText(): KqlNode {
    const first = this.next();
    if (first.type === 'quoted') return { kind: 'text', value: first.value, wildcard: false, phrase: true };
    const words = [first];
    while (this.peek().type === 'word' && !this.isField(1)) words.push(this.next());
    const terms: KqlNode[] = words
      .filter((word) => !(word.wildcard && word.value === '*'))
      .map((word) => ({ kind: 'text', value: word.value, wildcard: word.wildcard, phrase: false }));
    if (terms.length === 0) return { kind: 'all' };
    return terms.length === 1 ? terms[0]! : { kind: 'and', children: terms };
  }

  /** Joins the words of an unquoted value (`Disk Full`), keeping the whitespace between them as written. */
  private readWords(): { value: string; wildcard: boolean } {
    const words = [this.next()];
    while (this.peek().type === 'word' && !this.isField(1)) words.push(this.next());
    const wildcard = words.some((word) => word.wildcard);
    let value = '';
    words.forEach((word, i) => {
      const gap = i === 0 ? '' : this.query.slice(words[i - 1]!.end, word.start);
      value += gap + (wildcard && !word.wildcard ? escapeWildcardLiteral(word.value) : word.value);
    });
    return { value, wildcard };
  }

  private isField(offset: number): boolean {
    const after = this.peek(offset).type;
    return after === ':' || after === 'range';
  }

  private checkField(token: Token): void {
    if (!token.wildcard && fieldPattern.test(token.value)) return;
    const column = token.start + 1;
    const shown = shorten(this.query.slice(token.start, token.end));
    if (token.wildcard) {
      throw new KqlSyntaxError(
        'KQL_BAD_FIELD',
        `"${shown}" at column ${column} has a wildcard; Loupe does not expand field names as Kibana does (so field privileges can be checked): name each field, joined with or, or search the message without a field`,
        column,
      );
    }
    throw new KqlSyntaxError(
      'KQL_BAD_FIELD',
      `"${shorten(token.value)}" at column ${column} is not a field name; use letters, digits, "_", "@", "-" and dots, starting with a letter, "_" or "@"`,
      column,
    );
  }

  private closeParen(open: Token): void {
    this.expectEnd(')', open);
    this.position++;
  }

  /** After a complete term: only an operator or the end (of the query, or of the group opened by `open`) may follow. */
  private expectEnd(type: ')' | 'end', open?: Token): void {
    const next = this.peek();
    if (next.type === type) return;
    if (next.type === 'word' || next.type === 'quoted' || next.type === '(' || next.type === 'not') {
      throw this.expected('"and" or "or" between two terms', next);
    }
    if (type === 'end') throw this.expected('"and", "or" or the end of the query', next);
    throw this.expected('"and", "or" or ")"', next, `to close the "(" from column ${open!.start + 1}`);
  }

  private enter(depth: number, at: Token): void {
    if (depth < this.maxDepth) return;
    throw new KqlSyntaxError('KQL_TOO_DEEP', `The query nests deeper than ${this.maxDepth} levels at column ${at.start + 1}; remove some parentheses or "not"s`, at.start + 1);
  }

  private expected(what: string, found: Token, purpose?: string): KqlSyntaxError {
    const column = found.start + 1;
    const shown = found.type === 'end' ? 'the query ended' : `found ${this.describe(found)}`;
    return new KqlSyntaxError('KQL_SYNTAX', `Expected ${what} at column ${column}${purpose ? ` ${purpose}` : ''}, but ${shown}`, column);
  }

  private describe(token: Token): string {
    const text = this.query.slice(token.start, token.end);
    if (token.type === 'and' || token.type === 'or' || token.type === 'not') {
      return `the operator "${text}" (write \\${text} or "${text}" to search for the word)`;
    }
    if (token.type === ':') return '":" (put a value that contains ":" in quotes, or write \\:)';
    return token.type === 'quoted' ? shorten(text) : `"${shorten(text)}"`;
  }

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.position + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    return this.tokens[this.position++]!;
  }
}

function shorten(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
