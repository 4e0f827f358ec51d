/**
 * Today's kiosk behind every earlier release's hub (releases.ts: the real code of that release), as when
 * kiosks are updated before the county's hub: it enrolls, pulls the catalog and the notices (written
 * before notices carried a version), pushes its cases with nothing refused, receives the town's and
 * county's decisions, reports its status, and its diagnostics read the older hub's health.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../core/case/append.js';
import type { CaseDocument } from '../../core/case/document.js';
import type { Result } from '../../core/result.js';
import { checkHub } from '../../renderer/data/diagnostics.js';
import type { EnrollResponse } from '../../core/api/enrollment.js';
import { enrollWithHub } from '../../renderer/data/enroll.js';
import type { HubConfig } from '../../sync-server/config.js';
import type { CountyData } from '../../sync-server/provision.js';
import type { Store, StoreResult } from '../../sync-server/store/store.js';
import { dropPrefixedDatabases, testConfig, testCountyData, VILLAGE_A } from '../sync-server/hub-harness.js';
import { eventually } from '../support/eventually.js';
import { openKiosk, type KioskUnderTest } from './kiosks.js';
import { followsCompatRule, importRelease, RELEASES } from './releases.js';

/** What these tests use of a release's hub: the same in every release so far. */
interface OldHub {
  readonly port: number;
  readonly store: Store;
  close(): Promise<void>;
}
interface OldHubModules {
  startHub(config: HubConfig, options: { log: (message: string) => void }): Promise<OldHub>;
  initStore(store: Store, data: CountyData): Promise<Result<unknown, unknown>>;
  issueEnrollmentCode(store: Store, village: string, now: Date): Promise<StoreResult<{ code: string }>>;
  appendCaseEventOnHub(store: Store, village: string, caseNumber: string, draft: EventDraft): Promise<Result<CaseDocument, { code: string }>>;
}

async function oldHubModules(version: string): Promise<OldHubModules> {
  const [hub, provision, kiosks, events] = await Promise.all([
    importRelease<Pick<OldHubModules, 'startHub'>>(version, 'sync-server/hub.ts'),
    importRelease<Pick<OldHubModules, 'initStore'>>(version, 'sync-server/provision.ts'),
    importRelease<Pick<OldHubModules, 'issueEnrollmentCode'>>(version, 'sync-server/kiosks.ts'),
    importRelease<Pick<OldHubModules, 'appendCaseEventOnHub'>>(version, 'sync-server/case-events.ts'),
  ]);
  return {
    startHub: hub.startHub,
    initStore: provision.initStore,
    issueEnrollmentCode: kiosks.issueEnrollmentCode,
    appendCaseEventOnHub: events.appendCaseEventOnHub,
  };
}

