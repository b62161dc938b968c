import assert from 'node:assert/strict';
import { test } from 'node:test';
import { F, unmaskedFields } from '@loupe/schema';
import { maskRecord } from './mask-record.js';
import { maskStats } from './mask-stats.js';

test('a field named for what it holds is replaced whole by that kind\'s token', () => {
  const masked = maskRecord({
    'user.password': 'hunter2',
    'customer.phone': '+7 912 345 67 89',
    'customer.email': 'ivan@example.com',
    'customer.name': 'Ivan Petrov',
    'customer.address': 'г. Москва, ул. Ленина, д. 5',
    'card.number': '4111 1111 1111 1111',
    'card.cvv': '123',
    'customer.passport': '4509 235857',
    'customer.inn': '500100732259',
    'customer.snils': '112-233-445 95',
    'http.request.headers.authorization': 'Bearer abc.def',
    'http.request.headers.cookie': 'sid=1; theme=dark',
    apiKey: 'pk_test_123',
    first_name: 'Ivan',
  });
  assert.deepEqual(masked, {
    'user.password': '[REDACTED]',
    'customer.phone': '[PHONE]',
    'customer.email': '[EMAIL]',
    'customer.name': '[NAME]',
    'customer.address': '[ADDRESS]',
    'card.number': '[CARD]',
    'card.cvv': '[REDACTED]',
    'customer.passport': '[PASSPORT]',
    'customer.inn': '[INN]',
    'customer.snils': '[SNILS]',
    'http.request.headers.authorization': 'Bearer [TOKEN]',
    'http.request.headers.cookie': '[REDACTED]',
    apiKey: '[REDACTED]',
    first_name: '[NAME]',
  });
});

test('other strings are masked by content; numbers, booleans and null under plain keys stay', () => {
  const record = { message: 'call +79123456789 now', note: 'write to anna@mail.ru', 'user.name': 'ivan@example.com', count: 89123456789, ok: true, gone: null };
  assert.deepEqual(maskRecord(record), { message: 'call [PHONE] now', note: 'write to [EMAIL]', 'user.name': '[EMAIL]', count: 89123456789, ok: true, gone: null });
});

test('fields in unmaskedFields keep their values even when they look like personal data', () => {
  const record: Record<string, unknown> = {};
  for (const field of unmaskedFields) record[field] = '89123456789';
  assert.equal(maskRecord(record), record);
  assert.deepEqual(maskRecord({ [F.orderId]: 'ORD-2026-000123', [F.traceId]: '4bf92f3577b34da6a3ce929d0e0e4736', [F.clientIp]: '10.0.0.7', [F.customerId]: '79123456789' }),
    { [F.orderId]: 'ORD-2026-000123', [F.traceId]: '4bf92f3577b34da6a3ce929d0e0e4736', [F.clientIp]: '10.0.0.7', [F.customerId]: '79123456789' });
});

test('a record that needs nothing masked is returned as the same object', () => {
  const record = { [F.message]: 'Order ORD-1 created', [F.orderId]: 'ORD-1', nested: { status: 'NEW', items: [{ sku: 'RING-585' }] } };
  assert.equal(maskRecord(record), record);
});

test('masking copies: the caller\'s record is not changed', () => {
  const record = { message: 'mail anna@mail.ru', nested: { phone: '+79123456789' } };
  const masked = maskRecord(record);
  assert.notEqual(masked, record);
  assert.deepEqual(record, { message: 'mail anna@mail.ru', nested: { phone: '+79123456789' } });
});

test('nested objects and arrays are walked with dotted keys, and everything under a sensitive key takes its token', () => {
  const payload = {
    order: { id: 'ORD-1', status: 'NEW' },
    customer: { id: 'CUST-1', name: 'Мария Волкова', phones: ['+79123456789', '8 (926) 555-12-34'], address: { city: 'Казань', street: 'Баумана', house: 12 } },
    notes: ['call 89123456789', 'ok'],
    credentials: { login: 'anna', password: 'x' },
  };
  assert.deepEqual(maskRecord(payload), {
    order: { id: 'ORD-1', status: 'NEW' },
    customer: { id: 'CUST-1', name: '[NAME]', phones: ['[PHONE]', '[PHONE]'], address: { city: '[ADDRESS]', street: '[ADDRESS]', house: '[ADDRESS]' } },
    notes: ['call [PHONE]', 'ok'],
    credentials: { login: '[REDACTED]', password: '[REDACTED]' },
  });
});

test('a name key is masked only when the value looks like a name', () => {
  assert.deepEqual(maskRecord({ 'user.name': 'op-17', 'operator.name': 'Anna Smirnova', 'model.name': 'Gold Ring', customer: 'CUST-00042', recipient: 'Анна Кузнецова' }),
    { 'user.name': 'op-17', 'operator.name': '[NAME]', 'model.name': 'Gold Ring', customer: 'CUST-00042', recipient: '[NAME]' });
});

test('network addresses under *.address are not postal addresses', () => {
  const record = { 'client.address': '10.0.0.7', 'server.address': 'db.internal', 'source.address': '172.18.0.5' };
  assert.equal(maskRecord(record), record);
});

test('encrypted values and mask tokens pass through, so masking twice changes nothing', () => {
  const record = { 'customer.phone': 'enc:v1:k1:aXY:dGFn:Ym9keQ', 'customer.email': '[EMAIL]', message: 'call [PHONE]' };
  assert.equal(maskRecord(record), record);
});

