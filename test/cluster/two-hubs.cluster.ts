/**
 * A county's production hub set up as the README's "Running a county's hub" says (issue 21): two hub
 * machines (each its own data directory) in front of a 3-node Apache CouchDB cluster, provisioned with
 * `cunban-hub init` on the first, the key ring copied to the second, checked with `cunban-hub doctor`,
 * reviewers added and kiosks enrolled with the command line. A kiosk through each hub, a case each way,
 * a reveal across hubs, one CouchDB node killed mid-run — and nothing lost.
 *
 * `COUCHDB_CLUSTER_URL` and `COUCHDB_CLUSTER_DIR` name the cluster (`npm run test:couchdb` starts one).
 */
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../core/api/enrollment.js';
import type { CaseDocument } from '../../core/case/document.js';
import type { QueueSelection } from '../../core/case/queue-select.js';
import { openKioskData, type KioskData } from '../../renderer/data/kiosk-data.js';
import { loadHubConfig } from '../../sync-server/config.js';
import { acquireStore, type AcquiredStore } from '../../sync-server/hub.js';
import { keyringFile } from '../../sync-server/keyring.js';
import { villageDb } from '../../sync-server/store/names.js';
import { createdDraft, itemSnapshot } from '../core/fixtures.js';
import { eventually } from '../support/eventually.js';
import { TEST_STORAGE_KEY } from '../support/storage-key.js';
import { dropPrefixedDatabases, TEST_APP_VERSION, testCountyData, VILLAGE_A } from '../sync-server/hub-harness.js';
import { freePort, spawnHub, type HubProcess } from '../sync-server/hub-process.js';
import { reviewerJson, signInReviewer, type ReviewerSession } from '../sync-server/reviewer-client.js';

const cluster = process.env.COUCHDB_CLUSTER_URL;
const clusterDir = process.env.COUCHDB_CLUSTER_DIR;
if (!cluster || !clusterDir)
  throw new Error('COUCHDB_CLUSTER_URL and COUCHDB_CLUSTER_DIR name the 3-node cluster this test runs on (npm run test:couchdb starts one).');

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'cunban-cluster-'));
const prefix = `cl${Date.now().toString(36)}_`;

interface Machine {
  readonly name: string;
  readonly env: NodeJS.ProcessEnv;
  readonly dataDir: string;
  readonly base: string;
  hub?: HubProcess;
}
const machines: Machine[] = [];
let admin: AcquiredStore;
const kiosks: KioskData[] = [];

/** `cunban-hub …` on a machine, as its administrator types it (exit code and JSON answer). */
async function cunbanHub(machine: Machine, ...args: string[]): Promise<{ code: number; out: Record<string, unknown> }> {
  const done = await run(process.execPath, ['bin/cunban-hub.js', ...args, '--json'], { cwd: root, env: machine.env, timeout: 180_000 }).then(
    ({ stdout }) => ({ code: 0, text: stdout }),
    (error: unknown) => {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, text: failed.stdout.trim() || failed.stderr };
    },
  );
  return { code: done.code, out: JSON.parse(done.text) as Record<string, unknown> };
}

const findingsOf = (doctor: { out: Record<string, unknown> }) =>
  Object.fromEntries((doctor.out.findings as { check: string; status: string; message: string }[]).map((f) => [f.check, f]));

beforeAll(async () => {
  for (const name of ['a', 'b']) {
    const dataDir = join(scratch, `hub-${name}`, 'data');
    const port = await freePort();
    const base = `http://127.0.0.1:${String(port)}`;
    machines.push({
      name,
      dataDir,
      base,
      env: {
        ...process.env,
        COUCHDB_URL: cluster,
        CUNBAN_DB_PREFIX: prefix,
        CUNBAN_DATA_DIR: dataDir,
        CUNBAN_HUB_HOST: '127.0.0.1',
        CUNBAN_HUB_PORT: String(port),
        // Each machine here is reached directly; behind the guide's proxy both would share its address.
        CUNBAN_PUBLIC_URL: `${base}/`,
        CUNBAN_TRUST_PROXY: 'loopback',
        CUNBAN_PROXY_READ_TIMEOUT: '90',
      },
    });
  }
  const config = loadHubConfig(machines[0]?.env ?? {});
  if (!config.ok) throw new Error(config.error.message);
  admin = await acquireStore(config.value);
});

afterAll(async () => {
  await Promise.all(kiosks.map((kiosk) => kiosk.close()));
  for (const machine of machines) await machine.hub?.stop();
  await dropPrefixedDatabases(admin.store, prefix);
  await admin.release();
  rmSync(scratch, { recursive: true, force: true });
});

const [first, second] = [() => machines[0] as Machine, () => machines[1] as Machine];

