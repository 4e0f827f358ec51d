/**
 * Read-ahead for a feed being caught up: while RxDB writes one `_changes` batch into the kiosk's
 * database, the next batch is already on its way from the hub. RxDB's CouchDB replication reads the feed
 * one batch at a time and waits for each write before asking again, so a first pull of 10,000 cases spent
 * half its time idle, waiting for the hub (npm run bench, initial sync in Chromium).
 *
 * Only a full batch of a normal (not long-poll) feed is read ahead, and a batch read ahead is served only
 * to the request that asks for exactly it (same database, same parameters, `since` the last batch's
 * `last_seq`), once; a failed or refused read ahead is forgotten and the request is sent as usual. Whatever
 * was read ahead is dropped when a change arrives on the live feed (hub-fetch.ts): RxDB drops a live event
 * older than its latest read, trusting that read to include it, so a batch read before it must not be served.
 */

type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

interface FeedPage {
  readonly results?: readonly unknown[];
  readonly last_seq?: unknown;
}

/** The same URL with its query in a fixed order, so two spellings of one request compare equal. */
function canonical(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.sort();
  return parsed.href;
}

/** The request for the batch after `page`, if `page` was a full batch of a normal feed read from `url`. */
export function nextBatchUrl(url: string, page: FeedPage | undefined): string | undefined {
  const parsed = new URL(url);
  if (!parsed.pathname.endsWith('/_changes') || (parsed.searchParams.get('feed') ?? 'normal') !== 'normal') return undefined;
  const limit = Number(parsed.searchParams.get('limit'));
  const seq = page?.last_seq;
  if (!(limit > 0) || (page?.results?.length ?? 0) < limit || (typeof seq !== 'string' && typeof seq !== 'number')) return undefined;
  parsed.searchParams.set('since', String(seq));
  return parsed.href;
}

/** Batches read ahead of the one RxDB is writing: the hub reads the next while the kiosk writes this one. */
const DEPTH = 2;
/** A batch read ahead and never asked for (its request overtaken) is forgotten after this. */
const KEPT_MS = 30_000;

export interface ReadAhead {
  /** The batch read ahead for `url`, taken (a second ask sends anew); undefined if none or it failed. */
  take(url: string): Promise<Response | undefined> | undefined;
  /** Start reading the batch after `page` (read from `url`), and the next after it, up to two ahead. */
  follow(url: string, page: FeedPage | undefined, fetchBatch: Fetch): void;
  /** Forget what was read ahead under `path` (its feed is to be read again from the start). */
  drop(path: string): void;
}

export function readAhead(): ReadAhead {
  const ahead = new Map<string, { readonly path: string; readonly at: number; readonly response: Promise<Response | undefined> }>();
  const waitingUnder = (path: string) => {
    const now = Date.now();
    for (const [key, entry] of ahead) if (now - entry.at > KEPT_MS) ahead.delete(key);
    return [...ahead.values()].filter((entry) => entry.path === path).length;
  };

  function follow(url: string, page: FeedPage | undefined, fetchBatch: Fetch): void {
    const next = nextBatchUrl(url, page);
    if (next === undefined) return;
    const key = canonical(next);
    const path = new URL(next).pathname;
    if (waitingUnder(path) >= DEPTH || ahead.has(key)) return;
    const response = fetchBatch(next).then(
      async (answer) => {
        if (!answer.ok) return undefined;
        // Still wanted (not taken or dropped meanwhile): read on behind it.
        if (ahead.get(key)?.response === response) follow(next, (await answer.clone().json().catch(() => undefined)) as FeedPage | undefined, fetchBatch);
        return answer;
      },
      () => undefined,
    );
    ahead.set(key, { path, at: Date.now(), response });
  }

  return {
    take(url) {
      const key = canonical(url);
      const found = ahead.get(key);
      ahead.delete(key);
      return found?.response;
    },
    follow,
    drop(path) {
      for (const [key, entry] of ahead) if (entry.path === path) ahead.delete(key);
    },
  };
}
