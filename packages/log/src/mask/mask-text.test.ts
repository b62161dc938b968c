import assert from 'node:assert/strict';
import { test } from 'node:test';
import { passesLuhn, isValidInn, isValidSnils } from './checksums.js';
import { maskText } from './mask-text.js';

test('a message without personal data comes back unchanged', () => {
  const message = 'Order ORD-2026-000123 moved from NEW to PRICE_CALCULATING in 152ms (trace 4bf92f3577b34da6a3ce929d0e0e4736)';
  assert.equal(maskText(message), message);
  assert.equal(maskText(''), '');
});

test('phones in Russian and international formats become [PHONE]', () => {
  for (const phone of ['+7 (912) 345-67-89', '8 912 345 67 89', '+79123456789', '89123456789', '+44 20 7946 0958', '+1-202-555-0143', '8 (926) 555-12-34', '(916) 123-45-67']) {
    assert.equal(maskText(`call ${phone} today`), 'call [PHONE] today', phone);
  }
});

test('a phone glued to a quantity or a word before it is still found', () => {
  assert.equal(maskText('qty 2 89123456789'), 'qty 2 [PHONE]');
  assert.equal(maskText('8 912 345 67 89 12 pcs'), '[PHONE] 12 pcs');
});

test('only card numbers that pass the Luhn check become [CARD]', () => {
  assert.equal(maskText('card 4111 1111 1111 1111'), 'card [CARD]');
  assert.equal(maskText('card 4111-1111-1111-1111'), 'card [CARD]');
  assert.equal(maskText('card 4111111111111111'), 'card [CARD]');
  assert.equal(maskText('card 4111 1111 1111 1112'), 'card 4111 1111 1111 1112');
  assert.equal(passesLuhn('4111111111111111'), true);
  assert.equal(passesLuhn('4111111111111112'), false);
});

test('INN and SNILS are recognised by their check digits, or by a keyword before them', () => {
  assert.equal(isValidInn('7707083893'), true);
  assert.equal(isValidInn('500100732259'), true);
  assert.equal(isValidInn('7707083894'), false);
  assert.equal(isValidInn('0000000000'), false);
  assert.equal(isValidSnils('11223344595'), true);
  assert.equal(isValidSnils('11223344596'), false);
  assert.equal(maskText('supplier 7707083893 added'), 'supplier [INN] added');
  assert.equal(maskText('invoice 7707083894 paid'), 'invoice 7707083894 paid');
  // With the keyword the number is masked even with a typo in it: it is still somebody's INN.
  assert.equal(maskText('ИНН 7707083894'), 'ИНН [INN]');
  assert.equal(maskText('СНИЛС 112-233-445 95'), 'СНИЛС [SNILS]');
  assert.equal(maskText('ref 112-233-445 96'), 'ref 112-233-445 96');
});

test('passports are recognised by the 4+6 grouping or by the keyword, series and number apart or together', () => {
  assert.equal(maskText('документ 4509 235857 сверен'), 'документ [PASSPORT] сверен');
  assert.equal(maskText('паспорт 4509235857'), 'паспорт [PASSPORT]');
  assert.equal(maskText('паспорт серия 45 09 № 235857, выдан'), 'паспорт серия [PASSPORT], выдан');
  assert.equal(maskText('lot 4509-235857'), 'lot 4509-235857');
});

test('bearer and basic credentials keep their scheme word', () => {
  assert.equal(maskText('Authorization: Bearer abc.def.ghi'), 'Authorization: Bearer [TOKEN]');
  assert.equal(maskText('Authorization: Basic dXNlcjpwYXNz'), 'Authorization: Basic [TOKEN]');
  assert.equal(maskText('sent Bearer 9b1c7e4f0a2d48b6 upstream'), 'sent Bearer [TOKEN] upstream');
  assert.equal(maskText('Bearer token missing'), 'Bearer token missing');
});

test('passwords in URLs, query strings and key-value pairs become [SECRET], the keys stay', () => {
  assert.equal(maskText('https://user:pass@host/path'), 'https://user:[SECRET]@host/path');
  assert.equal(maskText('/login?user=ivan&password=qwerty&next=/orders'), '/login?user=ivan&password=[SECRET]&next=/orders');
  assert.equal(maskText('"password":"p@ss w0rd"'), '"password":"[SECRET]"');
  assert.equal(maskText('пароль: Секрет123'), 'пароль: [SECRET]');
  assert.equal(maskText('X-Api-Key: 3f7c2b9e1d4a6f8b'), 'X-Api-Key: [SECRET]');
  assert.equal(maskText('password: null'), 'password: null');
});

test('JWTs and vendor API keys are masked whole', () => {
  assert.equal(maskText('jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl ok'), 'jwt [JWT] ok');
  assert.equal(maskText('key sk_live_51HxQkCLmN0pQrStUvWx'), 'key [SECRET]');
  assert.equal(maskText('creds AKIAIOSFODNN7EXAMPLE'), 'creds [SECRET]');
});

test('addresses and names are masked after the cues that mark them', () => {
  assert.equal(maskText('Доставка: г. Москва, ул. Ленина, д. 5, кв. 12.'), 'Доставка: [ADDRESS].');
  assert.equal(maskText('Ship to 221B Baker Street today'), 'Ship to [ADDRESS] today');
  assert.equal(maskText('клиент Иванов Иван Иванович позвонил'), 'клиент [NAME] позвонил');
  assert.equal(maskText('Customer: Ivan Petrov'), 'Customer: [NAME]');
  assert.equal(maskText('name=John+Smith&x=1'), 'name=[NAME]&x=1');
  assert.equal(maskText('Customer Service Team'), 'Customer Service Team');
});

test('ids, timestamps, durations, prices, IPs, versions and ports are never masked', () => {
  const kept = [
    'ORD-2026-000123', 'ORD-1042', '550e8400-e29b-41d4-a716-446655440000', '4bf92f3577b34da6a3ce929d0e0e4736', '00f067aa0ba902b7',
    '2026-11-21T10:15:30.123Z', '2026-11-21 10:15:30', '152ms', '1.5s', 'status 200', '12 500.00 RUB', '1 250 000.00 RUB',
    '192.168.10.24', '10.0.0.15:8080', 'v20.19.2', 'mes-api:8080', 'size 10485760 bytes', 'epoch 1732184130123',
  ];
  for (const value of kept) assert.equal(maskText(`value ${value} end`), `value ${value} end`, value);
});

test('maskText never throws, whatever it is given', () => {
  assert.equal(maskText(undefined as unknown as string), undefined);
  assert.equal(maskText(42 as unknown as string), 42);
  assert.equal(maskText('\u0000\uD800 +7 912 345 67 89 \uFFFF'), '\u0000\uD800 [PHONE] \uFFFF');
});
