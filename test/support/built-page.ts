/**
 * A test page of our own modules, built with Vite and served on localhost (a secure context, for WebCrypto
 * and the origin private file system): the Chromium benchmarks' page, and the pages end-to-end tests drive
 * below the screens.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { build, type UserConfig } from 'vite';
import { appContentType } from '../../core/content-types.js';

export interface BuiltPage {
  /** `http://localhost:<port>`. */
  readonly origin: string;
  readonly url: string;
  close(): Promise<void>;
}

/** The page whose `index.html` is in `root`, built (with `config`'s extras, e.g. aliases) and served. */
export async function serveBuiltPage(root: string, config: Pick<UserConfig, 'resolve'> = {}): Promise<BuiltPage> {
  const outDir = mkdtempSync(join(tmpdir(), 'cunban-test-page-'));
  await build({ configFile: false, root, base: './', logLevel: 'warn', ...config, build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 5000 } });
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
