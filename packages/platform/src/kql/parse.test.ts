import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KqlNode } from './ast.js';
import { KqlSyntaxError } from './kql-error.js';
import { parseKql } from './parse.js';

const match = (field: string, value: string, wildcard = false, phrase = false): KqlNode => ({ kind: 'match', field, value, wildcard, phrase });
const text = (value: string, wildcard = false, phrase = false): KqlNode => ({ kind: 'text', value, wildcard, phrase });

function syntaxError(query: string, code: string, column: number, message?: RegExp): void {
  assert.throws(() => parseKql(query), (error: unknown) => {
    assert.ok(error instanceof KqlSyntaxError, `${query} threw ${String(error)}`);
    assert.equal(error.code, code);
    assert.equal(error.column, column);
    assert.equal(error.status, 400);
    assert.match(error.message, new RegExp(`column ${column}\\b`));
    if (message) assert.match(error.message, message);
    return true;
  });
}

test('field:value, quoted phrases and their escapes', () => {
  assert.deepEqual(parseKql('service.name:mes-api'), match('service.name', 'mes-api'));
  assert.deepEqual(parseKql('service.name : mes-api'), match('service.name', 'mes-api'));
  assert.deepEqual(parseKql('message:"disk \\"sda\\" full \\\\ now"'), match('message', 'disk "sda" full \\ now', false, true));
  assert.deepEqual(parseKql('message:"a*b"'), match('message', 'a*b', false, true));
  assert.deepEqual(parseKql('"order.id":ORD-1042'), match('order.id', 'ORD-1042'));
});

test('unquoted values keep escaped special characters and the whitespace between words', () => {
  assert.deepEqual(parseKql('url.path:/orders\\:id\\(1\\)'), match('url.path', '/orders:id(1)'));
  assert.deepEqual(parseKql('error.type:Disk   Full'), match('error.type', 'Disk   Full'));
  assert.deepEqual(parseKql('message:\\and \\OR \\not'), match('message', 'and OR not'));
  assert.deepEqual(parseKql('message:\\nothing'), match('message', '\nothing'));
  assert.deepEqual(parseKql('message:tab\\there\\u0041'), match('message', 'tab\there\u0041'));
});

test('escapes as Kibana reads them: \\uXXXX in phrases, escaped keywords inside a word, the no-break space', () => {
  assert.deepEqual(parseKql('message:"\\u0041 caf\\u00e9"'), match('message', 'A café', false, true));
  assert.deepEqual(parseKql('message:\\andrew \\Nothing \\ORbit'), match('message', 'andrew Nothing ORbit'));
  assert.deepEqual(parseKql('message:\\nOT'), match('message', '\nOT'));
  assert.deepEqual(parseKql('a:1\u00a0and\u00a0b:2'), { kind: 'and', children: [match('a', '1'), match('b', '2')] });
});

test('wildcards in values, with \\* standing for a literal star', () => {
  assert.deepEqual(parseKql('service.name:mes*'), match('service.name', 'mes*', true));
  assert.deepEqual(parseKql('message:*timeout*'), match('message', '*timeout*', true));
  assert.deepEqual(parseKql('message:5\\** stars'), match('message', '5\\** stars', true));
  assert.deepEqual(parseKql('message:5\\*'), match('message', '5*'));
});

test('field:* means the field exists; * and the empty query match everything', () => {
  assert.deepEqual(parseKql('order.id:*'), { kind: 'exists', field: 'order.id' });
  assert.deepEqual(parseKql('*'), { kind: 'all' });
  assert.deepEqual(parseKql('*:*'), { kind: 'all' });
  assert.deepEqual(parseKql(''), { kind: 'all' });
  assert.deepEqual(parseKql('   \n'), { kind: 'all' });
});

test('ranges with numbers, quoted dates, bare dates and date math', () => {
  assert.deepEqual(parseKql('event.duration > 1000000'), { kind: 'range', field: 'event.duration', op: '>', value: '1000000' });
  assert.deepEqual(parseKql('@timestamp >= "2026-11-21T10:00:00Z"'), { kind: 'range', field: '@timestamp', op: '>=', value: '2026-11-21T10:00:00Z' });
  assert.deepEqual(parseKql('@timestamp<2026-11-21'), { kind: 'range', field: '@timestamp', op: '<', value: '2026-11-21' });
  assert.deepEqual(parseKql('@timestamp <= now-1h'), { kind: 'range', field: '@timestamp', op: '<=', value: 'now-1h' });
});

test('not binds tighter than and, and tighter than or; operators ignore case', () => {
  assert.deepEqual(parseKql('a:1 OR b:2 And NOT c:3'), {
    kind: 'or',
    children: [match('a', '1'), { kind: 'and', children: [match('b', '2'), { kind: 'not', child: match('c', '3') }] }],
  });
  assert.deepEqual(parseKql('a:1 and b:2 and c:3'), { kind: 'and', children: [match('a', '1'), match('b', '2'), match('c', '3')] });
});

test('parentheses override precedence', () => {
  assert.deepEqual(parseKql('(a:1 or b:2) and not (c:3 or d:4)'), {
    kind: 'and',
    children: [
      { kind: 'or', children: [match('a', '1'), match('b', '2')] },
      { kind: 'not', child: { kind: 'or', children: [match('c', '3'), match('d', '4')] } },
    ],
  });
});

