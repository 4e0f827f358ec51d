/** The hub serves the built apps (/kiosk/, /console/, the residents' /r/): static files only, never outside their folder, under a strict CSP. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside } from '../../sync-server/static-apps.js';
import { startTestHub, type TestHub } from './hub-harness.js';

let hub: TestHub;
let unbuilt: TestHub;
let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'cunban-kiosk-app-'));
  mkdirSync(join(root, 'apps/kiosk/assets'), { recursive: true });
  mkdirSync(join(root, 'apps/console'), { recursive: true });
  writeFileSync(join(root, 'apps/kiosk/index.html'), '<!doctype html><script type="module" src="./assets/index-abc.js"></script>');
  writeFileSync(join(root, 'apps/kiosk/assets/index-abc.js'), 'console.log(1)');
  writeFileSync(join(root, 'apps/console/index.html'), '<!doctype html><title>console</title>');
  mkdirSync(join(root, 'apps/resident'), { recursive: true });
  writeFileSync(join(root, 'apps/resident/index.html'), '<!doctype html><title>residents</title>');
  writeFileSync(join(root, 'apps/secret.txt'), 'outside the app folder');
  hub = await startTestHub({ seed: false, config: { appsDir: join(root, 'apps') } });
  unbuilt = await startTestHub({ seed: false, config: { appsDir: join(root, 'nothing-here') } });
}, 60_000);

afterAll(async () => {
  await hub.close();
  await unbuilt.close();
  rmSync(root, { recursive: true, force: true });
});

/** A raw request, so paths reach the hub exactly as written (fetch would normalise `..`). */
function rawGet(base: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(base);
  return new Promise((done, failed) => {
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => {
        done({ status: res.statusCode ?? 0, body });
      });
    });
    req.on('error', failed);
    req.end();
  });
}

describe('the app routes', () => {
  it('serves the page with a strict CSP, revalidated, and hashed assets cached for good', async () => {
    const page = await fetch(`${hub.base}/kiosk/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('cache-control')).toBe('no-cache');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const asset = await fetch(`${hub.base}/kiosk/assets/index-abc.js`);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toContain('immutable');
    const bare = await fetch(`${hub.base}/kiosk`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([308, '/kiosk/']);
    const console = await fetch(`${hub.base}/console/`);
    expect(await console.text()).toContain('<title>console</title>');
    expect(console.headers.get('content-security-policy')).toBe(csp);
    // The residents' page at the short /r/ a receipt's QR code holds, under the same policy.
    const residents = await fetch(`${hub.base}/r/`);
    expect(await residents.text()).toContain('<title>residents</title>');
    expect(residents.headers.get('content-security-policy')).toBe(csp);
    const short = await fetch(`${hub.base}/r`, { redirect: 'manual' });
    expect([short.status, short.headers.get('location')]).toEqual([308, '/r/']);
    expect((await fetch(`${hub.base}/resident/`)).status).toBe(404);
  });

  it('never serves a file outside its folder, however the path is written', async () => {
    for (const path of [
      '/kiosk/../secret.txt',
      '/console/..%2fsecret.txt',
      '/console/..%2fkiosk%2findex.html',
      '/kiosk/%2e%2e/secret.txt',
      '/kiosk/..%2fsecret.txt',
      '/kiosk/assets/..%2f..%2fsecret.txt',
      '/kiosk/%2e%2e%5csecret.txt',
      '/kiosk/index.html%00.js',
      '/r/..%2fsecret.txt',
    ]) {
      const answer = await rawGet(hub.base, path);
      expect(answer.status, path).not.toBe(200);
      expect(answer.body, path).not.toContain('outside the app folder');
    }
    expect(resolveInside('/srv/app', '../secret.txt')).toBeUndefined();
    expect(resolveInside('/srv/app', 'assets/../../secret.txt')).toBeUndefined();
    expect(resolveInside('/srv/app', 'a\\..\\..\\b')).toBeUndefined();
    expect(resolveInside('/srv/app', '')).toBe('/srv/app/index.html');
    expect(resolveInside('/srv/app', 'assets/x.js')).toBe('/srv/app/assets/x.js');
  });

  it('says how to build the apps when they are not built', async () => {
    const answer = await fetch(`${unbuilt.base}/kiosk/`);
    expect(answer.status).toBe(503);
    expect(((await answer.json()) as { reason: string }).reason).toContain('npm run build:apps');
  });
});
