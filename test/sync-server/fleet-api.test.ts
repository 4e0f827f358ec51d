/** The console's fleet and quarantine routes: scoped to the reviewer's area, revocation for the county only. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Area, KioskView, QuarantineView } from '../../core/api/fleet.js';
import { villageDb } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { caseFor, startTestHub, VILLAGE_A, VILLAGE_OTHER_TOWN, type EnrolledKiosk, type TestHub } from './hub-harness.js';
import { reviewerJson, signInReviewer, type ReviewerSession } from './reviewer-client.js';

const OTHER_TOWN_VILLAGE = VILLAGE_OTHER_TOWN;
let hub: TestHub;
let kioskA: EnrolledKiosk;
let kioskB: EnrolledKiosk;

const signIn = (name: string, password: string) => signInReviewer(hub, name, password);

// The caller names the shape of the answer it expects.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
const call = <T>(session: ReviewerSession, method: string, path: string, body?: unknown) => reviewerJson<T>(hub, session, method, path, body);

beforeAll(async () => {
  hub = await startTestHub();
  kioskA = await hub.enroll(VILLAGE_A);
  kioskB = await hub.enroll(OTHER_TOWN_VILLAGE);
  await addReviewer(hub.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, new Date());
  await addReviewer(hub.hub.store, { name: 'yezhou', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, new Date());
  // Each kiosk pushes one case the gateway refuses: an event in a county reviewer's name.
  for (const kiosk of [kioskA, kioskB]) {
    const forged = caseFor(kiosk, {
      extra: [
        {
          id: `forged-${kiosk.kioskId}`,
          at: '2026-11-26T02:00:00.000Z',
          actor: { id: 'county-admin', name: '张敏', level: 'county' },
          type: 'note',
          payload: { text: '已批准' },
        },
      ],
    });
    const pushed = await hub.call('POST', `/sync/${villageDb(kiosk.village)}/_bulk_docs`, { auth: kiosk.authorization, body: { docs: [forged] } });
    expect(pushed.status).toBe(201);
  }
}, 60_000);
afterAll(async () => {
  await hub.close();
});

describe('the fleet', () => {
  it('lists the kiosks of the reviewer’s area with their open refusals', async () => {
    const town = await signIn('yezhou', 'yezhou-secret-1');
    const county = await signIn('county-admin', 'county-secret-1');
    const townView = await call<KioskView[]>(town, 'GET', '/api/review/kiosks');
    expect(townView.body.map((kiosk) => kiosk.kioskId)).toEqual([kioskA.kioskId]);
    expect(townView.body[0]).toMatchObject({ village: VILLAGE_A, refused: 1 });
    expect(townView.body[0]?.lastPushAt).toBeUndefined(); // nothing was accepted from it
    const countyView = await call<KioskView[]>(county, 'GET', '/api/review/kiosks');
    expect(countyView.body.map((kiosk) => kiosk.kioskId).sort()).toEqual([kioskA.kioskId, kioskB.kioskId].sort());
    const area = await call<Area>(town, 'GET', '/api/review/area');
    expect(area.body.villages.map((village) => village.code12)).toContain(VILLAGE_A);
    expect(area.body.villages.map((village) => village.code12)).not.toContain(OTHER_TOWN_VILLAGE);
    expect(area.body.sectors.find((sector) => sector.code === 'MZ')?.name.zh).toBe('民政（含救灾救助）');
  });

  it('issues enrollment codes within the area, and lets only the county revoke', async () => {
    const town = await signIn('yezhou', 'yezhou-secret-1');
    const county = await signIn('county-admin', 'county-secret-1');
    const code = await call<{ code: string; qr: string }>(town, 'POST', '/api/review/kiosks/enroll', { village: VILLAGE_A });
    expect(code.status).toBe(201);
    expect(code.body.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(JSON.parse(code.body.qr)).toMatchObject({ v: 1, code: code.body.code });
    expect((await call(town, 'POST', '/api/review/kiosks/enroll', { village: OTHER_TOWN_VILLAGE })).status).toBe(404);
    expect((await call(town, 'POST', `/api/review/kiosks/${kioskA.kioskId}/revoke`)).status).toBe(403);
    const revoked = await call<{ revokedAt: string }>(county, 'POST', `/api/review/kiosks/${kioskB.kioskId}/revoke`);
    expect(revoked.status).toBe(200);
    const sync = await hub.call('GET', `/sync/${villageDb(OTHER_TOWN_VILLAGE)}/`, { auth: kioskB.authorization });
    expect(sync.status).toBe(401);
  });
});

describe('the quarantine', () => {
  it('shows the area’s refused documents with the reason, and a reviewer resolves one with a note', async () => {
    const town = await signIn('yezhou', 'yezhou-secret-1');
    const list = await call<QuarantineView[]>(town, 'GET', '/api/review/quarantine');
    expect(list.body).toHaveLength(1);
    const [entry] = list.body;
    expect(entry).toMatchObject({ kioskId: kioskA.kioskId, village: VILLAGE_A });
    expect(entry?.reason).toContain('not this kiosk’s to write');
    expect((await call(town, 'POST', `/api/review/quarantine/${entry?.id ?? ''}/resolve`, { note: ' ' })).status).toBe(400);
    const resolved = await call<QuarantineView>(town, 'POST', `/api/review/quarantine/${encodeURIComponent(entry?.id ?? '')}/resolve`, {
      note: '已告知技术员重新录入',
    });
    expect(resolved.body).toMatchObject({ resolvedBy: 'yezhou', note: '已告知技术员重新录入' });
    const county = await signIn('county-admin', 'county-secret-1');
    const kiosks = await call<KioskView[]>(county, 'GET', '/api/review/kiosks');
    expect(kiosks.body.find((kiosk) => kiosk.kioskId === kioskA.kioskId)?.refused).toBe(0);
    const other = (await call<QuarantineView[]>(county, 'GET', '/api/review/quarantine')).body.find((q) => q.village === OTHER_TOWN_VILLAGE);
    expect((await call(town, 'POST', `/api/review/quarantine/${other?.id ?? ''}/resolve`, { note: '越权' })).status).toBe(404);
  });
});
