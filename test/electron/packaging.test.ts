/**
 * Packaging, checked without the Electron binary: the electron-builder config passes electron-builder's own
 * validation (and a broken one does not), targets the halls' systems with the fuses flipped, and the
 * shell builds into a main and a preload that need nothing but Electron and Node.
 */
import { accessSync, constants, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { CUNBAN_VERSION } from '../../core/version.js';
import { shellConfigs } from '../../scripts/build-apps.js';

const root = resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  validateConfiguration: (config: object, logger: object) => Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => object };
const config = JSON.parse(readFileSync(join(root, 'electron-builder.json'), 'utf8')) as Record<string, unknown> & {
  files: string[];
  extraMetadata: { main: string };
  electronFuses: Record<string, boolean>;
  win: { target: string[] };
  linux: { target: string[] };
  deb: { afterInstall: string; afterRemove: string };
  publish: { provider: string }[];
};
const packageJson = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string; main: string };

describe('the electron-builder config', () => {
  it("passes electron-builder's validation", async () => {
    const { $schema: _schema, ...checked } = config;
    await expect(validateConfiguration(checked, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('and a broken one does not (the validation is real)', async () => {
    const { $schema: _schema, ...checked } = config;
    await expect(validateConfiguration({ ...checked, nsis: { oneClick: 'sometimes' } }, new DebugLogger(false))).rejects.toThrow(/oneClick/);
  });

  it('builds Windows NSIS, deb and AppImage, updates from a generic (county hub) feed, and flips the fuses', () => {
    expect(config.win.target).toEqual(['nsis']);
    expect(config.linux.target).toEqual(['deb', 'AppImage']);
    expect(config.publish).toEqual([expect.objectContaining({ provider: 'generic' })]);
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
    expect(config.files).toContain('!node_modules/**');
    expect(config.extraMetadata.main).toBe(packageJson.main);
  });

  it('has its resources under build/: the icon and the autostart scripts of the deb', () => {
    const icon = readFileSync(join(root, 'build/icon.png'));
    expect(icon.subarray(1, 4).toString()).toBe('PNG');
    expect(icon.readUInt32BE(16)).toBeGreaterThanOrEqual(256);
    for (const script of [config.deb.afterInstall, config.deb.afterRemove]) accessSync(join(root, script), constants.X_OK);
    expect(readFileSync(join(root, config.deb.afterInstall), 'utf8')).toContain('/etc/xdg/autostart/cunban.desktop');
  });

  it("keeps one version for kiosk, shell and hub: package.json's", () => {
    expect(CUNBAN_VERSION).toBe(packageJson.version);
  });
});

describe('the shell build', () => {
  const out = mkdtempSync(join(tmpdir(), 'cunban-shell-build-'));
  afterAll(() => {
    rmSync(out, { recursive: true, force: true });
  });
  const required = (file: string) => [...readFileSync(join(out, 'electron', file), 'utf8').matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1] ?? '');

  it('is a main and a one-file preload that need only Electron and Node (no node_modules in the package)', async () => {
    for (const shellConfig of shellConfigs(out)) await build(shellConfig);
    expect(new Set(required('preload.cjs'))).toEqual(new Set(['electron']));
    const node = new Set([...builtinModules, ...builtinModules.map((name) => `node:${name}`)]);
    expect(required('main.cjs').filter((name) => name !== 'electron' && !node.has(name))).toEqual([]);
    const preload = readFileSync(join(out, 'electron', 'preload.cjs'), 'utf8');
    expect(preload).toContain('exposeInMainWorld("cunban"');
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*[,)]/);
  }, 120_000);
});
