/**
 * The county key ring (issue 15 §3): created once, even by processes racing; each kiosk given only its
 * village's keys, derived on the hub; what a kiosk sealed opened by the hub for an audited reveal, and by no
 * other village's keys; rotation; and a hub whose ring is not the county's refuses to start.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkKeyRingAgainstStore,
  createKeyRing,
  keyRingFingerprint,
  keyringFile,
  loadKeyRing,
  rotateDataKey,
  unsealOnHub,
  villageKeyRing,
} from '../../sync-server/keyring.js';
import { importKeyRing, seal, sealPerson, unseal } from '../../renderer/data/sealing.js';
import { enrollResponseSchema } from '../../core/api/enrollment.js';
import { startHub } from '../../sync-server/hub.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { silentLogger } from '../../sync-server/observe/request-log.js';
import { startTestHub, VILLAGE_A, VILLAGE_B, type TestHub } from './hub-harness.js';

const root = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'cunban-keys-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the county key ring', () => {
  it('is created once, readable by the hub’s user only, and stable afterwards', () => {
    const first = createKeyRing(dir, new Date('2026-11-26T00:00:00Z')).ring;
    expect(first.current).toBe('county-2026-11-26-1');
    expect(statSync(keyringFile(dir)).mode & 0o777).toBe(0o600);
    expect(loadKeyRing(dir)).toEqual(first);
  });

  it('is created once when several processes start on one data directory at the same moment', async () => {
    const shared = mkdtempSync(join(tmpdir(), 'cunban-keys-race-'));
    const script = `import { keyRingFingerprint, createKeyRing } from './sync-server/keyring.ts'; process.stdout.write(keyRingFingerprint(createKeyRing(${JSON.stringify(shared)}).ring));`;
    const run = promisify(execFile);
    const prints = await Promise.all(
      Array.from({ length: 6 }, () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root })),
    );
    const fingerprints = new Set(prints.map((printed) => printed.stdout));
    expect(fingerprints.size).toBe(1);
    expect(fingerprints).toEqual(new Set([keyRingFingerprint(loadKeyRing(shared))]));
    rmSync(shared, { recursive: true, force: true });
  }, 60_000);

  it('refuses a damaged file instead of silently making new keys: no key, not JSON, or one id twice', () => {
    const damaged = mkdtempSync(join(tmpdir(), 'cunban-keys-bad-'));
    const genuine = loadKeyRing(dir);
    const twice = { ...genuine, keys: [{ kid: genuine.current, key: 'B'.repeat(43) }, ...genuine.keys] };
    for (const text of ['{"current":"x","keys":[]}', '{"current":', JSON.stringify(twice)]) {
      writeFileSync(keyringFile(damaged), text);
      expect(() => loadKeyRing(damaged)).toThrow(/county-keys\.json is damaged; restore it from the county's backup/);
    }
    rmSync(damaged, { recursive: true, force: true });
  });
});

describe('village keys', () => {
  it('are derived per village, hold none of the county’s keys, and name their village', () => {
    const county = loadKeyRing(dir);
    const a = villageKeyRing(county, VILLAGE_A);
    const b = villageKeyRing(county, VILLAGE_B);
    expect(a.current).toBe(`${county.current}.v${VILLAGE_A}`);
    const countySecrets = [county.blindIndexKey, ...county.keys.map((key) => key.key)];
    for (const ring of [a, b]) for (const secret of [ring.blindIndexKey, ...ring.keys.map((key) => key.key)]) expect(countySecrets).not.toContain(secret);
    expect(a.blindIndexKey).not.toBe(b.blindIndexKey);
    expect(a.keys[0]?.key).not.toBe(b.keys[0]?.key);
    expect(villageKeyRing(county, VILLAGE_A)).toEqual(a);
  });

  it('seal what the hub opens, and what another village’s keys cannot', async () => {
    const county = loadKeyRing(dir);
    const kioskA = await importKeyRing(villageKeyRing(county, VILLAGE_A));
    const kioskB = await importKeyRing(villageKeyRing(county, VILLAGE_B));
    const person = await sealPerson(kioskA, { name: '张三', idNumber: '422822198001010015', phone: '13900001111' });
    expect(unsealOnHub(county, 'idNumber', person.idNumber)).toBe('422822198001010015');
    expect(unsealOnHub(county, 'phone', person.phone ?? person.idNumber)).toBe('13900001111');
    // Another village's kiosk, even told the kid, has no key that opens it.
    const forged = { ...person.idNumber, kid: `${county.current}.v${VILLAGE_B}` };
    expect(await unseal(kioskB, 'idNumber', forged)).toEqual({ ok: false, error: { code: 'unseal.failed' } });
    expect(await unseal(kioskB, 'idNumber', person.idNumber)).toMatchObject({ ok: false, error: { code: 'unseal.unknownKey' } });
    // The same resident has a different blind index in each village: one kiosk's index says nothing of another's.
    const sameInB = await sealPerson(kioskB, { name: '张三', idNumber: '422822198001010015' });
    expect(sameInB.idNumberHash).not.toBe(person.idNumberHash);
  });

  it('leave values sealed before 0.3.0 with the county key readable on the hub', async () => {
    const county = loadKeyRing(dir);
    const legacy = await seal(await importKeyRing(county), 'idNumber', '42282219671130019X');
    expect(legacy.kid).toBe(county.current);
    expect(unsealOnHub(county, 'idNumber', legacy)).toBe('42282219671130019X');
  });

  it('rotate: a new current key, earlier ones kept, so old and new values open on the hub and on the kiosk', async () => {
    const before = loadKeyRing(dir);
    const oldKiosk = await importKeyRing(villageKeyRing(before, VILLAGE_A));
    const sealedBefore = await seal(oldKiosk, 'idNumber', '11010519491231002X');
    const after = rotateDataKey(dir, new Date('2027-01-05T00:00:00Z'));
    expect(after.current).toBe('county-2027-01-05-2');
    expect(after.keys.slice(0, 1)).toEqual(before.keys);
    expect(after.blindIndexKey).toBe(before.blindIndexKey);
    expect(keyRingFingerprint(after)).toBe(keyRingFingerprint(before));
    const newKiosk = await importKeyRing(villageKeyRing(after, VILLAGE_A));
    const sealedAfter = await seal(newKiosk, 'idNumber', '422822199506150026');
    expect(sealedAfter.kid).toBe(`county-2027-01-05-2.v${VILLAGE_A}`);
    expect(unsealOnHub(after, 'idNumber', sealedBefore)).toBe('11010519491231002X');
    expect(unsealOnHub(after, 'idNumber', sealedAfter)).toBe('422822199506150026');
    // A kiosk enrolled after the rotation still reads its village's cases sealed before it.
    expect(await unseal(newKiosk, 'idNumber', sealedBefore)).toEqual({ ok: true, value: '11010519491231002X' });
    // The hub that does not have the new key cannot open what was sealed with it.
    expect(unsealOnHub(before, 'idNumber', sealedAfter)).toBeUndefined();
  });
});

describe('a hub whose key ring is not the county’s', () => {
  let hub: TestHub;
  /** The ring the hub checked and holds from its start (a rotation on disk counts from the next start). */
  let atStart: ReturnType<typeof loadKeyRing>;
  beforeAll(async () => {
    hub = await startTestHub();
    // The test hub is provisioned (init) after it starts, so it checks and takes up its ring at its first enrollment.
    await hub.enroll(VILLAGE_A);
    atStart = loadKeyRing(hub.config.dataDir);
  }, 60_000);
  afterAll(async () => {
    await hub.close();
  });

  it('is told so against the store: a missing ring, another ring, an older copy — and the county’s own passes', async () => {
    const store = hub.hub.store;
    // `init` recorded the county's ring.
    const own = await checkKeyRingAgainstStore(store, hub.config.dataDir);
    expect(own.ok).toBe(true);

    const missing = mkdtempSync(join(tmpdir(), 'cunban-keys-missing-'));
    expect(await checkKeyRingAgainstStore(store, missing)).toMatchObject({ ok: false, error: { code: 'keyring.missing' } });
    expect(existsSync(keyringFile(missing))).toBe(false);

    const foreign = mkdtempSync(join(tmpdir(), 'cunban-keys-foreign-'));
    createKeyRing(foreign);
    expect(await checkKeyRingAgainstStore(store, foreign)).toMatchObject({ ok: false, error: { code: 'keyring.foreign' } });

    // The same ids and blind-index key, another data key: still not the county's ring.
    const altered = mkdtempSync(join(tmpdir(), 'cunban-keys-altered-'));
    const genuine = loadKeyRing(hub.config.dataDir);
    writeFileSync(keyringFile(altered), JSON.stringify({ ...genuine, keys: genuine.keys.map((key, i) => (i === 0 ? { ...key, key: 'A'.repeat(43) } : key)) }));
    expect(await checkKeyRingAgainstStore(store, altered)).toMatchObject({
      ok: false,
      error: { code: 'keyring.foreign', message: expect.stringContaining(genuine.keys[0]?.kid ?? '?') as unknown },
    });

    const stale = mkdtempSync(join(tmpdir(), 'cunban-keys-stale-'));
    copyFileSync(keyringFile(hub.config.dataDir), keyringFile(stale));
    rotateDataKey(hub.config.dataDir);
    expect((await checkKeyRingAgainstStore(store, hub.config.dataDir)).ok).toBe(true);
    expect(await checkKeyRingAgainstStore(store, stale)).toMatchObject({ ok: false, error: { code: 'keyring.stale' } });
    for (const d of [missing, foreign, altered, stale]) rmSync(d, { recursive: true, force: true });
  });

  it('gives an enrolling kiosk its village’s keys, never the county’s', async () => {
    const county = atStart;
    const code = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date());
    if (!code.ok) throw new Error(code.error.reason);
    const kiosk = enrollResponseSchema.parse((await hub.call('POST', '/api/enroll', { body: { code: code.value.code } })).body);
    expect(kiosk.dataKeys).toEqual(villageKeyRing(county, VILLAGE_A));
    const text = JSON.stringify(kiosk);
    for (const secret of [county.blindIndexKey, ...county.keys.map((key) => key.key)]) expect(text).not.toContain(secret);
  });

  it('keeps using the ring it checked at start when the file is removed or swapped under it', async () => {
    const checked = atStart;
    const file = keyringFile(hub.config.dataDir);
    const genuine = readFileSync(file);
    const enrollNow = async () => {
      const code = await issueEnrollmentCode(hub.hub.store, VILLAGE_B, new Date());
      if (!code.ok) throw new Error(code.error.reason);
      return enrollResponseSchema.parse((await hub.call('POST', '/api/enroll', { body: { code: code.value.code } })).body);
    };
    try {
      rmSync(file);
      expect((await enrollNow()).dataKeys).toEqual(villageKeyRing(checked, VILLAGE_B));
      expect(existsSync(file)).toBe(false);
      const other = mkdtempSync(join(tmpdir(), 'cunban-keys-swap-'));
      createKeyRing(other);
      copyFileSync(keyringFile(other), file);
      expect((await enrollNow()).dataKeys).toEqual(villageKeyRing(checked, VILLAGE_B));
      rmSync(other, { recursive: true, force: true });
    } finally {
      writeFileSync(file, genuine);
    }
  }, 60_000);

  it('refuses to start beside it with another ring, saying what to copy', async () => {
    const genuine = readFileSync(keyringFile(hub.config.dataDir));
    const other = mkdtempSync(join(tmpdir(), 'cunban-keys-other-'));
    createKeyRing(other);
    copyFileSync(keyringFile(other), keyringFile(hub.config.dataDir));
    try {
      const second = startHub({ ...hub.config, port: 0 }, { logger: silentLogger() });
      await expect(second).rejects.toMatchObject({ code: 'keyring.foreign', message: expect.stringContaining('Copy county-keys.json') as unknown });
    } finally {
      writeFileSync(keyringFile(hub.config.dataDir), genuine);
      rmSync(other, { recursive: true, force: true });
    }
    expect((await hub.call('GET', '/api/health')).status).toBe(200);
  }, 60_000);
});
