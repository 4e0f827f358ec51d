/**
 * The only module that talks to the store (Apache CouchDB, or the embedded store standing in for it),
 * through nano and the CouchDB HTTP API alone — so every code path runs the same on both.
 * Failures come back as values carrying CouchDB's own status, error and reason.
 */
import nano from 'nano';
import { err, ok, type Result } from '../../core/result.js';

export interface StoreFailure {
  readonly status: number;
  readonly error: string;
  readonly reason: string;
}
export type StoreResult<T> = Result<T, StoreFailure>;

export interface StoreRequest {
  readonly db?: string;
  /** Path below the database (or the server), already URL-encoded. */
  readonly path?: string;
  readonly method?: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'DELETE';
  readonly qs?: Record<string, unknown>;
  readonly body?: unknown;
  readonly signal?: AbortSignal;
}

export interface StoredDoc {
  readonly _id: string;
  readonly _rev: string;
}

export interface Store {
  readonly kind: 'embedded' | 'couchdb';
  /** Full database name for a logical one (`village_422822100202` → `<prefix>village_422822100202`). */
  dbName(logical: string): string;
  /** The caller names the CouchDB response shape it expects: the store is trusted, kiosks are not. */
  request<T>(request: StoreRequest): Promise<StoreResult<T>>;
  getDoc<T extends object>(db: string, id: string): Promise<StoreResult<T & StoredDoc>>;
  /** Create or update; `doc._rev` must be the current revision when updating. */
  // Generic so that interfaces (without index signatures) and object literals with extra fields both fit.
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
  putDoc<T extends { _id: string; _rev?: string }>(db: string, doc: T): Promise<StoreResult<{ id: string; rev: string }>>;
  /** Ids of the documents whose id starts with `prefix`, in id order. */
  idsWithPrefix(db: string, prefix: string): Promise<StoreResult<string[]>>;
  /** The documents whose id starts with `prefix`, in id order. */
  docsWithPrefix<T extends object>(db: string, prefix: string): Promise<StoreResult<(T & StoredDoc)[]>>;
  /** Create the database if it does not exist. */
  ensureDatabase(db: string): Promise<StoreResult<'created' | 'exists'>>;
  /** Is the store answering right now? */
  ping(): Promise<StoreResult<{ vendor: string }>>;
}

/** `text` with each lone surrogate replaced by U+FFFD, so it can be percent-encoded (or stored) without a throw. */
export const wellFormedText = (text: string) => text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');

/**
 * Document ids go into paths encoded, except the `_design/` and `_local/` prefixes CouchDB expects raw.
 * A lone surrogate (from any typed name or id) cannot be percent-encoded: made well-formed first, never a throw.
 */
export function docPath(id: string): string {
  const wellFormed = wellFormedText(id);
  const special = /^(_design|_local)\/(.+)$/.exec(wellFormed);
  return special ? `${special[1] ?? ''}/${encodeURIComponent(special[2] ?? '')}` : encodeURIComponent(wellFormed);
}

function failureOf(error: unknown): StoreFailure {
  const e = error as { statusCode?: number; error?: unknown; reason?: unknown; message?: unknown };
  if (typeof e.statusCode === 'number') {
    return {
      status: e.statusCode,
      error: typeof e.error === 'string' ? e.error : 'store_error',
      reason: typeof e.reason === 'string' ? e.reason : typeof e.message === 'string' ? e.message : 'the store refused the request',
    };
  }
  // No HTTP answer at all: the store is down or unreachable.
  return { status: 503, error: 'store_unavailable', reason: 'The county hub cannot reach its database just now.' };
}

export function openStore(options: { url: URL; kind: 'embedded' | 'couchdb'; prefix: string }): Store {
  const server = nano({ url: options.url.toString() });
  const dbName = (logical: string) => `${options.prefix}${logical}`;

  async function request<T>(req: StoreRequest): Promise<StoreResult<T>> {
    const { signal } = req;
    if (!signal) return send<T>(req);
    // Settle when the caller gives up, whatever the HTTP client does: under load an aborted request was
    // seen never to settle, and a kiosk's long poll then hung for good (found by the hub fuzzer).
    let onAbort = (): void => undefined;
    const aborted = new Promise<StoreResult<T>>((settle) => {
      onAbort = () => {
        settle(err({ status: 503, error: 'aborted', reason: 'The request was given up before the store answered.' }));
      };
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([send<T>(req), aborted]);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  async function send<T>(req: StoreRequest): Promise<StoreResult<T>> {
    try {
      const value = (await server.request({
        ...(req.db === undefined ? {} : { db: req.db }),
        path: req.path ?? '',
        method: (req.method ?? 'GET').toLowerCase(),
        ...(req.qs ? { qs: req.qs } : {}),
        ...(req.body === undefined ? {} : { body: req.body }),
        ...(req.signal ? { signal: req.signal } : {}),
      })) as T;
      return ok(value);
    } catch (error) {
      return err(failureOf(error));
    }
  }

  // Ids sort as strings, so a prefix is the range [prefix, prefix + the highest BMP character].
  async function prefixRange(db: string, prefix: string, includeDocs: boolean): Promise<StoreResult<{ id: string; doc?: StoredDoc }[]>> {
    const result = await request<{ rows: { id: string; doc?: StoredDoc }[] }>({
      db: dbName(db),
      path: '_all_docs',
      qs: { startkey: prefix, endkey: `${prefix}\ufff0`, ...(includeDocs ? { include_docs: true } : {}) },
    });
    return result.ok ? ok(result.value.rows) : result;
  }

  return {
    kind: options.kind,
    dbName,
    request,
    getDoc: <T extends object>(db: string, id: string) => request<T & StoredDoc>({ db: dbName(db), path: docPath(id) }),
    async putDoc(db, doc) {
      const result = await request<{ id: string; rev: string }>({ db: dbName(db), path: docPath(doc._id), method: 'PUT', body: doc });
      return result.ok ? ok({ id: result.value.id, rev: result.value.rev }) : result;
    },
    async idsWithPrefix(db, prefix) {
      const rows = await prefixRange(db, prefix, false);
      return rows.ok ? ok(rows.value.map((row) => row.id)) : rows;
    },
    // As with `request`, the caller names the shape of the stored documents it reads.
    docsWithPrefix: (async (db: string, prefix: string) => {
      const rows = await prefixRange(db, prefix, true);
      return rows.ok ? ok(rows.value.flatMap((row) => (row.doc ? [row.doc] : []))) : rows;
    }) as Store['docsWithPrefix'],
    async ensureDatabase(db) {
      const created = await request({ db: dbName(db), method: 'PUT' });
      if (created.ok) return ok('created');
      return created.error.status === 412 ? ok('exists') : created;
    },
    async ping() {
      const root = await request<{ version?: string; couchdb?: string; 'express-pouchdb'?: string }>({});
      if (!root.ok) return root;
      const name = root.value['express-pouchdb'] ? 'express-pouchdb' : root.value.couchdb ? 'Apache CouchDB' : 'CouchDB-compatible store';
      return ok({ vendor: `${name} ${root.value.version ?? ''}`.trim() });
    },
  };
}