test('a value group applies and/or/not to one field', () => {
  assert.deepEqual(parseKql('log.level:(warn or error and not "fatal")'), {
    kind: 'or',
    children: [
      match('log.level', 'warn'),
      { kind: 'and', children: [match('log.level', 'error'), { kind: 'not', child: match('log.level', 'fatal', false, true) }] },
    ],
  });
  assert.deepEqual(parseKql('order.id:(ORD-1042 or (ORD-1043)) and x:1'), {
    kind: 'and',
    children: [{ kind: 'or', children: [match('order.id', 'ORD-1042'), match('order.id', 'ORD-1043')] }, match('x', '1')],
  });
});

test('free text: a word, a phrase, a wildcard; words side by side must all occur', () => {
  assert.deepEqual(parseKql('timeout'), text('timeout'));
  assert.deepEqual(parseKql('"connection refused"'), text('connection refused', false, true));
  assert.deepEqual(parseKql('*timeout*'), text('*timeout*', true));
  assert.deepEqual(parseKql('error timeout'), { kind: 'and', children: [text('error'), text('timeout')] });
  assert.deepEqual(parseKql('timeout and service.name:mes-api'), { kind: 'and', children: [text('timeout'), match('service.name', 'mes-api')] });
});

test('a value missing after a colon names the field and the column', () => {
  assert.throws(() => parseKql('order.id:'), { code: 'KQL_SYNTAX', column: 10, message: 'Expected a value after "order.id:" at column 10, but the query ended' });
  syntaxError('order.id: and x:1', 'KQL_SYNTAX', 11, /operator "and"/);
  syntaxError('event.duration >', 'KQL_SYNTAX', 17, /after "event.duration >"/);
  syntaxError('event.duration > 5*', 'KQL_SYNTAX', 18, /without wildcards/);
});

test('terms side by side without an operator are rejected, except free-text words', () => {
  syntaxError('service.name:mes-api log.level:error', 'KQL_SYNTAX', 22, /"and" or "or" between two terms.*"log\.level"/);
  syntaxError('"disk full" error', 'KQL_SYNTAX', 13);
  syntaxError('a:1 (b:2)', 'KQL_SYNTAX', 5);
});

test('unbalanced quotes and parentheses, lone operators and bad escapes say where', () => {
  syntaxError('message:"never closed', 'KQL_SYNTAX', 9, /closing "/);
  syntaxError('(a:1 or b:2', 'KQL_SYNTAX', 12, /"\)" at column 12 to close the "\(" from column 1/);
  syntaxError('a:1)', 'KQL_SYNTAX', 4, /end of the query/);
  syntaxError('x:(a or b', 'KQL_SYNTAX', 10);
  syntaxError('and', 'KQL_SYNTAX', 1);
  syntaxError('a:1 or', 'KQL_SYNTAX', 7);
  syntaxError('not', 'KQL_SYNTAX', 4);
  syntaxError('()', 'KQL_SYNTAX', 2);
  syntaxError(':value', 'KQL_SYNTAX', 1);
  syntaxError('@timestamp > 2026-11-21T10:00:00Z', 'KQL_SYNTAX', 27, /in quotes, or write \\:/);
  syntaxError('> 5', 'KQL_SYNTAX', 1);
  syntaxError('a:{b:1}', 'KQL_SYNTAX', 3, /Nested queries such as a:\{ … \} are not supported.*write a\.name:value/);
  syntaxError('message:oops\\', 'KQL_SYNTAX', 13, /backslash at the end/);
  syntaxError('message:\\q', 'KQL_SYNTAX', 9, /"\\q"/);
});

test('field names are plain dotted names', () => {
  syntaxError('*:error', 'KQL_BAD_FIELD', 1, /has a wildcard; Loupe does not expand field names as Kibana does/);
  syntaxError('serv*:x', 'KQL_BAD_FIELD', 1, /"serv\*" at column 1 has a wildcard/);
  syntaxError('service.* > 1', 'KQL_BAD_FIELD', 1, /name each field, joined with or/);
  syntaxError('"bad field":x', 'KQL_BAD_FIELD', 1);
  syntaxError('"x\' OR 1=1":y', 'KQL_BAD_FIELD', 1);
  syntaxError('a.b > 1 and 9lives:x', 'KQL_BAD_FIELD', 13);
});

test('overlong and overdeep queries are refused with their own codes', () => {
  syntaxError('x'.repeat(20_001), 'KQL_TOO_LONG', 20_001);
  syntaxError(`${'('.repeat(101)}a:1${')'.repeat(101)}`, 'KQL_TOO_DEEP', 101);
  syntaxError(`${'not '.repeat(101)}a:1`, 'KQL_TOO_DEEP', 401);
  syntaxError(`a:${'('.repeat(101)}b${')'.repeat(101)}`, 'KQL_TOO_DEEP', 103);
  assert.deepEqual(parseKql(`${'('.repeat(100)}a:1${')'.repeat(100)}`), match('a', '1'));
  assert.deepEqual(parseKql('a:1 and b:2', { maxLength: 11 }), { kind: 'and', children: [match('a', '1'), match('b', '2')] });
});
