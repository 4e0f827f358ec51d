/**
 * Apache CouchDB on this machine for tests and benchmarks: one node or a 3-node cluster started from
 * `../shared/couchdb` (or `CUNBAN_COUCHDB_DIR`) on free ports in a temporary directory, stopped after.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const couchDir = process.env.CUNBAN_COUCHDB_DIR ?? resolve(import.meta.dirname, '../../shared/couchdb');

/** Whether CouchDB can be started here. */
export const canStartCouchDb = (): boolean => existsSync(join(couchDir, 'start'));

async function freePortBlock(size: number): Promise<number> {
  for (;;) {
    const base = 20_000 + Math.floor(Math.random() * 20_000);
    const free = await Promise.all(
      Array.from(
        { length: size },
        (_, i) =>
          new Promise<boolean>((answer) => {
            const server = createServer();
            server.once('error', () => {
              answer(false);
            });
            server.listen(base + i, '127.0.0.1', () =>
              server.close(() => {
                answer(true);
              }),
            );
          }),
      ),
    );
    if (free.every(Boolean)) return base;
  }
}

export interface RunningCouchDb {
  /** The admin URL. */
  readonly url: string;
  /** Where its nodes keep their data and pids (`DIR/node<i>`): a test kills one node through it. */
  readonly dir: string;
  stop(): void;
}

export async function startCouchDb(nodes: 1 | 3): Promise<RunningCouchDb> {
  const dir = mkdtempSync(join(tmpdir(), `cunban-couchdb-${String(nodes)}-`));
  const port = await freePortBlock(nodes);
  const printed = execFileSync(join(couchDir, 'start'), ['--port', String(port), '--nodes', String(nodes), '--dir', dir], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = printed.trim().split('\n').at(-1) ?? '';
  return {
    url,
    dir,
    stop() {
      spawnSync(join(couchDir, 'stop'), [dir], { stdio: 'inherit' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
