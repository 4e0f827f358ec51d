/** Random tokens and their stored forms. Secrets are never stored; only their hashes are. */
import { createHash, randomBytes, scrypt as scryptCallback, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import pLimit from 'p-limit';

const scrypt = promisify(scryptCallback) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** `K7QX-4M2P-9TRW`: 60 bits of Crockford base32, for a person to type. */
export function newEnrollmentCode(): string {
  const bytes = randomBytes(12);
  const chars = [...bytes].map((b) => CROCKFORD[b % 32]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}`;
}

/** 256 bits for a machine credential. */
export const newSecret = () => randomBytes(32).toString('base64url');

/** High-entropy tokens need no slow hash: SHA-256 of the token is enough to make the store useless to a thief. */
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

export function sameHash(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

// Reviewer passwords are low-entropy: scrypt, memory-hard (N = 2^17, r = 8, p = 1: 128 MiB, OWASP's advice).
const SCRYPT = { N: 2 ** 17, r: 8, p: 1, maxmem: 256 * 1024 * 1024 };

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, key] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !key) return false;
  const options = { N: Number(n), r: Number(r), p: Number(p), maxmem: SCRYPT.maxmem };
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), 32, options);
  const expected = Buffer.from(key, 'base64url');
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

/**
 * Password checks at once and waiting, per hub process. Each scrypt check holds 128 MiB and a core for
 * about a quarter of a second: unbounded, fifty sign-ins at once would take 6 GiB and every core, and
 * kiosks' syncs with them. Beyond the queue a sign-in is told to come back instead of waiting.
 */
export const PASSWORD_CHECKS = { atOnce: 2, waiting: 16 } as const;

export interface PasswordCheckPool {
  /** `busy` when the queue is full: nothing was checked. */
  verify(password: string, stored: string): Promise<boolean | 'busy'>;
  /** Checks running and waiting now (for /metrics). */
  load(): { running: number; waiting: number };
}

export function passwordCheckPool(limits: { atOnce: number; waiting: number } = PASSWORD_CHECKS): PasswordCheckPool {
  const limit = pLimit(limits.atOnce);
  return {
    verify: (password, stored) => (limit.pendingCount >= limits.waiting ? Promise.resolve('busy') : limit(() => verifyPassword(password, stored))),
    load: () => ({ running: limit.activeCount, waiting: limit.pendingCount }),
  };
}
