/**
 * Re-enrolling a kiosk in place (renderer/data/re-enroll.ts): its credential refused — revoked, or unknown
 * to a hub restored from a backup — it keeps its id, its database and the numbers it numbered under.
 * Enrollment is braked per client address and these tests enroll many kiosks: as behind the county's
 * proxy, each request comes from its own address.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../core/api/enrollment.js';
import { findReEnrollable, issueEnrollmentCode, reserveNumbersAfterRestore } from '../../sync-server/kiosks.js';
import { DB } from '../../sync-server/store/names.js';
import { startTestHub, VILLAGE_A, VILLAGE_B, type TestHub } from './hub-harness.js';

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub({ config: { trustProxy: ['loopback'] } });
});

afterAll(async () => {
  await t.close();
});

async function code(village = VILLAGE_A): Promise<string> {
  const issued = await issueEnrollmentCode(t.hub.store, village, new Date());
  if (!issued.ok) throw new Error(issued.error.reason);
  return issued.value.code;
}

let clients = 0;
const enroll = (body: unknown) =>
  t.call('POST', '/api/enroll', { body, headers: { 'x-forwarded-for': `10.9.${String(Math.floor(++clients / 200))}.${String(clients % 200)}` } });

describe('re-enrolling a kiosk in place', () => {
  const codeFor = async (kioskId: string) => {
    const issued = await issueEnrollmentCode(t.hub.store, kioskId.slice(6, 18), new Date(), undefined, kioskId);
    if (!issued.ok) throw new Error(issued.error.reason);
    return issued.value.code;
  };

  it('takes only a code made for that kiosk, and a code refused that way is not spent', async () => {
    const mine = enrollResponseSchema.parse((await enroll({ code: await code() })).body);
    const other = enrollResponseSchema.parse((await enroll({ code: await code() })).body);
    const continuing = { kioskId: mine.kioskId, numbers: [mine.kioskNumber] };
    const forOther = await codeFor(other.kioskId);
    expect(await enroll({ code: forOther, continuing })).toMatchObject({ status: 409, body: { error: 'enroll.otherKiosk' } });
    const fresh = await code();
    expect(await enroll({ code: fresh, continuing })).toMatchObject({ status: 409, body: { error: 'enroll.otherKiosk' } });
    // Both codes still work where they belong.
    expect((await enroll({ code: forOther })).status).toBe(201);
    expect((await enroll({ code: fresh })).status).toBe(201);
    const again = enrollResponseSchema.parse((await enroll({ code: await codeFor(mine.kioskId), continuing })).body);
    expect(again).toMatchObject({ kioskId: mine.kioskId });
    expect(again.kioskNumber).not.toBe(mine.kioskNumber);
  });

  it('never claims a number another kiosk holds', async () => {
    const mine = enrollResponseSchema.parse((await enroll({ code: await code() })).body);
    const other = enrollResponseSchema.parse((await enroll({ code: await code() })).body);
    const again = await enroll({ code: await codeFor(mine.kioskId), continuing: { kioskId: mine.kioskId, numbers: [mine.kioskNumber, other.kioskNumber] } });
    expect(again.status).toBe(201);
    const kiosk = await t.hub.store.getDoc<{ numbers: number[] }>(DB.kiosks, `kiosk:${mine.kioskId}`);
    expect(kiosk.ok && kiosk.value.numbers).toEqual([mine.kioskNumber, enrollResponseSchema.parse(again.body).kioskNumber]);
  });

  it('a kiosk that holds all its numbers is told so before its code is spent, and never takes more than it may hold', async () => {
    const greedy = enrollResponseSchema.parse((await enroll({ code: await code() })).body);
    const all = Array.from({ length: 99 }, (_, i) => i + 1);
    const again = await enroll({ code: await codeFor(greedy.kioskId), continuing: { kioskId: greedy.kioskId, numbers: all } });
    expect(again.status).toBe(201);
    const kiosk = await t.hub.store.getDoc<{ numbers: number[] }>(DB.kiosks, `kiosk:${greedy.kioskId}`);
    expect(kiosk.ok && kiosk.value.numbers.length).toBe(10);
    const last = await codeFor(greedy.kioskId);
    expect(await enroll({ code: last, continuing: { kioskId: greedy.kioskId, numbers: all } })).toMatchObject({
      status: 409,
      body: { error: 'enroll.numbersExhausted' },
    });
    const codeDoc = await t.hub.store.docsWithPrefix<{ usedAt?: string; forKiosk?: string }>(DB.kiosks, 'enroll:');
    expect(codeDoc.ok && codeDoc.value.filter((doc) => doc.forKiosk === greedy.kioskId && !doc.usedAt)).toHaveLength(1);
  });

  it('two codes for one kiosk used at the same moment: one enrolls, the other is told so and stays usable — never a 503', async () => {
    const kiosk = enrollResponseSchema.parse((await enroll({ code: await code() })).body);
    for (let round = 0; round < 4; round++) {
      const codes = [await codeFor(kiosk.kioskId), await codeFor(kiosk.kioskId)];
      const answers = await Promise.all(codes.map((each) => enroll({ code: each })));
      expect(answers.some((answer) => answer.status === 201)).toBe(true);
      for (const [i, answer] of answers.entries()) {
        if (answer.status === 201) continue;
        expect(answer).toMatchObject({ status: 409, body: { error: 'enroll.kioskBusy' } });
        expect((await enroll({ code: codes[i] })).status).toBe(201);
      }
    }
  });

  it('a code for a kiosk a restored hub forgot (its number set aside by the restore) keeps its id; no other number makes a kiosk id', async () => {
    const holder = enrollResponseSchema.parse((await enroll({ code: await code(VILLAGE_B) })).body);
    const idOf = (n: number) => `kiosk-${VILLAGE_B}-${String(n).padStart(2, '0')}`;
    // A number never granted is a typo, not a forgotten kiosk.
    expect(await findReEnrollable(t.hub.store, idOf(holder.kioskNumber + 1))).toMatchObject({ ok: false, error: { code: 'kiosk.unknown' } });
    // The restore sets numbers aside: a kiosk enrolled after the backup may hold them.
    expect(await reserveNumbersAfterRestore(t.hub.store, [VILLAGE_B], new Date(), 2)).toEqual({ ok: true, value: 2 });
    const forgottenId = idOf(holder.kioskNumber + 1);
    expect((await findReEnrollable(t.hub.store, forgottenId)).ok).toBe(true);
    const forgotten = await enroll({ code: await codeFor(forgottenId), continuing: { kioskId: forgottenId, numbers: [holder.kioskNumber + 1] } });
    expect(forgotten.status).toBe(201);
    expect(enrollResponseSchema.parse(forgotten.body).kioskId).toBe(forgottenId);
    const kiosk = await t.hub.store.getDoc<{ numbers: number[] }>(DB.kiosks, `kiosk:${forgottenId}`);
    expect(kiosk.ok && kiosk.value.numbers[0]).toBe(holder.kioskNumber + 1);
    // A new disk cannot take a forgotten kiosk's id: only that kiosk, continuing in place — the code stays usable.
    const forgottenCode = await codeFor(idOf(holder.kioskNumber + 2));
    expect(await enroll({ code: forgottenCode })).toMatchObject({ status: 409, body: { error: 'enroll.otherKiosk' } });
    expect((await enroll({ code: forgottenCode, continuing: { kioskId: idOf(holder.kioskNumber + 2), numbers: [] } })).status).toBe(201);
    // A new kiosk gets none of the numbers set aside.
    const newcomer = enrollResponseSchema.parse((await enroll({ code: await code(VILLAGE_B) })).body);
    expect(newcomer.kioskNumber).toBeGreaterThan(holder.kioskNumber + 2);
    // Re-enrolled, a kiosk holds a second number; no kiosk id can be made of it.
    const second = enrollResponseSchema.parse((await enroll({ code: await codeFor(holder.kioskId) })).body);
    expect(await findReEnrollable(t.hub.store, idOf(second.kioskNumber))).toMatchObject({ ok: false, error: { code: 'kiosk.unknown' } });
  });
});
