/**
 * The sync gateway: the CouchDB-compatible subset that RxDB's CouchDB replication and PouchDB's
 * replication use, under `/sync/<db>/`, in CouchDB's own response shapes. Modelled on CHT's api:
 * every request is authenticated as one kiosk, scoped to its village database (read and write) and
 * the catalog (read), and everything not explicitly allowed is refused before the store sees it.
 * Here: who is asking and what may they reach; each CouchDB endpoint has its module under gateway/.
 */
import { DEFAULT_KIOSK_REQUESTS_PER_MINUTE } from './config.js';
import { readerOf } from './gateway-readers.js';
import { allDocsEndpoint } from './gateway/all-docs.js';
import { bulkDocsEndpoint } from './gateway/bulk-docs.js';
import { bulkGetEndpoint } from './gateway/bulk-get.js';
import type { ChangeFeeds } from './gateway/change-feeds.js';
import { changesEndpoint } from './gateway/changes.js';
import type { GatewayContext } from './gateway/context.js';
import { databaseInfoEndpoint } from './gateway/database-info.js';
import { docEndpoints } from './gateway/doc.js';
import { localEndpoint } from './gateway/local.js';
import { revsDiffEndpoint } from './gateway/revs-diff.js';
import type { Scoped } from './gateway/scoped.js';
import { writeCases } from './gateway/write.js';
import type { HttpReply, Route, RouteContext } from './http/kit.js';
import { failure } from './http/kit.js';
import { throttle } from './http/throttle.js';
import type { HubMetrics } from './observe/metrics.js';
import { authenticateRequest, touchKiosk, type KioskDoc } from './kiosks.js';
import { DB, villageOfDb, villageOfHallDb } from './store/names.js';
import type { Store } from './store/store.js';

export { longPollTimeout, pollLimits } from './gateway/changes.js';

export interface GatewayOptions {
  readonly store: Store;
  readonly now: () => Date;
  readonly log: (message: string) => void;
  /** Called after a kiosk's cases were written, so the review queue follows at once. */
  readonly onVillageWritten?: (village: string) => void;
  /** A reverse proxy's read timeout (config.ts): a long poll without heartbeats ends well before it. */
  readonly proxyReadTimeoutMs?: number;
  /** The hub process's one feed per database, which kiosks' long polls wait on (gateway/change-feeds.ts). */
  readonly feeds: ChangeFeeds;
  readonly metrics?: Pick<HubMetrics, 'longPolls' | 'pushedDocuments'>;
  /** Sync requests a kiosk may make a minute (config.ts). */
  readonly kioskRequestsPerMinute?: number;
}

const TOUCH_EVERY_MS = 60_000;
/** The CouchDB endpoints the gateway serves, as logs and metrics name them. */
const ENDPOINTS = new Set(['_changes', '_all_docs', '_bulk_get', '_revs_diff', '_bulk_docs', '_local']);

/**
 * A request below a database, named by one of a fixed few words: its endpoint, `:doc`, or `:refused` for
 * any other `_` path. Never by what the caller wrote, which may be an ID number (found by attacking the
 * hub: `_422822…` became a log field and a metrics series per request, unauthenticated).
 */
export function endpointLabel(rest: string): string {
  const first = rest.split('/')[0] ?? '';
  if (ENDPOINTS.has(first)) return first;
  return first.startsWith('_') ? ':refused' : ':doc';
}

