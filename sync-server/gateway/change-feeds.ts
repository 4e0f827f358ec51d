/**
 * One changes feed per database per hub process, however many kiosks wait on it. A kiosk's long poll used
 * to be a long poll on the store: 358 of them for a county's 179 kiosks (village and catalog), every one
 * held open in the store and all answered again when they timed out together. Now each database that has
 * waiters is followed by one long poll of the hub's (no documents, just "something changed"), and every
 * kiosk waiting on it is woken to read its own changes with a normal `_changes` read (changes.ts).
 *
 * No change is missed: a feed starts from the database's `update_seq` read before it counts as ready, and a
 * waiter notes the feed's generation before it reads. A change that lands after that read moves the
 * generation, so the waiter reads again at once; one that landed before it was in the read.
 */
import type { Store } from '../store/store.js';
import { deadline } from './deadline.js';

/** How long one of the hub's own long polls on the store lasts (the embedded store ignores `timeout`: the hub ends it). */
const FEED_POLL_MS = 50_000;
/** A feed nobody has waited on for this long stops. */
const IDLE_STOP_MS = 60_000;
const RETRY_MS = 1000;

export interface ChangeFeeds {
  /**
   * Read `db`'s changes with `read` until it finds some or `signal` ends: `read` runs at once, then again each
   * time the database changes. Returns the last read's answer.
   */
  follow<T>(db: string, read: () => Promise<T>, found: (answer: T) => boolean, signal: AbortSignal): Promise<T>;
  /** How many databases are followed now (one store long poll each). */
  readonly followed: () => number;
  close(): void;
}

interface Feed {
  /** Moves on every batch of changes the feed sees. */
  generation: number;
  readonly ready: Promise<void>;
  readonly wakers: Set<() => void>;
  lastWaitAt: number;
  readonly stop: AbortController;
}

/** `ms`, or until `signal` ends. */
const sleep = (ms: number, signal: AbortSignal) => untilOrAborted(new Promise((done) => setTimeout(done, ms).unref()), signal);

/** Until `promise` settles or `signal` ends, whichever is first; the listener on `signal` is removed after. */
async function untilOrAborted(promise: Promise<unknown>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  let onAbort = () => undefined as unknown;
  const aborted = new Promise<void>((done) => {
    onAbort = done;
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    await Promise.race([promise, aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

export function changeFeeds(store: Store, options: { readonly now?: () => number; readonly log?: (message: string) => void } = {}): ChangeFeeds {
  const now = options.now ?? Date.now;
  const feeds = new Map<string, Feed>();
  const closed = new AbortController();

  /** The feed's loop: long polls from the last seq seen, waking every waiter on each change. */
  async function run(db: string, feed: Feed, startReady: () => void): Promise<void> {
    let since: unknown;
    const idle = () => feed.wakers.size === 0 && now() - feed.lastWaitAt > IDLE_STOP_MS;
    // While the store is away, a feed nobody waits on stops too: never a retry a second for a database no one wants.
    while (!feed.stop.signal.aborted && since === undefined && !idle()) {
      const info = await store.request<{ update_seq: unknown }>({ db, signal: feed.stop.signal });
      if (info.ok) since = info.value.update_seq;
      else if (info.error.status === 404) break;
      else await sleep(RETRY_MS, feed.stop.signal);
    }
    startReady();
    while (since !== undefined && !feed.stop.signal.aborted) {
      if (idle()) break;
      const polling = deadline(feed.stop.signal, FEED_POLL_MS + 2000);
      const { signal } = polling;
      const page = await store
        .request<{ results: unknown[]; last_seq: unknown }>({
          db,
          path: '_changes',
          qs: { feed: 'longpoll', since, timeout: FEED_POLL_MS, limit: 1000 },
          signal,
        })
        .finally(() => {
          polling.clear();
        });
      if (page.ok && Array.isArray(page.value.results)) {
        since = page.value.last_seq;
        if (page.value.results.length > 0) wake(feed);
      } else if (!page.ok && page.error.status === 404) {
        // The database is gone (a village removed, a restore under way): nothing to follow; a waiter starts anew.
        break;
      } else if (!signal.aborted) {
        // The store is away: waiters answer on their own timeouts; the feed tries again shortly.
        options.log?.(`following ${db} failed: ${page.ok ? 'no results' : page.error.reason}`);
        wake(feed);
        await sleep(RETRY_MS, feed.stop.signal);
      }
    }
    if (feeds.get(db) === feed) feeds.delete(db);
    feed.stop.abort();
    wake(feed);
  }

  function wake(feed: Feed) {
    feed.generation++;
    for (const waker of [...feed.wakers]) waker();
  }

  function feedOf(db: string): Feed {
    const known = feeds.get(db);
    if (known && !known.stop.signal.aborted) return known;
    let startReady: () => void = () => undefined;
    const ready = new Promise<void>((done) => {
      startReady = done;
    });
    const feed: Feed = { generation: 0, ready, wakers: new Set(), lastWaitAt: now(), stop: new AbortController() };
    feeds.set(db, feed);
    void run(db, feed, startReady).catch((error: unknown) => {
      options.log?.(`following ${db} stopped: ${String(error)}`);
      if (feeds.get(db) === feed) feeds.delete(db);
      feed.stop.abort();
      startReady();
      wake(feed);
    });
    return feed;
  }

  /** Until the feed moves past `generation`, or `signal` ends. */
  function changedSince(feed: Feed, generation: number, signal: AbortSignal): Promise<void> {
    if (feed.generation !== generation || signal.aborted || feed.stop.signal.aborted) return Promise.resolve();
    return new Promise<void>((done) => {
      const finish = () => {
        feed.wakers.delete(finish);
        signal.removeEventListener('abort', finish);
        done();
      };
      feed.wakers.add(finish);
      signal.addEventListener('abort', finish, { once: true });
    });
  }

  return {
    async follow(db, read, found, signal) {
      const over = () => signal.aborted || closed.signal.aborted;
      if (over()) return read();
      for (;;) {
        const feed = feedOf(db);
        feed.lastWaitAt = now();
        await untilOrAborted(feed.ready, signal);
        const generation = feed.generation;
        const answer = await read();
        if (found(answer) || over()) return answer;
        await changedSince(feed, generation, signal);
        // A stopped feed (idle, or its store gone) is started again by the next turn; not once the hub closes.
        if (over()) return answer;
      }
    },
    followed: () => feeds.size,
    close() {
      closed.abort();
      for (const feed of feeds.values()) feed.stop.abort();
      feeds.clear();
    },
  };
}
