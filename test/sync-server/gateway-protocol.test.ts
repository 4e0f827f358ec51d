/**
 * Protocol edges at the gateway (issue 14 §4), on the embedded store and on Apache CouchDB alike:
 * - every loop is bounded: a descending feed whose newest change is the design document is answered;
 * - only parameters valid in CouchDB's grammar reach the store, the rest are a 400 (CouchDB 3.5 answered
 *   `limit=[]` with a 500);
 * - content negotiation honours q-values;
 * - a long poll fits a reverse proxy's read timeout: it ends before it, or keeps the line alive with the
 *   heartbeats the kiosk asks for — so an idle kiosk behind such a proxy never reads as "unreachable".
 */
import { request as httpRequest } from 'node:http';
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../core/api/enrollment.js';
import { openKioskDatabase } from '../../renderer/data/kiosk-database.js';
import { startKioskSync } from '../../renderer/data/sync.js';
import { pollLimits } from '../../sync-server/gateway.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { villageDb } from '../../sync-server/store/names.js';
import { collectGarbage } from '../support/collect-garbage.js';
import { startLinkProxy } from '../support/link-proxy.js';
import { startTestHub, TEST_APP_VERSION, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';
import { TEST_STORAGE_KEY } from '../support/storage-key.js';

const PROXY_TIMEOUT_MS = 3000;
let t: TestHub;
let kiosk: EnrolledKiosk;
const village = `/sync/${villageDb(VILLAGE_A)}`;

beforeAll(async () => {
  // The hub is told the read timeout of the proxy in front of it (CUNBAN_PROXY_READ_TIMEOUT).
  t = await startTestHub({ config: { proxyReadTimeoutMs: PROXY_TIMEOUT_MS } });
  kiosk = await t.enroll(VILLAGE_A);
});

afterAll(async () => {
  await t.close();
});

const get = (path: string, headers: Record<string, string> = {}) => t.call('GET', path, { auth: kiosk.authorization, headers });

describe('every loop is bounded', () => {
  it('answers a descending feed whose newest change is the design document', async () => {
    const started = Date.now();
    const answer = await get(`${village}/_changes?descending=true&limit=1`);
    expect(answer.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(5000);
    expect((answer.body as { results: { id: string }[] }).results.every((row) => !row.id.startsWith('_design/'))).toBe(true);
  });
});

describe('only what CouchDB’s grammar allows reaches the store', () => {
  it.each([
    ['_changes?since=0&limit=[]&feed=normal', 'limit'],
    ['_changes?limit=x', 'limit'],
    ['_changes?since=%3Cscript%3Ealert(1)%3C%2Fscript%3E', 'since'],
    ['_changes?feed=continuous', 'feed'],
    ['_changes?feed=longpoll&heartbeat=often', 'heartbeat'],
    ['_changes?timeout=-5', 'timeout'],
    ['_changes?include_docs=yes', 'include_docs'],
    ['_all_docs?keys=[1,2]', 'keys'],
    ['_all_docs?skip=-1', 'skip'],
    ['some-case?rev=zzz', 'rev'],
    ['some-case?open_revs=[%22x%22]', 'open_revs'],
  ])('%s is a 400 naming %s', async (path, param) => {
    const answer = await get(`${village}/${path}`);
    expect(answer).toMatchObject({ status: 400, body: { error: 'bad_request', reason: expect.stringContaining(param) as string } });
  });

  it('a HEAD with a bad limit is a 400 too, not the store’s 500', async () => {
    const head = await t.call('HEAD', `${village}/_changes?since=x&limit=[]&feed=normal`, { auth: kiosk.authorization });
    expect(head.status).toBe(400);
  });
});

describe('content negotiation', () => {
  it('gzips for gzip, and not for gzip;q=0', async () => {
    const raw = (encoding: string) =>
      new Promise<string | undefined>((answered, failed) => {
        const url = new URL(`${t.base}/sync/catalog/_all_docs?include_docs=true`);
        const req = httpRequest(url, { headers: { authorization: kiosk.authorization, 'accept-encoding': encoding } }, (res) => {
          res.resume();
          answered(res.headers['content-encoding']);
        });
        req.on('error', failed);
        req.end();
      });
    expect(await raw('gzip')).toBe('gzip');
    expect(await raw('gzip;q=0')).toBeUndefined();
    expect(await raw('gzip;q=0, identity')).toBeUndefined();
    expect(await raw('br;q=1, gzip;q=0.5')).toBe('gzip');
  });
});

describe('a long poll behind a reverse proxy', () => {
  it('fits the proxy: four fifths of its timeout without heartbeats; with them, a newline at least every half of it', () => {
    expect(pollLimits(60_000, undefined)).toEqual({ pollMs: 48_000 });
    expect(pollLimits(120_000, undefined)).toEqual({ pollMs: 55_000 });
    expect(pollLimits(30_000, 60_000)).toEqual({ pollMs: 55_000, heartbeatMs: 15_000 });
    expect(pollLimits(60_000, 10_000)).toEqual({ pollMs: 55_000, heartbeatMs: 10_000 });
  });

  /** The gaps between the chunks of a long poll's answer, and the answer. */
  const timedPoll = (query: string) =>
    new Promise<{ gaps: number[]; body: string; took: number }>((answered, failed) => {
      const started = Date.now();
      let last = started;
      const gaps: number[] = [];
      const chunks: Buffer[] = [];
      const req = httpRequest(new URL(`${t.base}${village}/_changes?${query}`), { headers: { authorization: kiosk.authorization } }, (res) => {
        res.on('data', (chunk: Buffer) => {
          gaps.push(Date.now() - last);
          last = Date.now();
          chunks.push(chunk);
        });
        res.on('end', () => {
          answered({ gaps, body: Buffer.concat(chunks).toString('utf8'), took: Date.now() - started });
        });
      });
      req.on('error', failed);
      req.end();
    });

  it('without heartbeats, ends before the proxy gives up', async () => {
    const poll = await timedPoll('feed=longpoll&since=now&timeout=60000');
    expect(poll.took).toBeLessThan(PROXY_TIMEOUT_MS);
    expect(JSON.parse(poll.body)).toMatchObject({ results: [] });
  });

  it('with heartbeats, never stays silent for half the proxy’s timeout, and the answer is still JSON', async () => {
    const poll = await timedPoll('feed=longpoll&since=now&timeout=5000&heartbeat=60000');
    expect(poll.took).toBeGreaterThan(PROXY_TIMEOUT_MS);
    expect(Math.max(...poll.gaps)).toBeLessThanOrEqual(PROXY_TIMEOUT_MS / 2 + 500);
    expect(poll.body.startsWith('\n')).toBe(true);
    expect(JSON.parse(poll.body)).toMatchObject({ results: [] });
  });

  it('with heartbeats, still ends at its timeout though the hub collects garbage while it waits', async () => {
    // Node 20 lost a timeout joined with AbortSignal.any to a collection: the poll then sent newlines for ever.
    const collecting = setInterval(collectGarbage, 50);
    try {
      const poll = await timedPoll('feed=longpoll&since=now&timeout=2000&heartbeat=60000');
      expect(poll.took).toBeLessThan(8000);
      expect(JSON.parse(poll.body)).toMatchObject({ results: [] });
    } finally {
      clearInterval(collecting);
    }
  }, 20_000);

  /** A kiosk of `hub`'s left idle behind the proxy for three of its timeouts: the errors its sync saw, and its status. */
  async function idleBehindProxy(hub: TestHub): Promise<{ errors: readonly unknown[]; status: string }> {
    const proxy = await startLinkProxy({ host: '127.0.0.1', port: hub.hub.port }, undefined, { readTimeoutMs: PROXY_TIMEOUT_MS });
    const issued = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error('fixture');
    const enrollment = enrollResponseSchema.parse((await hub.call('POST', '/api/enroll', { body: { code: issued.value.code } })).body);
    const behindProxy = (url: string) => url.replace(hub.base, proxy.origin);
    const db = await openKioskDatabase({ storageKey: TEST_STORAGE_KEY, name: `idle-${String(Date.now())}`, indexedDB, IDBKeyRange });
    const sync = await startKioskSync({
      db,
      enrollment: { ...enrollment, villageSyncUrl: behindProxy(enrollment.villageSyncUrl), catalogSyncUrl: behindProxy(enrollment.catalogSyncUrl) },
      appVersion: TEST_APP_VERSION,
    });
    try {
      expect(await sync.syncNow()).toMatchObject({ ok: true });
      // Idle for three of the proxy's timeouts, long polls open all the while.
      await new Promise((wait) => setTimeout(wait, 3 * PROXY_TIMEOUT_MS));
      return { errors: sync.state().recentErrors ?? [], status: sync.state().status };
    } finally {
      await sync.stop();
      await db.close();
      await proxy.close();
    }
  }

  it('an idle kiosk behind it stays online, where a hub not told of the proxy has its polls cut', async () => {
    expect(await idleBehindProxy(t)).toEqual({ errors: [], status: 'online' });
    const unaware = await startTestHub();
    try {
      const cut = await idleBehindProxy(unaware);
      expect(cut.errors.length).toBeGreaterThan(0);
    } finally {
      await unaware.close();
    }
  }, 60_000);
});