export function gatewayRoutes(options: GatewayOptions): Route[] {
  const { store, now, log } = options;
  // Counted over 6 s, so a burst is judged quickly.
  const limit = throttle(Math.ceil((options.kioskRequestsPerMinute ?? DEFAULT_KIOSK_REQUESTS_PER_MINUTE) / 10), 6);
  const lastTouch = new Map<string, number>();

  /** Record activity for the fleet view at most once a minute per kiosk and kind: a long poll is no store write. */
  function touch(kiosk: KioskDoc, field: 'lastPushAt' | 'lastPullAt' | 'lastSeenAt') {
    const key = `${kiosk.kioskId}:${field}`;
    const t = now().getTime();
    if (t - (lastTouch.get(key) ?? 0) < TOUCH_EVERY_MS) return;
    lastTouch.set(key, t);
    void touchKiosk(store, kiosk, { [field]: new Date(t).toISOString() });
  }

  async function scope(context: RouteContext): Promise<{ ok: true; scoped: Scoped } | { ok: false; reply: HttpReply }> {
    const auth = await authenticateRequest(store, context);
    if (!auth.ok) return { ok: false, reply: auth.error };
    const kiosk = auth.value;
    const allowed = await limit.take(kiosk.kioskId);
    if (!allowed.allowed) {
      return {
        ok: false,
        reply: failure(429, 'too_many_requests', 'This kiosk is syncing too fast; it will retry shortly.', {
          'retry-after': String(allowed.retryAfterSeconds),
        }),
      };
    }
    const publicDb = context.params.db ?? '';
    const reader = readerOf(context.url);
    touch(kiosk, 'lastSeenAt');
    if (publicDb === DB.catalog) {
      return { ok: true, scoped: { kiosk, publicDb, db: store.dbName(DB.catalog), access: 'read', database: 'catalog', reader } };
    }
    if (villageOfDb(publicDb) === kiosk.village) {
      return { ok: true, scoped: { kiosk, publicDb, db: store.dbName(publicDb), access: 'write', database: 'village', reader } };
    }
    if (villageOfHallDb(publicDb) === kiosk.village) {
      return { ok: true, scoped: { kiosk, publicDb, db: store.dbName(publicDb), access: 'write', database: 'hall', reader } };
    }
    return { ok: false, reply: failure(403, 'forbidden', 'This kiosk may sync only its own village, its hall and the catalog.') };
  }

  const ctx: GatewayContext = {
    store,
    now,
    log,
    touch,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...(options.onVillageWritten ? { onVillageWritten: options.onVillageWritten } : {}),
  };
  const changes = changesEndpoint({
    store,
    feeds: options.feeds,
    ...(options.proxyReadTimeoutMs ? { proxyReadTimeoutMs: options.proxyReadTimeoutMs } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    pulled: (kiosk) => {
      touch(kiosk, 'lastPullAt');
    },
  });
  const databaseInfo = databaseInfoEndpoint(ctx);
  const allDocs = allDocsEndpoint(ctx);
  const bulkGet = bulkGetEndpoint(ctx);
  const revsDiff = revsDiffEndpoint(ctx);
  const write = writeCases(ctx);
  const bulkDocs = bulkDocsEndpoint(write);
  const { getDoc, putDoc } = docEndpoints(ctx, write);
  const local = localEndpoint(ctx);

  async function handle(context: RouteContext): Promise<HttpReply> {
    const scoped = await scope(context);
    if (!scoped.ok) return scoped.reply;
    const s = scoped.scoped;
    const rest = context.params.rest ?? '';
    const method = context.req.method === 'HEAD' ? 'GET' : context.req.method;
    const local_ = /^_local\/(.+)$/.exec(rest);
    switch (true) {
      case rest === '' && method === 'GET':
        return databaseInfo(s);
      case rest === '_changes' && method === 'GET':
        return changes(s, context);
      case rest === '_all_docs' && (method === 'GET' || method === 'POST'):
        return allDocs(s, context);
      case rest === '_bulk_get' && method === 'POST':
        return bulkGet(s, context);
      case rest === '_revs_diff' && method === 'POST':
        return revsDiff(s, context);
      case rest === '_bulk_docs' && method === 'POST':
        return bulkDocs(s, context);
      case local_ !== null:
        return local(s, context, local_[1] ?? '');
      case rest.startsWith('_') || rest === '':
        return failure(403, 'forbidden', `${rest || 'This request'} is not available through the sync gateway.`);
      case rest.includes('/'):
        return failure(403, 'forbidden', 'Attachments are not served through the sync gateway.');
      case method === 'GET':
        return getDoc(s, context, rest);
      case method === 'PUT':
        return putDoc(s, context, rest);
      case method === 'DELETE':
        return failure(
          403,
          'forbidden',
          s.access === 'read'
            ? 'The catalog is read-only for kiosks.'
            : s.database === 'hall'
              ? 'Appointments are never deleted: a cancellation is recorded.'
              : 'Cases are never deleted from the county hub.',
        );
      default:
        return failure(405, 'method_not_allowed', `${method ?? ''} is not allowed here.`);
    }
  }

  return [
    // Each segment stays encoded for matching; `rest` is everything after the database (may hold encoded slashes).
    { method: '*', pattern: /^\/sync\/(?<db>[^/]+)\/?$/, handle, label: () => '/sync/:db/' },
    { method: '*', pattern: /^\/sync\/(?<db>[^/]+)\/(?<rest>.+)$/, handle, label: ({ rest = '' }) => `/sync/:db/${endpointLabel(rest)}` },
  ];
}
