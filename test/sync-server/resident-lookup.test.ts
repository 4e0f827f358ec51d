/**
 * The residents' "follow my case" on a real hub (issue 18 §2): a case opens with the phone's last four
 * digits or the receipt's lookup code and shows progress with nothing personal; every miss looks the same
 * and takes as long; wrong answers lock the case's phone answer after five, whatever the address, but not
 * its code, and not before the case exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPlaintextIdNumbers } from '../../core/case/sealed.js';
import { formatCaseNumber } from '../../core/case/number.js';
import { addDays, localDateOf, type LocalDate } from '../../core/local-date.js';
import type { ResidentCaseView } from '../../core/resident/lookup.js';
import { attemptLedger } from '../../sync-server/attempts.js';
import { attemptKeyHasher, loadKeyRing } from '../../sync-server/keyring.js';
import { LOOKUP_CASE_ATTEMPTS, LOOKUPS_PER_ADDRESS } from '../../sync-server/resident/lookup-route.js';
import { MISS_FLOOR_MS } from '../../sync-server/resident/public-kit.js';
import { startTestHub, storeForwardedCase, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let hub: TestHub;
let kiosk: EnrolledKiosk;
/** Forwarded to the town; applicant 张三国 with phone 13900001111 and ID number 422822198001010015. */
let withPhone: string;
const CODE = 'K7QX2M9P';

/** A lookup from a resident's address, as the county's proxy in front of the hub reports it. */
const lookup = (caseNumber: string, answer: string, from = '203.0.113.1') =>
  hub.call('POST', '/api/resident/lookup', { body: { caseNumber, answer }, headers: { 'x-forwarded-for': from } });

/** A well-formed number of a case that was never registered. */
const unregistered = (sequence: number) => {
  const number = formatCaseNumber({ village: VILLAGE_A, date: '2026-11-20' as LocalDate, kioskNumber: 42, sequence });
  if (!number.ok) throw new Error(number.error.code);
  return number.value;
};

beforeAll(async () => {
  hub = await startTestHub({ config: { trustProxy: ['loopback'] } });
  kiosk = await hub.enroll(VILLAGE_A);
  withPhone = await storeForwardedCase(hub, kiosk, '张三国', [], { lookupCode: CODE });
}, 60_000);

afterAll(async () => {
  await hub.close();
});

