/**
 * Retention: completed and withdrawn cases closed before a cutoff leave this kiosk, with their files —
 * only those whose every event and file the hub has confirmed, and which the hub proves, right then,
 * that it still holds (reconcile.ts): a hub restored from a backup may have lost a case it once
 * confirmed. Removal is local: the kiosk never pushes a deletion, and RxDB's own copy of the hub's
 * state goes too, or a resident's name would outlive the case here.
 */
import type { KioskDatabase } from './kiosk-database.js';
import type { Reconciler } from './reconcile.js';
import type { SyncLedger } from './sync-ledger.js';

export interface RetentionReport {
  readonly removed: readonly string[];
  /** Closed long enough, but the hub has not confirmed (or just now proven) their latest state: kept until it has. */
  readonly keptUnconfirmed: readonly string[];
}

export interface RetentionOptions {
  readonly db: KioskDatabase;
  readonly ledger: SyncLedger;
  readonly reconciler: Reconciler;
  readonly forgetHubCopies: (ids: readonly string[]) => Promise<void>;
}

export async function pruneClosedCases(options: RetentionOptions, closedBefore: Date): Promise<RetentionReport> {
  const { db, ledger } = options;
  const cutoff = closedBefore.toISOString();
  const closed = await db.cases.find({ selector: { 'summary.status': { $in: ['completed', 'withdrawn'] } } }).exec();
  const candidates: typeof closed = [];
  const kept: string[] = [];
  for (const doc of closed) {
    if (doc.summary.updatedAt >= cutoff) continue;
    const unsentFiles = (await db.files.find({ selector: { caseNumber: doc.id, uploaded: false } }).exec()).length;
    if (ledger.confirmedEvents(doc.id) < doc.events.length || unsentFiles > 0) kept.push(doc.id);
    else candidates.push(doc);
  }
  const proven = candidates.length > 0 ? await options.reconciler.held(candidates.map((doc) => doc.id)) : undefined;
  const removed: string[] = [];
  for (const doc of candidates) {
    if (!proven?.ok || !proven.value.has(doc.id)) {
      kept.push(doc.id);
      continue;
    }
    await db.files.find({ selector: { caseNumber: doc.id } }).remove();
    await doc.remove();
    removed.push(doc.id);
  }
  if (removed.length > 0) {
    await db.cases.cleanup(0);
    await db.files.cleanup(0);
    await options.forgetHubCopies(removed);
    ledger.forget(removed);
    await ledger.flush();
  }
  return { removed, keptUnconfirmed: kept };
}
