/**
 * A kiosk credential can never read or write another village's data: every endpoint replication uses,
 * with kiosk A's credential on village B's database, anonymously, and after revocation — refused, and
 * nothing changes. Runs against the embedded store, or against Apache CouchDB given COUCHDB_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { revokeKiosk } from '../../sync-server/kiosks.js';
import { caseFor, startTestHub, VILLAGE_A, VILLAGE_B, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let t: TestHub;
let kioskA: EnrolledKiosk;
let kioskB: EnrolledKiosk;
let caseOfB: ReturnType<typeof caseFor>;
let revisionOfB = '';
const dbB = `/sync/village_${VILLAGE_B}`;

/** Every request replication makes, aimed at village B's database. */
function requestsOnB(): [string, string, unknown][] {
  return [
    ['GET', `${dbB}/`, undefined],
    ['GET', `${dbB}/_changes?since=0&include_docs=true`, undefined],
    ['GET', `${dbB}/_changes?feed=longpoll&since=0&timeout=1000`, undefined],
    ['GET', `${dbB}/_all_docs?include_docs=true`, undefined],
    ['POST', `${dbB}/_all_docs?include_docs=true`, { keys: [caseOfB._id] }],
    ['POST', `${dbB}/_bulk_get?revs=true`, { docs: [{ id: caseOfB._id }] }],
    ['POST', `${dbB}/_revs_diff`, { [caseOfB._id]: ['9-abc'] }],
    ['POST', `${dbB}/_bulk_docs`, { docs: [{ ...caseOfB, _rev: revisionOfB }] }],
    [
      'POST',
      `${dbB}/_bulk_docs`,
      { docs: [{ ...caseOfB, _rev: `2-${'f'.repeat(32)}`, _revisions: { start: 2, ids: ['f'.repeat(32), revisionOfB.slice(2)] } }], new_edits: false },
    ],
    ['GET', `${dbB}/_local/checkpoint-1`, undefined],
    ['PUT', `${dbB}/_local/checkpoint-1`, { last_seq: 99 }],
    ['GET', `${dbB}/${caseOfB._id}`, undefined],
    ['GET', `${dbB}/${caseOfB._id}?revs=true&open_revs=all`, undefined],
    ['PUT', `${dbB}/${caseOfB._id}`, { ...caseOfB, _rev: revisionOfB }],
    ['DELETE', `${dbB}/${caseOfB._id}?rev=${revisionOfB}`, undefined],
  ];
}

async function snapshotOfB(): Promise<unknown> {
  const db = t.hub.store.dbName(`village_${VILLAGE_B}`);
  const docs = await t.hub.store.request<{ rows: unknown[] }>({ db, path: '_all_docs', qs: { include_docs: true } });
  const local = await t.hub.store.request({ db, path: '_local/checkpoint-1' });
  return { docs: docs.ok ? docs.value.rows : docs.error, local: local.ok ? local.value : local.error.status };
}

beforeAll(async () => {
  t = await startTestHub();
  kioskA = await t.enroll(VILLAGE_A);
  kioskB = await t.enroll(VILLAGE_B);
  caseOfB = caseFor(kioskB);
  const written = await t.call('POST', `${dbB}/_bulk_docs`, { auth: kioskB.authorization, body: { docs: [caseOfB] } });
  expect(written.status).toBe(201);
  revisionOfB = (written.body as { rev: string }[])[0]?.rev ?? '';
  expect(revisionOfB).toMatch(/^1-/);
});

afterAll(async () => {
  await t.close();
});

describe('kiosk A on village B’s database', () => {
  it('is refused on every replication endpoint, and nothing changes', async () => {
    const before = await snapshotOfB();
    for (const [method, path, body] of requestsOnB()) {
      const response = await t.call(method, path, { auth: kioskA.authorization, ...(body === undefined ? {} : { body }) });
      expect({ method, path, status: response.status, body: response.body }).toEqual({
        method,
        path,
        status: 403,
        body: { error: 'forbidden', reason: 'This kiosk may sync only its own village, its hall and the catalog.' },
      });
    }
    expect(await snapshotOfB()).toEqual(before);
  });
});

describe('without a valid credential', () => {
  it.each([
    ['no credential', undefined, 'unauthorized'],
    ['a malformed header', 'Bearer abc', 'unauthorized'],
    ['a wrong secret', `Basic ${Buffer.from(`kiosk-${VILLAGE_B}-01:not-the-secret`).toString('base64')}`, 'unauthorized'],
    ['an unknown kiosk', `Basic ${Buffer.from(`kiosk-${VILLAGE_B}-77:x`).toString('base64')}`, 'unauthorized'],
  ])('%s is refused on every endpoint, and nothing changes', async (_name, auth, error) => {
    const before = await snapshotOfB();
    for (const [method, path, body] of requestsOnB()) {
      const response = await t.call(method, path, { ...(auth ? { auth } : {}), ...(body === undefined ? {} : { body }) });
      expect({ path, status: response.status, error: (response.body as { error: string }).error }).toEqual({ path, status: 401, error });
    }
    expect(await snapshotOfB()).toEqual(before);
  });
});

