/**
 * A county's production hub: two `cunban-hub serve` processes in front of a 3-node Apache CouchDB
 * cluster (`COUCHDB_CLUSTER_URL`; run by `npm run test:couchdb`, which starts one). A kiosk on each hub;
 * a decision made through one reaches the other's kiosk; the review queue is the same on both.
 * Each hub process has its own data directory holding the county key ring, as hubs on two machines do.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../core/api/enrollment.js';
import type { QueueSelection } from '../../core/case/queue-select.js';
import { openKioskData, type KioskData } from '../../renderer/data/kiosk-data.js';
import { loadHubConfig } from '../../sync-server/config.js';
import { acquireStore, type AcquiredStore } from '../../sync-server/hub.js';
import { keyringFile } from '../../sync-server/keyring.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { addReviewer } from '../../sync-server/users.js';
import { createdDraft, itemSnapshot } from '../core/fixtures.js';
import { eventually } from '../support/eventually.js';
import { dropPrefixedDatabases, TEST_APP_VERSION, VILLAGE_A } from '../sync-server/hub-harness.js';
import { provisionForHubProcesses, spawnHub, type HubProcess } from '../sync-server/hub-process.js';
import { reviewerJson, signInReviewer } from '../sync-server/reviewer-client.js';
import { TEST_STORAGE_KEY } from '../support/storage-key.js';

const cluster = process.env.COUCHDB_CLUSTER_URL;
if (!cluster) throw new Error('COUCHDB_CLUSTER_URL names the 3-node cluster this test runs on (npm run test:couchdb starts one).');

const prefix = `cl${Date.now().toString(36)}_`;
const dirs = [mkdtempSync(join(tmpdir(), 'cunban-cluster-a-')), mkdtempSync(join(tmpdir(), 'cunban-cluster-b-'))] as const;
const envOf = (dataDir: string) => ({
  ...process.env,
  COUCHDB_URL: cluster,
  CUNBAN_DATA_DIR: dataDir,
  CUNBAN_HUB_PORT: '0',
  CUNBAN_HUB_HOST: '127.0.0.1',
  CUNBAN_DB_PREFIX: prefix,
});
const hubs: HubProcess[] = [];
let admin: AcquiredStore;
const kiosks: KioskData[] = [];
const base = (hub: HubProcess) => `http://127.0.0.1:${String(hub.port)}`;

beforeAll(async () => {
  await provisionForHubProcesses(envOf(dirs[0]));
  // One county key ring: made by init on the first machine, copied to the second.
  copyFileSync(keyringFile(dirs[0]), keyringFile(dirs[1]));
  for (const dir of dirs) hubs.push(await spawnHub(envOf(dir)));
  const config = loadHubConfig(envOf(dirs[0]));
  if (!config.ok) throw new Error(config.error.message);
  admin = await acquireStore(config.value);
}, 120_000);

afterAll(async () => {
  await Promise.all(kiosks.map((kiosk) => kiosk.close()));
  await dropPrefixedDatabases(admin.store, prefix);
  await admin.release();
  for (const hub of hubs) await hub.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function kioskOn(hub: HubProcess): Promise<KioskData> {
  const issued = await issueEnrollmentCode(admin.store, VILLAGE_A, new Date());
  if (!issued.ok) throw new Error(issued.error.reason);
  const answer = await fetch(`${base(hub)}/api/enroll`, { method: 'POST', body: JSON.stringify({ code: issued.value.code }) });
  const enrollment = enrollResponseSchema.parse(await answer.json());
  const data = await openKioskData({
    enrollment,
    storageKey: TEST_STORAGE_KEY,
    appVersion: TEST_APP_VERSION,
    indexedDB: new IDBFactory(),
    IDBKeyRange,
    freshEnrollment: true,
  });
  kiosks.push(data);
  return data;
}

describe('two hub processes on a 3-node Apache CouchDB cluster', () => {
  it('carry a kiosk’s case to the other hub’s kiosk, a decision made through one to the other’s kiosk, and show one queue', async () => {
    const [first, second] = hubs as [HubProcess, HubProcess];
    const kioskA = await kioskOn(first);
    const kioskB = await kioskOn(second);

    const number = await kioskA.caseNumbers.next();
    if (!number.ok) throw new Error(number.error.code);
    const applicant = await kioskA.sealApplicant({ name: '张三', idNumber: '422822198001010015' });
    const draft = createdDraft(itemSnapshot('county'), new Date().toISOString(), { caseNumber: number.value, village: VILLAGE_A, applicant });
    const clerk = { id: `${kioskA.enrollment.kioskId}/clerk-1`, name: '王芳', level: 'village' as const };
    const registered = await kioskA.cases.register([
      { ...draft, id: `cluster-${number.value}`, actor: clerk },
      { id: `cluster-fwd-${number.value}`, at: new Date().toISOString(), actor: clerk, type: 'forwarded', payload: { to: 'town' } },
    ]);
    expect(registered.ok).toBe(true);
    expect(await kioskA.sync.syncNow()).toMatchObject({ ok: true });
    await eventually(
      async () => ((await kioskB.cases.get(number.value)) ? true : (await kioskB.sync.syncNow(), undefined)),
      'the case on the other hub’s kiosk',
      30_000,
    );

    // The town decides through the second hub.
    await addReviewer(admin.store, { name: 'cluster-town', role: 'town', town: '422822100000', password: 'cluster-password-1' }, new Date());
    const hubB = { base: base(second) } as Parameters<typeof signInReviewer>[0];
    const session = await signInReviewer(hubB, 'cluster-town', 'cluster-password-1');
    const decided = await reviewerJson(hubB, session, 'POST', `/api/review/cases/${number.value}/events`, {
      type: 'returnedForMaterials',
      missing: ['m1'],
      reason: '申请书未签字',
    });
    expect(decided.status).toBe(201);
    await eventually(
      async () => ((await kioskA.cases.get(number.value))?.summary.status === 'awaitingMaterials' ? true : (await kioskA.sync.syncNow(), undefined)),
      'the decision on the first hub’s kiosk',
      30_000,
    );

    // The queue: the same entry, the same status, through either hub.
    const queues = await Promise.all(
      hubs.map(async (hub) => {
        const hubView = { base: base(hub) } as Parameters<typeof signInReviewer>[0];
        const asTown = await signInReviewer(hubView, 'cluster-town', 'cluster-password-1');
        // Projected at once by the hub that wrote it; by another hub's sweep within its minute at the latest.
        return eventually(
          async () => {
            const page = (await reviewerJson<QueueSelection>(hubView, asTown, 'GET', '/api/review/queue?state=open')).body;
            const entry = page.entries.find((candidate) => candidate.caseNumber === number.value);
            return entry?.status === 'awaitingMaterials' ? entry : undefined;
          },
          'the decision in the queue',
          70_000,
        );
      }),
    );
    expect(queues[0]).toEqual(queues[1]);
  }, 240_000);
});
