/** Kiosk updates served by the hub for electron-updater's generic provider: the feed, the installer, byte ranges, the path guard. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byteRanges } from '../../sync-server/updates.js';
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

  it('answers several ranges at once in one multipart/byteranges body, as a differential update asks', async () => {
    const answer = await get('/updates/Cunban-0.2.0.AppImage', { range: 'bytes=0-9,1000-1999,4990-' });
    expect(answer.status).toBe(206);
    const type = answer.headers.get('content-type') ?? '';
    const boundary = /^multipart\/byteranges; boundary=(\S+)$/.exec(type)?.[1];
    expect(boundary).toBeDefined();
    const body = Buffer.from(await answer.arrayBuffer());
    expect(Number(answer.headers.get('content-length'))).toBe(body.length);
    // Each part: its head (with its Content-Range), a blank line, its bytes.
    const parts = body
      .toString('latin1')
      .split(`--${boundary ?? ''}`)
      .slice(1, -1);
    const read = parts.map((part) => {
      const [head = '', ...rest] = part.replace(/^\r\n/, '').split('\r\n\r\n');
      const range = /content-range: bytes (\d+)-(\d+)\/5000/.exec(head);
      return { start: Number(range?.[1]), end: Number(range?.[2]), bytes: Buffer.from(rest.join('\r\n\r\n').replace(/\r\n$/, ''), 'latin1') };
    });
    expect(read.map(({ start, end }) => [start, end])).toEqual([
      [0, 9],
      [1000, 1999],
      [4990, 4999],
    ]);
    for (const { start, end, bytes } of read) expect(bytes.equals(installer.subarray(start, end + 1))).toBe(true);
  });

  it('sends the whole file for a range it does not understand, rather than refuse', async () => {
    const whole = await get('/updates/Cunban-0.2.0.AppImage', { range: 'items=0-1' });
    expect(whole.status).toBe(200);
    expect(Buffer.from(await whole.arrayBuffer()).length).toBe(5000);
  });

  it.each(['/updates/../secret.txt', '/updates/%2e%2e/secret.txt', '/updates/..%2fsecret.txt', '/updates/', '/updates/nothing.yml'])(
    'never serves %s',
    async (path) => {
      const response = await get(path);
      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('not an update');
    },
  );
});

describe('byte ranges', () => {
  it.each([
    [undefined, undefined],
    ['bytes=0-9', [{ start: 0, end: 9 }]],
    ['bytes=10-', [{ start: 10, end: 99 }]],
    ['bytes=-5', [{ start: 95, end: 99 }]],
    ['bytes=90-200', [{ start: 90, end: 99 }]],
    [
      'bytes=0-1, 5-9',
      [
        { start: 0, end: 1 },
        { start: 5, end: 9 },
      ],
    ],
    ['bytes=0-1,200-300', [{ start: 0, end: 1 }]],
    ['bytes=100-', null],
    ['bytes=100-150,200-', null],
    // Not understood, or not valid: ignored, and the whole file sent (RFC 9110 §14.2).
    ['bytes=5-1', undefined],
    ['items=0-9', undefined],
    ['bytes=abc', undefined],
    [`bytes=${Array.from({ length: 201 }, (_, i) => `${String(i)}-${String(i)}`).join(',')}`, undefined],
  ])('%s of 100 bytes → %o', (header, expected) => {
    expect(byteRanges(header, 100)).toEqual(expected);
  });
});
