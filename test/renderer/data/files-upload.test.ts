/**
 * A kiosk's scans uploaded to a real hub from a real RxDB database (renderer/data/files.ts): a few at once, so
 * a slow line's round trips overlap (the day's-work benchmark measures the gain); after a failure no further
 * file starts, what was sent stays sent, and the next run sends the rest.
 */
import { randomBytes } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachFile, uploadPendingFiles } from '../../../renderer/data/files.js';
import { kioskDatabaseName, openKioskDatabase, type KioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { caseFor, startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from '../../sync-server/hub-harness.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

let t: TestHub;
let kiosk: EnrolledKiosk;
beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const png = (bytes: number) => {
  const data = new Uint8Array(randomBytes(bytes));
  data.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return data;
};

/** A kiosk database holding `count` unsent scans, one per case. */
async function kioskWithScans(count: number): Promise<KioskDatabase> {
  const db = await openKioskDatabase({
    name: kioskDatabaseName(`${kiosk.kioskId}-${String(Math.random()).slice(2, 8)}`),
    storageKey: TEST_STORAGE_KEY,
    indexedDB: new IDBFactory(),
    IDBKeyRange,
  });
  for (let i = 0; i < count; i++) expect((await attachFile(db.files, caseFor(kiosk).caseNumber, `m${String(i)}`, png(3000))).ok).toBe(true);
  return db;
}

/** The kiosk's hub fetch: its credential, a throw on any refusal, and a slow line (each answer after `delayMs`). */
function line(options: { delayMs: number; failStart?: number }) {
  let inFlight = 0;
  let most = 0;
  let starts = 0;
  const fetch = async (url: string, init?: RequestInit) => {
    inFlight++;
    most = Math.max(most, inFlight);
    try {
      const isStart = !url.includes('/chunks/');
      if (isStart && ++starts === options.failStart) throw new Error('the line dropped');
      await new Promise((later) => setTimeout(later, options.delayMs));
      const response = await globalThis.fetch(`${t.base}${new URL(url).pathname}`, {
        ...init,
        headers: { ...(init?.headers as Record<string, string>), authorization: kiosk.authorization },
      });
      if (!response.ok) throw new Error(`${String(response.status)} ${await response.text()}`);
      return response;
    } finally {
      inFlight--;
    }
  };
  return { fetch, most: () => most, starts: () => starts };
}

describe("the kiosk's scans on their way to the hub", () => {
  it('go a few at once, and every one arrives', async () => {
    const db = await kioskWithScans(7);
    const slow = line({ delayMs: 50 });
    const report = await uploadPendingFiles(db.files, `${t.base}/`, VILLAGE_A, slow.fetch);
    expect(report).toEqual({ uploaded: 7, pending: 0 });
    expect(slow.most()).toBe(3);
    expect((await db.files.find({ selector: { uploaded: false } }).exec()).length).toBe(0);
    await db.close();
  });

  it('stop starting new ones after a failure, keep what was sent, and send the rest next time', async () => {
    const db = await kioskWithScans(7);
    const failing = line({ delayMs: 20, failStart: 2 });
    const first = await uploadPendingFiles(db.files, `${t.base}/`, VILLAGE_A, failing.fetch);
    expect(first.error).toBe('the line dropped');
    expect(first.uploaded + first.pending).toBe(7);
    expect(first.pending).toBeGreaterThan(0);
    // The three in flight when the second failed finish; no file starts after it.
    expect(failing.starts()).toBeLessThanOrEqual(4);
    expect((await db.files.find({ selector: { uploaded: false } }).exec()).length).toBe(first.pending);
    const second = await uploadPendingFiles(db.files, `${t.base}/`, VILLAGE_A, line({ delayMs: 0 }).fetch);
    expect(second).toEqual({ uploaded: first.pending, pending: 0 });
    await db.close();
  });
});