test('an Error becomes the fields the logger writes for it, masked: message, stack and its own properties', () => {
  const error = Object.assign(new TypeError('mail me at a@b.ru'), { code: 'CART_MISSING', details: { email: 'anna@mail.ru', note: 'call +79123456789' } });
  const masked = maskRecord({ err: error, nested: { cause: error } });
  const expected = { type: 'TypeError', message: 'mail me at [EMAIL]', code: 'CART_MISSING', details: { email: '[EMAIL]', note: 'call [PHONE]' } };
  for (const written of [masked.err, (masked.nested as Record<string, unknown>).cause] as Array<Record<string, unknown>>) {
    assert.equal(Object.getPrototypeOf(written), Object.prototype);
    assert.deepEqual({ ...written, stack_trace: undefined }, { ...expected, stack_trace: undefined });
    assert.match(String(written.stack_trace), /^TypeError: mail me at \[EMAIL\]\n\s+at /);
  }
  assert.ok(!JSON.stringify(masked).includes('a@b.ru') && !JSON.stringify(masked).includes('anna@mail.ru') && !JSON.stringify(masked).includes('79123456789'));
  assert.equal(error.message, 'mail me at a@b.ru', 'the caller\'s error is not changed');
});

test('an Error given as the record itself is masked, and a clean one is returned as it is', () => {
  const masked = maskRecord(new Error('no cart for anna@mail.ru') as unknown as Record<string, unknown>);
  assert.equal(masked.message, 'no cart for [EMAIL]');
  assert.ok(!String(masked.stack_trace).includes('anna@mail.ru'));
  const clean = { err: Object.assign(new Error('cart empty'), { code: 'CART_EMPTY' }) };
  assert.equal(maskRecord(clean), clean);
  const cyclic = Object.assign(new Error('loop for anna@mail.ru'), { self: undefined as unknown });
  cyclic.self = cyclic;
  assert.equal((maskRecord({ err: cyclic }).err as Record<string, unknown>).self, '[Circular]');
});

test('cyclic, deep, odd and hostile records never throw', () => {
  const cyclic: Record<string, unknown> = { message: 'mail anna@mail.ru' };
  cyclic.self = cyclic;
  assert.deepEqual(maskRecord(cyclic), { message: 'mail [EMAIL]', self: '[Circular]' });

  let deep: Record<string, unknown> = { phone: '+79123456789' };
  for (let i = 0; i < 100; i++) deep = { next: deep };
  assert.doesNotThrow(() => JSON.stringify(maskRecord(deep)));

  const failuresBefore = maskStats().failures;
  const hostile = { ok: 'fine', get broken(): string { throw new Error('getter failed'); } };
  assert.deepEqual(maskRecord(hostile), { ok: 'fine', broken: '[REDACTED]' });
  assert.equal(maskStats().failures, failuresBefore + 1);

  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  assert.doesNotThrow(() => maskRecord(proxy));

  const date = new Date(0);
  const odd = { when: date, bytes: Buffer.from('x'), map: new Map([['phone', '+79123456789']]), big: 10n, fn: () => 1, sym: Symbol('s') };
  assert.equal(maskRecord(odd), odd);
  assert.equal(maskRecord(null as unknown as Record<string, unknown>), null);
  assert.equal(maskRecord('text' as unknown as Record<string, unknown>), 'text');
});

test('a __proto__ key from JSON stays a plain field', () => {
  const record = JSON.parse('{"__proto__":{"phone":"+79123456789"},"message":"call +79123456789"}') as Record<string, unknown>;
  const masked = maskRecord(record);
  assert.equal(Object.getPrototypeOf(masked), Object.prototype);
  assert.equal(JSON.stringify(masked), '{"__proto__":{"phone":"[PHONE]"},"message":"call [PHONE]"}');
});

test('plural, one-word and split password, token and key fields are redacted whole', () => {
  const masked = maskRecord({
    refreshTokens: ['c2VjcmV0LXRva2Vu'],
    completion_tokens: 211,
    secrets: { db: 'hunter2' },
    apiKeys: ['9f86d081'],
    passwords: ['a', 'b'],
    pass_word: 'hunter2',
    passWord: 'hunter2',
    env: { PGPASSWORD: 'hunter2', JSESSIONID: '8F3A1C2B9D' },
    password_hash: '$2b$10$abc',
  });
  assert.deepEqual(masked, {
    refreshTokens: ['[REDACTED]'],
    completion_tokens: 211,
    secrets: { db: '[REDACTED]' },
    apiKeys: ['[REDACTED]'],
    passwords: ['[REDACTED]', '[REDACTED]'],
    pass_word: '[REDACTED]',
    passWord: '[REDACTED]',
    env: { PGPASSWORD: '[REDACTED]', JSESSIONID: '[REDACTED]' },
    password_hash: '$2b$10$abc',
  });
});

test('Russian phone keys in the genitive and a phone in a URL query are masked', () => {
  assert.deepEqual(maskRecord({ номер_телефона: '345-67-89', 'Номер телефона': '912-34-56', 'url.full': 'https://shop/api/customers?phone=%2B79123456789&page=2' }),
    { номер_телефона: '[PHONE]', 'Номер телефона': '[PHONE]', 'url.full': 'https://shop/api/customers?phone=[PHONE]&page=2' });
});

test('a network address under an address key is kept', () => {
  const record = { server: { address: '::', family: 'IPv6', port: 3000 }, upstream: { address: '10.0.0.7:5672' }, address: '127.0.0.1' };
  assert.equal(maskRecord(record), record);
  assert.deepEqual(maskRecord({ address: 'Казань, ул. Баумана, 12' }), { address: '[ADDRESS]' });
});