describe.each(RELEASES.map((release) => release.version))('today’s kiosk behind a %s hub', (version) => {
  let old: OldHubModules;
  let hub: OldHub;
  let config: HubConfig;
  let kiosk: KioskUnderTest;
  const dataDir = mkdtempSync(join(tmpdir(), 'cunban-old-hub-'));
  const prefix = `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}_`;
  let enrollment: EnrollResponse;
  const hubUrl = () => `http://127.0.0.1:${String(hub.port)}/`;

  beforeAll(async () => {
    old = await oldHubModules(version);
    config = testConfig(dataDir, prefix);
    hub = await old.startHub(config, { log: () => undefined });
    const seeded = await old.initStore(hub.store, testCountyData());
    if (!seeded.ok) throw new Error(`seeding the ${version} hub failed`);
    // A notice as that hub wrote them: no schema version.
    const put = await hub.store.putDoc('catalog', {
      _id: 'notice:2026-11-26-old',
      kind: 'cunban.notice',
      title: { zh: '旧平台的通知', en: 'A notice' },
      body: { zh: '正文', en: 'Body' },
      publishedOn: '2026-11-26',
    });
    if (!put.ok) throw new Error(put.error.reason);
    const issued = await old.issueEnrollmentCode(hub.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error(issued.error.reason);
    const enrolled = await enrollWithHub(hubUrl(), issued.value.code, 'today');
    if (!enrolled.ok) throw new Error(`today’s kiosk could not enroll: ${enrolled.error.code}`);
    enrollment = enrolled.value;
    // A disk of its own: each release's describe enrolls kiosk -01 again, and its database has that name.
    kiosk = await openKiosk('today', enrollment, { fresh: true, disk: new IDBFactory() });
  });

  afterAll(async () => {
    await kiosk.close();
    if (config.couchdbUrl) await dropPrefixedDatabases(hub.store, prefix);
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('pulls the catalog and the notices', async () => {
    const county = await eventually(async () => {
      const data = await firstValueFrom(kiosk.data.county$);
      return data.catalog && data.notices.length > 0 ? data : undefined;
    }, 'the catalog and the notice');
    expect(county.problems).toEqual([]);
    expect(county.notices.map((n) => n.title.zh)).toEqual(['旧平台的通知']);
  });

  it('pushes its cases with nothing refused, and receives the county’s decision', async () => {
    const registered = [await kiosk.register('李秀英'), await kiosk.register('张建国', '42282219671130019X')];
    expect(await kiosk.data.sync.syncNow()).toMatchObject({ ok: true });
    await eventually(() => (kiosk.data.sync.state().pendingOutbound === 0 ? true : undefined), 'nothing pending');
    expect(kiosk.data.sync.state().refused).toEqual([]);
    for (const doc of registered) {
      const onHub = await hub.store.getDoc<CaseDocument>(`village_${VILLAGE_A}`, doc.caseNumber);
      expect(onHub.ok && onHub.value.events.map((e) => e.id)).toEqual(doc.events.map((e) => e.id));
    }
    const [first] = registered;
    if (!first) throw new Error('fixture');
    const county = { id: 'county-reviewer-1', name: '张敏', level: 'county' as const };
    const decided = await old.appendCaseEventOnHub(hub.store, VILLAGE_A, first.caseNumber, {
      id: 'county-note-old-hub',
      at: new Date().toISOString(),
      actor: county,
      type: 'note',
      payload: { text: '已核实' },
    });
    expect(decided.ok).toBe(true);
    await eventually(
      async () => ((await kiosk.data.cases.get(first.caseNumber))?.events.length === 2 ? true : (await kiosk.data.sync.syncNow(), undefined)),
      'the decision on the kiosk',
    );
  });

  it('reports its status, and its diagnostics read the older hub’s health', async () => {
    const response = await fetch(new URL('api/kiosk/status', hubUrl()), {
      method: 'PUT',
      headers: { authorization: enrollment.authorization, 'content-type': 'application/json' },
      body: JSON.stringify({ appVersion: 'today', pendingCases: 0, pendingFiles: 0, refused: 0 }),
    });
    expect(response.status).toBe(204);
    expect(await checkHub(hubUrl(), (input, init) => fetch(input, init))).toMatchObject({ reachable: true, status: 200, hubVersion: version });
  });

  it('on a new disk under its kept enrollment, numbers under a new lease — or, from a hub too old to lease, says so rather than guess', async () => {
    // The same kiosk (one database name per kiosk: the first must close), its disk replaced.
    await kiosk.close();
    const wiped = await openKiosk('today', enrollment, { disk: new IDBFactory() });
    try {
      const next = await wiped.data.caseNumbers.next();
      if (followsCompatRule(version)) {
        // 0.2.0 grants a number never granted before: not the enrolled kiosk's.
        expect(next.ok && next.value.split('-')[2]).not.toBe(String(enrollment.kioskNumber).padStart(2, '0'));
      } else {
        expect(next).toEqual({ ok: false, error: { code: 'caseNumber.hubCannotLease' } });
      }
    } finally {
      await wiped.close();
    }
  });
});
