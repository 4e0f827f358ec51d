/** Builds the Chromium bench page (browser/) with Vite and serves it on localhost (a secure context, for WebCrypto). */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import type { EnrollResponse } from '../../core/api/enrollment.js';
import { appContentType } from '../../core/content-types.js';
import type { CunbanBench } from './browser/bench-page.js';

export interface BenchPage {
  /** `http://localhost:<port>`: the hub must allow it as a CORS origin. */
  readonly origin: string;
  readonly url: string;
  close(): Promise<void>;
}

export async function serveBenchPage(): Promise<BenchPage> {
  const outDir = mkdtempSync(join(tmpdir(), 'cunban-bench-page-'));
  await build({ configFile: false, root: resolve(import.meta.dirname, 'browser'), base: './', logLevel: 'warn', build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000 } });
  const server = createServer((request, response) => {
    const path = normalize(new URL(request.url ?? '/', 'http://x').pathname).replace(/^\/+/, '') || 'index.html';
    try {
      const body = readFileSync(join(outDir, path));
      response.writeHead(200, { 'content-type': appContentType(path) }).end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  const origin = `http://localhost:${String(typeof address === 'object' && address ? address.port : 0)}`;
  return {
    origin,
    url: `${origin}/index.html`,
    async close() {
      await new Promise((closed) => server.close(closed));
      rmSync(outDir, { recursive: true, force: true });
    },
  };
}

interface BenchWindow {
  readonly cunbanBench: CunbanBench;
}

/** The page's `window.cunbanBench`, called from Node (each function is sent to the page and run there). */
export function pageBench(page: Page) {
  return {
    async open(url: string) {
      await page.goto(url);
      await page.locator('#ready', { hasText: 'ready' }).waitFor();
    },
    cunbanPull: (enrollment: EnrollResponse) => page.evaluate((e) => (window as unknown as BenchWindow).cunbanBench.cunbanPull(e), enrollment),
    pouchPull: (url: string, authorization: string) => page.evaluate(([u, a]) => (window as unknown as BenchWindow).cunbanBench.pouchPull(u, a), [url, authorization] as const),
    seedSearch: (enrollment: EnrollResponse, count: number) => page.evaluate(([e, n]) => (window as unknown as BenchWindow).cunbanBench.seedSearch(e, n), [enrollment, count] as const),
    search: (query: string, rounds: number) => page.evaluate(([q, n]) => (window as unknown as BenchWindow).cunbanBench.search(q, n), [query, rounds] as const),
  };
}
