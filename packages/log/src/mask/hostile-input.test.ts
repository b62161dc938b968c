import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskLine } from './mask-lines.js';
import { maskRecord } from './mask-record.js';
import { maskText } from './mask-text.js';

/**
 * Inputs built to make regexes backtrack. Each must come back (no time assertion here: the
 * suite would hang on a catastrophic pattern, and bench/mask.ts measures speed) with the
 * expected result.
 */

const MB = 1024 * 1024;

test('a megabyte of one repeated character is returned as it is', () => {
  for (const unit of ['7', '@', 'a.', ':', '=', '+', '-', '(', ' ', '%40', 'eyJ', '1 ', '1-', '(1', 'Ivan ', 'ул. ', 'Mr. ', 'key ', '\\"']) {
    const text = unit.repeat(Math.ceil(MB / unit.length));
    assert.equal(maskText(text), text, `repeated ${JSON.stringify(unit)}`);
  }
});

test('near-misses repeated for a megabyte are scanned once', () => {
  const cases: Array<[string, string]> = [
    ['a'.repeat(MB) + '@', 'local part without a domain'],
    ['://a:' + 'b'.repeat(MB), 'URL userinfo without @'],
    ['a@a.'.repeat(MB / 4), 'dots without a top-level domain'],
    ['eyJa.'.repeat(MB / 5), 'JWT header without the other parts'],
    ['123456789 '.repeat(MB / 10), 'nine-digit groups'],
    ['<password><![CDATA['.repeat(MB / 19) + '</password>', 'unclosed CDATA sections in secret elements'],
    ['<password a="b" '.repeat(MB / 16) + '</password>', 'secret elements whose start tag never ends'],
    ['916.123.45.'.repeat(MB / 11), 'dotted groups that never end as a phone'],
    ['00 7 '.repeat(MB / 5), 'international prefixes without a number'],
  ];
  for (const [text, what] of cases) assert.equal(maskText(text), text, what);
});

test('a megabyte of masked values is masked throughout', () => {
  const phones = '+7 912 345 67 89, '.repeat(MB / 18);
  assert.equal(maskText(phones), '[PHONE], '.repeat(MB / 18));
  const passwords = 'password=x&'.repeat(MB / 11);
  assert.equal(maskText(passwords), 'password=[SECRET]&'.repeat(MB / 11));
  const unterminated = '{"password":"' + 'a'.repeat(MB);
  assert.equal(maskText(unterminated), '{"password":"[SECRET]');
});

test('a megabyte-long JSON line and a wide record are masked without throwing', () => {
  const record: Record<string, unknown> = {};
  for (let i = 0; i < 20_000; i++) record[`field${i}`] = i % 2 ? 'ok' : 'anna@mail.ru';
  const masked = maskRecord(record);
  assert.equal(masked.field0, '[EMAIL]');
  assert.equal(masked.field1, 'ok');
  const line = JSON.stringify({ message: 'x'.repeat(MB) + ' +79123456789' });
  assert.equal(maskLine(line), JSON.stringify({ message: 'x'.repeat(MB) + ' [PHONE]' }));
});
