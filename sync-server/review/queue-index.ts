/**
 * The review queue in memory: every queue entry of the county, kept current by following the queue
 * database's `_changes` (the same API on Apache CouchDB and the embedded store). Why not views: the
 * queue needs counts under any combination of filters, and PouchDB's map/reduce (the embedded store)
 * re-reads every row of a range for each reduce — seconds at 100,000 cases — while a pass over
 * 100,000 small objects in memory takes milliseconds. The queue database stays the durable projection;
 * this index is rebuilt from it when a hub process starts, and every read first catches up with it,
 * so a reviewer sees what any hub process has projected.
 */
import type { QueueEntry } from '../../core/case/queue-entry.js';
import { err, ok } from '../../core/result.js';
import { DB } from '../store/names.js';
import type { Store, StoreResult } from '../store/store.js';

const BATCH = 5000;

type ChangeRow = { id: string; deleted?: boolean; doc?: (QueueEntry & { _id: string; _rev: string; type?: string }) | null };

export interface QueueIndex {
  /** The county's queue entries (by case number) after catching up with every change stored so far. */
  current(): Promise<StoreResult<ReadonlyMap<string, QueueEntry>>>;
  /** How many entries are held (diagnostics, benchmarks). */
  readonly size: number;
  close(): Promise<void>;
}

export function openQueueIndex(store: Store): QueueIndex {
  const entries = new Map<string, QueueEntry>();
  let since: string | number = 0;
  let closed = false;

  const catchUp = async (): Promise<StoreResult<void>> => {
    for (;;) {
      const changes = await store.request<{ results: ChangeRow[]; last_seq: string | number }>({
        db: store.dbName(DB.queue),
        path: '_changes',
        qs: { since, include_docs: true, limit: BATCH },
      });
      if (!changes.ok) return changes;
      for (const row of changes.value.results) {
        if (row.deleted || !row.doc || row.doc.type !== 'queueEntry') {
          entries.delete(row.id);
          continue;
        }
        const { _id, _rev, type: _type, ...entry } = row.doc;
        entries.set(_id, entry);
      }
      since = changes.value.last_seq;
      if (changes.value.results.length < BATCH || closed) return ok(undefined);
    }
  };

  // One catch-up at a time. A read arriving while one runs waits for the next, which starts after it,
  // so it sees every change stored before the read arrived.
  let running: Promise<StoreResult<void>> | undefined;
  let queued: Promise<StoreResult<void>> | undefined;
  const refresh = (): Promise<StoreResult<void>> => {
    if (!running) {
      running = catchUp().finally(() => {
        running = undefined;
      });
      return running;
    }
    queued ??= running.then(() => {
      queued = undefined;
      return refresh();
    });
    return queued;
  };

  return {
    async current() {
      if (closed) return err({ status: 503, error: 'closed', reason: 'The hub is shutting down.' });
      const caughtUp = await refresh();
      return caughtUp.ok ? ok(entries) : caughtUp;
    },
    get size() {
      return entries.size;
    },
    async close() {
      closed = true;
      await running;
      await queued;
    },
  };
}
