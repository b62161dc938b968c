import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { LoupeError } from '@loupe/schema';
import { createFieldCipher, generateKey, isEncryptedValue } from './field-cipher.js';

const keyA = { id: 'k2026-05', key: generateKey() };
const keyB = { id: 'k2026-11', key: randomBytes(32) };

function assertCode(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => error instanceof LoupeError && error.code === code);
}

test('a value encrypts to an enc:v1 string naming its key and decrypts back', () => {
  const cipher = createFieldCipher({ keys: [keyA], activeKeyId: keyA.id });
  for (const plaintext of ['+7 912 345 67 89', '', 'Иванов Иван Иванович', 'x'.repeat(10_000)]) {
    const value = cipher.encrypt(plaintext);
    assert.match(value, /^enc:v1:k2026-05:[\w-]+:[\w-]+:[\w-]*$/);
    assert.ok(!value.includes(plaintext) || plaintext === '');
    assert.equal(cipher.isEncrypted(value), true);
    assert.equal(isEncryptedValue(value), true);
    assert.equal(cipher.decrypt(value), plaintext);
  }
  assert.equal(cipher.isEncrypted('+7 912 345 67 89'), false);
});

test('the same value encrypts differently every time (random IV)', () => {
  const cipher = createFieldCipher({ keys: [keyA], activeKeyId: keyA.id });
  assert.notEqual(cipher.encrypt('ivan@example.com'), cipher.encrypt('ivan@example.com'));
});

test('after rotating to a new active key, old values still decrypt and new ones use the new key', () => {
  const before = createFieldCipher({ keys: [keyA], activeKeyId: keyA.id });
  const old = before.encrypt('4509 235857');
  const after = createFieldCipher({ keys: [keyA, keyB], activeKeyId: keyB.id });
  assert.equal(after.decrypt(old), '4509 235857');
  const fresh = after.encrypt('4509 235857');
  assert.ok(fresh.startsWith('enc:v1:k2026-11:'));
  assert.equal(after.decrypt(fresh), '4509 235857');
  assertCode(() => before.decrypt(fresh), 'CIPHER_UNKNOWN_KEY');
});

test('a tampered value is rejected, whichever part was changed', () => {
  const cipher = createFieldCipher({ keys: [keyA, keyB], activeKeyId: keyA.id });
  const value = cipher.encrypt('hunter2');
  const parts = value.split(':');
  const flip = (part: string): string => (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
  for (const index of [3, 4, 5]) {
    const changed = [...parts];
    changed[index] = flip(changed[index]!);
    assertCode(() => cipher.decrypt(changed.join(':')), 'CIPHER_TAMPERED');
  }
  // The key id is authenticated: the same ciphertext under another known key fails too.
  assertCode(() => cipher.decrypt(value.replace(keyA.id, keyB.id)), 'CIPHER_TAMPERED');
  assertCode(() => cipher.decrypt('enc:v1:k2026-05:short'), 'CIPHER_TAMPERED');
  assertCode(() => cipher.decrypt('hunter2'), 'CIPHER_TAMPERED');
});

test('an unknown key id is reported with its id', () => {
  const cipher = createFieldCipher({ keys: [keyA], activeKeyId: keyA.id });
  const foreign = createFieldCipher({ keys: [{ id: 'k-other', key: generateKey() }], activeKeyId: 'k-other' }).encrypt('x');
  assert.throws(() => cipher.decrypt(foreign), /key "k-other"/);
  assertCode(() => cipher.decrypt(foreign), 'CIPHER_UNKNOWN_KEY');
  assertCode(() => createFieldCipher({ keys: [keyA], activeKeyId: 'k-missing' }), 'CIPHER_UNKNOWN_KEY');
});

test('keys of the wrong length, not base64, duplicated or with a bad id are refused', () => {
  assertCode(() => createFieldCipher({ keys: [{ id: 'k', key: randomBytes(16) }], activeKeyId: 'k' }), 'CIPHER_BAD_KEY');
  assertCode(() => createFieldCipher({ keys: [{ id: 'k', key: randomBytes(16).toString('base64') }], activeKeyId: 'k' }), 'CIPHER_BAD_KEY');
  assertCode(() => createFieldCipher({ keys: [{ id: 'k', key: 'not base64 at all!' }], activeKeyId: 'k' }), 'CIPHER_BAD_KEY');
  assertCode(() => createFieldCipher({ keys: [keyA, { ...keyA }], activeKeyId: keyA.id }), 'CIPHER_BAD_KEY');
  assertCode(() => createFieldCipher({ keys: [{ id: 'a:b', key: generateKey() }], activeKeyId: 'a:b' }), 'CIPHER_BAD_KEY');
});

test('generateKey gives 32 random bytes in base64', () => {
  const key = generateKey();
  assert.equal(Buffer.from(key, 'base64').length, 32);
  assert.notEqual(generateKey(), key);
});
