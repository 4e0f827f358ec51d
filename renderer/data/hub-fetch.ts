/**
 * The fetch the kiosk gives RxDB's CouchDB replication. It
 * - sends the kiosk's credential from enrollment on every request;
 * - throws on every non-OK answer (RxDB would otherwise parse an error body as data; a 401 on the live
 *   feed kills a Node process or silently stops live sync);
 * - takes the hub's per-document refusals out of RxDB's path: RxDB treats a `forbidden` row as
 *   impossible and retries the batch forever, so the refusal is reported (the document stays on the
 *   kiosk, shown with the hub's reason) and RxDB is told the row is done;
 * - sends a push in parts that fit the hub's limits: RxDB batches by count, and 50 large cases once made
 *   one request over the hub's 8 MB cap, answered 413 for ever, with every later case stuck behind it.
 *   A part still too large is halved; a single document still too large is set aside as refused;
 * - answers a push's conflict read of cases the hub never acknowledged itself, so a push of new cases is
 *   one round trip a batch; the hub's write checks them anyway (a conflict or clash comes back as such);
 * - gzips each part when the hub takes gzip request bodies (`GET /api/compat`): case documents are
 *   repetitive JSON, and the line is slow;
 * - reports what the hub says it holds — every document it answers with, every write it acknowledges,
 *   with the hub's revision — so the ledger (sync-ledger.ts) knows what to prove later (reconcile.ts);
 * - resumes the live feed from the last change it saw. RxDB's CouchDB stream asks for `since=now`
 *   until its first long poll answers, so after an outage it would never see what changed on the hub
 *   while it was retrying (a decision made then reached the counter only at the next full resync);
 * - says, on every request to the sync gateway, which compatibility rule this kiosk follows
 *   (core/compat.ts), so the hub serves it documents newer versions wrote, which it keeps and passes on.
 */
import { COMPAT_LEVEL, COMPAT_PARAM } from '../../core/compat.js';

/** What the hub holds of one document: its event count (0 for a kind without events) and revision. */
export interface HeldDocument {
  readonly id: string;
  readonly events: number;
  readonly rev: string;
}

export interface Refusal {
  readonly id: string;
  readonly reason: string;
  /** Set by hubs that say what kind of refusal it is, e.g. `case.clash`. */
  readonly code?: string;
  /**
   * The document as the kiosk sent it. RxDB is told the row is done, so a later pull of the hub's version
   * of that id replaces the kiosk's copy: the refused version is kept apart (sync-ledger.ts), never lost.
   */
  readonly doc?: Record<string, unknown>;
}

export type HubEvent =
  | { readonly kind: 'pushed'; readonly ids: readonly string[] }
  | { readonly kind: 'pulled' }
  | { readonly kind: 'held'; readonly docs: readonly HeldDocument[] }
  | { readonly kind: 'refused'; readonly docs: readonly Refusal[] }
  | { readonly kind: 'failed'; readonly error: HubRequestError };

