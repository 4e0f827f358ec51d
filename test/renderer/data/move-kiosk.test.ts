/**
 * Moving a kiosk to another village against the real hub and real RxDB databases: refused while anything
 * is not on the hub; otherwise the new village's data arrives before the switch, and the old village's is
 * removed only at the next start. A crash before the switch leaves the old data and removes the new.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema, type EnrollResponse, type KioskEnrollment } from '../../../core/api/enrollment.js';
import { browserFallbackSecrets } from '../../../renderer/data/key-store.js';
import { openKioskData, type KioskData } from '../../../renderer/data/kiosk-data.js';
import { kioskDatabaseName, removeKioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { MOVE_MARKER, moveKiosk, settleInterruptedMove } from '../../../renderer/data/move-kiosk.js';
import { issueEnrollmentCode } from '../../../sync-server/kiosks.js';
import { memoryStorage } from '../kiosk/harness.js';
import { startTestHub, storeForwardedCase, TEST_APP_VERSION, VILLAGE_A, VILLAGE_B, type TestHub } from '../../sync-server/hub-harness.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(async () => {
  await hub.close();
});

/** One machine: its IndexedDB, its preferences, its secret store. */
function machine() {
  const indexedDB = new IDBFactory();
  const preferences = memoryStorage();
  return {
    preferences,
    secrets: browserFallbackSecrets(new IDBFactory()),
    open: (enrollment: KioskEnrollment) => openKioskData({ enrollment, storageKey: TEST_STORAGE_KEY, appVersion: TEST_APP_VERSION, indexedDB, IDBKeyRange }),
    removeData: (kioskId: string) => removeKioskDatabase({ name: kioskDatabaseName(kioskId), indexedDB, IDBKeyRange }),
  };
}

async function code(village: string): Promise<string> {
  const issued = await issueEnrollmentCode(hub.hub.store, village, new Date());
  if (!issued.ok) throw new Error(issued.error.reason);
  return issued.value.code;
}

async function enrolled(village: string): Promise<EnrollResponse> {
  return enrollResponseSchema.parse((await hub.call('POST', '/api/enroll', { body: { code: await code(village) } })).body);
}

const caseCount = async (data: KioskData) => (await data.cases.all()).length;

describe('moving a kiosk to another village', () => {
  it('is refused while the hub lacks anything of this kiosk (here: a refused case), and changes nothing', async () => {
    const m = machine();
    const enrollment = await enrolled(VILLAGE_A);
    await m.secrets.save(enrollment);
    const data = await m.open(enrollment);
    try {
      const number = await storeForwardedCase(hub, await hub.enroll(VILLAGE_A), '张三');
      expect((await data.sync.syncNow()).ok).toBe(true);
      await data.cases.append(number, {
        id: 'forged-county-note-move',
        at: new Date().toISOString(),
        actor: { id: 'county-admin', name: '张敏', level: 'county' },
        type: 'note',
        payload: { text: '已批准' },
      });
      const moved = await moveKiosk({
        current: data,
        hub: `${hub.base}/`,
        code: await code(VILLAGE_B),
        appVersion: TEST_APP_VERSION,
        secrets: m.secrets,
        marker: m.preferences,
        open: m.open,
      });
      expect(moved).toMatchObject({ ok: false, error: { code: 'move.unpushed', refused: 1 } });
      expect((await m.secrets.load())?.village).toBe(VILLAGE_A);
      expect(m.preferences.getItem(MOVE_MARKER)).toBeNull();
    } finally {
      await data.close();
    }
  }, 60_000);

  it("switches only once the new village's cases are here, and removes the old village's at the next start", async () => {
    const m = machine();
    const enrollment = await enrolled(VILLAGE_A);
    await m.secrets.save(enrollment);
    const old = await m.open(enrollment);
    await storeForwardedCase(hub, await hub.enroll(VILLAGE_A), '李四');
    await storeForwardedCase(hub, await hub.enroll(VILLAGE_B), '王五');
    expect((await old.sync.syncNow()).ok).toBe(true);
    expect(await caseCount(old)).toBeGreaterThan(0);

    const moved = await moveKiosk({
      current: old,
      hub: `${hub.base}/`,
      code: await code(VILLAGE_B),
      appVersion: TEST_APP_VERSION,
      secrets: m.secrets,
      marker: m.preferences,
      open: m.open,
    });
    expect(moved.ok && moved.value.village).toBe(VILLAGE_B);
    expect((await m.secrets.load())?.village).toBe(VILLAGE_B);
    await old.close();

    // The next start: settle the move, then open what is current.
    const current = await m.secrets.load();
    if (!current) throw new Error('no enrollment');
    await settleInterruptedMove(m.preferences, current.kioskId, m.removeData);
    expect(m.preferences.getItem(MOVE_MARKER)).toBe('');
    const now = await m.open(current);
    try {
      expect((await now.cases.all()).every((doc) => doc.village === VILLAGE_B)).toBe(true);
      expect(await caseCount(now)).toBeGreaterThan(0);
    } finally {
      await now.close();
    }
    // The old village's data is gone: its database opens empty.
    const reopened = await m.open({ ...enrollment, authorization: 'Basic eDp5' });
    try {
      expect(await caseCount(reopened)).toBe(0);
    } finally {
      await reopened.close();
    }
  }, 90_000);

  it("a crash before the switch leaves the old village's data and removes the half-filled new one", async () => {
    const m = machine();
    const enrollment = await enrolled(VILLAGE_A);
    await m.secrets.save(enrollment);
    const old = await m.open(enrollment);
    await storeForwardedCase(hub, await hub.enroll(VILLAGE_A), '赵六');
    expect((await old.sync.syncNow()).ok).toBe(true);
    const before = await caseCount(old);
    await old.close();
    // Steps 2 and 3 happened (a new enrollment, its database half pulled); the power went before step 4.
    const next = await enrolled(VILLAGE_B);
    m.preferences.setItem(MOVE_MARKER, JSON.stringify({ from: enrollment.kioskId, to: next.kioskId }));
    const half = await m.open(next);
    expect((await half.sync.syncNow()).ok).toBe(true);
    await half.close();

    const current = await m.secrets.load();
    expect(current?.kioskId).toBe(enrollment.kioskId);
    await settleInterruptedMove(m.preferences, enrollment.kioskId, m.removeData);
    const kept = await m.open(enrollment);
    try {
      expect(await caseCount(kept)).toBe(before);
    } finally {
      await kept.close();
    }
    const removed = await m.open({ ...next, authorization: 'Basic eDp5' });
    try {
      expect(await caseCount(removed)).toBe(0);
    } finally {
      await removed.close();
    }
  }, 90_000);
});