describe('two hubs on a 3-node Apache CouchDB cluster, set up by the guide', () => {
  it('init on the first machine makes the key ring; the second has none until it is copied, and cannot serve before', async () => {
    const county = testCountyData();
    const files = Object.fromEntries(
      (['catalog', 'divisions', 'calendar'] as const).map((name) => {
        const file = join(scratch, `${name}.json`);
        writeFileSync(file, JSON.stringify(county[name]));
        return [name, file];
      }),
    );
    const init = await cunbanHub(first(), 'init', '--catalog', files.catalog ?? '', '--divisions', files.divisions ?? '', '--calendar', files.calendar ?? '');
    expect(init).toMatchObject({ code: 0, out: { villages: 4, keyRingCreated: true } });

    const before = await cunbanHub(second(), 'doctor');
    expect(before.code).toBe(1);
    expect(findingsOf(before).keyring).toMatchObject({ status: 'fail', message: expect.stringContaining('Copy county-keys.json') as unknown });
    await expect(spawnHub(second().env)).rejects.toThrow(/exited with 1/);

    // The guide: copy the ring (mode 600) to every other hub machine, then check it there.
    // (systemd's StateDirectory makes the data directory; here, by hand.)
    mkdirSync(second().dataDir, { recursive: true, mode: 0o700 });
    copyFileSync(keyringFile(first().dataDir), keyringFile(second().dataDir));
    chmodSync(keyringFile(second().dataDir), 0o600);
    const checked = await cunbanHub(second(), 'doctor');
    expect(findingsOf(checked)).toMatchObject({
      store: { status: 'ok' },
      'store.admin': { status: 'ok' },
      schema: { status: 'ok' },
      keyring: { status: 'ok' },
    });

    expect(
      (await cunbanHub(first(), 'users', 'add', '--role', 'town', '--town', '422822100000', '--name', 'yezhou-town', '--password', 'cluster-password-1')).code,
    ).toBe(0);
    expect((await cunbanHub(first(), 'users', 'add', '--role', 'county', '--name', 'county-office', '--password', 'cluster-password-2')).code).toBe(0);
    for (const machine of machines) machine.hub = await spawnHub(machine.env);
    const serving = await cunbanHub(second(), 'doctor');
    expect(serving.code).toBe(0);
    expect(Object.values(findingsOf(serving)).filter((f) => f.status !== 'ok')).toEqual([]);
  }, 240_000);

  it('carries a case each way, decisions and reveals across hubs, through a CouchDB node killed mid-run, losing nothing', async () => {
    const kioskA = await enrolledThrough(first());
    const kioskB = await enrolledThrough(second());

    const caseA = await registerForwarded(kioskA, '张三', '422822198001010015');
    await eventually(() => fetched(kioskB, caseA), 'the first kiosk’s case on the second hub’s kiosk', 30_000);

    killNode(3);

    const caseB = await registerForwarded(kioskB, '李四', '42282219671130019X');
    await eventually(() => fetched(kioskA, caseB), 'the second kiosk’s case on the first hub’s kiosk, a node down', 60_000);

    // The town decides each case through the hub the other kiosk uses.
    const town = await Promise.all(machines.map((machine) => signInReviewer(view(machine), 'yezhou-town', 'cluster-password-1')));
    for (const [machine, session, caseNumber] of [
      [second(), town[1], caseA],
      [first(), town[0], caseB],
    ] as const) {
      const decided = await reviewerJson(view(machine), session, 'POST', `/api/review/cases/${caseNumber}/events`, {
        type: 'returnedForMaterials',
        missing: ['m1'],
        reason: '申请书未签字',
      });
      expect(decided.status).toBe(201);
    }

    // Sealed on one hub's keys, revealed through the other's copy of the ring.
    const county = await Promise.all(machines.map((machine) => signInReviewer(view(machine), 'county-office', 'cluster-password-2')));
    expect(await reveal(second(), county[1], caseA)).toEqual({ status: 200, body: { idNumber: '422822198001010015' } });
    expect(await reveal(first(), county[0], caseB)).toEqual({ status: 200, body: { idNumber: '42282219671130019X' } });

    // The doctor sees the node down, and nothing it must stop for.
    const doctor = await cunbanHub(first(), 'doctor');
    expect(doctor.code).toBe(0);
    expect(findingsOf(doctor)['store.cluster']).toMatchObject({
      status: 'warn',
      message: expect.stringContaining('1 of 3 CouchDB nodes not answering') as unknown,
    });

    // Nothing lost: both kiosks hold both cases as decided, event for event what the store holds; both hubs queue both.
    for (const kiosk of [kioskA, kioskB]) {
      for (const caseNumber of [caseA, caseB]) {
        const onKiosk = await eventually(
          async () =>
            (await kiosk.cases.get(caseNumber))?.summary.status === 'awaitingMaterials' ? kiosk.cases.get(caseNumber) : (await kiosk.sync.syncNow(), undefined),
          'the decision on the kiosk',
          60_000,
        );
        const stored = await admin.store.getDoc<CaseDocument>(villageDb(VILLAGE_A), caseNumber);
        if (!stored.ok) throw new Error(stored.error.reason);
        expect(onKiosk.events.map((event) => event.id).sort()).toEqual(stored.value.events.map((event) => event.id).sort());
      }
    }
    for (const [index, machine] of machines.entries()) {
      const entries = await eventually(
        async () => {
          const page = (await reviewerJson<QueueSelection>(view(machine), town[index], 'GET', '/api/review/queue?state=open')).body;
          const mine = page.entries.filter((entry) => [caseA, caseB].includes(entry.caseNumber));
          return mine.length === 2 && mine.every((entry) => entry.status === 'awaitingMaterials') ? mine : undefined;
        },
        'both decisions in each hub’s queue',
        70_000,
      );
      expect(entries).toHaveLength(2);
    }
  }, 360_000);

  it('counts wrong enrollment codes from one address on both hubs together, behind a proxy', async () => {
    const guess = (machine: Machine, address: string, code: string) =>
      fetch(`${machine.base}/api/enroll`, { method: 'POST', headers: { 'x-forwarded-for': address }, body: JSON.stringify({ code }) });
    for (let i = 0; i < 10; i += 1) {
      expect((await guess(machines[i % 2] as Machine, '10.9.0.1', `AAAA-AAAA-AA${String(i).padStart(2, '0')}`)).status).toBe(404);
    }
    const issued = await cunbanHub(first(), 'enroll', '--village', VILLAGE_A);
    const code = String(issued.out.code);
    for (const machine of machines) expect((await guess(machine, '10.9.0.1', code)).status).toBe(429);
    expect((await guess(second(), '10.9.0.2', code)).status).toBe(201);
  }, 120_000);
});

