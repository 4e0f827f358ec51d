/**
 * A case number is never issued twice, whatever happens to a kiosk (issue 14 §1), and when it is — a
 * kiosk database restored from a backup — two residents never end up in one case: the hub refuses the
 * second registration, the kiosk keeps it and registers it again under a new number.
 * Real hub, real RxDB (fake-indexeddb: a new IDBFactory is a new disk), the line cut by the test.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema, type EnrollResponse } from '../../../core/api/enrollment.js';
import type { CaseDocument } from '../../../core/case/document.js';
import { isEventOf } from '../../../core/case/events.js';
import { parseCaseNumber } from '../../../core/case/number.js';
import { adoptEnrollmentLease, caseNumbers } from '../../../renderer/data/case-numbers.js';
import { fromStoredCase } from '../../../renderer/data/case-collection.js';
import { openKioskData, type KioskData } from '../../../renderer/data/kiosk-data.js';
import { kioskDatabaseName, openKioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { appendCaseEventOnHub } from '../../../sync-server/case-events.js';
import { issueEnrollmentCode } from '../../../sync-server/kiosks.js';
import { DB, villageDb } from '../../../sync-server/store/names.js';
import { createdDraft, itemSnapshot } from '../../core/fixtures.js';
import { eventually } from '../../support/eventually.js';
import { startTestHub, TEST_APP_VERSION, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

let t: TestHub;

beforeAll(async () => {
  t = await startTestHub();
});

afterAll(async () => {
  await t.close();
});

interface Kiosk {
  readonly data: KioskData;
  readonly line: { up: boolean };
}

async function enroll(forKiosk?: string): Promise<EnrollResponse> {
  const issued = await issueEnrollmentCode(t.hub.store, VILLAGE_A, new Date(), undefined, forKiosk);
  if (!issued.ok) throw new Error(issued.error.reason);
  return enrollResponseSchema.parse((await t.call('POST', '/api/enroll', { body: { code: issued.value.code } })).body);
}

/** A kiosk's data on a disk (`disk`: an IndexedDB of its own), with a line the test cuts. */
async function open(enrollment: EnrollResponse, disk: IDBFactory, options: { fresh?: boolean; lineUp?: boolean } = {}): Promise<Kiosk> {
  const line = { up: options.lineUp ?? true };
  const data = await openKioskData({
    enrollment,
    storageKey: TEST_STORAGE_KEY,
    appVersion: TEST_APP_VERSION,
    indexedDB: disk,
    IDBKeyRange,
    freshEnrollment: options.fresh === true,
    fetch: (input, init) => (line.up ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: the line is down'))),
  });
  return { data, line };
}

let registrations = 0;
async function register(kiosk: Kiosk, name: string): Promise<CaseDocument> {
  const number = await kiosk.data.caseNumbers.next();
  if (!number.ok) throw new Error(number.error.code);
  const applicant = await kiosk.data.sealApplicant({ name, idNumber: '422822199506150026' });
  registrations += 1;
  const draft = createdDraft(itemSnapshot('county'), new Date().toISOString(), { caseNumber: number.value, village: VILLAGE_A, applicant });
  const actor = { id: `${kiosk.data.enrollment.kioskId}/clerk-1`, name: '王芳', level: 'village' as const };
  const created = await kiosk.data.cases.register([{ ...draft, id: `reg-${String(registrations)}-${number.value}`, actor }]);
  if (!created.ok) throw new Error(created.error.code);
  return created.value;
}

const onHub = async (caseNumber: string) => {
  const found = await t.hub.store.getDoc<CaseDocument>(villageDb(VILLAGE_A), caseNumber);
  return found.ok ? found.value : undefined;
};
const applicantOf = (doc: CaseDocument | undefined) => doc?.summary.applicantName;
const creations = (doc: CaseDocument | undefined) => doc?.events.filter((event) => isEventOf(event, 'created')).length;
const kioskNumberOf = (caseNumber: string) => {
  const parsed = parseCaseNumber(caseNumber);
  return parsed.ok ? parsed.value.kioskNumber : 0;
};

describe('a kiosk replaced after its disk died', () => {
  it('never issues the number its predecessor issued, even when the line drops before its first pull', async () => {
    const first = await open(await enroll(), new IDBFactory(), { fresh: true });
    const a = await register(first, '张三');
    expect(await first.data.sync.syncNow()).toMatchObject({ ok: true });
    await first.data.close();

    // The technician re-enrolls the same kiosk on the new disk, as the README says; the line then drops.
    const again = await enroll(first.data.enrollment.kioskId);
    const second = await open(again, new IDBFactory(), { fresh: true, lineUp: false });
    try {
      const b = await register(second, '李四');
      expect(b.caseNumber).not.toBe(a.caseNumber);
      expect(kioskNumberOf(b.caseNumber)).not.toBe(kioskNumberOf(a.caseNumber));

      second.line.up = true;
      expect(await second.data.sync.syncNow()).toMatchObject({ ok: true });
      expect(second.data.sync.state().refused).toEqual([]);
      expect([applicantOf(await onHub(a.caseNumber)), creations(await onHub(a.caseNumber))]).toEqual(['张三', 1]);
      expect([applicantOf(await onHub(b.caseNumber)), creations(await onHub(b.caseNumber))]).toEqual(['李四', 1]);
      // The replacement receives its predecessor's case too, untouched.
      await eventually(
        async () => (applicantOf(await second.data.cases.get(a.caseNumber)) === '张三' ? true : undefined),
        'the predecessor’s case on the new kiosk',
      );
    } finally {
      await second.data.close();
    }
  });
});

describe('a kiosk database wiped under a kept credential', () => {
  it('numbers nothing until the hub grants it a new number, then never one issued before', async () => {
    const enrollment = await enroll();
    const first = await open(enrollment, new IDBFactory(), { fresh: true });
    const a = await register(first, '王五');
    expect(await first.data.sync.syncNow()).toMatchObject({ ok: true });
    await first.data.close();

    const wiped = await open(enrollment, new IDBFactory(), { lineUp: false });
    try {
      expect(await wiped.data.caseNumbers.next()).toEqual({ ok: false, error: { code: 'caseNumber.noLease' } });
      wiped.line.up = true;
      const b = await register(wiped, '赵六');
      expect(kioskNumberOf(b.caseNumber)).not.toBe(kioskNumberOf(a.caseNumber));
      expect(await wiped.data.sync.syncNow()).toMatchObject({ ok: true });
      expect(wiped.data.sync.state().refused).toEqual([]);
      expect(applicantOf(await onHub(b.caseNumber))).toBe('赵六');
    } finally {
      await wiped.data.close();
    }
  });
});

describe('a kiosk clock set back', () => {
  it('refuses to number a day before the last one numbered, rather than reuse its numbers', async () => {
    const db = await openKioskDatabase({
      storageKey: TEST_STORAGE_KEY,
      name: kioskDatabaseName(`clock-${String(Date.now())}`),
      indexedDB: new IDBFactory(),
      IDBKeyRange,
    });
    try {
      let now = new Date('2026-11-30T02:00:00.000Z');
      const options = {
        enrollment: { village: VILLAGE_A, kioskNumber: 7 },
        freshEnrollment: true,
        requestLease: () => Promise.resolve(undefined),
        now: () => now,
      };
      await adoptEnrollmentLease(db, options);
      const numbers = caseNumbers(db, options);
      expect((await numbers.next()).ok).toBe(true);
      now = new Date('2026-12-02T02:00:00.000Z');
      expect((await numbers.next()).ok).toBe(true);
      now = new Date('2026-12-01T02:00:00.000Z');
      expect(await numbers.next()).toEqual({ ok: false, error: { code: 'caseNumber.clockBehind', date: '2026-12-02' } });
    } finally {
      await db.close();
    }
  });
});

describe('a kiosk database restored from a backup', () => {
  it('has its second registration under a taken number refused, kept, and registered again under a new one', async () => {
    const enrollment = await enroll();
    const first = await open(enrollment, new IDBFactory(), { fresh: true });
    const a = await register(first, '孙七');
    expect(await first.data.sync.syncNow()).toMatchObject({ ok: true });
    await first.data.close();

    // The backup predates A: the database holds the lease but not A, nor its place in the day's numbering.
    const disk = new IDBFactory();
    const restoredDb = await openKioskDatabase({ storageKey: TEST_STORAGE_KEY, name: kioskDatabaseName(enrollment.kioskId), indexedDB: disk, IDBKeyRange });
    await adoptEnrollmentLease(restoredDb, { enrollment, freshEnrollment: true, requestLease: () => Promise.resolve(undefined) });
    await restoredDb.close();
    const restored = await open(enrollment, disk, { lineUp: false });
    try {
      const b = await register(restored, '周八');
      expect(b.caseNumber).toBe(a.caseNumber);
      restored.line.up = true;
      await restored.data.sync.syncNow();
      const refusal = await eventually(() => restored.data.sync.state().refused.find((r) => r.id === a.caseNumber), 'the clash');
      expect(refusal.code).toBe('case.clash');
      // Never merged: the hub's case is A's alone; B is kept whole on the kiosk — even once a pull has brought
      // the hub's A under that number (it once replaced B: the kiosk's replication took the refused push as done).
      expect([applicantOf(await onHub(a.caseNumber)), creations(await onHub(a.caseNumber))]).toEqual(['孙七', 1]);
      // The county notes A on the hub: its new revision comes down under that number.
      const noted = await appendCaseEventOnHub(t.hub.store, VILLAGE_A, a.caseNumber, {
        id: 'county-note-clash',
        at: new Date().toISOString(),
        actor: { id: 'county-1', name: '张敏', level: 'county' },
        type: 'note',
        payload: { text: '已核实' },
      });
      expect(noted.ok).toBe(true);
      await eventually(
        async () => (applicantOf(await restored.data.cases.get(a.caseNumber)) === '孙七' ? true : (await restored.data.sync.syncNow(), undefined)),
        'the hub’s case under the number',
      );
      const kept = restored.data.sync.refusedDocument(a.caseNumber);
      expect(kept && applicantOf(fromStoredCase(kept))).toBe('周八');
      const quarantined = await t.hub.store.docsWithPrefix<{ docId: string; code?: string }>(DB.quarantine, 'q:');
      expect(quarantined.ok && quarantined.value.some((q) => q.docId === a.caseNumber && q.code === 'case.clash')).toBe(true);

      const renumbered = await restored.data.registerClashAgain(a.caseNumber);
      if (!renumbered.ok) throw new Error(renumbered.error.code);
      expect(renumbered.value).not.toBe(a.caseNumber);
      expect(await restored.data.sync.syncNow()).toMatchObject({ ok: true });
      expect(restored.data.sync.state().refused).toEqual([]);
      expect([applicantOf(await onHub(renumbered.value)), creations(await onHub(renumbered.value))]).toEqual(['周八', 1]);
      expect([applicantOf(await onHub(a.caseNumber)), creations(await onHub(a.caseNumber))]).toEqual(['孙七', 1]);
      // The kiosk now holds both, each its own resident's.
      expect(applicantOf(await restored.data.cases.get(a.caseNumber))).toBe('孙七');
      expect(applicantOf(await restored.data.cases.get(renumbered.value))).toBe('周八');
    } finally {
      await restored.data.close();
    }
  });
});
