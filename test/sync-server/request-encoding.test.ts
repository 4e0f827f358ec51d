/**
 * Pushes gzipped over a slow line: the hub takes a gzip request body (and says so in `GET /api/compat`),
 * refuses one that inflates past its limit or is not gzip, and refuses codings it does not know; the kiosk's
 * hub fetch gzips its pushes to a hub that takes them, and only then. Real hub, both stores.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompatInfo } from '../../core/compat.js';
import { hubFetch } from '../../renderer/data/hub-fetch.js';
import { MAX_BODY_BYTES } from '../../sync-server/http/kit.js';
import { villageDb } from '../../sync-server/store/names.js';
import { caseFor, startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let t: TestHub;
let kiosk: EnrolledKiosk;
beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
}, 60_000);
afterAll(async () => {
  await t.close();
});

const bulkDocs = () => `${t.base}/sync/${villageDb(VILLAGE_A)}/_bulk_docs`;
const push = (body: Uint8Array<ArrayBuffer> | string, encoding?: string) =>
  fetch(bulkDocs(), {
    method: 'POST',
    headers: { authorization: kiosk.authorization, 'content-type': 'application/json', ...(encoding ? { 'content-encoding': encoding } : {}) },
    body,
  });

describe('a gzipped push', () => {
  it('is taken, and the hub says it takes gzip', async () => {
    const info = (await t.call('GET', '/api/compat')).body as CompatInfo;
    expect(info.requestEncodings).toEqual(['gzip']);
    const doc = caseFor(kiosk);
    const response = await push(new Uint8Array(gzipSync(JSON.stringify({ docs: [doc] }))), 'gzip');
    expect(response.status).toBe(201);
    expect(((await response.json()) as { ok?: boolean }[])[0]?.ok).toBe(true);
    expect((await t.hub.store.getDoc(villageDb(VILLAGE_A), doc.caseNumber)).ok).toBe(true);
  });

  it('is refused when it inflates past the limit, is not gzip, or comes in a coding the hub does not take', async () => {
    // 100 KB on the wire, over 8 MB inflated: refused as too large, never inflated whole.
    const bomb = new Uint8Array(gzipSync(`{"docs":[${' '.repeat(MAX_BODY_BYTES + 1)}]}`));
    expect(bomb.length).toBeLessThan(100_000);
    expect((await push(bomb, 'gzip')).status).toBe(413);
    expect((await push('{"docs":[]}', 'gzip')).status).toBe(400);
    expect((await push(new Uint8Array(gzipSync('{"docs":[]}')), 'br')).status).toBe(415);
  });
});

describe("the kiosk's pushes", () => {
  /** The kiosk's hub fetch to the real hub, noting each push's coding and size on the wire. */
  function kioskFetch(requestEncodings: readonly string[]) {
    const pushes: { encoding: string | null; bytes: number }[] = [];
    const fetchFn = hubFetch({
      authorization: kiosk.authorization,
      report: () => undefined,
      requestEncodings: () => requestEncodings,
      base: async (input, init) => {
        const body = init?.body;
        pushes.push({
          encoding: new Headers(init?.headers).get('content-encoding'),
          bytes: typeof body === 'string' ? Buffer.byteLength(body) : body instanceof Uint8Array ? body.length : 0,
        });
        return fetch(input, init);
      },
    });
    return { fetchFn, pushes };
  }
  const pushThrough = async (fetchFn: typeof fetch) => {
    const docs = Array.from({ length: 20 }, () => caseFor(kiosk));
    const response = await fetchFn(bulkDocs(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ docs }) });
    expect(response.ok).toBe(true);
    for (const doc of docs) expect((await t.hub.store.getDoc(villageDb(VILLAGE_A), doc.caseNumber)).ok).toBe(true);
  };

  it('are gzipped to a hub that takes gzip, at a fraction of the bytes', async () => {
    const gzipping = kioskFetch(['gzip']);
    await pushThrough(gzipping.fetchFn);
    const plain = kioskFetch([]);
    await pushThrough(plain.fetchFn);
    expect(gzipping.pushes.map((sent) => sent.encoding)).toEqual(['gzip']);
    expect(plain.pushes.map((sent) => sent.encoding)).toEqual([null]);
    expect((gzipping.pushes[0]?.bytes ?? 0) / (plain.pushes[0]?.bytes ?? 1)).toBeLessThan(0.3);
  });
});
