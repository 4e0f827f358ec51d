/**
 * Upgrades of stored data from every earlier release (releases.ts: the real code of that release):
 * - a kiosk updated with cases it registered offline and never sent: today's data layer opens the
 *   release's database and sends them; its clerks and its case numbers carry on;
 * - a hub's store provisioned and used by the release, upgraded by today's `init`: notices gain their
 *   schema version, the store validator takes the fleet policy, and a second run changes nothing.
 */
import { IDBFactory } from 'fake-indexeddb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema, type EnrollResponse } from '../../core/api/enrollment.js';
import type { CaseDocument } from '../../core/case/document.js';
import { parseCaseNumber } from '../../core/case/number.js';
import type { Result } from '../../core/result.js';
import type { ClerkAccounts } from '../../renderer/data/clerks.js';
import type { AcquiredStore } from '../../sync-server/hub.js';
import { setMinimumKioskVersion } from '../../sync-server/fleet-policy.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { initStore, STORE_SCHEMA_VERSION, type CountyData } from '../../sync-server/provision.js';
import { DB, villageDb } from '../../sync-server/store/names.js';
import type { Store } from '../../sync-server/store/store.js';
import {
  caseFor,
  dropPrefixedDatabases,
  startTestHub,
  testConfig,
  testCountyData,
  VILLAGE_A,
  type EnrolledKiosk,
  type TestHub,
} from '../sync-server/hub-harness.js';
import { eventually } from '../support/eventually.js';
import { rawIndexedDb } from '../support/raw-indexeddb.js';
import { openKiosk } from './kiosks.js';
import { followsCompatRule, importRelease, RELEASES } from './releases.js';

