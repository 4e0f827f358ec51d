/** The link proxy the faults suite and the benchmarks stand a village's line on: counting, shaping, cutting. */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLinkProxy } from '../support/link-proxy.js';

let server: Server;
let port = 0;
const BODY = Buffer.alloc(100_000, 7);

beforeAll(async () => {
  server = createServer((request, response) => {
    request.resume();
    request.on('end', () => response.end(BODY));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  port = typeof address === 'object' && address ? address.port : 0;
});
afterAll(async () => {
  await new Promise((closed) => server.close(closed));
});

describe('the link proxy', () => {
  it('carries requests unchanged and counts the bytes each way', async () => {
    const line = await startLinkProxy({ host: '127.0.0.1', port });
    try {
      const reply = await fetch(`${line.origin}/x`, { method: 'POST', body: 'hello' });
      expect(Buffer.from(await reply.arrayBuffer()).equals(BODY)).toBe(true);
      expect(line.bytes.down).toBeGreaterThan(BODY.length);
      expect(line.bytes.up).toBeGreaterThan(5);
      expect(line.connections()).toBe(1);
    } finally {
      await line.close();
    }
  });

  it('shapes to its bandwidth and round trip: 100 KB at 2 Mbit/s cannot arrive in under 0.4 s', async () => {
    const line = await startLinkProxy({ host: '127.0.0.1', port }, { bitsPerSecond: 2_000_000, roundTripMs: 100 });
    try {
      const started = performance.now();
      await (await fetch(`${line.origin}/x`)).arrayBuffer();
      // The physical floor: the bytes at line speed plus the round trip. (A floor, not a timing target.)
      expect(performance.now() - started).toBeGreaterThanOrEqual((BODY.length * 8 * 1000) / 2_000_000 + 100);
    } finally {
      await line.close();
    }
  });

  it('cuts every connection after the armed number of bytes', async () => {
    const line = await startLinkProxy({ host: '127.0.0.1', port });
    try {
      line.armCut(50_000);
      await expect(fetch(`${line.origin}/x`).then((reply) => reply.arrayBuffer())).rejects.toThrow();
      expect(line.cuts()).toBe(1);
      expect(line.cutPending()).toBe(false);
      expect((await (await fetch(`${line.origin}/x`)).arrayBuffer()).byteLength).toBe(BODY.length);
    } finally {
      await line.close();
    }
  });
});
