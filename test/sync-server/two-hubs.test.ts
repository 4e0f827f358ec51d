/**
 * Hub processes are stateless: everything durable is in the store, so two `cunban-hub serve` processes
 * on one store act as one hub. A kiosk enrolled through one syncs through the other, and a code used at
 * one is used at both.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../core/api/enrollment.js';
import type { AcquiredStore } from '../../sync-server/hub.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { caseFor, VILLAGE_A } from './hub-harness.js';
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
});
