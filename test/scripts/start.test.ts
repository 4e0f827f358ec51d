/** The README's main command must keep working: run it for real, on a fresh data directory. */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { electronBinary, hasDisplay } from '../../scripts/electron-binary.js';

const root = resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'cunban-start-'));

afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

/** Run `npm start`'s script until it has printed `lines` lines, then stop it as Ctrl-C would. */
function startAndRead(lines: number, whileRunning: (output: string) => Promise<void> = () => Promise.resolve(), args: readonly string[] = []): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', ...args], {
    cwd: root,
    env: { ...process.env, CUNBAN_DATA_DIR: dataDir, CUNBAN_HUB_PORT: '0', CUNBAN_HUB_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  return new Promise((done, failed) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const before = output.split('\n').length;
      output += chunk.toString();
      if (before <= lines && output.split('\n').length > lines) {
        void whileRunning(output).finally(() => child.kill('SIGINT'));
      }
    });
    child.once('exit', (code) => {
      if (code === 0) done(output);
      else failed(new Error(`npm start exited with ${String(code)}:\n${output}`));
    });
  });
}

describe('npm start', () => {
  it('runs the hub on the seeded demo county, serves the kiosk, and says where the Electron kiosk is', async () => {
    let kioskPage: Response | undefined;
    const output = await startAndRead(13, async (printed) => {
      const url = /kiosk \(browser mode\): (\S+)/.exec(printed)?.[1];
      if (url) kioskPage = await fetch(url.replace('localhost', '127.0.0.1'));
    });
    expect(output).toMatch(/kiosk \(browser mode\): http:\/\/localhost:\d+\/kiosk\//);
    expect(kioskPage?.status).toBe(200);
    expect(output).toMatch(/review console: http:\/\/localhost:\d+\/console\//);
    expect(await kioskPage?.text()).toContain('<div id="root">');
    expect(output).toContain('county hub for 建始县 (422822000000)');
    expect(output).toContain('10 towns, 179 villages; catalog v2: 16 sectors, 76 service items');
    expect(output).not.toContain('no county data'); // it seeds the demo county itself
    expect(output).toMatch(/reviewer county-admin \(county\) password: \S+/);
    expect(output).toMatch(/enrollment code for 业州镇 雀儿笼村: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    // No Electron binary can be downloaded here: npm start says so and the browser mode carries on.
    expect(output).toContain('kiosk (Electron): not started');
    // Ctrl-C says what it does.
    expect(output).toContain('The hub has stopped.');
  }, 120_000);

  it('keeps the county on a second start, and prints a new enrollment code only when asked', async () => {
    const output = await startAndRead(7);
    expect(output).toContain('reviewer passwords: see');
    expect(output).not.toMatch(/enrollment code for 业州镇 雀儿笼村/);
    expect(output).toContain('a kiosk enrollment code: npm start -- --enroll');
    const asked = await startAndRead(7, undefined, ['--enroll']);
    expect(asked).toMatch(/enrollment code for 业州镇 雀儿笼村: [0-9A-Z-]{14} \(until \d{4}-\d{2}-\d{2} \d{2}:\d{2} \(UTC\+8\)\)/);
  }, 90_000);

  it('says which port is taken and how to choose another, before building anything', async () => {
    const taken = createServer();
    await new Promise<void>((listening) => taken.listen(0, '127.0.0.1', listening));
    const port = String((taken.address() as AddressInfo).port);
    try {
      const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
        cwd: root,
        env: { ...process.env, CUNBAN_DATA_DIR: dataDir, CUNBAN_HUB_PORT: port, CUNBAN_HUB_HOST: '127.0.0.1' },
      }).catch((error: unknown) => error as { code: number; stderr: string });
      expect(failure).toMatchObject({ code: 1 });
      const { stderr } = failure as { stderr: string };
      expect(stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
      expect(stderr).toContain(`CUNBAN_HUB_PORT=${String(Number(port) + 1)} npm start`);
      expect(stderr).not.toContain('EADDRINUSE');
    } finally {
      taken.close();
    }
  }, 60_000);

  it('stops with a message naming a misconfigured variable', async () => {
    const failure = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, CUNBAN_HUB_PORT: 'eighty' },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('CUNBAN_HUB_PORT');
  });
});

describe('finding the Electron binary without downloading it', () => {
  it('finds a downloaded one, and reports none otherwise', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cunban-electron-pkg-'));
    try {
      expect(electronBinary(dir, {})).toBeUndefined();
      writeFileSync(join(dir, 'path.txt'), 'electron');
      expect(electronBinary(dir, {})).toBeUndefined();
      mkdirSync(join(dir, 'dist'));
      writeFileSync(join(dir, 'dist', 'electron'), '');
      expect(electronBinary(dir, {})).toBe(join(dir, 'dist', 'electron'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('needs a display on Linux only', () => {
    expect(hasDisplay('linux', {})).toBe(false);
    expect(hasDisplay('linux', { DISPLAY: ':0' })).toBe(true);
    expect(hasDisplay('win32', {})).toBe(true);
  });
});
