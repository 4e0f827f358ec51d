/**
 * Live sync of one kiosk with the county hub through the gateway: the village's cases both ways, the
 * county documents (catalog, divisions, calendar, notices) pulled only. This module wires the parts:
 * - replication (here): RxDB's CouchDB replication, retrying with backoff while the hub is unreachable,
 *   resuming from its checkpoints, restarting on the browser's `online` event;
 * - hub-fetch.ts: every request, its outcome, what the hub says it holds, pushes within its limits;
 * - sync-ledger.ts: what the hub has confirmed, and what it refused;
 * - pending.ts: what waits to go up; sync-state.ts: what the counter shows;
 * - reconcile.ts: the proof that the hub still holds what it confirmed — at start, after every
 *   reconnection, every few hours, and on "sync now" — sending again what it lost;
 * - retention.ts and sync-now.ts.
 */
import type { WithDeleted } from 'rxdb';
import { replicateCouchDB, type RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import { BehaviorSubject, type Observable } from 'rxjs';
import { hubBaseOf, type KioskEnrollment } from '../../core/api/enrollment.js';
import type { CompatInfo } from '../../core/compat.js';
import type { StoredCase } from './case-collection.js';
import { pullWouldReplaceRegistration } from './clash.js';
import { countyDocumentFromHub } from './county-data.js';
import { hallSyncUrlOf, type StoredHallDocument } from './hall.js';
import { uploadPendingFiles } from './files.js';
import { DEFAULT_HUB_LIMITS, hubFetch, type HubEvent, type HubLimits } from './hub-fetch.js';
import type { CountyDocument, KioskDatabase } from './kiosk-database.js';
import { trackPending } from './pending.js';
import { reconciler, type ProofReport } from './reconcile.js';
import { forgetHubCopies } from './replication-meta.js';
import { pruneClosedCases, type RetentionReport } from './retention.js';
import { startStatusReports } from './status-report.js';
import { openSyncLedger } from './sync-ledger.js';
import { syncNow, type SyncOutcome } from './sync-now.js';
import { syncStateHolder, type SyncState } from './sync-state.js';

export type { RetentionReport } from './retention.js';
export type { SyncOutcome } from './sync-now.js';

export interface KioskSync {
  readonly state$: Observable<SyncState>;
  state(): SyncState;
  /**
   * Remove completed and withdrawn cases closed before `closedBefore` from this kiosk, with their
   * files — only those whose every event and file the hub has confirmed and now proves it holds.
   * Removal is local: the kiosk never pushes a deletion.
   */
  pruneClosedCases(closedBefore: Date): Promise<RetentionReport>;
  /** Push and pull now, then prove; resolves with what really happened (never "success" when a direction failed). */
  syncNow(timeoutMs?: number): Promise<SyncOutcome>;
  /** Prove now that the hub holds what it confirmed, sending again what it lost (reconcile.ts). */
  prove(): Promise<SyncOutcome & { readonly report?: ProofReport }>;
  /** A refusal the clerk has settled: no longer shown. */
  settleRefusal(id: string): Promise<void>;
  /** A refused document as the kiosk last sent it (kept whatever a pull brings since). */
  refusedDocument(id: string): Record<string, unknown> | undefined;
  /** Drop replication's copy of the hub's state of these cases (replication-meta.ts). */
  forgetHubCopies(ids: readonly string[]): Promise<void>;
  /**
   * The document kinds the hub says it reads (`/api/compat`), once it has said; undefined before, or from a hub
   * too old to say. A kind the hub does not read is not offered (a publication to a hub before issue 19).
   */
  readonly hubReads$: Observable<readonly string[] | undefined>;
  stop(): Promise<void>;
}

export interface SyncOptions {
  readonly db: KioskDatabase;
  readonly enrollment: Pick<KioskEnrollment, 'village' | 'villageSyncUrl' | 'catalogSyncUrl' | 'authorization'>;
  /** Reported to the hub with the pending counts, for the county's fleet view. */
  readonly appVersion: string;
  readonly now?: () => Date;
  /** The network, for tests that cut it. */
  readonly fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
  /** How often the proof runs while the line is up (6 hours by default). */
  readonly proveEveryMs?: number;
}

// RxDB's retry sleep cannot be interrupted, so the ceiling is also how long "sync now" may wait after an outage.
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;
const PROVE_EVERY_MS = 6 * 60 * 60 * 1000;
const PROVE_AT_MOST_EVERY_MS = 60_000;

/**
 * One lookup per id, made together: RxDB calls a pull modifier for every document of a batch at once, and
 * 500 reads of one document each cost a first pull of 10,000 cases most of its time (npm run bench).
 */
function batchedLookup<T>(read: (ids: string[]) => Promise<Map<string, T>>): (id: string) => Promise<T | undefined> {
  let waiting: { ids: string[]; found: Promise<Map<string, T>> } | undefined;
  return (id) => {
    if (!waiting) {
      const batch: { ids: string[]; found?: Promise<Map<string, T>> } = { ids: [] };
      // Read once this turn's asks are in.
      batch.found = Promise.resolve().then(() => {
        waiting = undefined;
        return read(batch.ids);
      });
      waiting = batch as { ids: string[]; found: Promise<Map<string, T>> };
    }
    waiting.ids.push(id);
    return waiting.found.then((found) => found.get(id));
  };
}

export async function startKioskSync(options: SyncOptions): Promise<KioskSync> {
  const { db, enrollment } = options;
  const now = options.now ?? (() => new Date());
  const network = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const browser = globalThis as {
    navigator?: { onLine?: boolean };
    addEventListener?: (type: string, fn: () => void) => void;
    removeEventListener?: (type: string, fn: () => void) => void;
  };
  const hubBase = hubBaseOf(enrollment.villageSyncUrl);

  const ledger = await openSyncLedger(db);
  const sync = syncStateHolder({ refused: ledger.refused }, () => browser.navigator?.onLine !== false);
  const pending = await trackPending(db, ledger, (counts) => {
    sync.update(counts);
  });
  // No await from here until the replications exist: their events find every part in place.
  let stopped = false;

  let limits: HubLimits = DEFAULT_HUB_LIMITS;
  let requestEncodings: readonly string[] = [];
  let retryTime = RETRY_MIN_MS;
  const replications: RxCouchDBReplicationState<never>[] = [];
  const setRetryTime = (ms: number) => {
    retryTime = ms;
    for (const replication of replications) replication.retryTime = ms;
  };

  let failing = true;
  const onHubEvent = (event: HubEvent) => {
    const at = now().toISOString();
    if (event.kind === 'held' && ledger.hold(event.docs)) pending.schedule();
    if (event.kind === 'refused') {
      ledger.refuse(event.docs, at);
      sync.update({ refused: ledger.refused });
    }
    sync.record(event, at);
    if (event.kind === 'failed') {
      failing = true;
      // Back off while the hub stays unreachable; RxDB reads retryTime before each retry.
      setRetryTime(Math.min(retryTime * 2, RETRY_MAX_MS));
      return;
    }
    setRetryTime(RETRY_MIN_MS);
    // Back after an outage (or at start): prove the hub still holds what it confirmed.
    if (failing && (event.kind === 'pulled' || event.kind === 'pushed')) {
      failing = false;
      scheduleProof();
    }
    // The line is up and cases got through: send the files that go with them.
    if (event.kind === 'pushed') void uploadFiles();
  };
  const fetch = hubFetch({
    ...(enrollment.authorization ? { authorization: enrollment.authorization } : {}),
    report: onHubEvent,
    base: network,
    heldUnder: new URL(enrollment.villageSyncUrl).pathname,
    limits: () => limits,
    requestEncodings: () => requestEncodings,
    heardOfOnHub: (id) => ledger.hubRev(id) !== undefined || ledger.confirmedEvents(id) > 0 || ledger.refusedDocument(id) !== undefined,
  });

  // Files go to /files/ on the same hub; one upload run at a time.
  let uploading: Promise<void> | undefined;
  function uploadFiles(): Promise<void> {
    if (stopped) return Promise.resolve();
    uploading ??= uploadPendingFiles(db.files, hubBase, enrollment.village, fetch)
      .then(() => pending.recount())
      .finally(() => {
        uploading = undefined;
      });
    return uploading;
  }

  /**
   * A pulled case that would replace this kiosk's own registration under the same number (clash.ts): the
   * kiosk's copy is kept with the refusals, as a clash the clerk registers again, before the pull writes.
   */
  const localCopy = batchedLookup((ids) => db.cases.findByIds(ids).exec());
  async function keepClashingRegistration(incoming: WithDeleted<StoredCase>): Promise<WithDeleted<StoredCase>> {
    const local = await localCopy(incoming.id);
    if (local && !ledger.refusedDocument(incoming.id) && pullWouldReplaceRegistration(local, incoming)) {
      const reason = `Case number ${incoming.id} is registered on the county hub for another application; this registration is kept on the kiosk: register it again under a new number.`;
      ledger.refuse([{ id: incoming.id, reason, code: 'case.clash', doc: local.toMutableJSON() }], now().toISOString());
      sync.update({ refused: ledger.refused });
      await ledger.flush();
    }
    return incoming;
  }

  const cases = replicateCouchDB<StoredCase>({
    replicationIdentifier: `cases-${enrollment.villageSyncUrl}`,
    collection: db.cases,
    url: enrollment.villageSyncUrl,
    fetch,
    live: true,
    retryTime,
    waitForLeadership: false,
    // Big batches: each is a round trip, 300 ms on a village line (npm run bench: 1,070 → 1,400 docs/s at 100 → 500).
    pull: { batchSize: 500, modifier: keepClashingRegistration },
    // Cases are never deleted on the hub: a local removal (retention) is not pushed at all. Big batches
    // too (npm run bench, push: 161 → 304 docs/s in Node at 50 → 500, with the conflict read answered on the
    // kiosk); the fetch splits a batch that would exceed the hub's request limit.
    push: { batchSize: 500, modifier: (doc) => (doc._deleted ? null : doc) },
  });
  const county = replicateCouchDB<CountyDocument>({
    replicationIdentifier: `county-${enrollment.catalogSyncUrl}`,
    collection: db.county,
    url: enrollment.catalogSyncUrl,
    fetch,
    live: true,
    retryTime,
    waitForLeadership: false,
    // Keep the county's document whole under `body` (a newer major beside the readable one); RxDB gives it with `id` set.
    pull: { batchSize: 20, modifier: countyDocumentFromHub },
  });
  replications.push(cases as never, county as never);

  /** The hall's schedule and appointments, once the hub says it keeps them (hubs before appointments do not). */
  function startHallSync(): void {
    if (stopped) return;
    const url = hallSyncUrlOf(enrollment.villageSyncUrl);
    const hall = replicateCouchDB<StoredHallDocument>({
      replicationIdentifier: `hall-${url}`,
      collection: db.hall,
      url,
      fetch,
      live: true,
      retryTime,
      waitForLeadership: false,
      pull: { batchSize: 200 },
      // Nothing of a hall is deleted on the hub: a cancellation is an event.
      push: { batchSize: 100, modifier: (doc) => (doc._deleted ? null : doc) },
    });
    replications.push(hall as never);
  }

  const forget = (ids: readonly string[]) => forgetHubCopies(db, cases as never, ids, now());
  const proof = reconciler({
    db,
    ledger,
    fetch,
    villageSyncUrl: enrollment.villageSyncUrl,
    hubBase,
    village: enrollment.village,
    forgetHubCopies: forget,
    hubWentBack: () => {
      fetch.repull(new URL(enrollment.villageSyncUrl).pathname);
    },
  });

  // One proof at a time; a request while one runs is served by the next run.
  let proving: Promise<SyncOutcome & { report?: ProofReport }> | undefined;
  const prove = (): Promise<SyncOutcome & { report?: ProofReport }> => {
    proving ??= (async () => {
      const result = await proof.proveAll();
      if (result.ok) pending.schedule();
      return result.ok
        ? { ok: true as const, value: { at: now().toISOString() }, report: result.value }
        : { ok: false as const, error: { status: result.error.status, code: result.error.code, reason: result.error.reason } };
    })().finally(() => {
      proving = undefined;
    });
    return proving;
  };
  let proofTimer: ReturnType<typeof setTimeout> | undefined;
  let lastProofAt = Number.NEGATIVE_INFINITY;
  function scheduleProof(): void {
    if (stopped) return;
    clearTimeout(proofTimer);
    // Soon, not at once: let the replication catch up first — and not more than once a minute on a line
    // that comes and goes ("sync now" proves at once regardless).
    const wait = Math.max(1000, lastProofAt + PROVE_AT_MOST_EVERY_MS - Date.now());
    proofTimer = setTimeout(() => {
      lastProofAt = Date.now();
      void prove().then(() => {
        proofTimer = setTimeout(scheduleProof, options.proveEveryMs ?? PROVE_EVERY_MS);
      });
    }, wait);
  }

  const hubReads = new BehaviorSubject<readonly string[] | undefined>(undefined);
  // The hub's limits and the codings it takes, where it says them (hubs before 0.2.0 do not: the defaults, identity).
  void network(new URL('api/compat', hubBase).href)
    .then(async (response) => {
      if (!response.ok) return;
      const info = (await response.json()) as Partial<CompatInfo>;
      if (info.limits) limits = info.limits;
      if (Array.isArray(info.requestEncodings)) requestEncodings = info.requestEncodings;
      if (info.reads && 'cunban.appointment' in info.reads) startHallSync();
      hubReads.next(Object.keys(info.reads ?? {}));
    })
    .catch(() => undefined);

  const reports = startStatusReports({
    state$: sync.state$,
    url: new URL('api/kiosk/status', hubBase).href,
    ...(enrollment.authorization ? { authorization: enrollment.authorization } : {}),
    appVersion: options.appVersion,
    fetch: network,
  });

  const onOnline = () => {
    sync.publish();
    for (const replication of replications) replication.reSync();
  };
  const onOffline = () => {
    sync.publish();
  };
  browser.addEventListener?.('online', onOnline);
  browser.addEventListener?.('offline', onOffline);

  return {
    state$: sync.state$,
    state: () => sync.state(),
    pruneClosedCases: (closedBefore) => pruneClosedCases({ db, ledger, reconciler: proof, forgetHubCopies: forget }, closedBefore),
    syncNow: (timeoutMs = 30_000) =>
      syncNow(
        {
          replications,
          events$: sync.events$,
          uploadFiles,
          prove: async () => {
            const result = await prove();
            return result.ok ? { ok: true, value: result.report ?? { checked: 0, resentCases: [], resentFiles: 0 } } : result;
          },
          now,
        },
        timeoutMs,
      ),
    prove,
    forgetHubCopies: forget,
    hubReads$: hubReads.asObservable(),
    refusedDocument: (id) => ledger.refusedDocument(id),
    async settleRefusal(id) {
      ledger.settle(id);
      sync.update({ refused: ledger.refused });
      await ledger.flush();
    },
    async stop() {
      // Nothing new starts; what is running finishes before the database may close.
      stopped = true;
      clearTimeout(proofTimer);
      browser.removeEventListener?.('online', onOnline);
      browser.removeEventListener?.('offline', onOffline);
      await reports.stop();
      await Promise.all(replications.map((replication) => replication.cancel()));
      await pending.stop();
      await Promise.allSettled([uploading, proving]);
      await ledger.flush();
      sync.complete();
    },
  };
}
