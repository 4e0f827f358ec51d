/**
 * The sync gateway: the CouchDB-compatible subset that RxDB's CouchDB replication and PouchDB's
 * replication use, under `/sync/<db>/`, in CouchDB's own response shapes. Modelled on CHT's api:
 * every request is authenticated as one kiosk, scoped to its village database (read and write) and
 * the catalog (read), and everything not explicitly allowed is refused before the store sees it.
 */
import { mergeCaseConflicts } from './case-conflicts.js';
import type { HttpReply, Route, RouteContext } from './http/kit.js';
import { failure, isJsonObject, MAX_BODY_BYTES, rateLimiter, reply } from './http/kit.js';
import { refuseCaseWrite } from './case-writes.js';
import { authenticateRequest, touchKiosk, type KioskDoc } from './kiosks.js';
import { auditWrite, quarantine, type QuarantineEntry } from './records.js';
import { DB, villageOfDb } from './store/names.js';
import { docPath, type Store, type StoreResult } from './store/store.js';

export interface GatewayOptions {
  readonly store: Store;
  readonly now: () => Date;
  readonly log: (message: string) => void;
  /** Called after a kiosk's cases were written, so the review queue follows at once. */
  readonly onVillageWritten?: (village: string) => void;
}

const JSON_QUERY_KEYS = new Set(['startkey', 'endkey', 'start_key', 'end_key', 'key', 'keys']);
const MAX_DOCS_PER_WRITE = 1000;
const LONGPOLL_TIMEOUT_MS = 55_000;
const TOUCH_EVERY_MS = 60_000;

type Access = 'read' | 'write';

interface Scoped {
  readonly kiosk: KioskDoc;
  readonly publicDb: string;
  readonly db: string;
  readonly access: Access;
}

function fromStore<T>(result: StoreResult<T>, status = 200, shape: (value: T) => unknown = (v) => v): HttpReply {
  return result.ok ? reply(status, shape(result.value)) : failure(result.error.status, result.error.error, result.error.reason);
}

/** Copy only the allowed query parameters, decoding the JSON-valued ones (nano re-encodes them). */
function query(url: URL, allowed: readonly string[]): { ok: true; qs: Record<string, unknown> } | { ok: false; reply: HttpReply } {
  const qs: Record<string, unknown> = {};
  for (const [key, value] of url.searchParams) {
    if (!allowed.includes(key)) continue;
    if (JSON_QUERY_KEYS.has(key)) {
      try {
        qs[key] = JSON.parse(value) as unknown;
      } catch {
        return { ok: false, reply: failure(400, 'bad_request', `Query parameter ${key} must be JSON.`) };
      }
    } else {
      qs[key] = value;
    }
  }
  return { ok: true, qs };
}

const isHidden = (id: unknown) => typeof id === 'string' && id.startsWith('_design/');

/**
 * How long a long poll may wait: what the kiosk asked, within 1 s and the hub's limit, shortened at random
 * by up to a fifth. Kiosks that connected together (a hub restart, the county's broadband back) would
 * otherwise all poll again at the same instant every cycle: with 179 kiosks that herd stalled the store and
 * held cases out of the queue for 15 s (npm run bench, the county at once).
 */
export function longPollTimeout(requested: unknown, random: () => number = Math.random): number {
  const asked = Math.max(1000, Math.min(Number(requested ?? LONGPOLL_TIMEOUT_MS) || LONGPOLL_TIMEOUT_MS, LONGPOLL_TIMEOUT_MS));
  return Math.max(1000, Math.round(asked * (1 - 0.2 * random())));
}

interface ChangesPage {
  readonly results: { readonly id: string }[];
  readonly last_seq?: unknown;
}

