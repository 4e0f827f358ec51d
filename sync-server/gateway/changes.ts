/**
 * `GET /sync/<db>/_changes`: the kiosk's feed, normal or long poll. A long poll is not a long poll on the
 * store: the kiosk's changes are read with normal reads, and between them it waits on the hub's one feed of
 * that database (change-feeds.ts), so a county's kiosks hold no store connections while nothing changes.
 */
import { DEFAULT_PROXY_READ_TIMEOUT_MS } from '../config.js';
import { CHANGES_PARAMS, queryOf, type Query } from '../gateway-query.js';
import type { HttpReply, RouteContext } from '../http/kit.js';
import { Heartbeating, reply } from '../http/kit.js';
import type { KioskDoc } from '../kiosks.js';
import type { HubMetrics } from '../observe/metrics.js';
import type { Store } from '../store/store.js';
import type { ChangeFeeds } from './change-feeds.js';
import { deadline } from './deadline.js';
import { docsFor, fromStore, presentRows, type Row, type Scoped } from './scoped.js';

const LONGPOLL_TIMEOUT_MS = 55_000;
/** How many more pages one `_changes` answer may read to fill a batch: every loop is bounded. */
const MAX_FILL_PAGES = 20;

/**
 * How long a long poll may wait: what the kiosk asked, within 1 s and the hub's limit, shortened at random
 * by up to a fifth. Kiosks that connected together (a hub restart, the county's broadband back) would
 * otherwise all poll again at the same instant every cycle: with 179 kiosks that herd stalled the store and
 * held cases out of the queue for 15 s (npm run bench, the county at once).
 */
export function longPollTimeout(requested: unknown, random: () => number = Math.random, limitMs = LONGPOLL_TIMEOUT_MS): number {
  const given = Number(requested ?? limitMs);
  const asked = Math.max(1000, Math.min(Number.isFinite(given) ? given : limitMs, limitMs));
  return Math.max(1000, Math.round(asked * (1 - 0.2 * random())));
}

/**
 * A long poll's limits behind a proxy that cuts a silent request after `proxyMs`: without heartbeats the
 * poll ends at four fifths of it (and never after 55 s); with them, a newline goes out at least every
 * half of it, and the poll may last the hub's 55 s.
 */
export function pollLimits(proxyMs: number, heartbeatAsked: number | undefined): { pollMs: number; heartbeatMs?: number } {
  if (heartbeatAsked === undefined) return { pollMs: Math.min(LONGPOLL_TIMEOUT_MS, Math.round(proxyMs * 0.8)) };
  return { pollMs: LONGPOLL_TIMEOUT_MS, heartbeatMs: Math.max(1000, Math.min(heartbeatAsked, Math.round(proxyMs / 2))) };
}

interface ChangesPage {
  readonly results: Row[];
  readonly last_seq?: unknown;
}

type Batch = { readonly ok: true; readonly page: ChangesPage } | { readonly ok: false; readonly reply: HttpReply };

export interface ChangesOptions {
  readonly store: Store;
  readonly feeds: ChangeFeeds;
  /** A reverse proxy's read timeout (config.ts): a long poll without heartbeats ends well before it. */
  readonly proxyReadTimeoutMs?: number;
  readonly metrics?: Pick<HubMetrics, 'longPolls'>;
  /** The kiosk read its feed (for the fleet view). */
  readonly pulled: (kiosk: KioskDoc) => void;
}

export function changesEndpoint(options: ChangesOptions): (s: Scoped, context: RouteContext) => Promise<HttpReply> {
  const { store, feeds } = options;

  /** One batch of the feed, as the kiosk may see it. */
  async function readBatch(s: Scoped, qs: Query, signal: AbortSignal, withDocs: boolean): Promise<Batch> {
    const result = await store.request<ChangesPage>({ db: s.db, path: '_changes', qs, signal });
    if (!result.ok) return { ok: false, reply: fromStore(result) };
    options.pulled(s.kiosk);
    return fillBatch(s, qs, result.value, signal, withDocs);
  }

  /**
   * Rows taken out of a `_changes` batch (design documents, documents held back from the reader) are
   * made up from the rows after it: a replicator takes a batch shorter than its `limit` to mean "nothing
   * more" (RxDB does), so a batch cut short by a design document once ended a fresh kiosk's first pull
   * after 99 of 10,000 cases, and "sync now" reported success.
   */
  async function fillBatch(s: Scoped, qs: Record<string, unknown>, first: ChangesPage, signal: AbortSignal, withDocs: boolean): Promise<Batch> {
    const limit = Number(qs.limit);
    const results = presentRows(s, first.results, 'omit', withDocs);
    let page = first;
    let asked = limit;
    // A page as long as asked may have more behind it; a shorter one is the end of the feed. A descending
    // feed is not filled: the store ignores `since` then, and asking again returned the same page for ever.
    let pages = 0;
    while (qs.descending !== 'true' && limit > 0 && page.results.length >= asked && results.length < limit && pages++ < MAX_FILL_PAGES) {
      asked = limit - results.length;
      const more = await store.request<ChangesPage>({ db: s.db, path: '_changes', qs: { ...qs, feed: 'normal', since: page.last_seq, limit: asked }, signal });
      if (!more.ok) return { ok: false, reply: fromStore(more) };
      page = more.value;
      results.push(...presentRows(s, page.results, 'omit', withDocs));
    }
    return { ok: true, page: { ...page, results } };
  }

  /** Normal reads from `since` until one finds changes, woken by the database's feed, for at most `timeoutMs`. */
  async function longPoll(s: Scoped, qs: Query, clientGone: AbortSignal, withDocs: boolean, timeoutMs: number): Promise<HttpReply> {
    const read: Query = { ...qs, feed: 'normal' };
    delete read.timeout;
    const waiting = deadline(clientGone, timeoutMs);
    try {
      const batch = await feeds.follow(
        s.db,
        async () => {
          const answer = await readBatch(s, read, clientGone, withDocs);
          // The next read starts where this one ended (a poll `since=now` included).
          if (answer.ok && answer.page.last_seq !== undefined) read.since = answer.page.last_seq;
          return answer;
        },
        (answer) => !answer.ok || answer.page.results.length > 0,
        waiting.signal,
      );
      return batch.ok ? reply(200, batch.page) : batch.reply;
    } finally {
      waiting.clear();
    }
  }

  return async function changes(s, context) {
    const q = queryOf(context.url, CHANGES_PARAMS);
    if (!q.ok) return q.reply;
    const withDocs = docsFor(s, q.qs);
    // The hub keeps the line alive itself (below); the store gets no heartbeat of its own.
    const { heartbeat } = q.qs;
    delete q.qs.heartbeat;
    if (q.qs.feed !== 'longpoll') {
      const batch = await readBatch(s, q.qs, context.signal, withDocs);
      return batch.ok ? reply(200, batch.page) : batch.reply;
    }
    const limits = pollLimits(
      options.proxyReadTimeoutMs ?? DEFAULT_PROXY_READ_TIMEOUT_MS,
      heartbeat === undefined ? undefined : heartbeat === 'true' ? LONGPOLL_TIMEOUT_MS : Number(heartbeat),
    );
    const timeoutMs = longPollTimeout(q.qs.timeout, Math.random, limits.pollMs);
    options.metrics?.longPolls.inc();
    const answer = longPoll(s, q.qs, context.signal, withDocs, timeoutMs).finally(() => options.metrics?.longPolls.dec());
    return limits.heartbeatMs === undefined ? answer : reply(200, new Heartbeating(limits.heartbeatMs, answer));
  };
}
