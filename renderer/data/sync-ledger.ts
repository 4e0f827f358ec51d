/**
 * What this kiosk knows the hub holds: per case, how many events and in which of the hub's revisions —
 * told by the hub itself (hub-fetch.ts: every document it answers with, every write it acknowledges) —
 * and the documents the hub refused, kept here with its reason. A local document, never synced; RxDB does
 * not encrypt local documents, so the refused documents (residents' names) are sealed here (at-rest.ts).
 *
 * Counts only grow while the hub confirms; the proof of reconcile.ts takes one back when the hub turns
 * out not to hold a revision it confirmed (a hub restored from a backup). Updated in place, written in
 * coalesced writes: a first pull confirms thousands of cases, and copying and writing the whole ledger
 * per case made a 10,000-case first pull take minutes (npm run bench).
 */
import type { HeldDocument, Refusal } from './hub-fetch.js';
import { sealerOf, type KioskDatabase } from './kiosk-database.js';
import type { RefusedDocument } from './sync-state.js';

const LEDGER = 'sync-ledger';

/**
 * As stored. `confirmed` keeps 0.1.0's shape (events per case) so that a kiosk rolled back to it still
 * reads its ledger; the hub's revisions, which 0.1.0 did not keep, are a field of their own.
 */
interface StoredLedger {
  readonly confirmed: Readonly<Record<string, number>>;
  readonly hubRevs?: Readonly<Record<string, string>>;
  readonly refused: readonly RefusedDocument[];
  /**
   * Each refused document as the kiosk last sent it, by id: what the clerk resolves, whatever the pull brings
   * since. Sealed with the database's key (before 0.3.1: in the clear, read as it is and sealed at the next write).
   */
  readonly refusedDocs?: Readonly<Record<string, string | Record<string, unknown>>>;
}

export interface SyncLedger {
  /** Events of case `id` the hub holds (0: none known). */
  confirmedEvents(id: string): number;
  /** The hub's revision in which it last said it holds the case. */
  hubRev(id: string): string | undefined;
  /** Cases with the hub revision they were last confirmed in: what a proof asks the hub about. */
  provable(): [id: string, rev: string][];
  /** Cases the hub confirmed before their hub revisions were kept (a kiosk updated from 0.1.0): proven by event. */
  unrevised(): string[];
  /** The hub said it holds these; returns whether anything changed. */
  hold(docs: readonly HeldDocument[]): boolean;
  /** The hub does not hold what it confirmed for these cases: pending again, until it confirms anew. */
  retract(ids: readonly string[]): void;
  /** Cases removed from this kiosk (retention). */
  forget(ids: readonly string[]): void;
  readonly refused: readonly RefusedDocument[];
  /** The refused document as the kiosk last sent it. */
  refusedDocument(id: string): Record<string, unknown> | undefined;
  refuse(docs: readonly Refusal[], at: string): void;
  /** A refusal settled on the kiosk (the clerk resolved it): no longer shown. */
  settle(id: string): void;
  /** Resolves once everything so far is written (or could not be: a full disk keeps it in memory). */
  flush(): Promise<void>;
}

export async function openSyncLedger(db: KioskDatabase): Promise<SyncLedger> {
  const box = sealerOf(db);
  const stored = (await db.getLocal<StoredLedger>(LEDGER))?.toJSON().data;
  const confirmed = new Map(Object.entries(stored?.confirmed ?? {}));
  const hubRevs = new Map(Object.entries(stored?.hubRevs ?? {}));
  let refused: readonly RefusedDocument[] = stored?.refused ?? [];
  const refusedDocs = new Map(Object.entries(stored?.refusedDocs ?? {}).map(([id, doc]) => [id, box.openValue(doc) as Record<string, unknown>]));

  let writing = Promise.resolve();
  let queued = false;
  /** Writes coalesce: a queued write takes the state at the moment it runs. */
  const save = () => {
    if (queued) return;
    queued = true;
    writing = writing
      .then(async () => {
        queued = false;
        await db.upsertLocal<StoredLedger>(LEDGER, {
          confirmed: Object.fromEntries(confirmed),
          hubRevs: Object.fromEntries(hubRevs),
          refused,
          refusedDocs: Object.fromEntries([...refusedDocs].map(([id, doc]) => [id, box.sealValue(doc)])),
        });
      })
      // Not written (a full disk): still held here, and the next write carries it.
      .catch(() => undefined);
  };

  const retract = (ids: readonly string[]) => {
    for (const id of ids) {
      confirmed.delete(id);
      hubRevs.delete(id);
    }
    if (ids.length > 0) save();
  };

  return {
    confirmedEvents: (id) => confirmed.get(id) ?? 0,
    hubRev: (id) => hubRevs.get(id),
    provable: () => [...hubRevs.entries()],
    unrevised: () => [...confirmed].filter(([id, events]) => events > 0 && !hubRevs.has(id)).map(([id]) => id),
    hold(docs) {
      let changed = false;
      for (const doc of docs) {
        if (doc.events >= (confirmed.get(doc.id) ?? 0) && hubRevs.get(doc.id) !== doc.rev) {
          confirmed.set(doc.id, doc.events);
          hubRevs.set(doc.id, doc.rev);
          changed = true;
        }
      }
      if (changed) save();
      return changed;
    },
    retract,
    forget: retract,
    get refused() {
      return refused;
    },
    refusedDocument: (id) => refusedDocs.get(id),
    refuse(docs, at) {
      const ids = new Set(docs.map((d) => d.id));
      refused = [...refused.filter((r) => !ids.has(r.id)), ...docs.map(({ doc: _kept, ...refusal }) => ({ ...refusal, at }))];
      for (const { id, doc } of docs) if (doc) refusedDocs.set(id, doc);
      save();
    },
    settle(id) {
      refused = refused.filter((r) => r.id !== id);
      refusedDocs.delete(id);
      save();
    },
    flush: () => writing,
  };
}
