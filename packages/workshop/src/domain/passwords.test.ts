import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hashPassword, verifyPassword } from './passwords.js';
import { hashSessionToken, newSessionToken } from './session-tokens.js';
import { LoginFailureWindow } from './login-failures.js';

const fast = { cost: 1024 };

test('a password hash verifies the password and nothing else, and never contains it', async () => {
  const stored = await hashPassword('Кольцо-2024!', fast);
  assert.match(stored, /^scrypt\$1024\$8\$3\$[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}$/);
  assert.equal(await verifyPassword('Кольцо-2024!', stored), true);
  assert.equal(await verifyPassword('кольцо-2024!', stored), false);
  assert.equal(await verifyPassword('', stored), false);
  assert.notEqual(stored, await hashPassword('Кольцо-2024!', fast), 'each hash has its own salt');
});

test('a malformed stored hash never matches', async () => {
  for (const stored of ['', 'plain', 'scrypt$x$8$1$c2FsdA==$a2V5', 'bcrypt$10$8$1$c2FsdA==$a2V5']) {
    assert.equal(await verifyPassword('plain', stored), false, stored);
  }
});

test('session tokens are long and random, and only their SHA-256 is kept', () => {
  const token = newSessionToken();
  assert.match(token, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(token, newSessionToken());
  assert.match(hashSessionToken(token), /^[0-9a-f]{64}$/);
  assert.equal(hashSessionToken(token), hashSessionToken(token));
});

test('R16 failures are counted per login and per address in a sliding window; the third is suspicious', () => {
  let now = 0;
  const window = new LoginFailureWindow({ windowMs: 60_000, warnAt: 3, now: () => now });
  assert.deepEqual(window.recordFailure('anna@example.com', '10.0.0.1'), { byLogin: 1, byIp: 1, failuresInWindow: 1, suspicious: false });
  now = 10_000;
  assert.equal(window.recordFailure('ANNA@example.com', '10.0.0.2').byLogin, 2);
  now = 20_000;
  assert.deepEqual(window.recordFailure('anna@example.com', '10.0.0.3'), { byLogin: 3, byIp: 1, failuresInWindow: 3, suspicious: true });
  now = 71_000;
  assert.equal(window.recordFailure('anna@example.com', '10.0.0.3').byLogin, 2, 'the first two failures left the window');
});

test('one address guessing many logins is counted by address; a success clears only the login', () => {
  const window = new LoginFailureWindow();
  for (const login of ['a@x.ru', 'b@x.ru']) window.recordFailure(login, '203.0.113.9');
  assert.deepEqual(window.recordFailure('c@x.ru', '203.0.113.9'), { byLogin: 1, byIp: 3, failuresInWindow: 3, suspicious: true });
  window.recordSuccess('c@x.ru');
  assert.deepEqual(window.recordFailure('c@x.ru', '198.51.100.1'), { byLogin: 1, byIp: 1, failuresInWindow: 1, suspicious: false });
  assert.equal(window.recordFailure('d@x.ru', '203.0.113.9').byIp, 4);
});