describe('following a case on the residents’ page', () => {
  it('opens with the phone’s last four digits: progress, the hall, the due date — and nothing personal', async () => {
    const answer = await lookup(withPhone, '1111');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('cache-control')).toContain('no-store');
    const view = answer.body as ResidentCaseView;
    expect(view).toMatchObject({
      caseNumber: withPhone,
      applicant: '张*国',
      status: 'forwarded',
      nextStep: 'wait',
      heldBy: { level: 'town', name: '业州镇' },
      hall: { town: '业州镇', village: '雀儿笼村' },
      missing: [],
    });
    expect(view.due?.on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const text = JSON.stringify(answer.body);
    for (const personal of ['张三国', '422822198001010015', '422822********0015', '13900001111', '139****1111', CODE]) expect(text).not.toContain(personal);
    expect(findPlaintextIdNumbers(answer.body)).toEqual([]);
  });

  it('opens with the lookup code as a resident types it: small letters, full-width, a dash', async () => {
    expect((await lookup(withPhone, 'k7qx-2m9p')).status).toBe(200);
    expect((await lookup(withPhone, 'Ｋ７ＱＸ２Ｍ９Ｐ')).status).toBe(200);
    // Spaces and dashes in the case number, as read off the receipt.
    expect((await lookup(withPhone.replaceAll('-', ' '), '1111')).status).toBe(200);
  });

  it('answers every miss alike: no such case, wrong phone digits, a wrong code', async () => {
    const from = '203.0.113.2';
    const misses = await Promise.all([lookup(unregistered(1), '1111', from), lookup(withPhone, '2222', from), lookup(withPhone, 'ABCDEFGH', from)]);
    for (const miss of misses) {
      expect(miss.status).toBe(404);
      expect(miss.body).toEqual(misses[0].body);
    }
    expect(misses[0].body).toMatchObject({ error: 'lookup.notFound' });
  });

  it('says at once when the number or the answer cannot be right, without counting a try', async () => {
    const badCheck = withPhone.slice(0, -1) + (withPhone.endsWith('1') ? '2' : '1');
    expect((await lookup(badCheck, '1111')).body).toMatchObject({ error: 'lookup.caseNumber' });
    expect((await lookup(withPhone, '12')).body).toMatchObject({ error: 'lookup.answer' });
    // O and I are never in a code: refused, not read as 0 and 1.
    expect((await lookup(withPhone, 'K7QX2MOI')).body).toMatchObject({ error: 'lookup.answer' });
    expect((await lookup(withPhone, '1111')).status).toBe(200);
  });

  it('locks a case after five wrong answers in a day from any addresses, even against the right one, and leaves other cases open', async () => {
    const target = await storeForwardedCase(hub, kiosk, '李秀英', [], { lookupCode: 'ZZZZ2222' });
    for (let wrong = 0; wrong < LOOKUP_CASE_ATTEMPTS.max; wrong++) {
      expect((await lookup(target, String(3000 + wrong), `198.51.100.${String(10 + wrong)}`)).status).toBe(404);
    }
    const locked = await lookup(target, '1111', '198.51.100.99');
    expect(locked.status).toBe(429);
    expect(locked.body).toMatchObject({ error: 'lookup.caseLocked' });
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(60 * 60);
    // The addresses are not locked by it: another case still opens from there.
    expect((await lookup(withPhone, '1111', '198.51.100.10')).status).toBe(200);
  });

  it('keeps counting a case’s wrong answers when the right one comes between them, and opens a locked case by its code', async () => {
    const target = await storeForwardedCase(hub, kiosk, '赵六', [], { lookupCode: 'YYYY3333' });
    const from = '203.0.113.3';
    for (let wrong = 0; wrong < LOOKUP_CASE_ATTEMPTS.max - 1; wrong++) await lookup(target, String(4000 + wrong), from);
    // The resident looks in between: that does not forgive the guesser's tries.
    expect((await lookup(target, '1111', from)).status).toBe(200);
    expect((await lookup(target, '4999', from)).status).toBe(404);
    expect((await lookup(target, '1111', from)).body).toMatchObject({ error: 'lookup.caseLocked' });
    // Locked against phone digits, the case still opens with the receipt's code; a wrong code is refused as locked.
    expect((await lookup(target, 'yyyy-3333', from)).status).toBe(200);
    expect((await lookup(target, 'YYYY3334', from)).body).toMatchObject({ error: 'lookup.caseLocked' });
  });

  it('cannot be made to lock a case before it exists: a number dated after today is a miss that locks nothing', async () => {
    const tomorrow = formatCaseNumber({ village: VILLAGE_A, date: addDays(localDateOf(new Date().toISOString()), 1), kioskNumber: 42, sequence: 1 });
    if (!tomorrow.ok) throw new Error(tomorrow.error.code);
    for (let wrong = 0; wrong < LOOKUP_CASE_ATTEMPTS.max + 2; wrong++) {
      expect((await lookup(tomorrow.value, String(6000 + wrong), `198.51.100.${String(40 + wrong)}`)).body).toMatchObject({ error: 'lookup.notFound' });
    }
    const key = attemptKeyHasher(loadKeyRing(hub.config.dataDir))(LOOKUP_CASE_ATTEMPTS.kind, tomorrow.value);
    const counted = await attemptLedger(hub.hub.store, LOOKUP_CASE_ATTEMPTS).count(key, new Date());
    expect(counted.ok && counted.value).toBe(0);
  });

  it('takes as long for a miss as the floor says, whatever was missed', async () => {
    for (const [caseNumber, answer] of [
      [unregistered(2), '1111'],
      [withPhone, '2223'],
    ] as const) {
      const started = performance.now();
      expect((await lookup(caseNumber, answer, '203.0.113.7')).status).toBe(404);
      expect(performance.now() - started).toBeGreaterThanOrEqual(MISS_FLOOR_MS - 1);
    }
  });

  it('brakes a burst from one address, right answers or wrong, and no other address', async () => {
    const from = '203.0.113.4';
    for (let i = 0; i < LOOKUPS_PER_ADDRESS.points; i++) expect((await lookup(withPhone, '1111', from)).status).toBe(200);
    const braked = await lookup(withPhone, '1111', from);
    expect(braked.status).toBe(429);
    expect(braked.body).toMatchObject({ error: 'lookup.tooManyTries' });
    expect(Number(braked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await lookup(withPhone, '1111', '203.0.113.5')).status).toBe(200);
  });

  it('takes the answer only in the body: a GET or a query string is not a lookup', async () => {
    expect((await hub.call('GET', `/api/resident/lookup?caseNumber=${withPhone}&answer=1111`)).status).not.toBe(200);
    // A body another site's page could post without asking first (text/plain) is not taken.
    const form = await hub.call('POST', '/api/resident/lookup', {
      rawBody: JSON.stringify({ caseNumber: withPhone, answer: '1111' }),
      headers: { 'x-forwarded-for': '203.0.113.6', 'content-type': 'text/plain' },
    });
    expect(form.status).toBe(415);
  });
});
