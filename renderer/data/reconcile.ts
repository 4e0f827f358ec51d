/**
 * Anti-entropy: the kiosk proves that the hub still holds everything the hub said it holds, and sends
 * again whatever it does not. A hub restored from last night's backup has forgotten what came after;
 * without this, the cases it lost would never be sent again (the push checkpoint and the ledger live on
 * the kiosk) while the kiosk showed "0 pending".
 *
 * The proof is cheap and standard: `_revs_diff` of each case's confirmed hub revision (sync-ledger.ts) —
 * the hub names only what it lacks — in batches; and for materials files marked uploaded, the hub's
 * `_held` route (hubs before 0.2.0 have none: files are then not proven). Cases confirmed before the
 * hub's revisions were kept (a kiosk updated from 0.1.0) are read once in full and compared by event.
 * Sent again means: the replication's record of the hub's copy is dropped and the case is written
 * locally unchanged, so replication pushes it (it skips a case equal to what it believes the hub holds)
 * and core's merge joins it with whatever the hub still has; a file is marked not uploaded, so it goes up
 * again.
 */
import type { CaseDocument } from '../../core/case/document.js';
import { err, ok, type Result } from '../../core/result.js';
import { isReadableCase } from './case-collection.js';
import type { Fetch, HubRequestError } from './hub-fetch.js';
import type { KioskDatabase } from './kiosk-database.js';
import type { SyncLedger } from './sync-ledger.js';

const BATCH = 500;

export interface ProofReport {
  readonly checked: number;
  /** Cases the hub did not hold as confirmed: sent again. */
  readonly resentCases: readonly string[];
  /** Files the hub did not hold whole: uploaded again. */
  readonly resentFiles: number;
}

export interface Reconciler {
  /** Prove everything this kiosk was told the hub holds, and send again what it does not. */
  proveAll(): Promise<Result<ProofReport, HubRequestError>>;
  /** Which of these cases the hub provably holds as confirmed, right now (for retention). */
  held(ids: readonly string[]): Promise<Result<ReadonlySet<string>, HubRequestError>>;
}

interface ReconcileOptions {
  readonly db: KioskDatabase;
  readonly ledger: SyncLedger;
  /** The hub fetch: credential attached, throws a HubRequestError on failure. */
  readonly fetch: Fetch;
  readonly villageSyncUrl: string;
  readonly hubBase: string;
  readonly village: string;
  /** Drop the replication's record of the hub's copy of these cases (replication-meta.ts). */
  readonly forgetHubCopies: (ids: readonly string[]) => Promise<void>;
  /** The hub has gone back in time (a restore): read its feed again from the start (hub-fetch.ts, `repull`). */
  readonly hubWentBack: () => void;
}

const chunks = <T>(items: readonly T[]): T[][] => Array.from({ length: Math.ceil(items.length / BATCH) }, (_, i) => items.slice(i * BATCH, (i + 1) * BATCH));

async function attempt<T>(work: () => Promise<T>): Promise<Result<T, HubRequestError>> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof Error && 'status' in error) return err(error as HubRequestError);
    throw error;
  }
}

export function reconciler(options: ReconcileOptions): Reconciler {
  const { db, ledger, fetch } = options;
  const post = async <T>(url: string, body: unknown): Promise<T> =>
    (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as T;

  /** Of these (case, confirmed revision) pairs, the cases whose revision the hub no longer has. */
  async function lacking(pairs: readonly [string, string][]): Promise<Set<string>> {
    const missing = new Set<string>();
    for (const batch of chunks(pairs)) {
      const answer = await post<Record<string, { missing?: string[] }>>(
        `${options.villageSyncUrl}_revs_diff`,
        Object.fromEntries(batch.map(([id, rev]) => [id, [rev]])),
      );
      for (const [id, diff] of Object.entries(answer)) if (diff.missing?.length) missing.add(id);
    }
    return missing;
  }

  /** Cases confirmed with no known hub revision: read from the hub once and compared event by event. */
  async function lackingUnrevised(ids: readonly string[]): Promise<Set<string>> {
    const missing = new Set<string>();
    for (const batch of chunks(ids)) {
      // The hub fetch records each document it answers with, so these have a revision from now on.
      const answer = await post<{ rows: { key: string; doc?: CaseDocument | null }[] }>(`${options.villageSyncUrl}_all_docs`, {
        keys: batch,
        include_docs: true,
      });
      const onHub = new Map(answer.rows.map((row) => [row.key, new Set((row.doc?.events ?? []).map((event) => event.id))]));
      for (const local of (await db.cases.findByIds(batch).exec()).values()) {
        if (!isReadableCase(local)) continue;
        const hubEvents = onHub.get(local.id);
        if (!hubEvents || local.events.some((event) => !hubEvents.has(event.id))) missing.add(local.id);
      }
    }
    return missing;
  }

  /** Write each case unchanged, so replication pushes it again and the hub's copy is merged with it. */
  async function resend(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return;
    // What the hub says it lacks, it once held: its history was rolled back, and so its feed's positions.
    options.hubWentBack();
    ledger.retract(ids);
    await options.forgetHubCopies(ids);
    for (const doc of (await db.cases.findByIds([...ids]).exec()).values()) {
      if (isReadableCase(doc)) await doc.incrementalModify((data) => ({ ...data }));
    }
  }

  async function proveFiles(): Promise<number> {
    const uploaded = await db.files.find({ selector: { uploaded: true } }).exec();
    let resent = 0;
    for (const batch of chunks(uploaded)) {
      const response = await fetch(`${options.hubBase}files/${options.village}/_held`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ files: batch.map((file) => ({ caseNumber: file.caseNumber, sha256: file.sha256 })) }),
      }).catch((error: unknown) => {
        // A hub before 0.2.0 has no such route: its files are not proven.
        if (error instanceof Error && 'status' in error && (error as HubRequestError).status === 404) return undefined;
        throw error;
      });
      if (!response) return resent;
      const { missing } = (await response.json()) as { missing: { caseNumber: string; sha256: string }[] };
      const lost = new Set(missing.map((file) => `${file.caseNumber}:${file.sha256}`));
      for (const file of batch.filter((candidate) => lost.has(candidate.id))) {
        await file.incrementalPatch({ uploaded: false });
        resent += 1;
      }
    }
    return resent;
  }

  return {
    proveAll: () =>
      attempt(async () => {
        const revised = ledger.provable();
        // Read by id, never the whole collection: a proof runs during a first pull of 10,000 cases.
        const unrevised = ledger.unrevised();
        const missing = [...(await lacking(revised)), ...(await lackingUnrevised(unrevised))];
        await resend(missing);
        const resentFiles = await proveFiles();
        return { checked: revised.length + unrevised.length, resentCases: missing, resentFiles };
      }),
    held: (ids) =>
      attempt(async () => {
        const pairs = ids.flatMap((id): [string, string][] => {
          const rev = ledger.hubRev(id);
          return rev ? [[id, rev]] : [];
        });
        const missing = await lacking(pairs);
        return new Set(pairs.map(([id]) => id).filter((id) => !missing.has(id)));
      }),
  };
}
