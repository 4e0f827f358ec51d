/**
 * The kiosk's fetch resumes the live feed from the last change it saw. Regression: RxDB's stream kept
 * asking for `since=now` after an outage, so a county decision written while it waited to retry never
 * arrived by live sync (found by the counter's end-to-end test).
 */
import { describe, expect, it } from 'vitest';
import { hubFetch, type HubEvent } from '../../../renderer/data/hub-fetch.js';

const HUB = 'http://hub.test/sync/village_422822100202/';

function recordingNetwork(lastSeq: string | number) {
  const urls: string[] = [];
  const base = (input: RequestInfo | URL) => {
    urls.push(input instanceof Request ? input.url : input.toString());
    return Promise.resolve(new Response(JSON.stringify({ results: [], last_seq: lastSeq }), { status: 200 }));
  };
  return { urls, base };
}

describe('the kiosk’s hub fetch', () => {
  it('asks the live feed for changes since the last sequence any answer carried, not since now', async () => {
    const network = recordingNetwork('17-g1AAAA');
    const events: HubEvent[] = [];
    const fetch = hubFetch({ authorization: 'Basic x', report: (event) => events.push(event), base: network.base });
    await fetch(`${HUB}_changes?feed=longpoll&since=now&limit=100`);
    expect(network.urls[0]).toContain('since=now');
    await fetch(`${HUB}_changes?feed=normal&since=0&limit=100`);
    await fetch(`${HUB}_changes?feed=longpoll&since=now&limit=100`);
    expect(new URL(network.urls[2] ?? '').searchParams.get('since')).toBe('17-g1AAAA');
    expect(events.filter((event) => event.kind === 'pulled')).toHaveLength(3);
  });

  it('keeps each database’s sequence to itself and leaves explicit sequences alone', async () => {
    const network = recordingNetwork(5);
    const fetch = hubFetch({ authorization: 'Basic x', report: () => undefined, base: network.base });
    await fetch(`${HUB}_changes?feed=normal&since=0`);
    await fetch('http://hub.test/sync/catalog/_changes?feed=longpoll&since=now');
    await fetch(`${HUB}_changes?feed=longpoll&since=3`);
    expect(network.urls[1]).toContain('since=now');
    expect(network.urls[2]).toContain('since=3');
  });
});

/** A village feed of `count` changes, one per sequence number; `refuse` answers 503 to the sequences given. */
function feedNetwork(count: number, refuse: Set<number> = new Set()) {
  const asked: number[] = [];
  const state = { generation: 1 };
  const base = (input: RequestInfo | URL) => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const since = Number(url.searchParams.get('since'));
    const limit = Number(url.searchParams.get('limit'));
    asked.push(since);
    if (refuse.delete(since)) return Promise.resolve(new Response('{"error":"store_unavailable"}', { status: 503 }));
    const results = Array.from({ length: Math.max(0, Math.min(limit, count - since)) }, (_, i) => ({ id: `g${String(state.generation)}-case-${String(since + i)}`, seq: since + i + 1, changes: [] }));
    return Promise.resolve(new Response(JSON.stringify({ results, last_seq: since + results.length }), { status: 200 }));
  };
  return { asked, base, state };
}

const batchAt = (since: number) => `${HUB}_changes?style=all_docs&feed=normal&since=${String(since)}&limit=500`;
const idsOf = async (response: Response) => ((await response.json()) as { results: { id: string }[] }).results.map((row) => row.id);

describe('a first pull’s batches', () => {
  it('are read two ahead while RxDB writes the one before, each asked of the hub once, and served whole', async () => {
    const network = feedNetwork(1250);
    const fetch = hubFetch({ report: () => undefined, base: network.base });
    expect(await idsOf(await fetch(batchAt(0)))).toHaveLength(500);
    await new Promise((settle) => setTimeout(settle, 10));
    // The next two batches are on their way before RxDB asks; the partial last one ends the reading ahead.
    expect(network.asked).toEqual([0, 500, 1000]);
    const second = await idsOf(await fetch(batchAt(500)));
    expect([second[0], second.at(-1)]).toEqual(['g1-case-500', 'g1-case-999']);
    expect(await idsOf(await fetch(batchAt(1000)))).toHaveLength(250);
    expect(network.asked).toEqual([0, 500, 1000]);
  });

  it('asks the hub anew for a batch whose reading ahead failed, or that is not the one read ahead', async () => {
    const network = feedNetwork(2000, new Set([500]));
    const events: HubEvent[] = [];
    const fetch = hubFetch({ report: (event) => events.push(event), base: network.base });
    await fetch(batchAt(0));
    await new Promise((settle) => setTimeout(settle, 10));
    expect(await idsOf(await fetch(batchAt(500)))).toHaveLength(500);
    // A read ahead that failed is no failure of the sync: nothing reported, the batch asked again.
    expect(events.filter((event) => event.kind === 'failed')).toEqual([]);
    expect(network.asked.filter((since) => since === 500)).toHaveLength(2);
    // Other parameters are another request.
    await fetch(`${HUB}_changes?style=all_docs&feed=normal&since=1000&limit=100`);
    expect(network.asked.filter((since) => since === 1000)).toHaveLength(2);
  });

  it('are forgotten when a change arrives on the live feed: RxDB counts on its next read being asked after it', async () => {
    const network = feedNetwork(2000);
    const fetch = hubFetch({ report: () => undefined, base: network.base });
    await fetch(batchAt(0));
    await new Promise((settle) => setTimeout(settle, 10));
    // The live feed brings news (a decision made meanwhile) while the batches after 0 wait, read ahead.
    await fetch(`${HUB}_changes?style=all_docs&feed=longpoll&since=1999&limit=500`);
    await fetch(batchAt(500));
    expect(network.asked.filter((since) => since === 500)).toHaveLength(2);
  });

  it('are forgotten when the feed is to be read again from its start (a hub restored from a backup)', async () => {
    const network = feedNetwork(1500);
    const fetch = hubFetch({ report: () => undefined, base: network.base });
    await fetch(batchAt(0));
    await new Promise((settle) => setTimeout(settle, 10));
    // The hub is restored: its feed now holds other changes, read again from 0.
    network.state.generation = 2;
    fetch.repull(new URL(HUB).pathname);
    expect((await idsOf(await fetch(batchAt(500))))[0]).toBe('g2-case-0');
    expect((await idsOf(await fetch(batchAt(500))))[0]).toBe('g2-case-500');
  });
});

