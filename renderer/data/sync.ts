/**
 * Live sync of one kiosk with the county hub through the gateway: the village's cases both ways, the
 * county documents (catalog, divisions, calendar, notices) pulled only. Retries with backoff while the
 * hub is unreachable, resumes from RxDB's checkpoints, restarts on the browser's `online` event, and
 * "sync now" resolves with the real outcome of both directions.
 */
import { createRevision, getComposedPrimaryKeyOfDocumentData } from 'rxdb';
import { BehaviorSubject, type Observable } from 'rxjs';
import { replicateCouchDB, type RxCouchDBReplicationState } from 'rxdb/plugins/replication-couchdb';
import type { EnrollResponse } from '../../core/api/enrollment.js';
import { err, ok, type Result } from '../../core/result.js';
import type { StoredCase } from './case-collection.js';
import type { HubRequestError} from './hub-fetch.js';
import { hubFetch, type HubEvent } from './hub-fetch.js';
import { uploadPendingFiles } from './files.js';
import { countyDocumentFromHub } from './county-data.js';
import type { CountyDocument, KioskDatabase } from './kiosk-database.js';
import { startStatusReports } from './status-report.js';
import { deriveStatus, initialSyncState, RECENT_ERRORS_KEPT, type RefusedDocument, type SyncState } from './sync-state.js';

export type SyncOutcome = Result<{ readonly at: string }, { readonly status: number; readonly code: string; readonly reason: string }>;

export interface RetentionReport {
  readonly removed: readonly string[];
  /** Closed long enough, but the hub has not confirmed their latest state: kept until it has. */
  readonly keptUnconfirmed: readonly string[];
}

export interface KioskSync {
  readonly state$: Observable<SyncState>;
  state(): SyncState;
  /**
   * Remove completed and withdrawn cases closed before `closedBefore` from this kiosk, with their
   * files — only those whose every event and every file the hub has confirmed. Removal is local:
   * the kiosk never pushes a deletion.
   */
  pruneClosedCases(closedBefore: Date): Promise<RetentionReport>;
  /** Push and pull now; resolves with what really happened (never "success" when a direction failed). */
  syncNow(timeoutMs?: number): Promise<SyncOutcome>;
  stop(): Promise<void>;
}

