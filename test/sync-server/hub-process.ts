/** Real `cunban-hub serve` processes for tests that kill or multiply hubs. */
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { loadHubConfig } from '../../sync-server/config.js';
import { acquireStore } from '../../sync-server/hub.js';
import { initStore } from '../../sync-server/provision.js';
import { testCountyData } from './hub-harness.js';

const root = resolve(import.meta.dirname, '../..');

/** Provision the test county on the store `env` names, and let go of it so a hub process can own it. */
export async function provisionForHubProcesses(env: NodeJS.ProcessEnv): Promise<void> {
  const config = loadHubConfig(env);
  if (!config.ok) throw new Error(config.error.message);
  const setup = await acquireStore(config.value);
  const seeded = await initStore(setup.store, testCountyData());
  await setup.release();
  if (!seeded.ok) throw new Error(JSON.stringify(seeded.error));
}

export interface HubProcess {
  readonly child: ChildProcess;
  /** The port the hub reported when it started listening. */
  readonly port: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export function spawnHub(env: NodeJS.ProcessEnv): Promise<HubProcess> {
  const child = spawn(process.execPath, ['bin/cunban-hub.js', 'serve', '--json'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
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
