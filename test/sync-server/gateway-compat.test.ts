/**
 * The gateway serves each kiosk by the compatibility rule it follows (sync-server/gateway-readers.ts):
 * a kiosk that follows it (`?cunban_compat=1`) gets every document as stored; a 0.1.0 kiosk (no
 * parameter) gets only what 0.1.0 reads, in the form it reads, on every read route, and its writes to a
 * case held back from it are refused. The fleet policy and `GET /api/compat` tell kiosks what the hub
 * reads and what version the county asks for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KioskView } from '../../core/api/fleet.js';
import { toCaseDocument, type CaseDocument } from '../../core/case/document.js';
import type { StoredEvent } from '../../core/case/events.js';
import { COMPAT_LEVEL, COMPAT_PARAM, READS, type CompatInfo } from '../../core/compat.js';
import { setMinimumKioskVersion } from '../../sync-server/fleet-policy.js';
import { recordKioskStatus } from '../../sync-server/kiosks.js';
import { DB, villageDb } from '../../sync-server/store/names.js';
import { caseFor, clerkOf, startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';
import { reviewerJson, signInReviewer } from './reviewer-client.js';
import { addReviewer } from '../../sync-server/users.js';

let t: TestHub;
let kiosk: EnrolledKiosk;
const village = `/sync/${villageDb(VILLAGE_A)}`;
const current = `${COMPAT_PARAM}=${String(COMPAT_LEVEL)}`;
const cases: Record<'plain' | 'foreign' | 'major', string> = { plain: '', foreign: '', major: '' };

function withForeignEvent(doc: CaseDocument & { _id: string }): CaseDocument & { _id: string } {
  const foreign = {
    id: `${kiosk.kioskId}-later-1`,
    at: '2026-11-26T02:00:00.000Z',
    actor: clerkOf(kiosk),
    parents: doc.events.map((e) => e.id),
    type: 'appointmentLinked',
    payload: {},
  } as unknown as StoredEvent;
  const next = toCaseDocument([...doc.events, foreign]);
  if (!next.ok) throw new Error(next.error.code);
  return { _id: doc._id, ...next.value };
}

beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
  const plain = caseFor(kiosk);
  const foreign = withForeignEvent(caseFor(kiosk));
  const major = { ...caseFor(kiosk), schemaVersion: 2 };
  Object.assign(cases, { plain: plain._id, foreign: foreign._id, major: major._id });
  for (const doc of [plain, foreign, major]) {
    const put = await t.hub.store.putDoc(villageDb(VILLAGE_A), doc);
    if (!put.ok) throw new Error(put.error.reason);
  }
  for (const [id, doc] of [
    [
      'notice:a-newer-field',
      {
        kind: 'cunban.notice',
        schemaVersion: 1,
        title: { zh: '通知', en: 'Notice' },
        body: { zh: '正文', en: 'Body' },
        publishedOn: '2026-11-26',
        audience: 'elderly',
      },
    ],
    [
      'notice:b-major-2',
      { kind: 'cunban.notice', schemaVersion: 2, title: { zh: '新版', en: 'New' }, body: { zh: '正文', en: 'Body' }, publishedOn: '2026-11-26' },
    ],
  ] as const) {
    const put = await t.hub.store.putDoc(DB.catalog, { _id: id, ...doc });
    if (!put.ok) throw new Error(put.error.reason);
  }
});

afterAll(async () => {
  await t.close();
});

const get = (path: string) => t.call('GET', path, { auth: kiosk.authorization });
const idsOf = (body: unknown) => (body as { results?: { id: string }[]; rows?: { id?: string }[] }).results?.map((r) => r.id) ?? [];

describe('a village database through the gateway', () => {
  it('a 0.1.0 kiosk’s feed leaves out what it cannot read, and still fills its batch', async () => {
    const legacy = await get(`${village}/_changes?include_docs=true&limit=2`);
    expect(legacy.status).toBe(200);
    // The design document, the foreign event and the newer major are all left out; the batch is not cut short.
    expect(idsOf(legacy.body)).toEqual([cases.plain]);
    const withoutDocs = await get(`${village}/_changes`);
    expect(idsOf(withoutDocs.body)).toEqual([cases.plain]);
    expect((withoutDocs.body as { results: { doc?: unknown }[] }).results[0]).not.toHaveProperty('doc');
    // Today's kiosk gets a full batch of whatever comes first (the order is the store's).
    const today = await get(`${village}/_changes?include_docs=true&limit=2&${current}`);
    expect(idsOf(today.body)).toHaveLength(2);
    expect(Object.values(cases)).toEqual(expect.arrayContaining(idsOf(today.body)));
    const all = await get(`${village}/_changes?${current}`);
    expect(idsOf(all.body).sort()).toEqual(Object.values(cases).sort());
  });

  it('reads a held-back case as missing by id, on every read route, for a 0.1.0 kiosk only', async () => {
    const keys = [cases.plain, cases.foreign, cases.major];
    const legacy = await t.call('POST', `${village}/_all_docs`, { auth: kiosk.authorization, body: { keys, include_docs: true } });
    expect((legacy.body as { rows: { key: string; error?: string; doc?: unknown }[] }).rows.map((row) => row.error ?? 'found')).toEqual([
      'found',
      'not_found',
      'not_found',
    ]);
    const today = await t.call('POST', `${village}/_all_docs?${current}`, { auth: kiosk.authorization, body: { keys, include_docs: true } });
    expect((today.body as { rows: { error?: string }[] }).rows.every((row) => !row.error)).toBe(true);

    expect((await get(`${village}/${cases.foreign}`)).status).toBe(404);
    expect((await get(`${village}/${cases.foreign}?${current}`)).status).toBe(200);
    const bulk = await t.call('POST', `${village}/_bulk_get`, { auth: kiosk.authorization, body: { docs: [{ id: cases.major }] } });
    expect((bulk.body as { results: { docs: { error?: unknown }[] }[] }).results[0]?.docs[0]).toHaveProperty('error');
  });

  it('refuses a 0.1.0 kiosk’s write to a case held back from it, and keeps it in the quarantine', async () => {
    const stored = await t.hub.store.getDoc<CaseDocument>(villageDb(VILLAGE_A), cases.foreign);
    if (!stored.ok) throw new Error('fixture');
    const written = await t.call('POST', `${village}/_bulk_docs`, { auth: kiosk.authorization, body: { docs: [stored.value] } });
    expect(written.body).toEqual([{ id: cases.foreign, error: 'forbidden', reason: expect.stringContaining('update this kiosk') as string }]);
    const quarantined = await t.hub.store.docsWithPrefix<{ docId: string }>(DB.quarantine, 'q:');
    expect(quarantined.ok && quarantined.value.some((q) => q.docId === cases.foreign)).toBe(true);
  });

  it('puts back the fields a 0.1.0 kiosk’s write leaves out, and leaves a current kiosk’s write as it is', async () => {
    const withField = { ...caseFor(kiosk), residentLookup: 'K7QX' };
    expect((await t.call('POST', `${village}/_bulk_docs?${current}`, { auth: kiosk.authorization, body: { docs: [withField] } })).status).toBe(201);
    const stored = await t.hub.store.getDoc<CaseDocument & Record<string, unknown>>(villageDb(VILLAGE_A), withField._id);
    if (!stored.ok) throw new Error('fixture');
    // What 0.1.0's merge writes: the fields it knows.
    const { residentLookup: _dropped, ...legacyWrite } = stored.value;
    const written = await t.call('POST', `${village}/_bulk_docs`, { auth: kiosk.authorization, body: { docs: [legacyWrite] } });
    expect(written.body).toMatchObject([{ ok: true }]);
    const after = await t.hub.store.getDoc<Record<string, unknown>>(villageDb(VILLAGE_A), withField._id);
    expect(after.ok && after.value.residentLookup).toBe('K7QX');
  });

  it('refuses a case of a newer major version than the hub reads: it cannot check it', async () => {
    const major = { ...caseFor(kiosk), schemaVersion: 2 };
    const written = await t.call('POST', `${village}/_bulk_docs?${current}`, { auth: kiosk.authorization, body: { docs: [major] } });
    expect(written.body).toEqual([{ id: major._id, error: 'forbidden', reason: expect.stringContaining('newer version of Cunban') as string }]);
  });
});

const catalogFeed = async (query: string) =>
  ((await get(`/sync/${DB.catalog}/_changes?include_docs=true${query}`)).body as { results: { id: string; doc: Record<string, unknown> }[] }).results;

describe('the catalog database through the gateway', () => {
  it('gives a 0.1.0 kiosk its notices in 0.1.0’s form, and not one of a newer major', async () => {
    const legacy = await catalogFeed('');
    const notice = legacy.find((row) => row.id === 'notice:a-newer-field')?.doc;
    expect(notice).toMatchObject({ kind: 'cunban.notice', title: { zh: '通知' } });
    expect(notice).not.toHaveProperty('schemaVersion');
    expect(notice).not.toHaveProperty('audience');
    expect(legacy.map((row) => row.id)).not.toContain('notice:b-major-2');
    expect(legacy.map((row) => row.id)).toEqual(expect.arrayContaining(['catalog', 'divisions', 'calendar']));

    const today = await catalogFeed(`&${current}`);
    expect(today.find((row) => row.id === 'notice:a-newer-field')?.doc).toMatchObject({ schemaVersion: 1, audience: 'elderly' });
    expect(today.map((row) => row.id)).toContain('notice:b-major-2');
  });
});

describe('the county’s minimum kiosk version', () => {
  it('is published in the catalog database and at /api/compat, with what the hub reads', async () => {
    expect((await t.call('GET', '/api/compat')).body).toEqual({
      hub: expect.any(String) as string,
      compat: COMPAT_LEVEL,
      reads: READS,
      limits: { requestBytes: 8 * 1024 * 1024, documentBytes: 256 * 1024 },
      requestEncodings: ['gzip'],
    });
    const set = await setMinimumKioskVersion(t.hub.store, '0.2.0', 'test', new Date());
    expect(set.ok).toBe(true);
    const info = (await t.call('GET', '/api/compat')).body as CompatInfo;
    expect(info.minimumKioskVersion).toBe('0.2.0');
    const policy = (await catalogFeed(`&${current}`)).find((row) => row.id === 'fleet-policy');
    expect(policy?.doc).toMatchObject({ kind: 'cunban.fleetPolicy', minimumKioskVersion: '0.2.0' });
  });

  it('marks the kiosks below it in the console’s fleet view, and still accepts their valid pushes', async () => {
    await recordKioskStatus(t.hub.store, kiosk.kioskId, { appVersion: '0.1.0', pendingCases: 1, pendingFiles: 0, refused: 0 }, new Date());
    const newer = await t.enroll(VILLAGE_A);
    await recordKioskStatus(t.hub.store, newer.kioskId, { appVersion: '0.2.0', pendingCases: 0, pendingFiles: 0, refused: 0 }, new Date());
    await addReviewer(t.hub.store, { name: 'compat-county', role: 'county', password: 'compat-password-1' }, new Date());
    const session = await signInReviewer(t, 'compat-county', 'compat-password-1');
    const fleet = (await reviewerJson<KioskView[]>(t, session, 'GET', '/api/review/kiosks')).body;
    expect(fleet.find((k) => k.kioskId === kiosk.kioskId)?.updateRequired).toEqual({ minimum: '0.2.0' });
    expect(fleet.find((k) => k.kioskId === newer.kioskId)).not.toHaveProperty('updateRequired');

    const doc = caseFor(kiosk);
    const pushed = await t.call('POST', `${village}/_bulk_docs`, { auth: kiosk.authorization, body: { docs: [doc] } });
    expect(pushed.body).toMatchObject([{ id: doc._id, ok: true }]);
  });
});