describe.each(RELEASES.map((release) => release.version))('a kiosk updated from %s', (version) => {
  let t: TestHub;
  let enrollment: EnrollResponse;

  beforeAll(async () => {
    t = await startTestHub();
    const issued = await issueEnrollmentCode(t.hub.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error(issued.error.reason);
    enrollment = enrollResponseSchema.parse((await t.call('POST', '/api/enroll', { body: { code: issued.value.code, appVersion: version } })).body);
  });

  afterAll(async () => {
    await t.close();
  });

  it('sends the cases the release registered offline, and keeps its clerks and its numbering', async () => {
    // A disk of its own (each release's describe enrolls kiosk -01 again), shared by the release and today's code: an update.
    const disk = new IDBFactory();
    // Its first start after enrolling: the enrollment is fresh (a release with numbering leases takes its number as the lease).
    const line = { up: true };
    const before = await openKiosk(version, enrollment, { network: line, disk, fresh: true });
    // One case sent while the line was up (RxDB then keeps its copy of the hub's state), then the line drops.
    const sent = await before.register('欧阳春燕');
    await eventually(
      async () => (before.data.sync.state().pendingOutbound === 0 ? true : (await before.data.sync.syncNow(), undefined)),
      'the first case sent',
    );
    line.up = false;
    const offline = [await before.register('李秀英'), await before.register('张建国'), await before.register('王桂兰')];
    await eventually(() => (before.data.sync.state().pendingOutbound >= offline.length ? true : undefined), 'the cases counted as unsent');
    const clerks = (before.data as unknown as { clerks: ClerkAccounts }).clerks;
    const clerk = await clerks.add('王芳', '246810', '246810');
    if (!clerk.ok) throw new Error(clerk.error.code);
    await before.close();

    const after = await openKiosk('today', enrollment, { disk });
    try {
      await eventually(
        async () => (after.data.sync.state().pendingOutbound === 0 ? true : (await after.data.sync.syncNow(), undefined)),
        'the offline cases sent',
      );
      for (const doc of offline) {
        const onHub = await t.hub.store.getDoc<CaseDocument>(villageDb(VILLAGE_A), doc.caseNumber);
        expect(onHub.ok && onHub.value.events.map((e) => e.id)).toEqual(doc.events.map((e) => e.id));
      }
      expect(after.data.sync.state().refused).toEqual([]);
      const todayClerks = (after.data as unknown as { clerks: ClerkAccounts }).clerks;
      expect((await todayClerks.verify(clerk.value.id, '246810')).ok).toBe(true);
      // The day's numbering carries on after the last number the release issued.
      const next = await after.register('刘德华');
      const sequence = (number: string) => {
        const parsed = parseCaseNumber(number);
        return parsed.ok ? parsed.value.sequence : 0;
      };
      expect(sequence(next.caseNumber)).toBe(Math.max(...offline.map((doc) => sequence(doc.caseNumber))) + 1);
      // Updated, the disk holds no resident's name in the clear: the release's copies are gone, today's sealed.
      expect((await after.data.cases.get(sent.caseNumber))?.summary.applicantName).toBe('欧阳春燕');
      const raw = await rawIndexedDb(disk);
      for (const name of ['欧阳春燕', '李秀英', '张建国', '王桂兰', '刘德华']) expect(raw, name).not.toContain(name);
    } finally {
      await after.close();
    }
  });
});

interface ReleaseHubModules {
  acquireStore(config: ReturnType<typeof testConfig>): Promise<AcquiredStore>;
  initStore(store: Store, data: CountyData): Promise<Result<{ storeSchemaVersion: number }, unknown>>;
}

describe.each(RELEASES.map((release) => release.version))('a hub store provisioned by %s, upgraded by today’s init', (version) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'cunban-upgrade-'));
  const prefix = `u${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}_`;
  const config = testConfig(dataDir, prefix);
  let acquired: AcquiredStore;

  beforeAll(async () => {
    const [hub, provision] = await Promise.all([
      importRelease<Pick<ReleaseHubModules, 'acquireStore'>>(version, 'sync-server/hub.ts'),
      importRelease<Pick<ReleaseHubModules, 'initStore'>>(version, 'sync-server/provision.ts'),
    ]);
    acquired = await hub.acquireStore(config);
    const provisioned = await provision.initStore(acquired.store, testCountyData());
    if (!provisioned.ok) throw new Error(`the ${version} init failed`);
    // What the release's hub held: a notice as it wrote them (versioned since the rule), and a kiosk's case.
    const notice = await acquired.store.putDoc(DB.catalog, {
      _id: 'notice:2026-11-20-a1',
      kind: 'cunban.notice',
      ...(followsCompatRule(version) ? { schemaVersion: 1 } : {}),
      title: { zh: '通知', en: 'Notice' },
      body: { zh: '正文', en: 'Body' },
      publishedOn: '2026-11-20',
    });
    if (!notice.ok) throw new Error(notice.error.reason);
    const kiosk: EnrolledKiosk = { kioskId: `kiosk-${VILLAGE_A}-01`, kioskNumber: 1, village: VILLAGE_A, authorization: '' };
    const stored = await acquired.store.putDoc(villageDb(VILLAGE_A), caseFor(kiosk));
    if (!stored.ok) throw new Error(stored.error.reason);
  });

  afterAll(async () => {
    if (config.couchdbUrl) await dropPrefixedDatabases(acquired.store, prefix);
    await acquired.release();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('versions the notices, lets the fleet policy in, and changes nothing on a second run', async () => {
    const { store } = acquired;
    // A validator from before the rule refuses the fleet policy: a kind that release never knew.
    expect((await setMinimumKioskVersion(store, '0.2.0', 'test', new Date())).ok).toBe(followsCompatRule(version));

    const upgraded = await initStore(store);
    if (!upgraded.ok) throw new Error(JSON.stringify(upgraded.error));
    expect(upgraded.value.storeSchemaVersion).toBe(STORE_SCHEMA_VERSION);
    if (!followsCompatRule(version)) {
      expect(upgraded.value.updated).toEqual(expect.arrayContaining(['catalog/_design/cunban', 'catalog/notice:2026-11-20-a1', 'cunban_meta/store-schema']));
    }
    const notice = await store.getDoc<{ schemaVersion?: number; title: unknown }>(DB.catalog, 'notice:2026-11-20-a1');
    expect(notice.ok && notice.value).toMatchObject({ schemaVersion: 1, title: { zh: '通知' } });
    expect((await setMinimumKioskVersion(store, '0.2.0', 'test', new Date())).ok).toBe(true);

    const again = await initStore(store);
    expect(again.ok && again.value).toMatchObject({ created: [], updated: [] });
    const cases = await store.docsWithPrefix<{ kind?: string }>(villageDb(VILLAGE_A), '');
    expect(cases.ok && cases.value.filter((doc) => doc.kind === 'cunban.case')).toHaveLength(1);
  });
});
