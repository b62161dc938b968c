import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { LoupeError } from '@loupe/schema';

/**
 * Field encryption for values R22 keeps instead of masking: AES-256-GCM, a random 12-byte IV
 * per value, and the key id inside the value, so keys can rotate: encryption always uses the
 * active key, decryption the key the value names.
 *
 * A value reads `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>` (base64url parts). The prefix and key
 * id are authenticated too, so a value moved to another key id fails as tampered.
 */

export interface CipherKey {
  /** Written into every value; letters, digits, `_`, `-` and `.` only. */
  readonly id: string;
  /** 32 bytes, or their base64 (what `generateKey()` prints). */
  readonly key: Buffer | string;
}

export interface FieldCipherOptions {
  /** Every key still needed to decrypt stored values, the active one included. */
  readonly keys: readonly CipherKey[];
  /** The key new values are encrypted with. */
  readonly activeKeyId: string;
}

export interface FieldCipher {
  readonly activeKeyId: string;
  encrypt(plaintext: string): string;
  /** Throws `CIPHER_UNKNOWN_KEY` or `CIPHER_TAMPERED`. */
  decrypt(ciphertext: string): string;
  isEncrypted(value: string): boolean;
}

const PREFIX = 'enc:v1:';
const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_ID = /^[A-Za-z0-9_.-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;

/** True when `value` has the shape of an encrypted field, whichever key encrypted it. */
export function isEncryptedValue(value: unknown): boolean {
  return typeof value === 'string' && value.startsWith(PREFIX) && value.split(':').length === 6;
}

/** A new random key, base64: what an operator puts in the key list. */
export function generateKey(): string {
  return randomBytes(KEY_BYTES).toString('base64');
}

function keyBytes({ id, key }: CipherKey): Buffer {
  if (!KEY_ID.test(id)) {
    throw new LoupeError('CIPHER_BAD_KEY', `Key id "${id}" is not usable: use 1–64 letters, digits, "_", "-" or "."`, 500);
  }
  const bytes = typeof key === 'string' && BASE64.test(key.trim()) ? Buffer.from(key.trim(), 'base64') : Buffer.isBuffer(key) ? key : undefined;
  if (bytes?.length !== KEY_BYTES) {
    const got = bytes ? `${bytes.length} bytes` : 'a string that is not base64';
    throw new LoupeError('CIPHER_BAD_KEY', `Key "${id}" must be ${KEY_BYTES} bytes (or their base64), got ${got}; make one with generateKey()`, 500);
  }
  return Buffer.from(bytes);
}

function tampered(reason: string): LoupeError {
  return new LoupeError('CIPHER_TAMPERED', `Encrypted value is damaged or was altered (${reason}); it cannot be decrypted`, 422);
}

function decodePart(part: string, bytes: number | undefined, name: string): Buffer {
  const buffer = Buffer.from(part, 'base64url');
  if (!BASE64.test(part) || (bytes !== undefined && buffer.length !== bytes)) throw tampered(`bad ${name}`);
  return buffer;
}

/** Builds a cipher over `keys`; throws `CIPHER_BAD_KEY` or `CIPHER_UNKNOWN_KEY` on a bad key list. */
export function createFieldCipher(options: FieldCipherOptions): FieldCipher {
  const keys = new Map<string, Buffer>();
  for (const key of options.keys) {
    if (keys.has(key.id)) throw new LoupeError('CIPHER_BAD_KEY', `Key id "${key.id}" is listed twice; every key needs its own id`, 500);
    keys.set(key.id, keyBytes(key));
  }
  const activeKeyId = options.activeKeyId;
  const activeKey = keys.get(activeKeyId);
  if (!activeKey) {
    throw new LoupeError('CIPHER_UNKNOWN_KEY', `Active key "${activeKeyId}" is not in the key list (${[...keys.keys()].join(', ') || 'empty'})`, 500);
  }

  return {
    activeKeyId,
    encrypt(plaintext) {
      const iv = randomBytes(IV_BYTES);
      const header = `${PREFIX}${activeKeyId}`;
      const cipher = createCipheriv(ALGORITHM, activeKey, iv);
      cipher.setAAD(Buffer.from(header));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `${header}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
    },
    decrypt(ciphertext) {
      if (!isEncryptedValue(ciphertext)) throw tampered(`expected "${PREFIX}<keyId>:<iv>:<tag>:<ciphertext>"`);
      const [, , keyId, ivPart, tagPart, bodyPart] = ciphertext.split(':') as [string, string, string, string, string, string];
      const key = keys.get(keyId);
      if (!key) {
        throw new LoupeError('CIPHER_UNKNOWN_KEY', `Value was encrypted with key "${keyId}", which is not in the key list; add that key back to read it`, 422);
      }
      const decipher = createDecipheriv(ALGORITHM, key, decodePart(ivPart, IV_BYTES, 'IV'));
      decipher.setAAD(Buffer.from(`${PREFIX}${keyId}`));
      decipher.setAuthTag(decodePart(tagPart, TAG_BYTES, 'tag'));
      const body = bodyPart === '' ? Buffer.alloc(0) : decodePart(bodyPart, undefined, 'ciphertext');
      try {
        return Buffer.concat([decipher.update(body), decipher.final()]).toString('utf8');
      } catch {
        throw tampered('authentication failed');
      }
    },
    isEncrypted: isEncryptedValue,
  };
}
