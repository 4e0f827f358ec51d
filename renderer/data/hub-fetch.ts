/**
 * The fetch the kiosk gives RxDB's CouchDB replication. It
 * - sends the kiosk's credential from enrollment on every request;
 * - throws on every non-OK answer (RxDB would otherwise parse an error body as data; a 401 on the live
 *   feed kills a Node process or silently stops live sync);
 * - takes the hub's per-document refusals out of RxDB's path: RxDB treats a `forbidden` row as
 *   impossible and retries the batch forever, so the refusal is reported (the document stays on the
 *   kiosk, shown with the hub's reason) and RxDB is told the row is done;
 * - reports every outcome, so the sync state reflects what really happened in both directions;
 * - resumes the live feed from the last change it saw. RxDB's CouchDB stream asks for `since=now`
 *   until its first long poll answers, so after an outage it would never see what changed on the hub
 *   while it was retrying (a decision made then reached the counter only at the next full resync);
 * - says, on every request to the sync gateway, which compatibility rule this kiosk follows
 *   (core/compat.ts), so the hub serves it documents newer versions wrote, which it keeps and passes on.
 */
import { COMPAT_LEVEL, COMPAT_PARAM } from '../../core/compat.js';

export type HubEvent =
  | { readonly kind: 'pushed'; readonly ids: readonly string[] }
  | { readonly kind: 'pulled' }
  | { readonly kind: 'refused'; readonly docs: readonly { id: string; reason: string }[] }
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

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * A gateway request as sent: with this kiosk's compatibility rule, and a live-feed request asking for
 * `since=now` rewritten to start from the last sequence seen on that database.
 */
function gatewayRequest(url: string, lastSeq: ReadonlyMap<string, string>): string {
  const parsed = new URL(url);
  if (!parsed.pathname.includes('/sync/')) return url;
  parsed.searchParams.set(COMPAT_PARAM, String(COMPAT_LEVEL));
  const seq = lastSeq.get(parsed.pathname);
  if (parsed.searchParams.get('feed') === 'longpoll' && parsed.searchParams.get('since') === 'now' && seq !== undefined) {
    parsed.searchParams.set('since', seq);
  }
  return parsed.href;
}

export function hubFetch(authorization: string, report: (event: HubEvent) => void, base: Fetch = (input, init) => fetch(input, init)): Fetch {
  // Per `_changes` path: the `last_seq` of its latest answer (CouchDB sequences are opaque strings).
  const lastSeq = new Map<string, string>();
  return async (input, init) => {
    const url = gatewayRequest(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url, lastSeq);
    const headers = new Headers(init?.headers);
    headers.set('authorization', authorization);
    let response: Response;
    try {
      response = await base(url, { ...init, headers });
    } catch (error) {
      const failure = new HubRequestError(0, 'hub_unreachable', error instanceof Error ? error.message : String(error));
      report({ kind: 'failed', error: failure });
      throw failure;
    }
    if (!response.ok) {
      const body = (await response.json().catch(() => ({}))) as { error?: string; reason?: string };
      const failure = new HubRequestError(response.status, body.error ?? 'http_error', body.reason ?? response.statusText);
      report({ kind: 'failed', error: failure });
      throw failure;
    }
    const path = new URL(url).pathname;
    if (path.endsWith('/_changes')) {
      const body = (await response.clone().json().catch(() => undefined)) as { last_seq?: unknown } | undefined;
      if (typeof body?.last_seq === 'string' || typeof body?.last_seq === 'number') lastSeq.set(path, String(body.last_seq));
      report({ kind: 'pulled' });
    }
    if (!path.endsWith('/_bulk_docs')) return response;

    const rows = (await response.json()) as { id: string; ok?: boolean; error?: string; reason?: string; rev?: string }[];
    const refused = rows.filter((row) => row.error === 'forbidden');
    if (refused.length > 0) report({ kind: 'refused', docs: refused.map((row) => ({ id: row.id, reason: row.reason ?? '' })) });
    report({ kind: 'pushed', ids: rows.filter((row) => row.ok).map((row) => row.id) });
    const passed = rows.map((row) => (row.error === 'forbidden' ? { ok: true, id: row.id, rev: '0-refused' } : row));
    return new Response(JSON.stringify(passed), { status: response.status, headers: { 'content-type': 'application/json' } });
  };
}