export function gatewayRoutes(options: GatewayOptions): Route[] {
  const { store, now, log } = options;
  const limit = rateLimiter(300, 50);
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
    const allowed = limit(kiosk.kioskId);
    if (!allowed.allowed) {
      return {
        ok: false,
        reply: failure(429, 'too_many_requests', 'This kiosk is syncing too fast; it will retry shortly.', {
          'retry-after': String(allowed.retryAfterSeconds),
        }),
      };
    }
    const publicDb = context.params.db ?? '';
    touch(kiosk, 'lastSeenAt');
    if (publicDb === DB.catalog) return { ok: true, scoped: { kiosk, publicDb, db: store.dbName(DB.catalog), access: 'read' } };
    if (villageOfDb(publicDb) === kiosk.village) {
      return { ok: true, scoped: { kiosk, publicDb, db: store.dbName(publicDb), access: 'write' } };
    }
    return { ok: false, reply: failure(403, 'forbidden', 'This kiosk may sync only its own village and the catalog.') };
  }

  const readOnly = failure(403, 'forbidden', 'The catalog is read-only for kiosks.');

  async function databaseInfo(s: Scoped): Promise<HttpReply> {
    const info = await store.request<Record<string, unknown>>({ db: s.db });
    return fromStore(info, 200, (value) => ({ ...value, db_name: s.publicDb }));
  }

  async function changes(s: Scoped, context: RouteContext): Promise<HttpReply> {
    const q = query(context.url, ['since', 'limit', 'feed', 'timeout', 'include_docs', 'style', 'descending', 'seq_interval', 'conflicts']);
    if (!q.ok) return q.reply;
    const feed = q.qs.feed ?? 'normal';
    if (feed !== 'normal' && feed !== 'longpoll') return failure(400, 'bad_request', 'Only the normal and longpoll feeds are served.');
    // A long poll ends after its timeout (1 s to the hub's limit) as on CouchDB, even where the store does not
    // end it itself: the embedded store ignores `timeout`, and a poll once waited forever for a change.
    const timeoutMs = longPollTimeout(q.qs.timeout);
    if (feed === 'longpoll') q.qs.timeout = String(timeoutMs);
    const pollEnd = feed === 'longpoll' ? AbortSignal.timeout(timeoutMs + 500) : undefined;
    const signal = pollEnd ? AbortSignal.any([context.signal, pollEnd]) : context.signal;
    const result = await store.request<ChangesPage>({ db: s.db, path: '_changes', qs: q.qs, signal });
    // Ended by our own timeout (nano may then resolve with no body at all, or fail): no changes, as CouchDB says it.
    if (pollEnd?.aborted && !context.signal.aborted && (!result.ok || !Array.isArray(result.value.results))) {
      const info = await store.request<{ update_seq: string | number }>({ db: s.db });
      return fromStore(info, 200, (value) => ({ results: [], last_seq: value.update_seq }));
    }
    if (!result.ok) return fromStore(result);
    touch(s.kiosk, 'lastPullAt');
    return fillBatch(s, q.qs, result.value, context.signal);
  }

  /**
   * Hidden rows (design documents) taken out of a `_changes` batch are made up from the rows after it:
   * a replicator takes a batch shorter than its `limit` to mean "nothing more" (RxDB does), so a batch cut
   * short by a design document once ended a fresh kiosk's first pull after 99 of 10,000 cases, and
   * "sync now" reported success.
   */
  async function fillBatch(s: Scoped, qs: Record<string, unknown>, first: ChangesPage, signal: AbortSignal): Promise<HttpReply> {
    const limit = Number(qs.limit);
    const results = first.results.filter((row) => !isHidden(row.id));
    let page = first;
    let asked = limit;
    // A page as long as asked may have more behind it; a shorter one is the end of the feed.
    while (limit > 0 && page.results.length >= asked && results.length < limit) {
      asked = limit - results.length;
      const more = await store.request<ChangesPage>({ db: s.db, path: '_changes', qs: { ...qs, feed: 'normal', since: page.last_seq, limit: asked }, signal });
      if (!more.ok) return fromStore(more);
      page = more.value;
      results.push(...page.results.filter((row) => !isHidden(row.id)));
    }
    return reply(200, { ...page, results });
  }

  const ALL_DOCS_PARAMS = ['keys', 'key', 'startkey', 'endkey', 'start_key', 'end_key', 'include_docs', 'limit', 'skip', 'descending', 'conflicts', 'update_seq'];

  async function allDocs(s: Scoped, context: RouteContext): Promise<HttpReply> {
    const q = query(context.url, ALL_DOCS_PARAMS);
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
        if (ALL_DOCS_PARAMS.includes(name) && name !== 'keys' && (typeof value === 'boolean' || typeof value === 'number')) q.qs[name] = value;
      }
    }
    const result = await store.request<{ rows: { id?: string; key?: unknown }[] }>({
      db: s.db,
      path: '_all_docs',
      method: body ? 'POST' : 'GET',
      qs: q.qs,
      ...(body ? { body } : {}),
    });
    return fromStore(result, 200, (value) => ({ ...value, rows: value.rows.filter((row) => !isHidden(row.id ?? row.key)) }));
  }

  async function bulkGet(s: Scoped, context: RouteContext): Promise<HttpReply> {
    const q = query(context.url, ['revs', 'latest']);
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
    return fromStore(await store.request({ db: s.db, path: '_bulk_get', method: 'POST', qs: q.qs, body: { docs } }));
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
    const current = await store.request<{ rows: { id?: string; doc?: { _rev: string; events?: [] } | null }[] }>({
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
      const reason = refuseCaseWrite(doc, s.kiosk, id === undefined ? undefined : stored.get(id), newEdits);
      if (reason) refusals.set(index, { docId: id ?? '', reason, doc });
      else accepted.push(doc as { _id: string });
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
    const refusalOf = (entry: QuarantineEntry) => ({ id: entry.docId, error: 'forbidden', reason: entry.reason });
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
    const q = query(context.url, ['rev', 'revs', 'open_revs', 'latest', 'revs_info', 'conflicts']);
    if (!q.ok) return q.reply;
    if (typeof q.qs.open_revs === 'string' && q.qs.open_revs !== 'all') {
      try {
        q.qs.open_revs = JSON.parse(q.qs.open_revs) as unknown;
      } catch {
        return failure(400, 'bad_request', 'open_revs must be "all" or a JSON array.');
      }
    }
    return fromStore(await store.request({ db: s.db, path: docPath(id), qs: q.qs }));
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
    { method: '*', pattern: /^\/sync\/(?<db>[^/]+)\/?$/, handle },
    { method: '*', pattern: /^\/sync\/(?<db>[^/]+)\/(?<rest>.+)$/, handle },
  ];
}
