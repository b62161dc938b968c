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

test('a password, token or key given as a command-line option is masked, with a space or an equals sign', () => {
  assert.equal(maskText('spawn pg_dump --host db --password hunter2 --dbname orders'), 'spawn pg_dump --host db --password [SECRET] --dbname orders');
  assert.equal(maskText('exec loupe run shipper --api-key=9f86d081 --verbose'), 'exec loupe run shipper --api-key=[SECRET] --verbose');
  assert.equal(maskText("psql --password 'p@ss word' -c select"), "psql --password '[SECRET]' -c select");
  assert.equal(maskText('rabbitmqctl add_user loupe --token abc123'), 'rabbitmqctl add_user loupe --token [SECRET]');
  assert.equal(maskText('npm run build -- --watch --password-file /run/secrets/db'), 'npm run build -- --watch --password-file /run/secrets/db');
  assert.equal(maskText('usage: loupe run shipper --api-key <key> --password ***'), 'usage: loupe run shipper --api-key <key> --password ***');
});

test('password keys written in one word, in two halves or in the plural are recognised', () => {
  assert.equal(maskText('env PGPASSWORD=hunter2 MYSQLPASSWORD=x'), 'env PGPASSWORD=[SECRET] MYSQLPASSWORD=[SECRET]');
  assert.equal(maskText('form pass_word=hunter2&passWord=hunter3'), 'form pass_word=[SECRET]&passWord=[SECRET]');
  assert.equal(maskText('Cookie header missing, JSESSIONID=8F3A1C2B9D PHPSESSID=abc12'), 'Cookie header missing, JSESSIONID=[SECRET] PHPSESSID=[SECRET]');
  assert.equal(maskText('password_hash=$2b$10$abc has_password=true'), 'password_hash=$2b$10$abc has_password=true');
});

test('a percent-encoded form key and a percent-encoded plus before a phone are read', () => {
  assert.equal(maskText('POST /login body user%5Bpassword%5D=hunter2&user%5Bemail%5D=x'), 'POST /login body user%5Bpassword%5D=[SECRET]&user%5Bemail%5D=[EMAIL]');
  assert.equal(maskText('GET /customers?phone=%2B79123456789&page=2'), 'GET /customers?phone=[PHONE]&page=2');
  assert.equal(maskText('GET /customers/search?q=%2B79123456789 200'), 'GET /customers/search?q=[PHONE] 200');
  assert.equal(maskText('GET /search?q=%2B1042&page=2'), 'GET /search?q=%2B1042&page=2');
});

test('a phone key in Russian, in the genitive, is recognised', () => {
  assert.equal(maskText('Номер телефона: 912-34-56'), 'Номер телефона: [PHONE]');
  assert.equal(maskText('нет телефона: 345-67-89, перезвонить'), 'нет телефона: [PHONE], перезвонить');
});

test('a phone written with no-break spaces is masked; a price written with them stays', () => {
  assert.equal(maskText('call +7\u00a0912\u00a0345-67-89 now'), 'call [PHONE] now');
  assert.equal(maskText('звонок 8\u00a0912\u00a0345\u00a067\u00a089'), 'звонок [PHONE]');
  assert.equal(maskText('total 1\u00a0250\u00a0000,00 ₽ for 12\u00a0500\u00a0000 polygons'), 'total 1\u00a0250\u00a0000,00 ₽ for 12\u00a0500\u00a0000 polygons');
});

test('a street named before an abbreviated type is part of the address', () => {
  assert.equal(maskText('доставка по адресу г. Санкт-Петербург, Невский пр., д. 28, кв. 5'), 'доставка по адресу [ADDRESS]');
  assert.equal(maskText('доставка на Ленинский просп., 12 завтра'), 'доставка на [ADDRESS] завтра');
});

test('a Unix time in seconds is not an INN unless a keyword says so', () => {
  // Each of these passes the INN check digit, as one in ten 10-digit numbers does.
  for (const seconds of ['1732184132', '1732184140', '1800000001']) {
    assert.equal(maskText(`token exp ${seconds} checked`), `token exp ${seconds} checked`, seconds);
  }
  assert.equal(maskText('ИНН 1732184132'), 'ИНН [INN]');
  assert.equal(maskText('supplier 1655000010 added'), 'supplier [INN] added');
});

test('a phone with a plus does not swallow the number after it', () => {
  assert.equal(maskText('GET /customers?phone=+79123456789 200 12ms'), 'GET /customers?phone=[PHONE] 200 12ms');
  assert.equal(maskText('call +7 912 345 67 89 12 pcs'), 'call [PHONE] 12 pcs');
  assert.equal(maskText('sms to +447946095812 200 queued'), 'sms to [PHONE] 200 queued');
  assert.equal(maskText('call +44 20 7946 0958 now'), 'call [PHONE] now');
});

