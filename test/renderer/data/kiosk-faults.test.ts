/**
 * Faults lose no acknowledged data and never duplicate a case: the hub process SIGKILLed mid-push again
 * and again while the kiosk keeps writing, and replies lost after the hub committed a batch. After
 * each ordeal the kiosk and the hub hold the same cases with the same events, each case once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema, type EnrollResponse } from '../../../core/api/enrollment.js';
import type { EventDraft } from '../../../core/case/append.js';
import type { CaseDocument } from '../../../core/case/document.js';
import { formatCaseNumber } from '../../../core/case/number.js';
import type { LocalDate } from '../../../core/local-date.js';
import { caseStore, type CaseStore } from '../../../renderer/data/cases.js';
import { openKioskDatabase, type KioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { importKeyRing, sealPerson } from '../../../renderer/data/sealing.js';
import { startKioskSync, type KioskSync } from '../../../renderer/data/sync.js';
import { loadHubConfig } from '../../../sync-server/config.js';
import { acquireStore, type AcquiredStore } from '../../../sync-server/hub.js';
import { issueEnrollmentCode } from '../../../sync-server/kiosks.js';
import { createdDraft, itemSnapshot } from '../../core/fixtures.js';
import { dropPrefixedDatabases, TEST_APP_VERSION, VILLAGE_A } from '../../sync-server/hub-harness.js';
import { provisionForHubProcesses, spawnHub, type HubProcess } from '../../sync-server/hub-process.js';

const dataDir = mkdtempSync(join(tmpdir(), 'cunban-faults-'));
const prefix = `f${Date.now().toString(36)}_`;
let port = 0;
let env: NodeJS.ProcessEnv = {};
let hub: HubProcess | undefined;

/** The store of the hub running now (a restarted hub has a new embedded store process and port). */
async function withAdmin<T>(fn: (admin: AcquiredStore) => Promise<T>): Promise<T> {
  const config = loadHubConfig(env);
  if (!config.ok) throw new Error(config.error.message);
  const admin = await acquireStore(config.value);
  try {
    return await fn(admin);
  } finally {
    await admin.release();
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', () => {
    listening();
  }));
  const address = server.address();
  await new Promise((closed) => server.close(closed));
  return typeof address === 'object' && address ? address.port : 0;
}

async function startHubProcess(): Promise<void> {
  hub = await spawnHub(env);
}

const killHub = () => hub?.stop('SIGKILL') ?? Promise.resolve();

beforeAll(async () => {
  port = await freePort();
  env = { ...process.env, CUNBAN_DATA_DIR: dataDir, CUNBAN_HUB_PORT: String(port), CUNBAN_HUB_HOST: '127.0.0.1', CUNBAN_DB_PREFIX: process.env.COUCHDB_URL ? prefix : '' };
  await provisionForHubProcesses(env);
  await startHubProcess();
}, 60_000);

afterAll(async () => {
  if (process.env.COUCHDB_URL) await withAdmin((admin) => dropPrefixedDatabases(admin.store, prefix));
  await killHub();
  rmSync(dataDir, { recursive: true, force: true });
});

interface FaultyKiosk {
  enrollment: EnrollResponse;
  db: KioskDatabase;
  cases: CaseStore;
  sync: KioskSync;
  /** When set, the reply to the next `_bulk_docs` is lost after the hub has committed it. */
  dropNextPushReplies: number;
  register(): Promise<CaseDocument>;
  close(): Promise<void>;
}

