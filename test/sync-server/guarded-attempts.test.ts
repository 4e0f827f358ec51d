/**
 * Guessing, in parallel and across hub processes (issue 15 §1, §4). Two `cunban-hub serve` processes on
 * one store, behind a trusted proxy on loopback (`CUNBAN_TRUST_PROXY`), so each request's client
 * address is the `X-Forwarded-For` the test sends.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENROLL_ATTEMPTS } from '../../sync-server/api.js';
import { attemptLedger, sweepStaleAttempts } from '../../sync-server/attempts.js';
import { attemptKeyHasher, loadKeyRing } from '../../sync-server/keyring.js';
import { DB } from '../../sync-server/store/names.js';
import type { AcquiredStore } from '../../sync-server/hub.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { MAX_SIGN_IN_FAILURES, SIGN_IN_ATTEMPTS, SIGN_IN_LOCK_MS } from '../../sync-server/review/sessions.js';
import { addReviewer } from '../../sync-server/users.js';
import { startTestHub, VILLAGE_A } from './hub-harness.js';
import { startHubPair, type HubPair } from './hub-process.js';

let pair: HubPair;
let admin: AcquiredStore;
const at = (hub: number) => `http://127.0.0.1:${String(pair.ports[hub] ?? 0)}`;

interface Answer {
  readonly status: number;
  readonly error?: string;
}

async function post(hub: number, path: string, from: string, body: unknown): Promise<Answer> {
  const response = await fetch(`${at(hub)}${path}`, { method: 'POST', headers: { 'x-forwarded-for': from }, body: JSON.stringify(body) });
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as { error?: string }) : {};
  return { status: response.status, ...(parsed.error ? { error: parsed.error } : {}) };
}

const signIn = (hub: number, from: string, name: string, password: string) => post(hub, '/api/session', from, { name, password });

beforeAll(async () => {
  pair = await startHubPair({ CUNBAN_TRUST_PROXY: 'loopback' });
  ({ admin } = pair);
  for (const name of ['parallel-target', 'spray-target']) {
    const added = await addReviewer(admin.store, { name, role: 'county', password: `${name}-secret` }, new Date());
    if (!added.ok) throw new Error(added.error.code);
  }
}, 60_000);

afterAll(async () => {
  await pair.close();
});

describe('a reviewer name under parallel guessing', () => {
  it('fifty wrong passwords at once, then the right one: refused, on this hub process and on another', async () => {
    const guesses = await Promise.all(Array.from({ length: 50 }, (_, i) => signIn(0, `10.1.${String(i)}.1`, 'parallel-target', `wrong-guess-${String(i)}`)));
    expect(guesses.filter((answer) => answer.status === 200)).toEqual([]);
    // Each guess was either checked and wrong, or refused unchecked because the name was locked.
    expect(guesses.every((answer) => answer.error === 'signIn.wrong' || answer.error === 'signIn.locked')).toBe(true);
    // Never more than five checked, however the fifty race (fewer when they all write before any counts).
    const checked = guesses.filter((answer) => answer.error === 'signIn.wrong').length;
    expect(checked).toBeLessThanOrEqual(MAX_SIGN_IN_FAILURES);
    const key = attemptKeyHasher(loadKeyRing(pair.dataDir))('signin', 'parallel-target');
    const ledger = attemptLedger(admin.store, { kind: 'signin', max: MAX_SIGN_IN_FAILURES, windowMs: SIGN_IN_LOCK_MS });
    const counted = await ledger.count(key, new Date());
    expect(counted.ok && counted.value).toBe(checked);
    // Guessing on, one at a time, gets exactly the rest of the five.
    for (let more = checked; more < MAX_SIGN_IN_FAILURES; more++) {
      expect(await signIn(more % 2, `10.1.100.${String(more)}`, 'parallel-target', `late-guess-${String(more)}`)).toEqual({
        status: 401,
        error: 'signIn.wrong',
      });
    }

    expect(await signIn(0, '10.1.200.1', 'parallel-target', 'parallel-target-secret')).toEqual({ status: 429, error: 'signIn.locked' });
    expect(await signIn(1, '10.1.200.2', 'parallel-target', 'parallel-target-secret')).toEqual({ status: 429, error: 'signIn.locked' });
  }, 60_000);

  it('a success clears earlier failures, on every process', async () => {
    for (let i = 0; i < MAX_SIGN_IN_FAILURES - 1; i++) {
      expect(await signIn(i % 2, '10.2.0.1', 'spray-target', `nope-${String(i)}`)).toEqual({ status: 401, error: 'signIn.wrong' });
    }
    expect((await signIn(1, '10.2.0.1', 'spray-target', 'spray-target-secret')).status).toBe(200);
    for (let i = 0; i < MAX_SIGN_IN_FAILURES - 1; i++) {
      expect(await signIn(i % 2, '10.2.0.1', 'spray-target', `again-${String(i)}`)).toEqual({ status: 401, error: 'signIn.wrong' });
    }
    expect((await signIn(0, '10.2.0.1', 'spray-target', 'spray-target-secret')).status).toBe(200);
  }, 60_000);
});

describe('a hub behind a TLS proxy it trusts', () => {
  it('marks the session cookie Secure when the proxy says the client used https', async () => {
    const response = await fetch(`${at(0)}/api/session`, {
      method: 'POST',
      headers: { 'x-forwarded-for': '10.6.0.1', 'x-forwarded-proto': 'https' },
      body: JSON.stringify({ name: 'spray-target', password: 'spray-target-secret' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/; Secure$/);
  }, 60_000);
});

describe('what tries leave in the store', () => {
  it('never the name as typed: an ID number typed as a name leaves no trace of it', async () => {
    const typed = '422822198001010015';
    expect(await signIn(0, '10.8.0.1', typed, 'whatever-it-is')).toEqual({ status: 401, error: 'signIn.wrong' });
    expect(await post(1, '/api/enroll', '10.8.0.1', { code: 'AAAA-AAAA-AA99' })).toEqual({ status: 404, error: 'enroll.codeUnknown' });
    const all = await admin.store.request<{ rows: { id: string }[] }>({ db: admin.store.dbName(DB.users), path: '_all_docs', qs: { include_docs: true } });
    if (!all.ok) throw new Error(all.error.reason);
    const text = JSON.stringify(all.value);
    expect(text).toContain('signin:');
    for (const secret of [typed, '10.8.0.1', 'whatever-it-is']) expect(text).not.toContain(secret);
  });

  it('are swept once their window has passed, whatever their key', async () => {
    const old = new Date(Date.now() - 2 * SIGN_IN_LOCK_MS).toISOString();
    // Two stale tries, and a counter a hub before 0.3.0 kept under the name as typed.
    for (const id of [`signin:never-again:${old}:aa`, `enroll:someone:${old}:bb`, 'signin-failures:422822198001010015']) {
      const put = await admin.store.putDoc(DB.users, { _id: id, type: 'signin', at: old });
      if (!put.ok) throw new Error(put.error.reason);
    }
    const swept = await sweepStaleAttempts(admin.store, [SIGN_IN_ATTEMPTS, ENROLL_ATTEMPTS], new Date());
    expect(swept.ok && swept.value).toBeGreaterThanOrEqual(3);
    for (const prefix of ['signin:never-again:', 'enroll:someone:', 'signin-failures:'])
      expect(await admin.store.idsWithPrefix(DB.users, prefix)).toEqual({ ok: true, value: [] });
    // Recent tries stay: the lock of the parallel test still holds.
    expect(await signIn(1, '10.1.200.3', 'parallel-target', 'parallel-target-secret')).toEqual({ status: 429, error: 'signIn.locked' });
  });
});

describe('one client address guessing over many names', () => {
  it('is braked after sixty sign-ins in ten minutes; another address is not', async () => {
    // Sixty tries on one unknown name: only five are checked (the name locks), all sixty are braked.
    const tries = await Promise.all(Array.from({ length: 60 }, (_, i) => signIn(0, '10.3.0.1', 'no-such-reviewer', `guess-${String(i)}`)));
    expect(tries.some((answer) => answer.error === 'signIn.throttled')).toBe(false);
    expect(await signIn(0, '10.3.0.1', 'another-name', 'guess')).toEqual({ status: 429, error: 'signIn.throttled' });
    expect(await signIn(0, '10.3.0.2', 'another-name', 'guess')).toEqual({ status: 401, error: 'signIn.wrong' });
  }, 60_000);
});

describe('enrollment codes guessed through a load balancer', () => {
  it('ten bad codes from one kiosk address stop that address, on both processes, and no other', async () => {
    for (let i = 0; i < 10; i++) {
      expect(await post(i % 2, '/api/enroll', '10.4.0.1', { code: `AAAA-AAAA-AA${String(i).padStart(2, '0')}` })).toEqual({
        status: 404,
        error: 'enroll.codeUnknown',
      });
    }
    const issued = await issueEnrollmentCode(admin.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error(issued.error.reason);
    expect(await post(1, '/api/enroll', '10.4.0.1', { code: issued.value.code })).toEqual({ status: 429, error: 'enroll.rateLimited' });
    expect(await post(0, '/api/enroll', '10.4.0.1', { code: issued.value.code })).toEqual({ status: 429, error: 'enroll.rateLimited' });
    // The technician in another village, behind the same load balancer, enrolls.
    expect((await post(1, '/api/enroll', '10.4.0.2', { code: issued.value.code })).status).toBe(201);
  }, 60_000);
});

describe('a hub not told to trust a proxy', () => {
  it('ignores X-Forwarded-For: a guesser cannot dodge the limit by naming other addresses', async () => {
    const hub = await startTestHub();
    try {
      for (let i = 0; i < 10; i++) {
        const guess = await hub.call('POST', '/api/enroll', {
          body: { code: `BBBB-BBBB-BB${String(i).padStart(2, '0')}` },
          headers: { 'x-forwarded-for': `10.5.${String(i)}.1` },
        });
        expect(guess.status).toBe(404);
      }
      const next = await hub.call('POST', '/api/enroll', { body: { code: 'BBBB-BBBB-BB99' }, headers: { 'x-forwarded-for': '10.5.99.1' } });
      expect(next).toMatchObject({ status: 429, body: { error: 'enroll.rateLimited' } });
    } finally {
      await hub.close();
    }
  }, 60_000);

  it('does not believe X-Forwarded-Proto: the sign-in cookie is not marked Secure on a plain link', async () => {
    const hub = await startTestHub();
    try {
      await addReviewer(hub.hub.store, { name: 'proto-check', role: 'county', password: 'proto-check-secret' }, new Date());
      const answer = await hub.call('POST', '/api/session', {
        body: { name: 'proto-check', password: 'proto-check-secret' },
        headers: { 'x-forwarded-proto': 'https' },
      });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('set-cookie')).not.toMatch(/Secure/);
    } finally {
      await hub.close();
    }
  }, 60_000);
});

describe('tries that race in the same millisecond', () => {
  it('check at most the limit, however their random parts sort', async () => {
    // One instant for all: ids then sort by their random part, not by when they were written.
    const ledger = attemptLedger(admin.store, { kind: 'race-test', max: 5, windowMs: 60_000 });
    const now = new Date();
    for (let round = 0; round < 3; round++) {
      const verdicts = await Promise.all(Array.from({ length: 30 }, () => ledger.begin(`race-${String(round)}`, now)));
      const allowed = verdicts.filter((verdict) => verdict.ok && verdict.value.allowed).length;
      expect(allowed).toBeLessThanOrEqual(5);
      const counted = await ledger.count(`race-${String(round)}`, now);
      expect(counted.ok && counted.value).toBe(allowed);
    }
  }, 60_000);
});