const view = (machine: Machine) => ({ base: machine.base }) as Parameters<typeof signInReviewer>[0];

async function enrolledThrough(machine: Machine): Promise<KioskData> {
  const issued = await cunbanHub(machine, 'enroll', '--village', VILLAGE_A);
  expect(issued.code).toBe(0);
  const answer = await fetch(`${machine.base}/api/enroll`, { method: 'POST', body: JSON.stringify({ code: issued.out.code }) });
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

async function registerForwarded(kiosk: KioskData, name: string, idNumber: string): Promise<string> {
  const number = await kiosk.caseNumbers.next();
  if (!number.ok) throw new Error(number.error.code);
  const applicant = await kiosk.sealApplicant({ name, idNumber });
  const at = new Date().toISOString();
  const clerk = { id: `${kiosk.enrollment.kioskId}/clerk-1`, name: '王芳', level: 'village' as const };
  const draft = createdDraft(itemSnapshot('county'), at, { caseNumber: number.value, village: VILLAGE_A, applicant });
  const registered = await kiosk.cases.register([
    { ...draft, id: `cluster-${number.value}`, actor: clerk },
    { id: `cluster-fwd-${number.value}`, at, actor: clerk, type: 'forwarded', payload: { to: 'town' } },
  ]);
  expect(registered.ok).toBe(true);
  await eventually(async () => ((await kiosk.sync.syncNow()).ok ? true : undefined), 'the push', 60_000);
  return number.value;
}

async function fetched(kiosk: KioskData, caseNumber: string): Promise<true | undefined> {
  if (await kiosk.cases.get(caseNumber)) return true;
  await kiosk.sync.syncNow();
  return undefined;
}

function reveal(machine: Machine, session: ReviewerSession | undefined, caseNumber: string) {
  return reviewerJson(view(machine), session, 'POST', `/api/review/cases/${caseNumber}/reveal`, { reason: '核对申请人身份' });
}

/** SIGKILL every process of one CouchDB node (the Erlang VM detaches from its start script; its command line names its directory). */
function killNode(node: number): void {
  const marker = `${clusterDir}/node${String(node)}`;
  const pids = readdirSync('/proc').filter((entry) => {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) return false;
    try {
      return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(marker);
    } catch {
      return false;
    }
  });
  const killed = pids.filter((pid) => killIfAlive(Number(pid)));
  expect(killed.length).toBeGreaterThan(0);
}

/** A node's helper processes (its shell, `couchjs`) may end between the listing and the kill: ESRCH is not a failure. */
function killIfAlive(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    return false;
  }
}
