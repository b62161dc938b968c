import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { maskLine } from './mask-lines.js';
import { applyMaskingRules } from './mask-text.js';
import { mayContainPersonalData } from './precheck.js';

/**
 * The golden corpus (R22): real-looking workshop log lines, Russian and English, free text and
 * JSON, each with the exact line `loupe mask`, the logger and the pipeline must produce.
 */

interface CorpusLine {
  /** The masking rule the line exercises. */
  rule: string;
  /** `positive`: something must be masked; `negative`: something that looks similar must survive. */
  kind: 'positive' | 'negative';
  input: string;
  expected: string;
}

const testdata = new URL('../../testdata/masking/', import.meta.url);
const corpus: CorpusLine[] = readFileSync(new URL('corpus.jsonl', testdata), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusLine);
const planted = JSON.parse(readFileSync(new URL('planted.json', testdata), 'utf8')) as { pii: string[]; mustSurvive: string[] };
const outputs = corpus.map((line) => maskLine(line.input));

const MASKING_RULES = [
  'email', 'phone', 'card', 'passport', 'inn', 'snils', 'jwt', 'auth-scheme', 'api-key', 'url-password', 'key-value',
  'address', 'name', 'record-key', 'xml-element',
];

test('every corpus line is masked to exactly its expected line', () => {
  const wrong = corpus
    .map((line, i) => ({ rule: line.rule, input: line.input, expected: line.expected, got: outputs[i] }))
    .filter((line) => line.got !== line.expected);
  assert.deepEqual(wrong, []);
});

test('the corpus has over 220 lines and a positive and a negative example for every masking rule', () => {
  assert.ok(corpus.length >= 220, `only ${corpus.length} lines`);
  for (const rule of MASKING_RULES) {
    for (const kind of ['positive', 'negative'] as const) {
      assert.ok(corpus.some((line) => line.rule === rule && line.kind === kind), `no ${kind} example for ${rule}`);
    }
  }
  for (const line of corpus) {
    assert.equal(line.input !== line.expected, line.kind === 'positive', `a ${line.kind} line ${line.kind === 'positive' ? 'that masks nothing' : 'that changes'}: ${line.input}`);
  }
});

test('no planted phone, e-mail, card, document number, secret, address or name survives masking', () => {
  for (const value of planted.pii) {
    assert.ok(corpus.some((line) => line.input.includes(value)), `planted value ${value} is not in the corpus`);
    const leaked = outputs.filter((output) => output.includes(value));
    assert.deepEqual(leaked, [], `${value} survived`);
  }
});

test('order ids, trace ids, timestamps, durations, prices, IPs, versions and look-alike numbers survive masking', () => {
  for (const value of planted.mustSurvive) {
    assert.ok(corpus.some((line) => line.input.includes(value)), `must-survive value ${value} is not in the corpus`);
    const mangled = corpus.filter((line, i) => line.input.includes(value) && !outputs[i]!.includes(value)).map((line) => line.input);
    assert.deepEqual(mangled, [], `${value} was masked`);
  }
});

test('masking a masked line changes nothing, so the logger and the pipeline can both mask', () => {
  const changed = outputs.filter((output) => maskLine(output) !== output);
  assert.deepEqual(changed, []);
});

/** The line itself and, for a JSON line, every string inside it: what `maskText` is called on. */
function textsOf(line: string): string[] {
  const texts = [line];
  const collect = (value: unknown): void => {
    if (typeof value === 'string') texts.push(value);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(collect);
  };
  try {
    collect(JSON.parse(line));
  } catch {
    // A free-text line: the line itself is the only text.
  }
  return texts;
}

test('the pre-check never skips a text that a masking rule would change', () => {
  const texts = corpus.flatMap((line) => textsOf(line.input));
  const missed = texts.filter((text) => applyMaskingRules(text) !== text && !mayContainPersonalData(text));
  assert.deepEqual(missed, []);
});

test('the pre-check never skips a text that a masking rule would change, on every few-word window of the corpus', () => {
  const windows = new Set<string>();
  for (const line of corpus) {
    const words = line.input.split(' ');
    for (let size = 1; size <= 6; size++) {
      for (let start = 0; start + size <= words.length; start++) windows.add(words.slice(start, start + size).join(' '));
    }
  }
  const missed = [...windows].filter((text) => applyMaskingRules(text) !== text && !mayContainPersonalData(text));
  assert.deepEqual(missed, []);
});

test('the pre-check lets clean workshop messages through untouched', () => {
  const clean = [
    'Order ORD-2026-000123 status changed from PRICE_CALCULATING to IN_PRODUCTION by operator op-17 after 152ms',
    'Заказ ORD-2026-000123 передан в производство оператором op-17 за 152ms; модель проанализирована',
    'GET /api/orders/ORD-1042 200 in 1.5s, trace 4bf92f3577b34da6a3ce929d0e0e4736 span 00f067aa0ba902b7',
    'Heartbeat: cpu 12.5%, rss 98.4 MB, event loop delay 1.7ms, uptime 86400s',
  ];
  for (const message of clean) assert.equal(mayContainPersonalData(message), false, message);
});
