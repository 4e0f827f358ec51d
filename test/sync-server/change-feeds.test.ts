/**
 * One feed per database, many waiters (sync-server/gateway/change-feeds.ts), on the real store of a test hub
 * (embedded, or Apache CouchDB with COUCHDB_URL): many kiosks waiting on one village hold one long poll on the
 * store, every one is woken by a change, and a change that lands between a waiter's read and its wait is
 * never missed. Then the same through the gateway: fifty kiosks' long polls, one store feed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { changeFeeds } from '../../sync-server/gateway/change-feeds.js';
import { deadline } from '../../sync-server/gateway/deadline.js';
import { villageDb } from '../../sync-server/store/names.js';
import type { Store, StoreRequest } from '../../sync-server/store/store.js';
import { caseFor, startTestHub, VILLAGE_A, VILLAGE_B, type TestHub } from './hub-harness.js';

let t: TestHub;
beforeAll(async () => {
  t = await startTestHub();
}, 60_000);
afterAll(async () => {
  await t.close();
});

/** The hub's store, counting the long polls it is asked for. */
function countingStore(store: Store): Store & { longPolls: () => number } {
  let longPolls = 0;
  return Object.assign(Object.create(store) as Store, {
    request<T>(request: StoreRequest) {
      if (request.path === '_changes' && request.qs?.feed === 'longpoll') longPolls++;
      return store.request<T>(request);
    },
    longPolls: () => longPolls,
  });
}

/** A normal read of the village's changes since `since`: what a kiosk's long poll does between waits. */
function reader(store: Store, db: string, since: { seq: unknown }) {
  return async () => {
    const page = await store.request<{ results: { id: string }[]; last_seq: unknown }>({ db, path: '_changes', qs: { since: since.seq } });
    if (!page.ok) throw new Error(page.error.reason);
    since.seq = page.value.last_seq;
    return page.value.results.map((row) => row.id);
  };
}

const hasAny = (ids: readonly string[]) => ids.length > 0;

describe('one feed per database, many waiters', () => {
  it('wakes fifty waiters on one village with one long poll on the store, each with the change', async () => {
    const store = countingStore(t.hub.store);
    const feeds = changeFeeds(store);
    const kiosk = await t.enroll(VILLAGE_A);
    const db = t.hub.store.dbName(villageDb(VILLAGE_A));
    try {
      const stop = new AbortController();
      const waiting = Array.from({ length: 50 }, () => feeds.follow(db, reader(store, db, { seq: 'now' }), hasAny, deadline(stop.signal, 20_000).signal));
      await new Promise((settle) => setTimeout(settle, 300));
      const doc = caseFor(kiosk);
      expect((await t.hub.store.putDoc(villageDb(VILLAGE_A), doc)).ok).toBe(true);
      const answers = await Promise.all(waiting);
      for (const ids of answers) expect(ids).toContain(doc._id);
      expect(feeds.followed()).toBe(1);
      // The feed itself: a long poll or two (the change ends one and the next begins), not fifty.
      expect(store.longPolls()).toBeLessThanOrEqual(3);
      stop.abort();
    } finally {
      feeds.close();
    }
  });

  it('never misses a change that lands between a waiter’s read and its wait', async () => {
    const feeds = changeFeeds(t.hub.store);
    const kiosk = await t.enroll(VILLAGE_B);
    const db = t.hub.store.dbName(villageDb(VILLAGE_B));
    const since = { seq: 'now' as unknown };
    const read = reader(t.hub.store, db, since);
    let reads = 0;
    const doc = caseFor(kiosk);
    try {
      const started = performance.now();
      const ids = await feeds.follow(
        db,
        async () => {
          const found = await read();
          // The first read found nothing; the case is written before the waiter starts to wait.
          if (reads++ === 0) expect((await t.hub.store.putDoc(villageDb(VILLAGE_B), doc)).ok).toBe(true);
          return found;
        },
        hasAny,
        AbortSignal.timeout(30_000),
      );
      expect(ids).toEqual([doc._id]);
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      feeds.close();
    }
  });

  it('answers a waiter with nothing changed when its time is up', async () => {
    const feeds = changeFeeds(t.hub.store);
    const db = t.hub.store.dbName(villageDb(VILLAGE_A));
    try {
      const started = performance.now();
      expect(await feeds.follow(db, reader(t.hub.store, db, { seq: 'now' }), hasAny, AbortSignal.timeout(1000))).toEqual([]);
      expect(performance.now() - started).toBeGreaterThanOrEqual(900);
    } finally {
      feeds.close();
    }
  });

  it('does not follow a database that is not there (removed, or being restored): no retry every second', async () => {
    const feeds = changeFeeds(t.hub.store);
    const db = t.hub.store.dbName(`feeds_missing_${String(Date.now())}`);
    try {
      // The waiter's read finds no database and ends; the feed stops at once rather than retrying.
      await expect(feeds.follow(db, reader(t.hub.store, db, { seq: 'now' }), hasAny, AbortSignal.timeout(20_000))).rejects.toThrow();
      await expect.poll(() => feeds.followed(), { timeout: 5000 }).toBe(0);
    } finally {
      feeds.close();
    }
  });
});

describe('kiosks’ long polls through the gateway', () => {
  it('fifty of them on one village are one long poll on the store, and all get the new case', async () => {
    const kiosk = await t.enroll(VILLAGE_A);
    const url = `${t.base}/sync/${villageDb(VILLAGE_A)}/_changes`;
    const headers = { authorization: kiosk.authorization };
    const info = (await (await fetch(`${t.base}/sync/${villageDb(VILLAGE_A)}/`, { headers })).json()) as { update_seq: unknown };
    const since = encodeURIComponent(String(info.update_seq));
    const polls = Array.from({ length: 50 }, async () => {
      const response = await fetch(`${url}?feed=longpoll&timeout=20000&since=${since}`, { headers });
      return ((await response.json()) as { results: { id: string }[] }).results.map((row) => row.id);
    });
    await new Promise((settle) => setTimeout(settle, 500));
    // Fifty long polls open at the hub, one feed of the village followed in the store.
    const metrics = await (await fetch(`${t.base}/metrics`)).text();
    expect(metrics).toMatch(/^cunban_sync_long_polls_open 50$/m);
    expect(metrics).toMatch(/^cunban_store_feeds_followed 1$/m);
    const doc = caseFor(kiosk);
    const pushed = await fetch(`${t.base}/sync/${villageDb(VILLAGE_A)}/_bulk_docs`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ docs: [doc] }),
    });
    expect(pushed.status).toBe(201);
    for (const ids of await Promise.all(polls)) expect(ids).toContain(doc._id);
  });
});
