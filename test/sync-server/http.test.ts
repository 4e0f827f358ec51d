/** What every response does for village links and browser kiosks: gzip, CORS, CouchDB-shaped errors. */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let t: TestHub;
let kiosk: EnrolledKiosk;

beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
});

afterAll(async () => {
  await t.close();
});

describe('responses', () => {
  it('are gzipped for clients that accept it, when large enough to matter', async () => {
    const catalog = await fetch(`${t.base}/sync/catalog/catalog`, {
      headers: { authorization: kiosk.authorization, 'accept-encoding': 'gzip' },
    });
    expect(catalog.headers.get('content-encoding')).toBe('gzip');
    expect(Number(catalog.headers.get('content-length'))).toBeLessThan(30_000);
    expect(((await catalog.json()) as { items: unknown[] }).items).toHaveLength(76);
    const small = await fetch(`${t.base}/api/health`, { headers: { 'accept-encoding': 'gzip' } });
    expect(small.headers.get('content-encoding')).toBeNull();
  });

  it('are never cached', async () => {
    const response = await t.call('GET', `/sync/village_${VILLAGE_A}/`, { auth: kiosk.authorization });
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('carry CORS headers for the kiosk’s origin only', async () => {
    const allowed = await t.call('GET', '/api/health', { headers: { origin: 'app://cunban' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('app://cunban');
    const other = await t.call('GET', '/api/health', { headers: { origin: 'https://evil.example' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await t.call('OPTIONS', `/sync/village_${VILLAGE_A}/_bulk_docs`, {
      headers: { origin: 'app://cunban', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  });

  it('answer unknown paths and methods in CouchDB’s error shape', async () => {
    expect(await t.call('GET', '/nothing/here')).toMatchObject({ status: 404, body: { error: 'not_found', reason: 'missing' } });
    expect(await t.call('DELETE', '/api/health')).toMatchObject({ status: 405, body: { error: 'method_not_allowed' } });
    expect(await t.call('GET', '/sync/%E0%A4%A/')).toMatchObject({ status: 400, body: { error: 'bad_request' } });
  });

  it('read a path starting with // as a path, not as another host (it was a 500; found by the fuzzer)', async () => {
    const raw = (target: string) =>
      new Promise<number>((done, failed) => {
        const req = request({ host: '127.0.0.1', port: t.hub.port, path: target, method: 'GET' }, (res) => {
          res.resume();
          done(res.statusCode ?? 0);
        });
        req.on('error', failed);
        req.end();
      });
    expect(await raw('//9007199254740992')).toBe(404);
    expect(await raw('//evil.example/api/health')).toBe(404);
    expect(await raw('http://127.0.0.1/api/health')).toBe(400);
    expect(await raw('*')).toBe(400);
  });
});

describe('GET /api/health', () => {
  it('reports the store and the versions', async () => {
    const health = await t.call('GET', '/api/health');
    expect(health).toMatchObject({
      status: 200,
      body: {
        ok: true,
        store: { status: 'up', kind: process.env.COUCHDB_URL ? 'couchdb' : 'embedded' },
        versions: { caseSchema: 1, catalogSchema: 1, storeSchema: 7 },
      },
    });
  });
});
