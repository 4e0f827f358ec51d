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
