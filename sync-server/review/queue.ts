/**
 * The review queue: one small entry per case in the queue database, rebuilt from the village
 * databases by following their changes from a checkpoint. Any hub process can (re)build it; entries
 * are written only when they differ, so running twice changes nothing. The gateway and the review
 * API ask for a village to be projected right after they write; a sweep of every village repairs
 * anything missed (another hub process's writes, a crash between write and projection) and merges
 * any case left with conflicting revisions.
 */
import { canonicalJson } from '../../core/canonical-json.js';
import type { WorkingCalendar } from '../../core/calendar.js';
import { workingCalendar } from '../../core/calendar.js';
import { parseCaseDocument } from '../../core/case/document.js';
import { queueEntryOf, type QueueEntry } from '../../core/case/queue-entry.js';
import { indexDivisions, type DivisionIndex } from '../../core/divisions/table.js';
import { mergeCaseConflicts } from '../case-conflicts.js';
import { readCountyData } from '../provision.js';
import { DB, villageDb } from '../store/names.js';
import type { Store, StoreResult } from '../store/store.js';

type StoredEntry = QueueEntry & { readonly _id: string; readonly _rev?: string; readonly type: 'queueEntry' };

interface County {
  readonly divisions: DivisionIndex;
  readonly calendar: WorkingCalendar;
}

/** Raised whenever a queue entry's shape changes: a new version's checkpoints start from 0, rebuilding every entry. */
export const QUEUE_ENTRY_VERSION = 2;
const checkpointId = (village: string) => `queue-checkpoint:v${String(QUEUE_ENTRY_VERSION)}:${village}`;
const BATCH = 500;

/** Bring one village's queue entries up to date. Returns how many entries were written. */
export async function projectVillage(store: Store, village: string, county: County): Promise<StoreResult<number>> {
  const checkpoint = await store.getDoc<{ since: string }>(DB.meta, checkpointId(village));
  const from = checkpoint.ok ? checkpoint.value.since : '0';
  let since = from;
  let written = 0;
  for (;;) {
    const changes = await store.request<{ results: { id: string; doc?: Record<string, unknown> }[]; last_seq: string | number }>({
      db: store.dbName(villageDb(village)),
      path: '_changes',
      qs: { since, include_docs: true, conflicts: true, limit: BATCH },
    });
    if (!changes.ok) return changes;
    const entries: StoredEntry[] = [];
    const conflicted: string[] = [];
    for (const row of changes.value.results) {
      if (row.id.startsWith('_design/') || !row.doc) continue;
      if (Array.isArray(row.doc._conflicts) && row.doc._conflicts.length > 0) conflicted.push(row.id);
      const doc = parseCaseDocument(row.doc);
      if (doc.ok) entries.push({ _id: doc.value.caseNumber, type: 'queueEntry', ...queueEntryOf(doc.value, county.divisions, county.calendar) });
    }
    // Left by a replicator's push whose merge did not run (a crash, another hub): merged here; the
    // merged revision comes round in the next batch of changes and is projected then.
    const merged = await mergeCaseConflicts(store, village, conflicted);
    if (!merged.ok) return merged;
    const saved = await upsertEntries(store, entries);
    if (!saved.ok) return saved;
    written += saved.value;
    since = String(changes.value.last_seq);
    if (changes.value.results.length < BATCH && merged.value === 0) break;
  }
  // Nothing new (the sweep's usual answer): no checkpoint write, so a sweep of the county writes nothing.
  if (since === from) return { ok: true, value: written };
  const stored = await store.getDoc<{ since: string }>(DB.meta, checkpointId(village));
  await store.putDoc(DB.meta, { _id: checkpointId(village), since, ...(stored.ok ? { _rev: stored.value._rev } : {}) });
  return { ok: true, value: written };
}

