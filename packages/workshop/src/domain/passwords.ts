import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PasswordHashOptions {
  /** CPU/memory cost N, a power of two. Default 2^15 (32 MiB with r = 8). */
  cost?: number;
  /** Block size r. Default 8. */
  blockSize?: number;
  /** Parallelisation p. Default 3. */
  parallelization?: number;
}

const KEY_BYTES = 32;
const SALT_BYTES = 16;
// OWASP's password storage cheat sheet lists N=2^15, r=8, p=3 as equal to its 2^17/8/1 minimum
// at a quarter of the memory: ~0.3 s on one core of the CI machine, off the event loop.
export const defaultPasswordHashOptions: Readonly<Required<PasswordHashOptions>> = { cost: 2 ** 15, blockSize: 8, parallelization: 3 };

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  // scrypt needs 128 × N × r bytes; raise Node's 32 MiB default just enough.
  const maxmem = 256 * (options.N ?? 16384) * (options.r ?? 8);
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_BYTES, { ...options, maxmem }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** `scrypt$N$r$p$salt$key`, salt and key in base64: the parameters travel with the hash, so they can be raised later. */
export async function hashPassword(password: string, options: PasswordHashOptions = {}): Promise<string> {
  const { cost, blockSize, parallelization } = { ...defaultPasswordHashOptions, ...options };
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, { N: cost, r: blockSize, p: parallelization });
  return ['scrypt', cost, blockSize, parallelization, salt.toString('base64'), key.toString('base64')].join('$');
}

/** Whether `password` matches `stored`; compares in constant time. A malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  const params = [n, r, p].map(Number);
  if (scheme !== 'scrypt' || !salt || !key || !params.every((v) => Number.isInteger(v) && v > 0)) return false;
  const expected = Buffer.from(key, 'base64');
  const actual = await derive(password, Buffer.from(salt, 'base64'), { N: params[0]!, r: params[1]!, p: params[2]! });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