describe('everything that is not replication of one’s own village or the catalog', () => {
  it.each([
    ['GET', `/sync/village_${VILLAGE_A}/_security`],
    ['PUT', `/sync/village_${VILLAGE_A}/_security`],
    ['GET', `/sync/village_${VILLAGE_A}/_design/cunban`],
    ['PUT', `/sync/village_${VILLAGE_A}/_design/evil`],
    ['POST', `/sync/village_${VILLAGE_A}/_find`],
    ['POST', `/sync/village_${VILLAGE_A}/_purge`],
    ['POST', `/sync/village_${VILLAGE_A}/_compact`],
    ['GET', '/sync/_all_dbs'],
    ['GET', '/sync/_users/_all_docs'],
    ['GET', '/sync/cunban_kiosks/_all_docs'],
    ['GET', '/sync/cunban_users/_all_docs'],
    ['GET', '/sync/cunban_audit/_changes'],
    ['GET', `/sync/village_${VILLAGE_A}%2F..%2Fvillage_${VILLAGE_B}/_all_docs`],
    ['GET', `/sync/village_${VILLAGE_A}/../village_${VILLAGE_B}/_all_docs`],
    ['GET', `/sync/village_${VILLAGE_A}/%2E%2E/%2E%2E/cunban_kiosks/_all_docs`],
    ['POST', '/sync/catalog/_bulk_docs'],
    ['PUT', '/sync/catalog/catalog'],
    ['DELETE', '/sync/catalog/catalog'],
    ['POST', '/sync/catalog/_revs_diff'],
  ])('%s %s is refused for kiosk A', async (method, path) => {
    const response = await t.call(method, path, { auth: kioskA.authorization, ...(method === 'GET' ? {} : { body: { docs: [] } }) });
    expect([403, 404, 405]).toContain(response.status);
    expect(response.body).toMatchObject({ error: expect.any(String) as string, reason: expect.any(String) as string });
  });

  it('hides design documents from its own village’s feeds', async () => {
    const changes = await t.call('GET', `/sync/village_${VILLAGE_A}/_changes?since=0`, { auth: kioskA.authorization });
    expect(changes.status).toBe(200);
    expect((changes.body as { results: { id: string }[] }).results.map((r) => r.id)).not.toContain('_design/cunban');
    const all = await t.call('GET', `/sync/village_${VILLAGE_A}/_all_docs`, { auth: kioskA.authorization });
    expect((all.body as { rows: { id: string }[] }).rows.map((r) => r.id)).not.toContain('_design/cunban');
  });

  it('lets kiosk A read the catalog', async () => {
    const catalog = await t.call('GET', '/sync/catalog/catalog', { auth: kioskA.authorization });
    expect(catalog.status).toBe(200);
    expect((catalog.body as { items: unknown[] }).items).toHaveLength(76);
  });
});

describe('the store itself', () => {
  it.skipIf(process.env.COUCHDB_URL !== undefined)('is not open to anyone but the hub (embedded store)', async () => {
    const embedded = t.hub.embedded;
    if (!embedded) throw new Error('expected the embedded store');
    const anonymous = await fetch(`http://127.0.0.1:${embedded.url.port}/${t.hub.store.dbName(`village_${VILLAGE_B}`)}/_all_docs`);
    expect(anonymous.status).toBe(401);
  });
});

describe('a revoked kiosk', () => {
  it('is refused from its very next request, and its village’s data stays', async () => {
    const before = await t.call('GET', `${dbB}/_all_docs`, { auth: kioskB.authorization });
    expect(before.status).toBe(200);
    const revoked = await revokeKiosk(t.hub.store, kioskB.kioskId, new Date());
    expect(revoked.ok).toBe(true);
    const snapshot = await snapshotOfB();
    for (const [method, path, body] of requestsOnB()) {
      const response = await t.call(method, path, { auth: kioskB.authorization, ...(body === undefined ? {} : { body }) });
      expect({ path, status: response.status, error: (response.body as { error: string }).error }).toEqual({ path, status: 401, error: 'kiosk_revoked' });
    }
    expect(await snapshotOfB()).toEqual(snapshot);
    const stored = await t.hub.store.getDoc(`village_${VILLAGE_B}`, caseOfB._id);
    expect(stored.ok).toBe(true);
  });
});

describe('a kiosk syncing faster than the county allows (CUNBAN_KIOSK_REQUESTS_PER_MINUTE)', () => {
  it('is answered 429 with Retry-After past its limit, alone: another kiosk syncs on', async () => {
    const limited = await startTestHub({ config: { kioskRequestsPerMinute: 600 } });
    try {
      const [fast, other] = [await limited.enroll(VILLAGE_A), await limited.enroll(VILLAGE_B)];
      const statuses: number[] = [];
      // 600 a minute is 60 in each 6 s.
      for (let i = 0; i < 61; i++) statuses.push((await limited.call('GET', `/sync/village_${VILLAGE_A}/`, { auth: fast.authorization })).status);
      expect(statuses.slice(0, 60).every((status) => status === 200)).toBe(true);
      const refused = await limited.call('GET', `/sync/village_${VILLAGE_A}/`, { auth: fast.authorization });
      expect([statuses[60], refused.status]).toEqual([429, 429]);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
      expect((await limited.call('GET', `/sync/village_${VILLAGE_B}/`, { auth: other.authorization })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