async function upsertEntries(store: Store, entries: readonly StoredEntry[]): Promise<StoreResult<number>> {
  if (entries.length === 0) return { ok: true, value: 0 };
  const existing = await store.request<{ rows: { key: string; doc?: StoredEntry | null }[] }>({
    db: store.dbName(DB.queue),
    path: '_all_docs',
    method: 'POST',
    qs: { include_docs: true },
    body: { keys: entries.map((entry) => entry._id) },
  });
  if (!existing.ok) return existing;
  const current = new Map(existing.value.rows.flatMap((row) => (row.doc ? [[row.key, row.doc] as const] : [])));
  const changed = entries.flatMap((entry) => {
    const stored = current.get(entry._id);
    if (stored) {
      const { _rev, ...body } = stored;
      if (canonicalJson(body) === canonicalJson(entry)) return [];
      return [{ ...entry, _rev }];
    }
    return [entry];
  });
  if (changed.length === 0) return { ok: true, value: 0 };
  const result = await store.request<{ error?: string }[]>({ db: store.dbName(DB.queue), path: '_bulk_docs', method: 'POST', body: { docs: changed } });
  if (!result.ok) return result;
  // A conflict means another hub wrote this entry meanwhile: its next pass (or ours) settles it.
  return { ok: true, value: result.value.filter((row) => !row.error).length };
}

export interface QueueProjector {
  /** Project this village soon (after a write); several calls for one village coalesce. */
  kick(village: string): void;
  /** Project every village now: at start, and on a timer to repair anything missed. */
  sweep(): Promise<void>;
  /** Wait until nothing is pending (tests, shutdown). */
  settled(): Promise<void>;
  stop(): Promise<void>;
}

const PROJECTIONS_AT_ONCE = 4;

export function startQueueProjector(store: Store, options: { log: (message: string) => void; sweepEveryMs?: number }): QueueProjector {
  let county: County | undefined;
  const loadCounty = async (): Promise<County | undefined> => {
    if (!county) {
      const data = await readCountyData(store);
      if (data.ok) county = { divisions: indexDivisions(data.value.divisions), calendar: workingCalendar(data.value.calendar) };
    }
    return county;
  };
  // Villages just written (kicked) go before the sweep's: a case pushed during a sweep of the county's 179
  // villages once waited behind all of them (npm run bench, the county at once).
  const kicked = new Set<string>();
  const swept = new Set<string>();
  let running: Promise<void> = Promise.resolve();
  let stopped = false;

  // Villages being projected now: never two projections of one village at once (a kick during one waits).
  const projecting = new Set<string>();

  const next = (): string | undefined => {
    for (const pending of [kicked, swept]) {
      for (const village of pending) {
        if (projecting.has(village)) continue;
        pending.delete(village);
        if (pending === kicked) swept.delete(village);
        return village;
      }
    }
    return undefined;
  };

  /** A few villages at once: each is a handful of store round trips, and the store serves several together. */
  const drain = async () => {
    const loaded = await loadCounty();
    if (!loaded) return;
    const worker = async () => {
      for (let village = next(); village !== undefined && !stopped; village = next()) {
        projecting.add(village);
        try {
          const result = await projectVillage(store, village, loaded);
          if (!result.ok) options.log(`queue projection of village ${village} failed: ${result.error.reason}`);
        } finally {
          projecting.delete(village);
        }
      }
    };
    await Promise.all(Array.from({ length: PROJECTIONS_AT_ONCE }, worker));
  };
  const schedule = () => {
    running = running.then(drain).catch((error: unknown) => {
      options.log(`queue projection failed: ${String(error)}`);
    });
    return running;
  };
  const sweep = async () => {
    const loaded = await loadCounty();
    for (const village of loaded?.divisions.villages ?? []) swept.add(village.code12);
    await schedule();
  };
  const timer = setInterval(() => void sweep(), options.sweepEveryMs ?? 60_000);
  timer.unref();
  return {
    kick(village) {
      kicked.add(village);
      void schedule();
    },
    sweep,
    settled: () => running,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}
