/**
 * Guarded attempts (reviewer sign-ins by name, enrollment codes by client address), counted in the
 * store so that every hub process sees the same count. Each attempt is its own document,
 * `<kind>:<key>:<ISO time>:<random>` in the admin-only users database, and attempts are counted by key
 * range: nothing is read, incremented and written back, so parallel attempts cannot overwrite one
 * another's count (a read–modify–write counter lost 19 of 20 parallel failures).
 *
 * A key is never stored as typed: callers pass `attemptKeyHasher`'s keyed hash (keyring.ts), so a name
 * field filled with an ID number or a password leaves no trace of it in the store or its backups.
 *
 * An attempt is written *before* the guarded work, then lists its key's attempts within the window and
 * may go ahead only if fewer than `max` others are there — all of them, not only those that sort before
 * it: an attempt written later may sort earlier (the same millisecond, another process's clock), and
 * counting by order let 9 of 30 same-millisecond guesses through a limit of 5. Counting all of them
 * fails closed: of parallel guesses at most `max` are checked, on any number of hub processes, and
 * sometimes fewer. A refused attempt's document is removed, so guessing on while locked does not extend
 * the lock; a failed one stays and counts.
 */
import { randomBytes } from 'node:crypto';
import { ok, type Result } from '../core/result.js';
import { wellFormedText, type Store, type StoreFailure } from './store/store.js';
import { DB } from './store/names.js';

export interface AttemptPolicy {
  /** The id prefix of this kind of attempt: `signin`, `enroll`. */
  readonly kind: string;
  /** How many attempts within the window may go ahead. */
  readonly max: number;
  readonly windowMs: number;
}

export interface Attempt {
  readonly id: string;
  readonly rev: string;
}

export type AttemptVerdict =
  | { readonly allowed: true; readonly attempt: Attempt }
  /** Locked until the oldest counted attempt leaves the window. */
  | { readonly allowed: false; readonly retryAfterMs: number };

interface Row {
  readonly id: string;
  readonly value: { readonly rev: string };
}

// Keys are names or addresses, typed by anyone: `:` separates the parts of an id, so it is escaped inside a key.
const keyPart = (key: string) => encodeURIComponent(wellFormedText(key));

/**
 * An attempt's time, from its id `<kind>:<key>:<ISO time>:<random>`: what lies between the second `:` and
 * the last (the kind and the escaped key hold none; an ISO time holds two).
 */
const attemptTime = (id: string) => Date.parse(id.slice(id.indexOf(':', id.indexOf(':') + 1) + 1, id.lastIndexOf(':')));

/** The attempts whose ids lie from `startkey` to `endkey`, both included. */
async function listAttempts(store: Store, startkey: string, endkey: string): Promise<Result<Row[], StoreFailure>> {
  const listed = await store.request<{ rows: Row[] }>({ db: store.dbName(DB.users), path: '_all_docs', qs: { startkey, endkey } });
  return listed.ok ? ok(listed.value.rows) : listed;
}

/** Delete these attempts, 500 a request. */
async function removeAttempts(store: Store, gone: readonly Row[]): Promise<Result<number, StoreFailure>> {
  for (let i = 0; i < gone.length; i += 500) {
    const batch = gone.slice(i, i + 500);
    const deleted = await store.request({
      db: store.dbName(DB.users),
      path: '_bulk_docs',
      method: 'POST',
      body: { docs: batch.map((row) => ({ _id: row.id, _rev: row.value.rev, _deleted: true })) },
    });
    if (!deleted.ok) return deleted;
  }
  return ok(gone.length);
}

export function attemptLedger(store: Store, policy: AttemptPolicy) {
  const prefix = (key: string) => `${policy.kind}:${keyPart(key)}:`;
  /** The attempts of `key` from time `from` to `to` (ISO times, or a time and its random part), both ends included. */
  const rows = (key: string, from: string, to: string) => listAttempts(store, `${prefix(key)}${from}`, `${prefix(key)}${to}`);

  return {
    /** Record an attempt, then say whether it may go ahead. */
    async begin(key: string, now: Date): Promise<Result<AttemptVerdict, StoreFailure>> {
      const suffix = `${now.toISOString()}:${randomBytes(6).toString('hex')}`;
      const id = `${prefix(key)}${suffix}`;
      const written = await store.putDoc(DB.users, { _id: id, type: policy.kind, at: now.toISOString() });
      if (!written.ok) return written;
      const counted = await rows(key, new Date(now.getTime() - policy.windowMs).toISOString(), '\ufff0');
      if (!counted.ok) return counted;
      // Every other attempt now in the window counts, whenever it was written. (Attempts older than the
      // window are not counted; `sweepStaleAttempts` removes them.)
      const others = counted.value.filter((row) => row.id !== id);
      if (others.length < policy.max) return ok({ allowed: true, attempt: { id, rev: written.value.rev } });
      await removeAttempts(store, [{ id, value: { rev: written.value.rev } }]);
      const oldest = others[others.length - policy.max];
      const freeAt = (oldest ? attemptTime(oldest.id) : now.getTime()) + policy.windowMs;
      return ok({ allowed: false, retryAfterMs: Math.max(1000, freeAt - now.getTime()) });
    },

    /** An attempt that was not judged after all (the store or the hashing pool was busy): it does not count. */
    async withdraw(attempt: Attempt): Promise<void> {
      await removeAttempts(store, [{ id: attempt.id, value: { rev: attempt.rev } }]);
    },

    /** A success: this attempt and every earlier one of its key no longer count. */
    async clear(key: string, attempt: Attempt): Promise<Result<void, StoreFailure>> {
      const upTo = await rows(key, '', attempt.id.slice(prefix(key).length));
      if (!upTo.ok) return upTo;
      const removed = await removeAttempts(store, upTo.value);
      return removed.ok ? ok(undefined) : removed;
    },

    /** Attempts of a key now counted (for tests and operators, never for a decision). */
    async count(key: string, now: Date): Promise<Result<number, StoreFailure>> {
      const counted = await rows(key, new Date(now.getTime() - policy.windowMs).toISOString(), '\ufff0');
      return counted.ok ? ok(counted.value.length) : counted;
    },
  };
}

/**
 * Remove every attempt older than its window, whatever its key: a key guessed once and never again would
 * otherwise stay for good (the hub runs this at start and every ten minutes).
 */
export async function sweepStaleAttempts(store: Store, policies: readonly AttemptPolicy[], now: Date): Promise<Result<number, StoreFailure>> {
  // Hubs before 0.3.0 kept one counter per name, under the name as typed: removed whole.
  const legacy = await listAttempts(store, 'signin-failures:', 'signin-failures:\ufff0');
  if (!legacy.ok) return legacy;
  let stale = legacy.value;
  for (const policy of policies) {
    const rows = await listAttempts(store, `${policy.kind}:`, `${policy.kind}:\ufff0`);
    if (!rows.ok) return rows;
    const cutoff = now.getTime() - policy.windowMs;
    stale = stale.concat(rows.value.filter((row) => attemptTime(row.id) <= cutoff));
  }
  return removeAttempts(store, stale);
}