export class HubRequestError extends Error {
  constructor(
    /** 0 when the hub could not be reached at all. */
    readonly status: number,
    /** CouchDB's error code, e.g. `kiosk_revoked`, `unauthorized`, `store_unavailable`. */
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${String(status)} ${code}: ${reason}`);
  }
}

/** How much one request and one document may carry (`GET /api/compat`; a hub without it: 0.1.0's limits). */
export interface HubLimits {
  readonly requestBytes: number;
  readonly documentBytes: number;
}
export const DEFAULT_HUB_LIMITS: HubLimits = { requestBytes: 8 * 1024 * 1024, documentBytes: 256 * 1024 };

export type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/** The hub fetch, and a way to read a database's feed again from its start. */
export interface HubFetch extends Fetch {
  /**
   * The next read of the feed under `path` starts from the beginning. After a hub restored from a backup
   * the replication's checkpoint names a point in a history the hub no longer has: changes made since
   * would stay hidden behind it (on the embedded store, until the new history is as long as the old).
   */
  repull(path: string): void;
}

export interface HubFetchOptions {
  /** The kiosk's credential; absent in the Electron shell, whose main adds it to requests to the hub. */
  readonly authorization?: string;
  readonly report: (event: HubEvent) => void;
  readonly base?: Fetch;
  /** Only documents under this path (the village database) are reported as held, and answered by `heardOfOnHub`. */
  readonly heldUnder?: string;
  readonly limits?: () => HubLimits;
  /** The content codings the hub takes on request bodies (`GET /api/compat`); none unless it says so. */
  readonly requestEncodings?: () => readonly string[];
  /**
   * Whether the hub ever told this kiosk it holds case `id` (sync-ledger.ts). A push's conflict read of
   * cases it never did is answered here, "not found": the write that follows is checked by the hub anyway.
   */
  readonly heardOfOnHub?: (id: string) => boolean;
}

/**
 * A gateway request as sent: with this kiosk's compatibility rule, a feed to be read again from its
 * start (`repulls`) asked from 0, and a live-feed request asking for `since=now` rewritten to start from
 * the last sequence seen on that database.
 */
function gatewayRequest(url: string, lastSeq: Map<string, string>, repulls: Set<string>): string {
  const parsed = new URL(url);
  if (!parsed.pathname.includes('/sync/')) return url;
  parsed.searchParams.set(COMPAT_PARAM, String(COMPAT_LEVEL));
  if (parsed.pathname.endsWith('/_changes') && parsed.searchParams.get('feed') !== 'longpoll' && repulls.delete(parsed.pathname)) {
    lastSeq.delete(parsed.pathname);
    parsed.searchParams.set('since', '0');
    return parsed.href;
  }
  const seq = lastSeq.get(parsed.pathname);
  if (parsed.searchParams.get('feed') === 'longpoll' && parsed.searchParams.get('since') === 'now' && seq !== undefined) {
    parsed.searchParams.set('since', seq);
  }
  return parsed.href;
}

type Row = { id: string; ok?: boolean; error?: string; reason?: string; rev?: string; cunban?: { code?: string } };
type Doc = { _id?: unknown; _rev?: unknown; events?: unknown };

const heldOf = (doc: Doc | null | undefined): HeldDocument[] =>
  doc && typeof doc._id === 'string' && typeof doc._rev === 'string'
    ? [{ id: doc._id, rev: doc._rev, events: Array.isArray(doc.events) ? doc.events.length : 0 }]
    : [];

/** The documents an answer carries in full: a feed, a read by ids, a bulk read. */
function documentsIn(body: unknown): HeldDocument[] {
  const shape = body as { results?: { doc?: Doc; docs?: { ok?: Doc }[] }[]; rows?: { doc?: Doc | null }[] } | undefined;
  return [
    ...(shape?.results ?? []).flatMap((row) => [...heldOf(row.doc), ...(row.docs ?? []).flatMap((leaf) => heldOf(leaf.ok))]),
    ...(shape?.rows ?? []).flatMap((row) => heldOf(row.doc)),
  ];
}

/**
 * RxDB reads the cases a push found in conflict by GET with their ids in the URL: 500 case numbers make a
 * request line of ~18 KB, over Node's 16 KB header limit (431) and a proxy's 8 KB, for ever. The same read
 * goes as a POST with the ids in the body, which the gateway takes as CouchDB does.
 */
function keysInBody(url: string, init: RequestInit | undefined): { url: string; init: RequestInit | undefined } {
  const parsed = new URL(url);
  const keys = parsed.searchParams.get('keys');
  const isRead = (init?.method ?? 'GET') === 'GET' && init?.body === undefined;
  if (!parsed.pathname.includes('/sync/') || !parsed.pathname.endsWith('/_all_docs') || keys === null || !isRead) return { url, init };
  let ids: unknown;
  try {
    ids = JSON.parse(keys);
  } catch {
    // Not RxDB's read: the hub answers it as it stands.
    return { url, init };
  }
  parsed.searchParams.delete('keys');
  const headers = new Headers(init?.headers);
  headers.set('content-type', 'application/json');
  return { url: parsed.href, init: { ...init, method: 'POST', headers, body: JSON.stringify({ keys: ids }) } };
}

interface PreRead {
  readonly keys: readonly string[];
  readonly body: Record<string, unknown>;
}

/** RxDB's push asks `_all_docs` for the batch's ids with `include_docs` and `deleted: 'ok'` (rxdb replication-couchdb). */
function pushPreRead(path: string, init: RequestInit | undefined): PreRead | undefined {
  if (!path.endsWith('/_all_docs') || init?.method !== 'POST' || typeof init.body !== 'string') return undefined;
  const body = JSON.parse(init.body) as Record<string, unknown>;
  const keys = body.keys;
  if (body.deleted !== 'ok' || body.include_docs !== true || !Array.isArray(keys) || !keys.every((key) => typeof key === 'string')) return undefined;
  return { keys, body };
}

const bytesOf = (text: string) => new TextEncoder().encode(text).length;
/** Below this a gzipped body saves less than its framing costs on a slow line's round trip. */
const GZIP_FROM_BYTES = 1024;

/** `text` gzipped by the platform's CompressionStream (browsers, Electron, Node). */
async function gzipped(text: string): Promise<Uint8Array<ArrayBuffer>> {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

export function hubFetch(options: HubFetchOptions): HubFetch {
  const base: Fetch = options.base ?? ((input, init) => fetch(input, init));
  const limits = options.limits ?? (() => DEFAULT_HUB_LIMITS);
  const requestEncodings = options.requestEncodings ?? (() => []);
  const { report } = options;

  /** A JSON request with `body`, gzipped where the hub takes it. */
  async function encoded(init: RequestInit, body: string): Promise<RequestInit> {
    if (!requestEncodings().includes('gzip') || typeof CompressionStream !== 'function') return { ...init, body };
    const headers = new Headers(init.headers);
    headers.set('content-encoding', 'gzip');
    return { ...init, headers, body: await gzipped(body) };
  }
  // Per `_changes` path: the `last_seq` of its latest answer (CouchDB sequences are opaque strings).
  const lastSeq = new Map<string, string>();
  const repulls = new Set<string>();

  async function send(url: string, init: RequestInit | undefined): Promise<Response> {
    const headers = new Headers(init?.headers);
    if (options.authorization) headers.set('authorization', options.authorization);
    try {
      return await base(url, { ...init, headers });
    } catch (error) {
      const failure = new HubRequestError(0, 'hub_unreachable', error instanceof Error ? error.message : String(error));
      report({ kind: 'failed', error: failure });
      throw failure;
    }
  }

  async function fail(response: Response): Promise<never> {
    const body = (await response.json().catch(() => ({}))) as { error?: string; reason?: string };
    const failure = new HubRequestError(response.status, body.error ?? 'http_error', body.reason ?? response.statusText);
    report({ kind: 'failed', error: failure });
    throw failure;
  }

  /**
   * `_bulk_docs` in parts within the hub's request limit. A part answered 413 (the hub's limit, or a
   * proxy's lower one) is halved; a document that is too large on its own is refused here, for good,
   * with the reason — it never blocks the documents after it.
   */
  async function pushInParts(url: string, init: RequestInit, body: Record<string, unknown> & { docs: Doc[] }): Promise<Row[]> {
    const { docs, ...rest } = body;
    const envelope = bytesOf(JSON.stringify({ ...rest, docs: [] }));
    const sizes = docs.map((doc) => bytesOf(JSON.stringify(doc)) + 1);
    const parts: Doc[][] = [];
    let part: Doc[] = [];
    let used = envelope;
    docs.forEach((doc, i) => {
      const size = sizes[i] ?? 0;
      if (part.length > 0 && used + size > limits().requestBytes) {
        parts.push(part);
        part = [];
        used = envelope;
      }
      part.push(doc);
      used += size;
    });
    if (part.length > 0) parts.push(part);

    const sendPart = async (slice: Doc[]): Promise<Row[]> => {
      const response = await send(url, await encoded(init, JSON.stringify({ ...rest, docs: slice })));
      if (response.status === 413 && slice.length > 1) {
        const half = Math.ceil(slice.length / 2);
        return [...(await sendPart(slice.slice(0, half))), ...(await sendPart(slice.slice(half)))];
      }
      if (response.status === 413) {
        const [doc] = slice;
        return [
          {
            id: String(doc?._id),
            error: 'forbidden',
            reason: `This case is too large for the county hub to accept (HTTP 413; at most ${String(Math.round(limits().documentBytes / 1024))} KB a case).`,
            cunban: { code: 'case.tooLarge' },
          },
        ];
      }
      if (!response.ok) return fail(response);
      return (await response.json()) as Row[];
    };
    const rows: Row[] = [];
    for (const slice of parts) rows.push(...(await sendPart(slice)));
    return rows;
  }

  /**
   * RxDB's push reads the hub's copy of every case in the batch before writing it (to compare with what it
   * last saw there), a round trip per batch. Cases the hub never acknowledged are answered "not found" here
   * and only the others are asked; nothing is lost by it: a case the hub holds after all (a reply lost on the
   * line, another kiosk's registration under the number) is refused by the hub's write as a conflict or a
   * clash, and RxDB then reads it and merges, as after any conflict.
   */
  async function answerPreRead(url: string, init: RequestInit, preRead: PreRead, asked: readonly string[]): Promise<Response> {
    const rows = new Map<string, unknown>();
    if (asked.length > 0) {
      const response = await hubFetchFn(url, { ...init, body: JSON.stringify({ ...preRead.body, keys: asked }) });
      for (const row of ((await response.json()) as { rows: { key: string }[] }).rows) rows.set(row.key, row);
    }
    const answer = preRead.keys.map((key) => rows.get(key) ?? { key, error: 'not_found' });
    return new Response(JSON.stringify({ total_rows: answer.length, offset: 0, rows: answer }), {
      status: 200,
      headers: { 'content-type': 'application/json' },
    });
  }

  const hubFetchFn = async (input: RequestInfo | URL, asked?: RequestInit): Promise<Response> => {
    const { url, init } = keysInBody(
      gatewayRequest(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, lastSeq, repulls),
      asked,
    );
    const path = new URL(url).pathname;
    const reportsHeld = options.heldUnder === undefined || path.startsWith(options.heldUnder);

    if (path.endsWith('/_bulk_docs') && typeof init?.body === 'string') {
      const body = JSON.parse(init.body) as Record<string, unknown> & { docs: Doc[] };
      const rows = await pushInParts(url, init, body);
      const refused = rows.filter((row) => row.error === 'forbidden');
      if (refused.length > 0) {
        const sent = new Map(body.docs.map((doc) => [String(doc._id), doc as Record<string, unknown>]));
        const refusals = refused.map((row): Refusal => {
          const doc = sent.get(row.id);
          return { id: row.id, reason: row.reason ?? '', ...(row.cunban?.code ? { code: row.cunban.code } : {}), ...(doc ? { doc } : {}) };
        });
        report({ kind: 'refused', docs: refusals });
      }
      const written = new Map(body.docs.map((doc) => [String(doc._id), Array.isArray(doc.events) ? doc.events.length : 0]));
      const ok = rows.filter((row) => row.ok && row.rev !== undefined);
      report({ kind: 'pushed', ids: ok.map((row) => row.id) });
      if (reportsHeld && ok.length > 0) report({ kind: 'held', docs: ok.map((row) => ({ id: row.id, rev: row.rev ?? '', events: written.get(row.id) ?? 0 })) });
      const passed = rows.map((row) => (row.error === 'forbidden' ? { ok: true, id: row.id, rev: '0-refused' } : row));
      return new Response(JSON.stringify(passed), { status: 201, headers: { 'content-type': 'application/json' } });
    }

    // Only the village's cases are in the ledger: what it never heard of elsewhere (the hall's documents) is asked.
    const preRead = pushPreRead(path, init);
    if (preRead && options.heardOfOnHub && reportsHeld) {
      const heard = options.heardOfOnHub;
      const asked = preRead.keys.filter((id) => heard(id));
      if (asked.length < preRead.keys.length) return answerPreRead(url, init ?? {}, preRead, asked);
    }

    // Other bodies to the gateway (a proof's `_revs_diff`, a conflict read's ids) are case numbers and
    // revisions: gzipped too when large, as a first pull's proof once sent more than the pull itself.
    const sent = init?.body;
    const large = typeof sent === 'string' && path.includes('/sync/') && bytesOf(sent) > GZIP_FROM_BYTES;
    const response = await send(url, large && init ? await encoded(init, sent) : init);
    if (!response.ok) return fail(response);
    const carriesDocs = path.endsWith('/_changes') || path.endsWith('/_all_docs') || path.endsWith('/_bulk_get');
    if (!carriesDocs) return response;
    const body = (await response
      .clone()
      .json()
      .catch(() => undefined)) as { last_seq?: unknown } | undefined;
    if (path.endsWith('/_changes')) {
      if (typeof body?.last_seq === 'string' || typeof body?.last_seq === 'number') lastSeq.set(path, String(body.last_seq));
      report({ kind: 'pulled' });
    }
    const held = reportsHeld ? documentsIn(body) : [];
    if (held.length > 0) report({ kind: 'held', docs: held });
    return response;
  };
  return Object.assign(hubFetchFn, {
    repull(path: string) {
      const feed = path.endsWith('/_changes') ? path : `${path.replace(/\/?$/, '/')}_changes`;
      repulls.add(feed);
    },
  });
}
