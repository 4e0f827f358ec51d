/** The app:// protocol: our files only, GET only, the kiosk's CSP on every answer. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAppUrl } from '../../electron/app-origin.js';
import { answerAppRequest, appFilePath, kioskContentSecurityPolicy } from '../../electron/app-protocol.js';

const base = mkdtempSync(join(tmpdir(), 'cunban-app-'));
const root = join(base, 'kiosk');
mkdirSync(join(root, 'assets'), { recursive: true });
writeFileSync(join(root, 'index.html'), '<!doctype html><title>kiosk</title>');
writeFileSync(join(root, 'assets', 'main.js'), 'console.log(1)');
writeFileSync(join(base, 'secret.txt'), 'outside the renderer');
afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

describe('app:// origin', () => {
  it('is our exact scheme and host, nothing that merely looks like it', () => {
    expect(isAppUrl('app://cunban/index.html')).toBe(true);
    for (const url of ['app://cunban.evil/x', 'app://evil/cunban', 'https://cunban/', 'file:///index.html', 'app://user:pw@cunban/', 'not a url']) {
      expect(isAppUrl(url)).toBe(false);
    }
  });
});

describe('the app:// protocol handler', () => {
  it('serves the renderer with its content type and the CSP', async () => {
    const csp = kioskContentSecurityPolicy('https://hub.jianshi.gov.cn');
    const page = await answerAppRequest(root, { method: 'GET', url: 'app://cunban/' }, csp);
    expect(page.status).toBe(200);
    expect(page.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': csp, 'x-content-type-options': 'nosniff' });
    expect((await answerAppRequest(root, { method: 'GET', url: 'app://cunban/assets/main.js' }, csp)).headers['content-type']).toBe(
      'text/javascript; charset=utf-8',
    );
  });

  it.each([
    'app://cunban/../secret.txt',
    'app://cunban/%2e%2e/secret.txt',
    'app://cunban/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
    'app://cunban/..%5csecret.txt',
    'app://cunban/index.html%00.js',
    'app://cunban/%E0%A4%A',
    'app://other/index.html',
  ])('refuses a path out of the renderer: %s', async (url) => {
    // Undefined, or (where URL parsing already removed the `..`) a path that is still inside the renderer.
    const path = appFilePath(root, url);
    expect(path === undefined || path.startsWith(root + sep)).toBe(true);
    const answer = await answerAppRequest(root, { method: 'GET', url }, '');
    expect(answer.status).toBe(404);
    expect(answer.body?.toString()).not.toContain('outside the renderer');
  });

  it('answers GET only', async () => {
    expect((await answerAppRequest(root, { method: 'POST', url: 'app://cunban/index.html' }, '')).status).toBe(405);
  });
});

describe("the kiosk page's CSP", () => {
  it('once enrolled, lets the page reach our files and its county hub only; no eval, no plugins, no base, no framing', () => {
    const csp = kioskContentSecurityPolicy('https://hub.jianshi.gov.cn');
    expect(csp).toContain("connect-src 'self' https://hub.jianshi.gov.cn");
    expect(csp).toContain("script-src 'self'");
    for (const rule of ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'", "default-src 'self'"]) expect(csp).toContain(rule);
    expect(csp).not.toMatch(/unsafe-(eval|inline)/);
  });

  it('before enrollment, any http(s) hub the technician types', () => {
    expect(kioskContentSecurityPolicy(undefined)).toContain("connect-src 'self' https: http:");
  });
});