describe('a push’s conflict read (RxDB reads the hub’s copy of each case before writing it)', () => {
  const preRead = (keys: string[]) => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ keys, include_docs: true, deleted: 'ok' }) });
  function allDocsNetwork() {
    const asked: string[][] = [];
    const base = (_input: RequestInfo | URL, init?: RequestInit) => {
      const keys = (JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { keys: string[] }).keys;
      asked.push(keys);
      return Promise.resolve(new Response(JSON.stringify({ rows: keys.map((key) => ({ id: key, key, value: { rev: '1-a' }, doc: { _id: key, _rev: '1-a', events: [] } })) }), { status: 200 }));
    };
    return { asked, base };
  }

  it('is answered here for cases the hub never acknowledged: a push of new cases is one round trip', async () => {
    const network = allDocsNetwork();
    const fetch = hubFetch({ report: () => undefined, base: network.base, heardOfOnHub: () => false });
    const answer = (await (await fetch(`${HUB}_all_docs`, preRead(['c-1', 'c-2']))).json()) as { rows: unknown[] };
    expect(answer.rows).toEqual([{ key: 'c-1', error: 'not_found' }, { key: 'c-2', error: 'not_found' }]);
    expect(network.asked).toEqual([]);
  });

  it('asks the hub for the cases it acknowledged, and answers every case in the order asked', async () => {
    const network = allDocsNetwork();
    const fetch = hubFetch({ report: () => undefined, base: network.base, heardOfOnHub: (id) => id === 'c-2' });
    const answer = (await (await fetch(`${HUB}_all_docs`, preRead(['c-1', 'c-2', 'c-3']))).json()) as { rows: { key: string; doc?: unknown }[] };
    expect(network.asked).toEqual([['c-2']]);
    expect(answer.rows.map((row) => [row.key, row.doc !== undefined])).toEqual([['c-1', false], ['c-2', true], ['c-3', false]]);
  });

  it('goes to the hub whole when every case is known there, and other reads by id always do', async () => {
    const network = allDocsNetwork();
    const fetch = hubFetch({ report: () => undefined, base: network.base, heardOfOnHub: () => false });
    // A proof's read of cases by id (reconcile.ts) is no push's conflict read.
    await fetch(`${HUB}_all_docs`, { method: 'POST', body: JSON.stringify({ keys: ['c-1'], include_docs: true }) });
    const knowing = hubFetch({ report: () => undefined, base: network.base, heardOfOnHub: () => true });
    await knowing(`${HUB}_all_docs`, preRead(['c-1', 'c-2']));
    expect(network.asked).toEqual([['c-1'], ['c-1', 'c-2']]);
  });
});

describe('a read of cases by their ids in the URL (RxDB reads a push’s conflicts so)', () => {
  it('goes with the ids in the body: 500 case numbers in a URL are over the hub’s and proxies’ header limits', async () => {
    const sent: { url: string; method: string; body: unknown }[] = [];
    const base = (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push({ url: input instanceof Request ? input.url : input.toString(), method: init?.method ?? 'GET', body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined });
      return Promise.resolve(new Response(JSON.stringify({ rows: [] }), { status: 200 }));
    };
    const fetch = hubFetch({ report: () => undefined, base });
    const keys = Array.from({ length: 500 }, (_, i) => `422822100202-20261126-01-${String(i).padStart(3, '0')}-1`);
    await fetch(`${HUB}_all_docs?include_docs=true&keys=${encodeURIComponent(JSON.stringify(keys))}`);
    const [request] = sent;
    expect(request?.method).toBe('POST');
    expect(request?.body).toEqual({ keys });
    expect(new URL(request?.url ?? '').searchParams.get('include_docs')).toBe('true');
    expect((request?.url ?? '').length).toBeLessThan(200);
  });
});
