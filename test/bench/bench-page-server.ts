/** The Chromium bench page (browser/), built with Vite and served on localhost (a secure context, for WebCrypto). */
import { resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { EnrollResponse } from '../../core/api/enrollment.js';
import { serveBuiltPage, type BuiltPage } from '../support/built-page.js';
import type { CunbanBench } from './browser/bench-page.js';

/** Its `origin` (`http://localhost:<port>`) must be allowed by the hub as a CORS origin. */
export type BenchPage = BuiltPage;

export function serveBenchPage(): Promise<BenchPage> {
  return serveBuiltPage(resolve(import.meta.dirname, 'browser'));
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
    pouchPull: (url: string, authorization: string) =>
      page.evaluate(([u, a]) => (window as unknown as BenchWindow).cunbanBench.pouchPull(u, a), [url, authorization] as const),
    cunbanPush: (enrollment: EnrollResponse, count: number) =>
      page.evaluate(([e, n]) => (window as unknown as BenchWindow).cunbanBench.cunbanPush(e, n), [enrollment, count] as const),
    pouchPush: (enrollment: EnrollResponse, count: number) =>
      page.evaluate(([e, n]) => (window as unknown as BenchWindow).cunbanBench.pouchPush(e.villageSyncUrl, e.authorization, e, n), [
        enrollment,
        count,
      ] as const),
    seedSearch: (enrollment: EnrollResponse, count: number) =>
      page.evaluate(([e, n]) => (window as unknown as BenchWindow).cunbanBench.seedSearch(e, n), [enrollment, count] as const),
    search: (query: string, rounds: number) => page.evaluate(([q, n]) => (window as unknown as BenchWindow).cunbanBench.search(q, n), [query, rounds] as const),
  };
}
