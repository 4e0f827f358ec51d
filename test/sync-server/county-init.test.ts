/**
 * Setting up a county's hubs (issue 21): every command prepares its local state first and writes to the
 * store last, so a failed run loses nothing and a re-run finishes it; the county's key ring is made by
 * `init` alone, once — a hub never makes one, and a second machine's `init` never makes another.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHubConfig } from '../../sync-server/config.js';
import { initCounty } from '../../sync-server/county-init.js';
import { seedDemo } from '../../sync-server/demo.js';
import { acquireStore, startHub, type AcquiredStore } from '../../sync-server/hub.js';
import { checkKeyRingAgainstStore, createKeyRing, keyRingFingerprint, keyringFile, loadKeyRing, rotateKeyRing } from '../../sync-server/keyring.js';
import { silentLogger } from '../../sync-server/observe/request-log.js';
import { initStore } from '../../sync-server/provision.js';
import { verifyPassword } from '../../sync-server/secrets.js';
import { DB } from '../../sync-server/store/names.js';
import type { Store } from '../../sync-server/store/store.js';
import type { ReviewerDoc } from '../../sync-server/users.js';
import { dropPrefixedDatabases, startTestHub, testCountyData } from './hub-harness.js';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'cunban-county-init-'));
const prefix = `ci${Date.now().toString(36)}_`;
const cleanups: (() => Promise<void>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

/** The environment of a hub machine whose data directory is `dataDir`, on the suite's store. */
const machine = (dataDir: string, overrides: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv => ({
  ...process.env,
  CUNBAN_DATA_DIR: dataDir,
  CUNBAN_DB_PREFIX: process.env.COUCHDB_URL ? prefix : '',
  ...overrides,
});

async function cunbanHub(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; out: Record<string, unknown> }> {
  const done = await run(process.execPath, ['bin/cunban-hub.js', ...args, '--json'], { cwd: root, env, timeout: 180_000 }).then(
    ({ stdout }) => ({ code: 0, text: stdout }),
    (error: unknown) => ({ code: (error as { code: number }).code, text: (error as { stderr: string }).stderr }),
  );
  return { code: done.code, out: JSON.parse(done.text) as Record<string, unknown> };
}

const credentialsOf = (dataDir: string) => JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as { name: string; password: string }[];

async function opens(store: Store, name: string, password: string): Promise<boolean> {
  const user = await store.getDoc<ReviewerDoc>(DB.users, `user:${name}`);
  return user.ok && (await verifyPassword(password, user.value.passwordHash));
}

async function storeOf(env: NodeJS.ProcessEnv): Promise<AcquiredStore> {
  const config = loadHubConfig(env);
  if (!config.ok) throw new Error(config.error.message);
  const acquired = await acquireStore(config.value);
  cleanups.push(async () => {
    if (process.env.COUCHDB_URL) await dropPrefixedDatabases(acquired.store, prefix);
    await acquired.release();
  });
  return acquired;
}

describe('cunban-hub seed-demo into a data directory that does not exist yet', () => {
  const first = join(scratch, 'hub-1', 'data');
  const second = join(scratch, 'hub-2', 'data');
  let admin: AcquiredStore;

  it('keeps the passwords it generated when the store cannot be reached, before touching it', async () => {
    const failed = await cunbanHub(machine(first, { COUCHDB_URL: 'http://admin:wrong@127.0.0.1:9/' }), 'seed-demo');
    expect(failed.code).toBe(1);
    expect(failed.out.message).toEqual(expect.stringMatching(/ECONNREFUSED|connect|reach/i));
    expect(credentialsOf(first).map((reviewer) => reviewer.name)).toEqual(['county-admin', 'yezhou-reviewer']);
  }, 60_000);

  it('run again on the store, makes the reviewers with the passwords the failed run saved, and the county key ring', async () => {
    const saved = credentialsOf(first);
    const seeded = await cunbanHub(machine(first), 'seed-demo');
    expect(seeded.code).toBe(0);
    expect(seeded.out.reviewersCreated).toEqual(saved.map((reviewer) => expect.objectContaining(reviewer) as unknown));
    admin = await storeOf(machine(first));
    for (const reviewer of saved) expect(await opens(admin.store, reviewer.name, reviewer.password)).toBe(true);
    expect((seeded.out.init as { keyRingFingerprint: string }).keyRingFingerprint).toBe(keyRingFingerprint(loadKeyRing(first)));
  }, 240_000);

  it('from a second data directory on the same store: no second key ring, and no password overwritten', async () => {
    const answered = await seedDemo(admin.store, second, 'http://hub.example/');
    expect(answered).toMatchObject({ ok: false, error: { code: 'keyring.missing', message: expect.stringContaining('Copy county-keys.json') as unknown } });
    expect(existsSync(keyringFile(second))).toBe(false);
    // With the county's ring copied, it finishes, and says whose passwords these are not.
    copyFileSync(keyringFile(first), keyringFile(second));
    const seeded = await seedDemo(admin.store, second, 'http://hub.example/');
    expect(seeded).toMatchObject({ ok: true, value: { reviewersCreated: [], reviewersElsewhere: ['county-admin', 'yezhou-reviewer'] } });
    for (const reviewer of credentialsOf(first)) expect(await opens(admin.store, reviewer.name, reviewer.password)).toBe(true);
  }, 120_000);

  it('keeps the passwords file as it is when nothing is missing (what else it holds too), and refuses one of the wrong shape', async () => {
    const file = join(first, 'demo-credentials.json');
    const withMore = [...credentialsOf(first), { name: 'my-own-reviewer', password: 'keep-me-please-123', note: 'added by hand' }];
    writeFileSync(file, JSON.stringify(withMore));
    const before = statSync(file);
    expect(await seedDemo(admin.store, first, 'http://hub.example/')).toMatchObject({ ok: true, value: { reviewersCreated: [] } });
    expect(statSync(file)).toMatchObject({ ino: before.ino, mtimeMs: before.mtimeMs });
    expect(credentialsOf(first)).toEqual(withMore);
    for (const shape of ['{}', 'null', '"x"']) {
      writeFileSync(file, shape);
      expect(await seedDemo(admin.store, first, 'http://hub.example/')).toMatchObject({
        ok: false,
        error: { code: 'demo.credentials', message: expect.stringContaining('is damaged: move it aside') as unknown },
      });
      expect(readFileSync(file, 'utf8')).toBe(shape);
    }
    writeFileSync(file, JSON.stringify(withMore));
  }, 120_000);
});

describe('cunban-hub keys rotate and keys show, on the seeded county', () => {
  const first = join(scratch, 'hub-1', 'data');
  const record = async () => {
    const admin = await storeOf(machine(first));
    return admin.store.getDoc<{ keys: Record<string, string> }>(DB.meta, 'county-keyring');
  };

  it('a rotation the store does not record changes nothing: the ring file stays as it was', async () => {
    const before = readFileSync(keyringFile(first));
    const failed = await cunbanHub(machine(first, { COUCHDB_URL: 'http://admin:wrong@127.0.0.1:9/' }), 'keys', 'rotate');
    expect(failed).toMatchObject({ code: 1, out: { message: expect.stringContaining('Nothing was changed') as unknown } });
    expect(readFileSync(keyringFile(first))).toEqual(before);
    expect(readdirSync(first).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  }, 60_000);

  it('keys show writes nothing; a rotation is recorded in the store, then written, and an older copy is refused', async () => {
    const stale = mkdtempSync(join(scratch, 'stale-'));
    copyFileSync(keyringFile(first), keyringFile(stale));
    const recorded = await record();
    expect((await cunbanHub(machine(first), 'keys', 'show')).code).toBe(0);
    expect(await record()).toEqual(recorded);
    const rotated = await cunbanHub(machine(first), 'keys', 'rotate');
    expect(rotated.code).toBe(0);
    const kids = rotated.out.kids as string[];
    expect(loadKeyRing(first).current).toBe(kids.at(-1));
    const after = await record();
    expect(after.ok && Object.keys(after.value.keys)).toEqual(kids);
    // The copy from before the rotation (another machine on the same store) can neither serve nor rotate on its own.
    const admin = await storeOf(machine(first));
    expect(await rotateKeyRing(admin.store, stale)).toMatchObject({ ok: false, error: { code: 'keyring.stale' } });
    expect(await checkKeyRingAgainstStore(admin.store, stale)).toMatchObject({ ok: false, error: { code: 'keyring.stale' } });
    expect(await record()).toEqual(after);
  }, 120_000);

  it('init from a machine holding another ring refuses before writing anything to the store', async () => {
    const foreign = mkdtempSync(join(scratch, 'foreign-'));
    const admin = await storeOf(machine(first));
    createKeyRing(foreign);
    const calendar = await admin.store.getDoc(DB.catalog, 'calendar');
    const county = testCountyData();
    const years = county.calendar.years.map((year) => ({ ...year, source: `${year.source} (changed)` }));
    const init = await initCounty(admin.store, foreign, { ...county, calendar: { ...county.calendar, years } });
    expect(init).toMatchObject({ ok: false, error: { code: 'keyring.foreign' } });
    expect(await admin.store.getDoc(DB.catalog, 'calendar')).toEqual(calendar);
  }, 60_000);

  it('a ring that is a folder, or unreadable, is said to be so — not damaged', () => {
    const folder = mkdtempSync(join(scratch, 'folder-'));
    mkdirSync(keyringFile(folder));
    expect(() => loadKeyRing(folder)).toThrow(/is a folder, not the county key ring/);
  });
});

describe('seed-demo on a county’s own store', () => {
  it('refuses, changing nothing: no demo data over the county’s, no demo reviewers beside its own', async () => {
    const t = await startTestHub();
    cleanups.push(() => t.close());
    const calendar = await t.hub.store.getDoc(DB.catalog, 'calendar');
    const seeded = await seedDemo(t.hub.store, t.config.dataDir, 'http://hub.example/');
    expect(seeded).toMatchObject({ ok: false, error: { code: 'demo.notDemo', message: expect.stringContaining('own county data') as unknown } });
    expect(await t.hub.store.getDoc(DB.catalog, 'calendar')).toEqual(calendar);
    expect((await t.hub.store.getDoc(DB.users, 'user:county-admin')).ok).toBe(false);
  }, 60_000);
});

describe('the county key ring is made by init alone', () => {
  it('a hub started on a provisioned county without a key ring refuses, saying to run init or copy it, and makes none', async () => {
    const t = await startTestHub({ seed: false });
    cleanups.push(() => t.close());
    const provisioned = await initStore(t.hub.store, testCountyData());
    expect(provisioned.ok).toBe(true);
    const started = startHub({ ...t.config, port: 0 }, { logger: silentLogger() });
    await expect(started).rejects.toMatchObject({ code: 'keyring.missing', message: expect.stringContaining('cunban-hub init') as unknown });
    expect(existsSync(keyringFile(t.config.dataDir))).toBe(false);
    // Nor does the running hub make one when a kiosk enrolls: it answers that its key ring is unusable.
    const enrolling = await t.enroll('422822100202').catch((error: unknown) => String(error));
    expect(enrolling).toMatch(/keyring_unavailable/);
    expect(existsSync(keyringFile(t.config.dataDir))).toBe(false);
  }, 60_000);

  it('init on a second machine with no copy of the ring refuses before writing anything', async () => {
    const t = await startTestHub();
    cleanups.push(() => t.close());
    const recorded = await t.hub.store.getDoc(DB.meta, 'county-keyring');
    const elsewhere = mkdtempSync(join(scratch, 'machine-b-'));
    const init = await initCounty(t.hub.store, elsewhere, testCountyData());
    expect(init).toMatchObject({ ok: false, error: { code: 'keyring.missing' } });
    expect(existsSync(keyringFile(elsewhere))).toBe(false);
    expect(await t.hub.store.getDoc(DB.meta, 'county-keyring')).toEqual(recorded);
  }, 60_000);

  it('of two machines running init at once on a new county, one ring is recorded and the other machine keeps none', async () => {
    const t = await startTestHub({ seed: false });
    cleanups.push(() => t.close());
    const machines = [mkdtempSync(join(scratch, 'race-a-')), mkdtempSync(join(scratch, 'race-b-'))];
    const inits = await Promise.all(machines.map((dataDir) => initCounty(t.hub.store, dataDir, testCountyData())));
    const won = inits.filter((init) => init.ok);
    expect(won).toHaveLength(1);
    expect(inits.find((init) => !init.ok)).toMatchObject({ ok: false, error: { code: 'keyring.foreign' } });
    expect(machines.filter((dataDir) => existsSync(keyringFile(dataDir)))).toHaveLength(1);
    const recorded = await t.hub.store.getDoc<{ fingerprint: string }>(DB.meta, 'county-keyring');
    const winner = machines.find((dataDir) => existsSync(keyringFile(dataDir))) ?? '';
    expect(recorded.ok && recorded.value.fingerprint).toBe(keyRingFingerprint(loadKeyRing(winner)));
  }, 60_000);
});
