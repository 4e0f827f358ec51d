/** The password-check pool (issue 15 §1): a flood of sign-ins queues a bounded few scrypt checks, and the rest are told to come back. */
import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { passwordCheckPool } from '../../sync-server/secrets.js';

// A cheap scrypt hash (N = 2^12) in the stored format, so the test measures the pool, not the machine.
function cheapHash(password: string): string {
  const salt = randomBytes(16);
  const key = scryptSync(password, salt, 32, { N: 2 ** 12, r: 8, p: 1 });
  return `scrypt$4096$8$1$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

describe('password checks', () => {
  it('run at most `atOnce` together, queue at most `waiting`, and answer busy beyond', async () => {
    const pool = passwordCheckPool({ atOnce: 2, waiting: 4 });
    const stored = cheapHash('right-password');
    let peak = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, pool.load().running);
    }, 1);
    const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => pool.verify(i === 0 ? 'right-password' : 'wrong', stored)));
    clearInterval(sampler);
    expect(answers.filter((answer) => answer === 'busy').length).toBe(12 - 2 - 4);
    expect(answers[0]).toBe(true);
    expect(answers.slice(1, 6)).toEqual([false, false, false, false, false]);
    expect(peak).toBeLessThanOrEqual(2);
    expect(pool.load()).toEqual({ running: 0, waiting: 0 });
    // Once the queue has drained, checks are taken again.
    expect(await pool.verify('right-password', stored)).toBe(true);
  });
});
