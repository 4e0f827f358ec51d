/** Kiosk updates served by the hub for electron-updater's generic provider: the feed, the installer, byte ranges, the path guard. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteRange } from '../../sync-server/updates.js';
import { startTestHub, type TestHub } from './hub-harness.js';

let hub: TestHub;
const installer = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));

beforeAll(async () => {
  hub = await startTestHub();
  const dir = join(hub.config.dataDir, 'updates');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest-linux.yml'), 'version: 0.2.0\npath: Cunban-0.2.0.AppImage\n');
  writeFileSync(join(dir, 'Cunban-0.2.0.AppImage'), installer);
  writeFileSync(join(hub.config.dataDir, 'secret.txt'), 'not an update');
}, 60_000);
afterAll(async () => {
  await hub.close();
});

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${hub.base}${path}`, { headers });

describe('/updates', () => {
  it('serves the feed (always revalidated) and the installer whole', async () => {
    const feed = await get('/updates/latest-linux.yml');
    expect(feed.status).toBe(200);
    expect(feed.headers.get('cache-control')).toBe('no-cache');
    expect(await feed.text()).toContain('version: 0.2.0');
    const whole = await get('/updates/Cunban-0.2.0.AppImage');
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(Buffer.from(await whole.arrayBuffer()).equals(installer)).toBe(true);
  });

  it('resumes with a byte range, and says when a range cannot be served', async () => {
    const part = await get('/updates/Cunban-0.2.0.AppImage', { range: 'bytes=1000-1999' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 1000-1999/5000');
    expect(Buffer.from(await part.arrayBuffer()).equals(installer.subarray(1000, 2000))).toBe(true);
    const tail = await get('/updates/Cunban-0.2.0.AppImage', { range: 'bytes=-10' });
    expect(Buffer.from(await tail.arrayBuffer()).equals(installer.subarray(4990))).toBe(true);
    expect((await get('/updates/Cunban-0.2.0.AppImage', { range: 'bytes=9000-' })).status).toBe(416);
  });

  it.each(['/updates/../secret.txt', '/updates/%2e%2e/secret.txt', '/updates/..%2fsecret.txt', '/updates/', '/updates/nothing.yml'])('never serves %s', async (path) => {
    const response = await get(path);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('not an update');
  });
});

describe('byte ranges', () => {
  it.each([
    [undefined, undefined],
    ['bytes=0-9', { start: 0, end: 9 }],
    ['bytes=10-', { start: 10, end: 99 }],
    ['bytes=-5', { start: 95, end: 99 }],
    ['bytes=90-200', { start: 90, end: 99 }],
    ['bytes=100-', null],
    ['bytes=5-1', null],
    ['bytes=0-1,5-9', null],
    ['items=0-9', null],
  ])('%s of 100 bytes → %o', (header, expected) => {
    expect(byteRange(header, 100)).toEqual(expected);
  });
});
