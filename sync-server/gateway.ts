/**
 * The sync gateway: the CouchDB-compatible subset that RxDB's CouchDB replication and PouchDB's
 * replication use, under `/sync/<db>/`, in CouchDB's own response shapes. Modelled on CHT's api:
 * every request is authenticated as one kiosk, scoped to its village database (read and write) and
 * the catalog (read), and everything not explicitly allowed is refused before the store sees it.
 */
import { mergeCaseConflicts } from './case-conflicts.js';
import { DEFAULT_KIOSK_REQUESTS_PER_MINUTE } from './config.js';
import type { HttpReply, Route, RouteContext } from './http/kit.js';
import { ALL_DOCS_PARAMS, bodyParam, BULK_GET_PARAMS, DOC_PARAMS, queryOf } from './gateway-query.js';
import type { ChangeFeeds } from './gateway/change-feeds.js';
import { changesEndpoint } from './gateway/changes.js';
import { docsFor, fromStore, presentRows, type Row, type Scoped } from './gateway/scoped.js';
import { failure, isJsonObject, MAX_BODY_BYTES, reply } from './http/kit.js';
import { throttle } from './http/throttle.js';
import type { HubMetrics } from './observe/metrics.js';
import { refuseCaseWrite } from './case-writes.js';
import { carryOver, presentTo, readerOf, refuseWriteFrom } from './gateway-readers.js';
import { authenticateRequest, touchKiosk, type KioskDoc } from './kiosks.js';
import { auditWrite, quarantine, type QuarantineEntry } from './records.js';
import { DB, villageOfDb } from './store/names.js';
import { docPath, type Store } from './store/store.js';

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