test('an IP address or host and port after an address key is not a postal address', () => {
  assert.equal(maskText('IP-адрес: 10.0.0.15, порт 5432'), 'IP-адрес: 10.0.0.15, порт 5432');
  assert.equal(maskText('remote address: 192.168.10.24:51234 closed'), 'remote address: 192.168.10.24:51234 closed');
  assert.equal(maskText('Server address: [::1]:8080'), 'Server address: [::1]:8080');
  assert.equal(maskText('address=db.internal:5432'), 'address=db.internal:5432');
  assert.equal(maskText('адрес: Казань, ул. Баумана, 12'), 'адрес: [ADDRESS]');
});

test('a phone dialled with the 00 international prefix is masked like one with a plus', () => {
  for (const phone of ['0079161234567', '00 7 916 123-45-67', '007 (916) 123-45-67', '0044 20 7946 0958', '00-1-202-555-0143']) {
    assert.equal(maskText(`call ${phone} today`), 'call [PHONE] today', phone);
  }
  assert.equal(maskText('sms to 0079161234567 200 queued'), 'sms to [PHONE] 200 queued');
  // Zero-padded ids: too short for an international number, or not a country code after the 00.
  for (const id of ['lot 0012345678', 'seq 000012345678901', 'invoice 0000012345678', 'EAN 0012345678905', 'EAN 0012345678905 200']) assert.equal(maskText(id), id);
  // A SNILS that starts with 00 is still a SNILS.
  assert.equal(maskText('ref 001-001-999 65'), 'ref [SNILS]');
});

test('a phone written with dots is masked; IPs, versions, dates, decimals and times with dots stay', () => {
  for (const phone of ['+7.916.123.45.67', '8.916.123.45.67', '916.123.45.67', '+7.916.123.4567', '8.800.555.35.35', '+1.202.555.0143', '+44.20.7946.0958']) {
    assert.equal(maskText(`call ${phone} today`), 'call [PHONE] today', phone);
    assert.equal(maskText(`тел.${phone}.`), 'тел.[PHONE].', phone);
  }
  const kept = [
    '10.0.0.1', '192.168.100.200', '192.168.10.20', '255.255.10.20', '1.2.3', '20.19.43', 'v20.19.43', '3.12.4.1', '21.11.2026',
    '21.11.2026 10.15.30', '2026.11.21.1542', '12345.67', '1732184130.123', '+1.000.000.000', '1.000.000.000', '916.123.45.67.8',
    '1.916.123.45.67', 'ip 10.916.123.45.67', 'x916.123.45.67', '916.123.45.67-2',
  ];
  for (const value of kept) assert.equal(maskText(`value ${value} end`), `value ${value} end`, value);
  assert.equal(maskText('tel=8.916.123.45.67&x=1'), 'tel=[PHONE]&x=1');
});

test('an XML element named for a secret has its content masked, the tags kept', () => {
  assert.equal(maskText('<auth><login>shop</login><password>hunter2</password></auth>'), '<auth><login>shop</login><password>[SECRET]</password></auth>');
  assert.equal(maskText('<apiKey>9f86d081</apiKey><token>tok_8F3A</token>'), '<apiKey>[SECRET]</apiKey><token>[SECRET]</token>');
  assert.equal(maskText('<wsse:Password Type="PasswordText">Kolco-2026!</wsse:Password>'), '<wsse:Password Type="PasswordText">[SECRET]</wsse:Password>');
  assert.equal(maskText('<client_secret>\n  s3cr3t\n</client_secret>'), '<client_secret>\n  [SECRET]\n</client_secret>');
  assert.equal(maskText('<Пароль>Секрет123</Пароль>'), '<Пароль>[SECRET]</Пароль>');
  assert.equal(maskText('<password><![CDATA[p<a>ss]]></password>'), '<password>[SECRET]</password>');
  assert.equal(maskText('<Authorization>Bearer abc.def.ghi</Authorization>'), '<Authorization>Bearer [TOKEN]</Authorization>');
  const kept = [
    '<passwordPolicy>strict</passwordPolicy>', '<tokenTtl>3600</tokenTtl>', '<token_type>Bearer</token_type>', '<password></password>',
    '<password/>', '<password>null</password>', '<password>[SECRET]</password>', '<password>x</passwd>', '<status>OK</status>',
  ];
  for (const value of kept) assert.equal(maskText(value), value);
});
