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
import { appendEvent, type EventDraft } from '../../core/case/append.js';
import { parseCaseDocument, toCaseDocument } from '../../core/case/document.js';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { longPollTimeout } from '../../sync-server/gateway.js';
import { caseFor, clerkOf, startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';

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
const Pouch = PouchDB.plugin(memory).plugin(httpAdapter).plugin(replication) as unknown as KioskPouch & {
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

  it('pushes an edit of a case already on the hub (the embedded store once skipped it silently: pouchdb-server#419)', async () => {
    const local = new Pouch(`editor-${Date.now()}`, { adapter: 'memory' });
    const doc = caseFor(kiosk);
    await local.put(doc);
    await local.replicate.to(remote(kiosk.authorization));
    const note = { id: `${kiosk.kioskId}-edit-1`, at: '2026-11-26T02:00:00.000Z', actor: clerkOf(kiosk), type: 'note' as const, payload: { text: '补充说明' } };
    const stored = await local.get(doc._id);
    const edited = toCaseDocument([...doc.events, { ...note, parents: [doc.events[0]?.id ?? ''] }]);
    if (!edited.ok) throw new Error('fixture');
    await local.put({ ...edited.value, _id: doc._id, _rev: stored._rev });
    expect(await local.replicate.to(remote(kiosk.authorization))).toMatchObject({ ok: true, docs_written: 1, doc_write_failures: 0 });
    const onHub = await t.hub.store.getDoc<{ events: { id: string }[] }>(`village_${VILLAGE_A}`, doc._id);
    expect(onHub.ok && onHub.value.events.map((event) => event.id)).toContain(note.id);
    await local.destroy();
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

describe('a case edited at the kiosk and on the hub at once', () => {
  const db = `village_${VILLAGE_A}`;
  const townNote = (n: string): EventDraft => ({
    id: `town-note-${n}`,
    at: '2026-11-26T02:00:00.000Z',
    actor: { id: 'reviewer:yezhou', name: '镇审核员', level: 'town' },
    type: 'note',
    payload: { text: '已电话联系申请人' },
  });
  const withClerkNote = (doc: Record<string, unknown>, n: string) => {
    const stored = parseCaseDocument(doc);
    if (!stored.ok) throw new Error('fixture');
    const events = appendEvent(stored.value.events, {
      id: `${kiosk.kioskId}-note-${n}`,
      at: '2026-11-26T02:01:00.000Z',
      actor: clerkOf(kiosk),
      type: 'note',
      payload: { text: '申请人来电' },
    });
    const edited = events.ok ? toCaseDocument(events.value) : undefined;
    if (!edited?.ok) throw new Error('fixture');
    return { ...edited.value, _id: doc._id, _rev: doc._rev };
  };
  const onHub = async (id: string) => {
    const stored = await t.hub.store.request<Record<string, unknown>>({ db: t.hub.store.dbName(db), path: id, qs: { conflicts: true } });
    if (!stored.ok) throw new Error(stored.error.reason);
    return stored.value;
  };
  const eventIds = (doc: Record<string, unknown>) => (doc.events as { id: string }[]).map((event) => event.id);

  it("merges the replicator's branch with the hub's decision: both events kept, one revision left", async () => {
    const local = new Pouch(`both-sides-${Date.now()}`, { adapter: 'memory' });
    const doc = caseFor(kiosk);
    await local.put(doc);
    await local.replicate.to(remote(kiosk.authorization));
    expect(await appendCaseEventOnHub(t.hub.store, VILLAGE_A, doc._id, townNote('1'))).toMatchObject({ ok: true });
    await local.put(withClerkNote(await local.get(doc._id), '1'));

    // PouchDB pushes with new_edits=false: CouchDB would keep both branches and show one.
    expect(await local.replicate.to(remote(kiosk.authorization))).toMatchObject({ ok: true, doc_write_failures: 0 });
    const merged = await onHub(doc._id);
    expect(merged._conflicts).toBeUndefined();
    expect(eventIds(merged)).toEqual(expect.arrayContaining(['town-note-1', `${kiosk.kioskId}-note-1`]));
    expect(parseCaseDocument(merged).ok).toBe(true);
    await local.destroy();
  });

  it('a branch left behind (a crash before the merge) is merged by the queue sweep', async () => {
    const doc = caseFor(kiosk);
    const first = await t.hub.store.putDoc(db, doc);
    if (!first.ok) throw new Error(first.error.reason);
    expect(await appendCaseEventOnHub(t.hub.store, VILLAGE_A, doc._id, townNote('2'))).toMatchObject({ ok: true });
    const branch = {
      ...withClerkNote({ ...doc, _rev: first.value.rev }, '2'),
      _rev: `2-${'a'.repeat(32)}`,
      _revisions: { start: 2, ids: ['a'.repeat(32), first.value.rev.slice(2)] },
    };
    const written = await t.hub.store.request({ db: t.hub.store.dbName(db), path: '_bulk_docs', method: 'POST', body: { docs: [branch], new_edits: false } });
    expect(written).toEqual({ ok: true, value: [] });
    expect((await onHub(doc._id))._conflicts).toHaveLength(1);

    await t.hub.queue.sweep();
    const merged = await onHub(doc._id);
    expect(merged._conflicts).toBeUndefined();
    expect(eventIds(merged)).toEqual(expect.arrayContaining(['town-note-2', `${kiosk.kioskId}-note-2`]));
  });

  it('a deletion is still refused unless it closes a merged branch', async () => {
    const doc = caseFor(kiosk);
    const put = await t.hub.store.putDoc(db, doc);
    if (!put.ok) throw new Error(put.error.reason);
    const deleted = await t.hub.store.putDoc(db, { _id: doc._id, _rev: put.value.rev, _deleted: true });
    expect(deleted).toMatchObject({ ok: false, error: { status: 403, reason: 'Cases are never deleted from the county hub.' } });
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

describe('long polls', () => {
  it('end at spread times, within 1 s and the hub’s limit, so kiosks that connected together do not poll again as one herd', () => {
    expect(longPollTimeout('60000', () => 0)).toBe(55_000);
    expect(longPollTimeout('60000', () => 1)).toBe(44_000);
    expect(longPollTimeout(undefined, () => 0.5)).toBe(49_500);
    expect(longPollTimeout('-5', () => 1)).toBe(1000);
    expect(longPollTimeout('nonsense', () => 0)).toBe(55_000);
    const spread = new Set(Array.from({ length: 20 }, () => longPollTimeout('30000')));
    expect(spread.size).toBeGreaterThan(1);
    for (const timeout of spread) expect(timeout).toBeGreaterThanOrEqual(24_000);
  });
});
