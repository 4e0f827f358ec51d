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

describe('a push’s conflict read (RxDB reads the hub’s copy of each case before writing it)', () => {
  const preRead = (keys: string[]) => ({
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ keys, include_docs: true, deleted: 'ok' }),
  });
  function allDocsNetwork() {
    const asked: string[][] = [];
    const base = (_input: RequestInfo | URL, init?: RequestInit) => {
      const keys = (JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { keys: string[] }).keys;
      asked.push(keys);
      return Promise.resolve(
        new Response(JSON.stringify({ rows: keys.map((key) => ({ id: key, key, value: { rev: '1-a' }, doc: { _id: key, _rev: '1-a', events: [] } })) }), {
          status: 200,
        }),
      );
    };
    return { asked, base };
  }

  it('is answered here for cases the hub never acknowledged: a push of new cases is one round trip', async () => {
    const network = allDocsNetwork();
    const fetch = hubFetch({ report: () => undefined, base: network.base, heardOfOnHub: () => false });
    const answer = (await (await fetch(`${HUB}_all_docs`, preRead(['c-1', 'c-2']))).json()) as { rows: unknown[] };
    expect(answer.rows).toEqual([
      { key: 'c-1', error: 'not_found' },
      { key: 'c-2', error: 'not_found' },
    ]);
    expect(network.asked).toEqual([]);
  });

  it('asks the hub for the cases it acknowledged, and answers every case in the order asked', async () => {
    const network = allDocsNetwork();
    const fetch = hubFetch({ report: () => undefined, base: network.base, heardOfOnHub: (id) => id === 'c-2' });
    const answer = (await (await fetch(`${HUB}_all_docs`, preRead(['c-1', 'c-2', 'c-3']))).json()) as { rows: { key: string; doc?: unknown }[] };
    expect(network.asked).toEqual([['c-2']]);
    expect(answer.rows.map((row) => [row.key, row.doc !== undefined])).toEqual([
      ['c-1', false],
      ['c-2', true],
      ['c-3', false],
    ]);
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
      sent.push({
        url: input instanceof Request ? input.url : input.toString(),
        method: init?.method ?? 'GET',
        body: typeof init?.body === 'string' ? JSON.parse(init.body) : undefined,
      });
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

  it('leaves a read it cannot take for RxDB’s as it stands, for the hub to answer', async () => {
    const urls: string[] = [];
    const base = (input: RequestInfo | URL, init?: RequestInit) => {
      urls.push(`${init?.method ?? 'GET'} ${input instanceof Request ? input.url : input.toString()}`);
      return Promise.resolve(new Response(JSON.stringify({ rows: [] }), { status: 200 }));
    };
    const fetch = hubFetch({ report: () => undefined, base });
    await fetch(`${HUB}_all_docs?keys=%5Bbad`);
    expect(urls[0]).toMatch(/^GET .*keys=%5Bbad/);
  });
});
