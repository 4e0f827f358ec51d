/**
 * Runs and supervises the embedded store process: restarts it on the same port if it dies (the hub
 * reports the store as down meanwhile), and stops it with the hub. The admin password is generated
 * once and kept in the data directory, readable by the hub's user only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export type StoreStatus = 'up' | 'down';

export interface EmbeddedStore {
  /** Admin URL with credentials, ending in `/`. */
  readonly url: URL;
  status(): StoreStatus;
  /** Resolves once the store answers again after a crash (or at once if up). */
  whenUp(): Promise<void>;
  stop(): Promise<void>;
  /** The child's pid, for fault-injection tests. */
  pid(): number | undefined;
}

const ENTRY = resolve(import.meta.dirname, 'embedded-store-process.ts');
const TSX = import.meta.resolve('tsx');
const START_TIMEOUT_MS = 30_000;
const MAX_BACKOFF_MS = 5_000;

/** Where a running store tells other commands on the same data directory how to reach it. */
export const runtimeFile = (dataDir: string) => join(resolve(dataDir), 'store-runtime.json');

/** The admin URL of a store already running on this data directory, if its runtime file says so. */
export function runningStoreUrl(dataDir: string): URL | undefined {
  const file = runtimeFile(dataDir);
  if (!existsSync(file)) return undefined;
  const { port } = JSON.parse(readFileSync(file, 'utf8')) as { port: number };
  const { user, password } = adminCredentials(resolve(dataDir));
  const url = new URL(`http://127.0.0.1:${port}/`);
  url.username = user;
  url.password = password;
  return url;
}

function adminCredentials(dataDir: string): { user: string; password: string } {
  const file = join(dataDir, 'store-admin.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as { user: string; password: string };
  const credentials = { user: 'cunban-hub', password: randomBytes(24).toString('base64url') };
  writeFileSync(file, JSON.stringify(credentials), { mode: 0o600 });
  return credentials;
}

function launch(storeDir: string, port: number, user: string, password: string): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', TSX, ENTRY], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    env: {
      PATH: process.env.PATH,
      CUNBAN_STORE_DIR: storeDir,
      CUNBAN_STORE_PORT: String(port),
      CUNBAN_STORE_USER: user,
      CUNBAN_STORE_PASSWORD: password,
    },
  });
  return new Promise((resolveStart, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the embedded store did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.once('message', (message: { type?: string; port?: number }) => {
      clearTimeout(timer);
      if (message.type === 'listening' && typeof message.port === 'number') resolveStart({ child, port: message.port });
      else reject(new Error('the embedded store sent an unexpected message'));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the embedded store exited during start-up (code ${String(code)})`));
    });
  });
}

/**
 * After a hub is killed, its store child exits a moment later (on losing its parent) and only then
 * releases LevelDB's lock: a new store started meanwhile fails, so start-up retries for a few seconds.
 */
async function launchWithRetry(storeDir: string, user: string, password: string): Promise<{ child: ChildProcess; port: number }> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      return await launch(storeDir, 0, user, password);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((wait) => setTimeout(wait, 250));
    }
  }
}

export async function startEmbeddedStore(dataDir: string): Promise<EmbeddedStore> {
  const root = resolve(dataDir);
  mkdirSync(root, { recursive: true, mode: 0o700 });
  const { user, password } = adminCredentials(root);
  const storeDir = join(root, 'store');
  const started = await launchWithRetry(storeDir, user, password);
  const port = started.port;
  let child = started.child;
  let status: StoreStatus = 'up';
  let stopping = false;
  let waiters: (() => void)[] = [];

  const url = new URL(`http://127.0.0.1:${port}/`);
  url.username = user;
  url.password = password;

  const supervise = (current: ChildProcess) => {
    current.once('exit', () => {
      if (stopping) return;
      status = 'down';
      void restart(250);
    });
  };
  const restart = async (backoff: number): Promise<void> => {
    if (stopping) return;
    try {
      ({ child } = await launch(storeDir, port, user, password));
      status = 'up';
      supervise(child);
      for (const wake of waiters) wake();
      waiters = [];
    } catch {
      await new Promise((wait) => setTimeout(wait, backoff));
      await restart(Math.min(backoff * 2, MAX_BACKOFF_MS));
    }
  };
  supervise(child);
  writeFileSync(runtimeFile(root), JSON.stringify({ port, pid: process.pid }), { mode: 0o600 });

  return {
    url,
    status: () => status,
    whenUp: () => (status === 'up' ? Promise.resolve() : new Promise((wake) => waiters.push(wake))),
    pid: () => child.pid,
    async stop() {
      stopping = true;
      rmSync(runtimeFile(root), { force: true });
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((done) => {
        child.once('exit', () => {
          done();
        });
        child.kill('SIGTERM');
      });
    },
  };
}
