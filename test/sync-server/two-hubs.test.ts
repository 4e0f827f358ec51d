/**
 * Hub processes are stateless: everything durable is in the store, so two `cunban-hub serve` processes
 * on one store act as one hub. A kiosk enrolled through one syncs through the other, a code used at
 * one is used at both, and residents' wrong answers are counted once for both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../core/api/enrollment.js';
import type { AcquiredStore } from '../../sync-server/hub.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { formatCaseNumber } from '../../core/case/number.js';
import type { LocalDate } from '../../core/local-date.js';
import { LOOKUP_ADDRESS_ATTEMPTS, LOOKUP_CASE_ATTEMPTS } from '../../sync-server/resident/lookup-route.js';
import { villageDb } from '../../sync-server/store/names.js';
import { caseFor, VILLAGE_A } from './hub-harness.js';
import { person, sealed } from '../core/fixtures.js';
import { startHubPair, type HubPair } from './hub-process.js';

let pair: HubPair;
let admin: AcquiredStore;
let portA = 0;
let portB = 0;

beforeAll(async () => {
  pair = await startHubPair();
  ({ admin } = pair);
  [portA, portB] = pair.ports;
}, 60_000);

afterAll(async () => {
  await pair.close();
});

describe('two hub processes on one store', () => {
  it('are two processes on two ports', () => {
    expect(portA).toBeGreaterThan(0);
    expect(portB).toBeGreaterThan(0);
    expect(portA).not.toBe(portB);
  });

  it('serve one kiosk: enrolled through the first, syncing through the second', async () => {
    const issued = await issueEnrollmentCode(admin.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error(issued.error.reason);
    const enrolledAtA = await fetch(`http://127.0.0.1:${portA}/api/enroll`, { method: 'POST', body: JSON.stringify({ code: issued.value.code }) });
    expect(enrolledAtA.status).toBe(201);
    const kiosk = enrollResponseSchema.parse(await enrolledAtA.json());

    // The same code presented to the other process is already used.
    const againAtB = await fetch(`http://127.0.0.1:${portB}/api/enroll`, { method: 'POST', body: JSON.stringify({ code: issued.value.code }) });
    expect(againAtB.status).toBe(409);

    const doc = caseFor({ ...kiosk, village: VILLAGE_A });
    const pushedToB = await fetch(`http://127.0.0.1:${portB}/sync/village_${VILLAGE_A}/_bulk_docs`, {
      method: 'POST',
      headers: { authorization: kiosk.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ docs: [doc] }),
    });
    expect(await pushedToB.json()).toEqual([expect.objectContaining({ ok: true, id: doc._id })]);

    const readFromA = await fetch(`http://127.0.0.1:${portA}/sync/village_${VILLAGE_A}/${doc._id}`, { headers: { authorization: kiosk.authorization } });
    expect(readFromA.status).toBe(200);
    expect(await readFromA.json()).toMatchObject({ caseNumber: doc.caseNumber, events: doc.events });
  });

  it('count a resident lookup’s wrong answers once for both: per case, then per address', async () => {
    const lookup = (port: number, caseNumber: string, answer: string) =>
      fetch(`http://127.0.0.1:${String(port)}/api/resident/lookup`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ caseNumber, answer }),
      });
    const doc = caseFor(
      { kioskId: 'kiosk-422822100202-07', kioskNumber: 7, village: VILLAGE_A, authorization: '' },
      { applicant: { ...person('张三'), phone: sealed('phone'), phoneMasked: '139****1111' } },
    );
    const stored = await admin.store.putDoc(villageDb(VILLAGE_A), doc);
    expect(stored.ok).toBe(true);
    // Five wrong answers split over the two processes lock the case on both, the right answer included.
    for (let wrong = 0; wrong < LOOKUP_CASE_ATTEMPTS.max; wrong++) {
      expect((await lookup(wrong % 2 === 0 ? portA : portB, doc._id, String(2000 + wrong))).status).toBe(404);
    }
    const locked = await lookup(portA, doc._id, '1111');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ error: 'lookup.caseLocked' });

    // Wrong answers from one address for many cases (each process's burst brake never reached): the store's count stops it.
    const numberOf = (sequence: number) => {
      const number = formatCaseNumber({ village: VILLAGE_A, date: '2026-11-21' as LocalDate, kioskNumber: 43, sequence });
      if (!number.ok) throw new Error(number.error.code);
      return number.value;
    };
    // The five wrong answers above count against the address too, and so does the try the locked case refused.
    const spent = LOOKUP_CASE_ATTEMPTS.max + 1;
    for (let sequence = 1; sequence <= LOOKUP_ADDRESS_ATTEMPTS.max - spent; sequence++) {
      expect((await lookup(sequence % 2 === 0 ? portA : portB, numberOf(sequence), '1111')).status).toBe(404);
    }
    const stopped = await lookup(portB, numberOf(999), '1111');
    expect(stopped.status).toBe(429);
    expect(await stopped.json()).toMatchObject({ error: 'lookup.tooManyTries' });
  });
});
