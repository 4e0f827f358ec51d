/** Real `cunban-hub serve` processes for tests that kill or multiply hubs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadHubConfig } from '../../sync-server/config.js';
import { acquireStore, type AcquiredStore } from '../../sync-server/hub.js';
import { initCounty } from '../../sync-server/county-init.js';
import type { CountyData } from '../../sync-server/provision.js';
import { dropPrefixedDatabases, testCountyData } from './hub-harness.js';

const root = resolve(import.meta.dirname, '../..');

/** Run `fn` on the store `env` names, then let go of it so a hub process can own it. */
async function withStoreOf<T>(env: NodeJS.ProcessEnv, fn: (admin: AcquiredStore) => Promise<T>): Promise<T> {
  const config = loadHubConfig(env);
  if (!config.ok) throw new Error(config.error.message);
  const admin = await acquireStore(config.value);
  try {
    return await fn(admin);
  } finally {
    await admin.release();
  }
}

/** Provision the test county (or `county`) on the store `env` names, as `cunban-hub init` does, for hub processes to serve. */
export async function provisionForHubProcesses(env: NodeJS.ProcessEnv, county: CountyData = testCountyData()): Promise<void> {
  const config = loadHubConfig(env);
  if (!config.ok) throw new Error(config.error.message);
  const seeded = await withStoreOf(env, (setup) => initCounty(setup.store, config.value.dataDir, county));
  if (!seeded.ok) throw new Error(JSON.stringify(seeded.error));
}

export interface HubProcess {
  readonly child: ChildProcess;
  /** The port the hub reported when it started listening. */
  readonly port: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnHub(env: NodeJS.ProcessEnv): Promise<HubProcess> {
  // Warnings and errors reach the test's output; the request log (a line per request) does not.
  const child = spawn(process.execPath, ['bin/cunban-hub.js', 'serve', '--json'], {
    cwd: root,
    env: { CUNBAN_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = (signal: NodeJS.Signals = 'SIGTERM') =>
    new Promise<void>((gone) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        gone();
        return;
      }
      child.once('exit', () => {
        gone();
      });
      child.kill(signal);
    });
  return new Promise((listening, failed) => {
    child.once('exit', (code) => {
      failed(new Error(`hub exited with ${String(code)}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      listening({ child, port: (JSON.parse(line) as { port: number }).port, stop });
    });
  });
}

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const address = server.address();
  await new Promise((closed) => server.close(closed));
  return typeof address === 'object' && address ? address.port : 0;
}

/**
 * A `cunban-hub serve` process on a fixed port, so kiosks find it again after it is killed and restarted;
 * on a store of its own, provisioned with `county` (the test county unless given).
 */
export interface KillableHub {
  readonly port: number;
  readonly origin: string;
  start(): Promise<void>;
  kill(): Promise<void>;
  /** The store of the hub running now (a restarted hub has a new embedded store process). */
  withAdmin<T>(fn: (admin: AcquiredStore) => Promise<T>): Promise<T>;
  /** The process ids of the running hub and its embedded store (none on CouchDB). */
  pids(): number[];
  close(): Promise<void>;
}

export async function startKillableHub(county: CountyData = testCountyData(), extraEnv: NodeJS.ProcessEnv = {}): Promise<KillableHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cunban-hub-process-'));
  const prefix = `f${Date.now().toString(36)}_`;
  const port = await freePort();
  const env = {
    ...process.env,
    CUNBAN_DATA_DIR: dataDir,
    CUNBAN_HUB_PORT: String(port),
    CUNBAN_HUB_HOST: '127.0.0.1',
    CUNBAN_DB_PREFIX: process.env.COUCHDB_URL ? prefix : '',
    ...extraEnv,
  };
  let running: HubProcess | undefined;
  const withAdmin = <T>(fn: (admin: AcquiredStore) => Promise<T>) => withStoreOf(env, fn);
  await provisionForHubProcesses(env, county);
  const hub: KillableHub = {
    port,
    origin: `http://127.0.0.1:${String(port)}`,
    async start() {
      running = await spawnHub(env);
    },
    kill: () => running?.stop('SIGKILL') ?? Promise.resolve(),
    pids: () => (running?.child.pid === undefined ? [] : [running.child.pid, ...childPids(running.child.pid)]),
    withAdmin,
    async close() {
      if (process.env.COUCHDB_URL) await withAdmin((admin) => dropPrefixedDatabases(admin.store, prefix));
      await hub.kill();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await hub.start();
  return hub;
}

/** The processes `pid` started (Linux): the embedded store runs as the hub's child. */
function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${String(pid)}/task/${String(pid)}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

/** Two `cunban-hub serve` processes on one freshly provisioned store, and the store itself for the test. */
export interface HubPair {
  readonly ports: readonly [number, number];
  readonly admin: AcquiredStore;
  readonly dataDir: string;
  close(): Promise<void>;
}

export async function startHubPair(extraEnv: NodeJS.ProcessEnv = {}): Promise<HubPair> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cunban-pair-'));
  const prefix = `p${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}_`;
  const env = {
    ...process.env,
    CUNBAN_DATA_DIR: dataDir,
    CUNBAN_HUB_PORT: '0',
    CUNBAN_HUB_HOST: '127.0.0.1',
    CUNBAN_DB_PREFIX: process.env.COUCHDB_URL ? prefix : '',
    ...extraEnv,
  };
  await provisionForHubProcesses(env);
  const first = await spawnHub(env);
  const second = await spawnHub(env);
  const config = loadHubConfig(env);
  if (!config.ok) throw new Error(config.error.message);
  const admin = await acquireStore(config.value);
  return {
    ports: [first.port, second.port],
    admin,
    dataDir,
    async close() {
      if (process.env.COUCHDB_URL) await dropPrefixedDatabases(admin.store, prefix);
      await admin.release();
      // The second hub uses the first one's embedded store: stop it first.
      await second.stop();
      await first.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
