/**
 * The gateway speaks CouchDB's replication protocol well enough for an unmodified PouchDB replicator:
 * push (revs_diff, bulk_docs with new_edits=false, checkpoints) and pull (changes, bulk_get / all_docs),
 * with checkpoints kept per kiosk. RxDB's CouchDB replication (the kiosk's) uses a subset of the same.
 */
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseFor, startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';

interface KioskDb {
  put(doc: object): Promise<{ rev: string }>;
  get(id: string): Promise<Record<string, unknown>>;
  allDocs(): Promise<{ rows: { id: string }[] }>;
  replicate: {
    to(target: unknown): Promise<{ ok: boolean; docs_written: number; doc_write_failures: number; errors: unknown[] }>;
    from(source: unknown): Promise<{ ok: boolean; docs_written: number }>;
  };
  destroy(): Promise<void>;
}
type KioskPouch = new (name: string, options: object) => KioskDb;
const Pouch = (PouchDB.plugin(memory).plugin(httpAdapter).plugin(replication) as unknown) as KioskPouch & {
  fetch(url: string, options: { headers: Headers }): Promise<Response>;
};

let t: TestHub;
let kiosk: EnrolledKiosk;

const remote = (auth: string) =>
  new Pouch(`${t.base}/sync/village_${VILLAGE_A}`, {
    adapter: 'http',
    skip_setup: true,
    fetch: (url: string, options: { headers: Headers }) => {
      options.headers.set('authorization', auth);
      return Pouch.fetch(url, options);
    },
  });

beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
});

afterAll(async () => {
  await t.close();
});

describe('an unmodified PouchDB replicator through the gateway', () => {
  it('pushes cases, with checkpoints namespaced to the kiosk', async () => {
    const local = new Pouch(`kiosk-${Date.now()}`, { adapter: 'memory' });
    const cases = [caseFor(kiosk), caseFor(kiosk)];
    for (const doc of cases) await local.put(doc);
    const pushed = await local.replicate.to(remote(kiosk.authorization));
    expect(pushed).toMatchObject({ ok: true, docs_written: 2, doc_write_failures: 0 });
    for (const doc of cases) expect((await t.hub.store.getDoc(`village_${VILLAGE_A}`, doc._id)).ok).toBe(true);

    const checkpoints = await t.hub.store.request<{ rows: { id: string }[] }>({
      db: t.hub.store.dbName(`village_${VILLAGE_A}`),
      path: '_local_docs',
    });
    // The embedded store does not list local documents; where the store can, they all carry the kiosk's prefix.
    if (checkpoints.ok) {
      for (const row of checkpoints.value.rows) expect(row.id.startsWith(`_local/${kiosk.kioskId}-`)).toBe(true);
    }
    // Pushing again finds nothing new: the checkpoint was read back through the gateway.
    expect(await local.replicate.to(remote(kiosk.authorization))).toMatchObject({ ok: true, docs_written: 0 });
    await local.destroy();
  });

  it('pulls the village’s cases onto a fresh kiosk, without design documents', async () => {
    const fresh = new Pouch(`replacement-${Date.now()}`, { adapter: 'memory' });
    const pulled = await fresh.replicate.from(remote(kiosk.authorization));
    expect(pulled.ok).toBe(true);
    expect(pulled.docs_written).toBeGreaterThanOrEqual(2);
    const ids = (await fresh.allDocs()).rows.map((row) => row.id);
    expect(ids.every((id) => !id.startsWith('_design/'))).toBe(true);
    await fresh.destroy();
  });

  it('reports a refused document as a write failure instead of dropping it', async () => {
    const local = new Pouch(`forger-${Date.now()}`, { adapter: 'memory' });
    const doc = caseFor(kiosk);
    await local.put({ ...doc, summary: { ...doc.summary, status: 'approved' } });
    const pushed = await local.replicate.to(remote(kiosk.authorization));
    expect(pushed.doc_write_failures).toBe(1);
    expect((await t.hub.store.getDoc(`village_${VILLAGE_A}`, doc._id)).ok).toBe(false);
    await local.destroy();
  });
});

describe('replication checkpoints', () => {
  it('are stored under the kiosk’s own name, so no kiosk can read or reset another’s', async () => {
    const path = `/sync/village_${VILLAGE_A}/_local/replication-1`;
    const put = await t.call('PUT', path, { auth: kiosk.authorization, body: { last_seq: '7' } });
    expect(put).toMatchObject({ status: 201, body: { ok: true, id: '_local/replication-1' } });
    const read = await t.call('GET', path, { auth: kiosk.authorization });
    expect(read).toMatchObject({ status: 200, body: { _id: '_local/replication-1', last_seq: '7' } });

    const db = t.hub.store.dbName(`village_${VILLAGE_A}`);
    expect((await t.hub.store.request({ db, path: `_local/${kiosk.kioskId}-replication-1` })).ok).toBe(true);
    expect((await t.hub.store.request({ db, path: '_local/replication-1' })).ok).toBe(false);

    const other = await t.enroll(VILLAGE_A);
    expect((await t.call('GET', path, { auth: other.authorization })).status).toBe(404);
  });
});
