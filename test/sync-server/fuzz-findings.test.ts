/** What the hub fuzzer found (`npm run fuzz 10000 7`), each kept as a test: all were 5xx, hangs or a crashed store. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let t: TestHub;
let kiosk: EnrolledKiosk;
beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const db = `/sync/village_${VILLAGE_A}`;
const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`;
const send = (method: string, path: string, rawBody?: string) =>
  t.call(method, path, { auth: kiosk.authorization, ...(rawBody === undefined ? {} : { rawBody }) });

describe('fuzzer findings', () => {
  it('deeply nested JSON is refused before anything walks it (it crashed the embedded store)', async () => {
    for (const [method, path] of [
      ['POST', `${db}/_revs_diff`],
      ['PUT', `${db}/_local/checkpoint`],
      ['PUT', `${db}/some-doc`],
    ] as const) {
      expect(await send(method, path, deep)).toMatchObject({ status: 400, body: { error: 'bad_request', reason: 'The JSON nests deeper than 64 levels.' } });
    }
    expect((await t.call('GET', '/api/health')).status).toBe(200);
  });

  it.each([
    ['POST', '_bulk_docs', 'null'],
    ['POST', '_bulk_get', '{"docs": [null, "x", true]}'],
    ['POST', '_all_docs', 'null'],
    ['POST', '_revs_diff', '{"some-doc": [1, null]}'],
    ['POST', '_revs_diff', '{"some-doc": "1-abc"}'],
  ])('%s %s with %s is a 400, not a 500', async (method, path, body) => {
    expect(await send(method, `${db}/${path}`, body)).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });

  it('an empty _bulk_get is answered at once (the embedded store never answered it, and held a socket for each)', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => send('POST', `${db}/_bulk_get`, '{"docs": []}')));
    for (const answer of answers) expect(answer).toMatchObject({ status: 200, body: { results: [] } });
  });

  it('a long poll ends after its timeout with no changes (it waited forever); a negative timeout is refused, not waited on', async () => {
    for (const method of ['GET', 'HEAD']) {
      expect((await send(method, `${db}/_changes?feed=longpoll&since=now&timeout=-5`)).status).toBe(400);
      expect((await send(method, `${db}/_changes?feed=longpoll&since=now&timeout=0`)).status).toBe(200);
    }
    const quiet = await send('GET', `${db}/_changes?feed=longpoll&since=now&timeout=1500`);
    expect(quiet).toMatchObject({ status: 200, body: { results: [] } });
    expect((quiet.body as { last_seq?: unknown }).last_seq).toBeDefined();
  }, 20_000);

  it('a name with a lone surrogate signs nobody in, and is not a 500', async () => {
    // Refused as a request (no text holds half a surrogate pair: CouchDB cannot store one), before any sign-in.
    expect(await t.call('POST', '/api/session', { rawBody: '{"name":"\\u0000\\ud800","password":"\\u0000\\ud800"}' })).toMatchObject({ status: 400 });
  });
});
