import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { maskText } from './mask-text.js';
import { mayContainPersonalData } from './precheck.js';

/**
 * The pre-check decides which messages skip the masking rules. `golden-corpus.test.ts` holds
 * it to never skipping a text a rule would change; these tests name the cases its shortcuts
 * (word boundaries, a scan that leaves Cyrillic letters out) could get wrong.
 */

interface CorpusLine {
  kind: 'positive' | 'negative';
  input: string;
}

const corpus: CorpusLine[] = readFileSync(new URL('../../testdata/masking/corpus.jsonl', import.meta.url), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as CorpusLine);

test('the pre-check flags every free-text corpus line that holds personal data or a secret', () => {
  const freeText = corpus.filter((line) => line.kind === 'positive' && !line.input.trimStart().startsWith('{'));
  assert.ok(freeText.length > 100, `only ${freeText.length} free-text lines`);
  assert.deepEqual(freeText.filter((line) => !mayContainPersonalData(line.input)).map((line) => line.input), []);
});

test('plain workshop messages, English and Russian, pass the pre-check', () => {
  const plain = [
    'Operator note on ORD-2026-001042: customer asked to change the ring size from 17 to 17.5 and to deliver to the office; call back after 14:00, duration 152ms, retry 2 of 3 ok.',
    'Order ORD-2026-000123 status changed from PRICE_CALCULATING to IN_PRODUCTION by operator op-17 after 152ms; GET /api/orders/ORD-2026-000123 -> 200 in 1.5s, trace 4bf92f3577b34da6a3ce929d0e0e4736',
    'Заказ ORD-2026-000123 передан в производство оператором op-17 за 152ms: модель проверена, стоимость рассчитана, статус IN_PRODUCTION',
    'Order accepted by Shop API, Customer Service notified; sha256=9f86d081884c7d659a2feaa0c55ad015 cached for 3600s',
    'monkey-patched token_bucket refilled, passwordless login enabled for 550e8400-e29b-41d4-a716-446655440000',
  ];
  for (const message of plain) assert.equal(mayContainPersonalData(message), false, message);
});

test('a credential, a key or a number right at the start or after a plus is still masked', () => {
  assert.equal(maskText('token 9f86d081884c7d659a2feaa0c55ad015 ok'), 'token [SECRET] ok');
  assert.equal(maskText('retry +token 9f86d081884c7d659a2feaa0c55ad015'), 'retry +token [SECRET]');
  assert.equal(maskText('+79123456789 called'), '[PHONE] called');
  assert.equal(maskText('eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'), '[JWT]');
});

test('a number or a credential word glued to a Cyrillic word is still masked', () => {
  assert.equal(maskText('тел89123456789 перезвонить'), 'тел[PHONE] перезвонить');
  assert.equal(maskText('ключsecret 9f86d081884c7d659a2feaa0c55ad015'), 'ключsecret [SECRET]');
  assert.equal(maskText('сообщение для Mr. Иванов'), 'сообщение для Mr. [NAME]');
});

test('a passport keyword after a dash or an underscore is still found', () => {
  assert.equal(maskText('e-passport 4509 235857'), 'e-passport [PASSPORT]');
  assert.equal(maskText('id_passport series 45 09 number 235857'), 'id_passport series [PASSPORT]');
});

test('keys that end in a digit are read: a card security code or an address line is masked', () => {
  assert.equal(maskText('cvv2=123'), 'cvv2=[SECRET]');
  assert.equal(maskText('CVC2: 123'), 'CVC2: [SECRET]');
  assert.equal(maskText('address_line1=221B'), 'address_line1=[ADDRESS]');
  assert.equal(maskText('sha256=9f86d081 at 14:00'), 'sha256=9f86d081 at 14:00');
});

test('a command-line option and a percent-encoded plus are found wherever they stand', () => {
  assert.equal(maskText('--password hunter2'), '--password [SECRET]');
  assert.equal(maskText('args:+--token abc123'), 'args:+--token [SECRET]');
  assert.equal(maskText('запуск --password hunter2'), 'запуск --password [SECRET]');
  assert.equal(maskText('запуск--password hunter2'), 'запуск--password hunter2');
  assert.equal(maskText('телефон%2B79123456789'), 'телефон[PHONE]');
  assert.equal(mayContainPersonalData('progress 50% done, 20% left'), false);
});

test('a phone after 00 or with dots and a secret XML element are flagged; IPv4 addresses, versions and plain markup are not', () => {
  for (const text of ['0079161234567', 'тел.916.123.45.67', 'call 8.916.123.45.67', '+44.20.7946.0958', '<password>x</password>', 'reply <a/><token>t</token>']) {
    assert.equal(mayContainPersonalData(text), true, text);
  }
  for (const text of ['upstream 192.168.100.200 in 12.5ms, node 20.19.43', 'v1.2.3 released 21.11.2026 10.15.30', '<b>bold</b> <status>OK</status>']) {
    assert.equal(mayContainPersonalData(text), false, text);
  }
});
