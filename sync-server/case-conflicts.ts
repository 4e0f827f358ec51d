/**
 * Merging a case's conflicting revisions on the hub. A replicator pushing with `new_edits=false` (an
 * unmodified PouchDB, or CouchDB-to-CouchDB replication between hubs) can leave a case with two leaf
 * revisions: the kiosk's edit and, say, a county decision made meanwhile. CouchDB keeps both but shows
 * one, so the other's events would vanish from the queue, the console and every kiosk. core's merge
 * (the union of events) makes one document of them: the winner is rewritten first, and only once it
 * holds every event are the other branches closed with a tombstone that names the revision they went into.
 */
import { mergeCaseDocuments, parseCaseDocument, type CaseDocument } from '../core/case/document.js';
import { ok } from '../core/result.js';
import { villageDb } from './store/names.js';
import { docPath, type Store, type StoreResult } from './store/store.js';

const MAX_ATTEMPTS = 5;

/** The tombstone field the village validator accepts as the only way a case revision is deleted. */
export const MERGED_INTO = 'cunbanMergedInto';

type Leaf = Record<string, unknown> & { _id: string; _rev: string; _conflicts?: string[] };

/** Merge every conflicting revision of these cases of the village. Returns how many cases were merged. */
export async function mergeCaseConflicts(store: Store, village: string, caseNumbers: readonly string[]): Promise<StoreResult<number>> {
  if (caseNumbers.length === 0) return ok(0);
  const db = store.dbName(villageDb(village));
  const current = await store.request<{ rows: { id?: string; doc?: Leaf | null }[] }>({
    db,
    path: '_all_docs',
    method: 'POST',
    qs: { include_docs: true, conflicts: true },
    body: { keys: caseNumbers },
  });
  if (!current.ok) return current;
  let merged = 0;
  for (const row of current.value.rows) {
    if (!row.doc?._conflicts?.length) continue;
    const result = await mergeOne(store, db, row.doc._id);
    if (!result.ok) return result;
    if (result.value) merged += 1;
  }
  return ok(merged);
}

async function mergeOne(store: Store, db: string, id: string): Promise<StoreResult<boolean>> {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const winner = await store.request<Leaf>({ db, path: docPath(id), qs: { conflicts: true } });
    if (!winner.ok) return winner;
    const losers = winner.value._conflicts ?? [];
    if (losers.length === 0) return ok(false);
    const others = await readRevisions(store, db, id, losers);
    if (!others.ok) return others;
    let union: CaseDocument | undefined;
    for (const leaf of [winner.value, ...others.value]) {
      const parsed = parseCaseDocument(leaf);
      // Every revision passed the gateway's checks; one that no longer parses is left for a person to see.
      if (!parsed.ok) return ok(false);
      const next = union ? mergeCaseDocuments(union, parsed.value) : ok(parsed.value);
      if (!next.ok) return ok(false);
      union = next.value;
    }
    const written = await store.request<{ rev: string }>({ db, path: docPath(id), method: 'PUT', body: { ...union, _id: id, _rev: winner.value._rev } });
    if (!written.ok) {
      if (written.error.status === 409) continue; // a write landed meanwhile: merge again from the new leaves
      return written;
    }
    const tombstones = losers.map((rev) => ({ _id: id, _rev: rev, _deleted: true, [MERGED_INTO]: written.value.rev }));
    // A tombstone refused with a conflict was already closed by another hub process doing the same.
    const closed = await store.request({ db, path: '_bulk_docs', method: 'POST', body: { docs: tombstones } });
    if (!closed.ok) return closed;
    return ok(true);
  }
  return ok(false);
}

/** Every listed revision, or a failure: a branch is never closed unless its events were read. */
async function readRevisions(store: Store, db: string, id: string, revs: readonly string[]): Promise<StoreResult<Leaf[]>> {
  const leaves: Leaf[] = [];
  for (const rev of revs) {
    const leaf = await store.request<Leaf>({ db, path: docPath(id), qs: { rev } });
    if (!leaf.ok) return leaf;
    leaves.push(leaf.value);
  }
  return ok(leaves);
}