async function enrolledKiosk(): Promise<FaultyKiosk> {
  const issued = await withAdmin((admin) => issueEnrollmentCode(admin.store, VILLAGE_A, new Date()));
  if (!issued.ok) throw new Error(issued.error.reason);
  const response = await fetch(`http://127.0.0.1:${String(port)}/api/enroll`, { method: 'POST', body: JSON.stringify({ code: issued.value.code }) });
  const enrollment = enrollResponseSchema.parse(await response.json());
  const db = await openKioskDatabase({ name: `faulty-${enrollment.kioskId}-${Date.now()}`, indexedDB, IDBKeyRange });
  const keys = await importKeyRing(enrollment.dataKeys);
  let sequence = 0;
  const kiosk: FaultyKiosk = {
    enrollment,
    db,
    cases: caseStore(db),
    dropNextPushReplies: 0,
    sync: await startKioskSync({
      db,
      enrollment,
      appVersion: TEST_APP_VERSION,
      async fetch(input, init) {
        const response = await fetch(input, init);
        const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
        if (url.includes('/_bulk_docs') && kiosk.dropNextPushReplies > 0) {
          kiosk.dropNextPushReplies -= 1;
          await response.arrayBuffer(); // the hub has answered, so it has committed
          throw new TypeError('fetch failed: connection reset before the reply arrived');
        }
        return response;
      },
    }),
    async register() {
      sequence += 1;
      const number = formatCaseNumber({ village: VILLAGE_A, date: '2026-11-26' as LocalDate, kioskNumber: enrollment.kioskNumber, sequence });
      if (!number.ok) throw new Error(number.error.code);
      const applicant = await sealPerson(keys, { name: '王秀兰', idNumber: '422822199506150026' });
      const draft = createdDraft(itemSnapshot('county'), new Date().toISOString(), { caseNumber: number.value, village: VILLAGE_A, applicant });
      const created = await kiosk.cases.create({ ...draft, id: `${enrollment.kioskId}-${String(sequence)}`, actor: { id: `${enrollment.kioskId}/clerk-1`, name: '王芳', level: 'village' }, type: 'created' } as EventDraft & { type: 'created' });
      if (!created.ok) throw new Error(JSON.stringify(created.error));
      return created.value;
    },
    async close() {
      await kiosk.sync.stop();
      await db.close();
    },
  };
  return kiosk;
}

/** The kiosk's cases and the hub's cases of this kiosk: same numbers, same events, each once. */
async function expectConverged(kiosk: FaultyKiosk): Promise<number> {
  const mine = (await kiosk.cases.all()).filter((doc) => doc.caseNumber.includes(`-${String(kiosk.enrollment.kioskNumber).padStart(2, '0')}-`));
  const rows = await withAdmin((admin) =>
    admin.store.request<{ rows: { id: string; doc: CaseDocument }[] }>({
      db: admin.store.dbName(`village_${VILLAGE_A}`),
      path: '_all_docs',
      qs: { include_docs: true },
    }),
  );
  if (!rows.ok) throw new Error(rows.error.reason);
  const onHub = new Map(rows.value.rows.filter((r) => !r.id.startsWith('_design/')).map((r) => [r.id, r.doc]));
  expect(new Set(mine.map((doc) => doc.caseNumber)).size).toBe(mine.length);
  for (const doc of mine) {
    const hubDoc = onHub.get(doc.caseNumber);
    expect(hubDoc, doc.caseNumber).toBeDefined();
    expect(new Set(hubDoc?.events.map((e) => e.id))).toEqual(new Set(doc.events.map((e) => e.id)));
  }
  return mine.length;
}

async function syncUntilOk(kiosk: FaultyKiosk): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if ((await kiosk.sync.syncNow(15_000)).ok) return;
    if (Date.now() > deadline) throw new Error('the kiosk did not get back in sync');
  }
}

describe('the hub SIGKILLed mid-push, again and again, while the kiosk keeps writing', () => {
  it('converges: every case on both sides, with every event, none twice', async () => {
    const kiosk = await enrolledKiosk();
    try {
      let written = 0;
      for (let round = 0; round < 5; round++) {
        // Writes go on at the counter; the hub dies while they are being pushed.
        const writing = Promise.all(Array.from({ length: 6 }, () => kiosk.register()));
        await new Promise((wait) => setTimeout(wait, 20 * round));
        await killHub();
        await writing;
        written += 6;
        await kiosk.register();
        written += 1;
        await startHubProcess();
      }
      await syncUntilOk(kiosk);
      expect(await expectConverged(kiosk)).toBe(written);
    } finally {
      await kiosk.close();
    }
  }, 120_000);
});

describe('replies lost after the hub committed', () => {
  it('converge without duplicates or lost events', async () => {
    const kiosk = await enrolledKiosk();
    try {
      kiosk.dropNextPushReplies = 3;
      const registered = await Promise.all(Array.from({ length: 8 }, () => kiosk.register()));
      await syncUntilOk(kiosk);
      expect(kiosk.dropNextPushReplies).toBe(0);
      expect(await expectConverged(kiosk)).toBe(registered.length);
    } finally {
      await kiosk.close();
    }
  }, 120_000);
});