export interface SyncOptions {
  readonly db: KioskDatabase;
  readonly enrollment: Pick<EnrollResponse, 'village' | 'villageSyncUrl' | 'catalogSyncUrl' | 'authorization'>;
  /** Reported to the hub with the pending counts, for the county's fleet view. */
  readonly appVersion: string;
  readonly now?: () => Date;
  /** The network, for tests that cut it. */
  readonly fetch?: (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;
}

// RxDB's retry sleep cannot be interrupted, so the ceiling is also how long "sync now" may wait after an outage.
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 10_000;
const LEDGER = 'sync-ledger';

interface Ledger {
  /** Events per case the hub is known to hold (pushed or pulled): more locally means pending. */
  readonly confirmed: Readonly<Record<string, number>>;
  readonly refused: readonly RefusedDocument[];
}

export async function startKioskSync(options: SyncOptions): Promise<KioskSync> {
  const { db } = options;
  const now = options.now ?? (() => new Date());
  const browser = globalThis as { navigator?: { onLine?: boolean }; addEventListener?: (type: string, fn: () => void) => void; removeEventListener?: (type: string, fn: () => void) => void };
  const browserOnline = () => browser.navigator?.onLine !== false;

  const stored = (await db.getLocal<Ledger>(LEDGER))?.toJSON().data;
  // Updated in place: an initial pull confirms thousands of cases, and copying the map for each one
  // (then writing each copy) made a 10,000-case first pull take minutes (found by npm run bench).
  const confirmed = new Map(Object.entries(stored?.confirmed ?? {}));
  let refusedDocs: readonly RefusedDocument[] = stored?.refused ?? [];
  let ledgerWrite = Promise.resolve();
  let ledgerQueued = false;
  /** Persist the ledger. Writes coalesce: a queued write takes the state at the moment it runs. */
  const saveLedger = () => {
    if (ledgerQueued) return;
    ledgerQueued = true;
    ledgerWrite = ledgerWrite
      .then(async () => {
        ledgerQueued = false;
        await db.upsertLocal<Ledger>(LEDGER, { confirmed: Object.fromEntries(confirmed), refused: refusedDocs });
      })
      // Not written (a full disk): still held here, and the next write carries it.
      .catch(() => undefined);
  };

  let lastOutcome: 'ok' | HubRequestError | undefined;
  let facts: Omit<SyncState, 'status'> = { ...initialSyncState, refused: refusedDocs };
  const state$ = new BehaviorSubject<SyncState>(initialSyncState);
  const publish = () => {
    state$.next({ ...facts, status: deriveStatus(facts, browserOnline(), lastOutcome) });
  };

  const failures: HubRequestError[] = [];
  let retryTime = RETRY_MIN_MS;
  const replications: RxCouchDBReplicationState<never>[] = [];

  const setRetryTime = (ms: number) => {
    retryTime = ms;
    for (const replication of replications) replication.retryTime = ms;
  };

  const onHubEvent = (event: HubEvent) => {
    const at = now().toISOString();
    switch (event.kind) {
      case 'failed':
        failures.push(event.error);
        lastOutcome = event.error;
        {
          const lastError = { status: event.error.status, code: event.error.code, reason: event.error.reason, at };
          facts = { ...facts, lastError, recentErrors: [...(facts.recentErrors ?? []), lastError].slice(-RECENT_ERRORS_KEPT) };
        }
        // Back off while the hub stays unreachable; RxDB reads retryTime before each retry.
        setRetryTime(Math.min(retryTime * 2, RETRY_MAX_MS));
        break;
      case 'pulled':
        lastOutcome = 'ok';
        facts = { ...facts, lastPullAt: at };
        break;
      case 'pushed':
        lastOutcome = 'ok';
        facts = { ...facts, lastPushAt: at };
        break;
      case 'refused': {
        const refusedIds = new Set(event.docs.map((d) => d.id));
        const refused = [...refusedDocs.filter((r) => !refusedIds.has(r.id)), ...event.docs.map((d) => ({ ...d, at }))];
        refusedDocs = refused;
        saveLedger();
        facts = { ...facts, refused };
        break;
      }
    }
    if (event.kind !== 'failed') setRetryTime(RETRY_MIN_MS);
    // The line is up and cases got through: send the files that go with them.
    if (event.kind === 'pushed') void uploadFiles();
    publish();
  };
  const fetch = hubFetch(options.enrollment.authorization, onHubEvent, options.fetch);

  // Files go to /files/ on the same hub; one upload run at a time.
  const hubBase = new URL('../../', options.enrollment.villageSyncUrl).href;
  let uploading: Promise<void> | undefined;
  function uploadFiles(): Promise<void> {
    if (stopped) return Promise.resolve();
    uploading ??= uploadPendingFiles(db.files, hubBase, options.enrollment.village, fetch)
      .then(async () => {
        await recountFiles();
      })
      .finally(() => {
        uploading = undefined;
      });
    return uploading;
  }
  async function recountFiles(): Promise<void> {
    const pendingFiles = (await db.files.find({ selector: { uploaded: false } }).exec()).length;
    if (pendingFiles !== facts.pendingFiles) {
      facts = { ...facts, pendingFiles };
      publish();
    }
  }

  const cases = replicateCouchDB<StoredCase>({
    replicationIdentifier: `cases-${options.enrollment.villageSyncUrl}`,
    collection: db.cases,
    url: options.enrollment.villageSyncUrl,
    fetch,
    live: true,
    retryTime,
    waitForLeadership: false,
    // Big batches: each is a round trip, 300 ms on a village line (npm run bench: 1,070 → 1,400 docs/s at 100 → 500).
    pull: { batchSize: 500 },
    // Cases are never deleted on the hub: a local removal (retention) is not pushed at all.
    push: { batchSize: 50, modifier: (doc) => (doc._deleted ? null : doc) },
  });
  const county = replicateCouchDB<CountyDocument>({
    replicationIdentifier: `county-${options.enrollment.catalogSyncUrl}`,
    collection: db.county,
    url: options.enrollment.catalogSyncUrl,
    fetch,
    live: true,
    retryTime,
    waitForLeadership: false,
    pull: {
      batchSize: 20,
      // Keep the county's document whole under `body` (a newer major beside the readable one); RxDB gives it with `id` set.
      modifier: countyDocumentFromHub,
    },
  });
  replications.push(cases as never, county as never);

  // Pending: cases with more events here than the hub has confirmed (confirmed counts only grow). The
  // event counts are kept from the change events: an initial pull brings thousands, and reading every
  // case from the database on each change made a 10,000-case first pull quadratic.
  const localEvents = new Map<string, number>();
  const pendingCases = () => {
    let count = 0;
    for (const [id, events] of localEvents) if (events > (confirmed.get(id) ?? 0)) count += 1;
    return count;
  };
  // The village database may hold kinds a newer version wrote, with no events: never pending here (compat.ts).
  const eventCount = (doc: { readonly events?: unknown }) => (Array.isArray(doc.events) ? doc.events.length : 0);
  const confirm = (doc: { id: string; events?: readonly unknown[] }) => {
    const count = eventCount(doc);
    if ((confirmed.get(doc.id) ?? 0) >= count) return;
    confirmed.set(doc.id, count);
    saveLedger();
  };
  for (const doc of await db.cases.find().exec()) localEvents.set(doc.id, eventCount(doc));
  // Publish the counts once for the change events of a busy moment, not once per document.
  let recountTimer: ReturnType<typeof setTimeout> | undefined;
  let recounting: Promise<void> = Promise.resolve();
  let stopped = false;
  const scheduleRecount = () => {
    if (stopped) return;
    recountTimer ??= setTimeout(() => {
      recountTimer = undefined;
      recounting = recounting.then(publishPending).then(recountFiles);
    }, 100);
  };
  const subscriptions = [
    cases.sent$.subscribe((doc) => {
      if (!refusedDocs.some((r) => r.id === doc.id)) confirm(doc);
      scheduleRecount();
    }),
    cases.received$.subscribe((doc) => {
      confirm(doc);
      scheduleRecount();
    }),
    db.cases.$.subscribe((change) => {
      if (change.operation === 'DELETE') localEvents.delete(change.documentId);
      else localEvents.set(change.documentId, eventCount(change.documentData));
      scheduleRecount();
    }),
    db.files.$.subscribe(scheduleRecount),
  ];
  function publishPending(): void {
    const pendingOutbound = pendingCases();
    if (pendingOutbound !== facts.pendingOutbound) {
      facts = { ...facts, pendingOutbound };
      publish();
    }
  }
  publishPending();
  await recountFiles();

  /**
   * RxDB's replication keeps its own copy of each document's last known hub state. Retention removes
   * those copies too (through RxDB's storage API), or a resident's name would outlive the case here.
   */
  async function purgeReplicationCopies(ids: readonly string[]): Promise<void> {
    const meta = cases.metaInstance;
    if (!meta) return;
    const keys = ids.map((itemId) => getComposedPrimaryKeyOfDocumentData(meta.schema, { itemId, isCheckpoint: '0' }));
    const found = await meta.findDocumentsById(keys, false);
    if (found.length === 0) return;
    const lwt = now().getTime();
    await meta.bulkWrite(
      found.map((previous) => ({
        previous,
        document: { ...previous, _deleted: true, _meta: { ...previous._meta, lwt }, _rev: createRevision(db.token, previous) },
      })),
      'cunban-retention',
    );
    await meta.cleanup(0);
  }

  const reports = startStatusReports({
    state$,
    url: new URL('api/kiosk/status', hubBase).href,
    authorization: options.enrollment.authorization,
    appVersion: options.appVersion,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
  });

  const onOnline = () => {
    publish();
    for (const replication of replications) replication.reSync();
  };
  const onOffline = () => {
    publish();
  };
  browser.addEventListener?.('online', onOnline);
  browser.addEventListener?.('offline', onOffline);

  return {
    state$: state$.asObservable(),
    state: () => state$.value,
    async pruneClosedCases(closedBefore) {
      const cutoff = closedBefore.toISOString();
      const closed = await db.cases.find({ selector: { 'summary.status': { $in: ['completed', 'withdrawn'] } } }).exec();
      const removed: string[] = [];
      const keptUnconfirmed: string[] = [];
      for (const doc of closed) {
        if (doc.summary.updatedAt >= cutoff) continue;
        const unsentFiles = (await db.files.find({ selector: { caseNumber: doc.id, uploaded: false } }).exec()).length;
        if ((confirmed.get(doc.id) ?? 0) < doc.events.length || unsentFiles > 0) {
          keptUnconfirmed.push(doc.id);
          continue;
        }
        await db.files.find({ selector: { caseNumber: doc.id } }).remove();
        await doc.remove();
        removed.push(doc.id);
      }
      if (removed.length > 0) {
        await db.cases.cleanup(0);
        await db.files.cleanup(0);
        await purgeReplicationCopies(removed);
        for (const id of removed) confirmed.delete(id);
        saveLedger();
        await ledgerWrite;
      }
      return { removed, keptUnconfirmed };
    },
    async syncNow(timeoutMs = 30_000) {
      const before = failures.length;
      for (const replication of replications) replication.reSync();
      const inSync = Promise.all(replications.map((replication) => replication.awaitInSync())).then(() => 'inSync' as const);
      const failed = new Promise<'failed'>((resolve) => {
        const poll = setInterval(() => {
          if (failures.length > before) {
            clearInterval(poll);
            resolve('failed');
          }
        }, 50);
        void inSync.finally(() => {
          clearInterval(poll);
        });
      });
      const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => {
        resolve('timeout');
      }, timeoutMs));
      const replicated = await Promise.race([inSync, failed, timeout]);
      // Then the files, whose upload reports its failures like any other request.
      const outcome = replicated === 'inSync' ? await Promise.race([uploadFiles().then(() => 'inSync' as const), timeout]) : replicated;
      const failure = failures.slice(before)[0];
      if (outcome === 'inSync' && !failure) return ok({ at: now().toISOString() });
      if (failure) return err({ status: failure.status, code: failure.code, reason: failure.reason });
      return err({ status: 0, code: 'timeout', reason: `No answer from the county hub within ${String(timeoutMs / 1000)} s.` });
    },
    async stop() {
      // Nothing new starts; what is running finishes before the database may close.
      stopped = true;
      if (recountTimer) clearTimeout(recountTimer);
      browser.removeEventListener?.('online', onOnline);
      browser.removeEventListener?.('offline', onOffline);
      for (const subscription of subscriptions) subscription.unsubscribe();
      await reports.stop();
      await Promise.all(replications.map((replication) => replication.cancel()));
      await Promise.allSettled([recounting, uploading]);
      await ledgerWrite;
      state$.complete();
    },
  };
}