const MAX_DOCS_PER_WRITE = 1000;
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
    return { ok: false, reply: failure(403, 'forbidden', 'This kiosk may sync only its own village and the catalog.') };
  }

  const readOnly = failure(403, 'forbidden', 'The catalog is read-only for kiosks.');
  const changes = changesEndpoint({
    store,
    feeds: options.feeds,
    ...(options.proxyReadTimeoutMs ? { proxyReadTimeoutMs: options.proxyReadTimeoutMs } : {}),
    ...(options.metrics ? { metrics: options.metrics } : {}),
    pulled: (kiosk) => {
      touch(kiosk, 'lastPullAt');
    },
  });

  async function databaseInfo(s: Scoped): Promise<HttpReply> {
    const info = await store.request<Record<string, unknown>>({ db: s.db });
    return fromStore(info, 200, (value) => ({ ...value, db_name: s.publicDb }));
  }

  async function allDocs(s: Scoped, context: RouteContext): Promise<HttpReply> {
    const q = queryOf(context.url, ALL_DOCS_PARAMS);
    if (!q.ok) return q.reply;
    let body: unknown;
    if (context.req.method === 'POST') {
      const parsed = await context.json(MAX_BODY_BYTES);
      if (!parsed.ok) return parsed.error;
      if (!isJsonObject(parsed.value)) return failure(400, 'bad_request', 'Expected {"keys": [...]}.');
      const { keys, ...options } = parsed.value;
      if (!Array.isArray(keys) || !keys.every((k) => typeof k === 'string')) {
        return failure(400, 'bad_request', '`keys` must be an array of document ids.');
      }
      body = { keys };
      // CouchDB also takes the query parameters in a POST body (RxDB sends include_docs there).
      for (const [name, value] of Object.entries(options)) {
        const parsed = name === 'keys' ? undefined : bodyParam(ALL_DOCS_PARAMS, name, value);
        if (parsed?.ok) q.qs[name] = parsed.value;
      }
    }
    const withDocs = docsFor(s, q.qs);
    const result = await store.request<{ rows: Row[] }>({
      db: s.db,
      path: '_all_docs',
      method: body ? 'POST' : 'GET',
      qs: q.qs,
      ...(body ? { body } : {}),
    });
    return fromStore(result, 200, (value) => ({ ...value, rows: presentRows(s, value.rows, 'missing', withDocs) }));
  }

  async function bulkGet(s: Scoped, context: RouteContext): Promise<HttpReply> {
    const q = queryOf(context.url, BULK_GET_PARAMS);
    if (!q.ok) return q.reply;
    const parsed = await context.json(MAX_BODY_BYTES);
    if (!parsed.ok) return parsed.error;
    const docs = isJsonObject(parsed.value) ? parsed.value.docs : undefined;
    if (!Array.isArray(docs) || !docs.every((d) => isJsonObject(d) && typeof d.id === 'string')) {
      return failure(400, 'bad_request', '`docs` must be an array of {id, rev}.');
    }
    if (docs.some((d) => (d as { id: string }).id.startsWith('_'))) {
      return failure(403, 'forbidden', 'Design and system documents are not served to kiosks.');
    }
    // Nothing asked, nothing to read: the embedded store never answered an empty `_bulk_get`, and each one
    // held a socket to it for good (found by attacking the hub).
    if (docs.length === 0) return reply(200, { results: [] });
    const result = await store.request<{ results: { id: string; docs: ({ ok: Record<string, unknown> } | { error: unknown })[] }[] }>({
      db: s.db,
      path: '_bulk_get',
      method: 'POST',
      qs: q.qs,
      body: { docs },
      // A read the kiosk gave up on is given up on here too.
      signal: context.signal,
    });
    return fromStore(result, 200, (value) => ({
      ...value,
      results: value.results.map((entry) => ({
        ...entry,
        docs: entry.docs.map((found) => {
          if (!('ok' in found)) return found;
          const doc = presentTo(s.reader, s.database, found.ok);
          return doc ? { ok: doc } : { error: { id: entry.id, error: 'not_found', reason: 'missing' } };
        }),
      })),
    }));
  }

  async function revsDiff(s: Scoped, context: RouteContext): Promise<HttpReply> {
    if (s.access !== 'write') return readOnly;
    const parsed = await context.json(MAX_BODY_BYTES);
    if (!parsed.ok) return parsed.error;
    // Exactly CouchDB's shape, checked here: the embedded store crashed on other shapes.
    const valid = isJsonObject(parsed.value) && Object.values(parsed.value).every((revs) => Array.isArray(revs) && revs.every((rev) => typeof rev === 'string'));
    if (!valid) return failure(400, 'bad_request', 'Expected an object of document ids to revision lists.');
    return fromStore(await store.request({ db: s.db, path: '_revs_diff', method: 'POST', body: parsed.value }));
  }

  /** Validate each document, write the allowed ones, answer per document in CouchDB's shape. */
  async function write(s: Scoped, docs: readonly unknown[], newEdits: boolean): Promise<{ ok: true; results: unknown[] } | { ok: false; reply: HttpReply }> {
    const idOf = (doc: unknown) => {
      const id = (doc as { _id?: unknown } | null)?._id;
      return typeof id === 'string' ? id : undefined;
    };
    const keys = docs.map(idOf).filter((id): id is string => id !== undefined && !id.startsWith('_'));
    const current = await store.request<{ rows: { id?: string; doc?: (Record<string, unknown> & { _rev: string }) | null }[] }>({
      db: s.db,
      path: '_all_docs',
      method: 'POST',
      qs: { include_docs: true },
      body: { keys },
    });
    if (!current.ok) return { ok: false, reply: fromStore(current) };
    const stored = new Map(current.value.rows.flatMap((row) => (row.id && row.doc ? [[row.id, row.doc] as const] : [])));

    const refusals = new Map<number, QuarantineEntry>();
    const accepted: { _id: string }[] = [];
    docs.forEach((doc, index) => {
      const id = idOf(doc);
      const before = id === undefined ? undefined : stored.get(id);
      const legacy = refuseWriteFrom(s.reader, before);
      const refused = legacy === undefined ? refuseCaseWrite(doc, s.kiosk, before, newEdits) : { reason: legacy };
      if (refused) refusals.set(index, { docId: id ?? '', ...refused, doc });
      // A replicator's revision (new_edits=false) is stored exactly as sent; an edit keeps what its writer did not know.
      else accepted.push((newEdits ? carryOver(s.reader, doc as Record<string, unknown>, before) : doc) as { _id: string });
    });

    // With new_edits=true CouchDB answers one row per document; with new_edits=false only the failures.
    let written: { id: string; ok?: boolean; rev?: string; error?: string; reason?: string }[] = [];
    if (accepted.length > 0) {
      const result = await store.request<typeof written>({
        db: s.db,
        path: '_bulk_docs',
        method: 'POST',
        body: { docs: accepted, new_edits: newEdits },
      });
      if (!result.ok) return { ok: false, reply: fromStore(result) };
      written = result.value;
    }
    const at = now();
    options.metrics?.pushedDocuments.inc({ outcome: 'accepted' }, accepted.length);
    options.metrics?.pushedDocuments.inc({ outcome: 'refused' }, refusals.size);
    if (refusals.size > 0) {
      const q = await quarantine(store, s.kiosk, s.publicDb, [...refusals.values()], at);
      if (!q.ok) log(`quarantine write failed for ${s.kiosk.kioskId}: ${q.error.reason}`);
    }
    const failed = new Set(written.filter((row) => row.error).map((row) => row.id));
    const committed = newEdits
      ? written.filter((row) => row.ok).map((row) => row.id)
      : accepted.map((doc) => doc._id).filter((id) => !failed.has(id));
    if (committed.length > 0) {
      // A replicator's write (new_edits=false) may have opened a second branch beside a decision: merge now.
      if (!newEdits) {
        const merged = await mergeCaseConflicts(store, s.kiosk.village, committed);
        if (!merged.ok) log(`merging conflicts in village ${s.kiosk.village} failed (the sweep retries): ${merged.error.reason}`);
      }
      const a = await auditWrite(store, s.kiosk, s.publicDb, committed, at);
      if (!a.ok) log(`audit write failed for ${s.kiosk.kioskId}: ${a.error.reason}`);
      touch(s.kiosk, 'lastPushAt');
      options.onVillageWritten?.(s.kiosk.village);
    }
    // CouchDB's per-document shape; hubs since 0.2.0 add what kind of refusal it is, which other clients ignore.
    const refusalOf = (entry: QuarantineEntry) => ({ id: entry.docId, error: 'forbidden', reason: entry.reason, ...(entry.code ? { cunban: { code: entry.code } } : {}) });
    if (!newEdits) return { ok: true, results: [...[...refusals.values()].map(refusalOf), ...written] };
    // Pair answers to documents by id, not by position: a store need not keep the request's order.
    const answers = new Map<string, (typeof written)[number][]>();
    for (const row of written) answers.set(row.id, [...(answers.get(row.id) ?? []), row]);
    return {
      ok: true,
      results: docs.map((doc, index) => {
        const refused = refusals.get(index);
        if (refused) return refusalOf(refused);
        const id = (doc as { _id: string })._id;
        return answers.get(id)?.shift() ?? { id, error: 'unknown', reason: 'The store gave no answer for this document.' };
      }),
    };
  }

  async function bulkDocs(s: Scoped, context: RouteContext): Promise<HttpReply> {
    if (s.access !== 'write') return readOnly;
    const parsed = await context.json(MAX_BODY_BYTES);
    if (!parsed.ok) return parsed.error;
    const body: { docs?: unknown; new_edits?: unknown } = isJsonObject(parsed.value) ? parsed.value : {};
    if (!Array.isArray(body.docs)) return failure(400, 'bad_request', '`docs` must be an array.');
    if (body.docs.length > MAX_DOCS_PER_WRITE) {
      return failure(413, 'too_large', `At most ${MAX_DOCS_PER_WRITE} documents per request.`);
    }
    if (body.new_edits !== undefined && typeof body.new_edits !== 'boolean') {
      return failure(400, 'bad_request', '`new_edits` must be true or false.');
    }
    const written = await write(s, body.docs, body.new_edits !== false);
    return written.ok ? reply(201, written.results) : written.reply;
  }

  async function putDoc(s: Scoped, context: RouteContext, id: string): Promise<HttpReply> {
    if (s.access !== 'write') return readOnly;
    const parsed = await context.json(MAX_BODY_BYTES);
    if (!parsed.ok) return parsed.error;
    if (typeof parsed.value !== 'object' || parsed.value === null || Array.isArray(parsed.value)) {
      return failure(400, 'bad_request', 'A document must be a JSON object.');
    }
    const doc = parsed.value as Record<string, unknown>;
    if (doc._id !== undefined && doc._id !== id) return failure(400, 'bad_request', 'The _id in the body differs from the URL.');
    const newEdits = context.url.searchParams.get('new_edits') !== 'false';
    const written = await write(s, [{ ...doc, _id: id }], newEdits);
    if (!written.ok) return written.reply;
    const result = written.results[0] as { id: string; rev?: string; error?: string; reason?: string } | undefined;
    if (!result) return reply(201, { ok: true, id });
    if (result.error) return failure(result.error === 'forbidden' ? 403 : result.error === 'conflict' ? 409 : 400, result.error, result.reason ?? '');
    return reply(201, { ok: true, id: result.id, rev: result.rev });
  }

  async function local(s: Scoped, context: RouteContext, id: string): Promise<HttpReply> {
    // Checkpoints are namespaced per kiosk, transparently: no kiosk can read or reset another's.
    const path = docPath(`_local/${s.kiosk.kioskId}-${id}`);
    if (context.req.method === 'GET') {
      return fromStore(await store.request<{ _id: string }>({ db: s.db, path }), 200, (doc) => ({ ...doc, _id: `_local/${id}` }));
    }
    if (context.req.method !== 'PUT') return failure(405, 'method_not_allowed', 'Checkpoints are read and written, never deleted.');
    const parsed = await context.json(64 * 1024);
    if (!parsed.ok) return parsed.error;
    if (!isJsonObject(parsed.value)) return failure(400, 'bad_request', 'A checkpoint must be a JSON object.');
    const body = { ...parsed.value, _id: `_local/${s.kiosk.kioskId}-${id}` };
    return fromStore(await store.request<{ id: string }>({ db: s.db, path, method: 'PUT', body }), 201, (r) => ({ ...r, id: `_local/${id}` }));
  }

  async function getDoc(s: Scoped, context: RouteContext, id: string): Promise<HttpReply> {
    const q = queryOf(context.url, DOC_PARAMS);
    if (!q.ok) return q.reply;
    const result = await store.request<Record<string, unknown> | { ok?: Record<string, unknown> }[]>({ db: s.db, path: docPath(id), qs: q.qs });
    if (!result.ok) return fromStore(result);
    // With open_revs: a list of leaves, each `{ok: doc}` or `{missing: rev}`.
    if (Array.isArray(result.value)) {
      return reply(200, result.value.map((leaf) => {
        if (!leaf.ok) return leaf;
        const doc = presentTo(s.reader, s.database, leaf.ok);
        return doc ? { ok: doc } : { missing: leaf.ok._rev };
      }));
    }
    const doc = presentTo(s.reader, s.database, result.value);
    return doc ? reply(200, doc) : failure(404, 'not_found', 'missing');
  }

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
        return failure(403, 'forbidden', s.access === 'write' ? 'Cases are never deleted from the county hub.' : 'The catalog is read-only for kiosks.');
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
