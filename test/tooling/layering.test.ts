/**
 * The layering rules must actually fire: lint in-memory files placed in each part, and compile probe
 * files under core/'s own compiler options.
 */
import { resolve } from 'node:path';
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
// In-memory files have no place in a tsconfig, so lint them without type information; the layering rule needs none.
const eslint = new ESLint({ cwd: root, overrideConfig: tseslint.configs.disableTypeChecked });

async function layeringErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'cunban/layering').map((m) => m.message);
}

describe('cunban/layering', () => {
  it.each([
    ['core/probe.ts', "import { app } from 'electron';", "core/ may use only the packages zod, pinyin-pro, semver; 'electron' is not one of them."],
    ['core/probe.ts', "import { readFileSync } from 'node:fs';", "core/ has no Node.js: 'node:fs' is not available here."],
    ['core/probe.ts', "import http from 'http';", "core/ has no Node.js: 'http' is not available here."],
    ['core/probe.ts', "import type { RxDatabase } from 'rxdb';", "core/ may use only the packages zod, pinyin-pro, semver; 'rxdb' is not one of them."],
    ['core/probe.ts', "import { createElement } from 'react';", "core/ may use only the packages zod, pinyin-pro, semver; 'react' is not one of them."],
    ['core/probe.ts', "import nano from 'nano';", "core/ may use only the packages zod, pinyin-pro, semver; 'nano' is not one of them."],
    [
      'core/case/probe.ts',
      "import { loadHubConfig } from '../../sync-server/config.js';",
      "core/ may import only core/; '../../sync-server/config.js' is in sync-server/.",
    ],
    ['core/probe.ts', "export * from '../renderer/locale.js';", "core/ may import only core/; '../renderer/locale.js' is in renderer/."],
    [
      'core/probe.ts',
      "const m = await import('../electron/web-preferences.js');",
      "core/ may import only core/; '../electron/web-preferences.js' is in electron/.",
    ],
    [
      'sync-server/probe.ts',
      "import { pickLocale } from '../renderer/locale.js';",
      "sync-server/ may import only sync-server/ and core/; '../renderer/locale.js' is in renderer/.",
    ],
    [
      'sync-server/probe.ts',
      "import { app } from 'electron';",
      "sync-server/ may use only the packages nano, negotiator, qrcode, proxy-addr, rate-limiter-flexible, p-limit, pino, prom-client, js-yaml, semver, ipaddr.js, papaparse, express-pouchdb, pouchdb-core, pouchdb-adapter-http, pouchdb-adapter-leveldb, pouchdb-mapreduce, pouchdb-replication; 'electron' is not one of them.",
    ],
    [
      'sync-server/probe.ts',
      "import express from 'express';",
      "sync-server/ may use only the packages nano, negotiator, qrcode, proxy-addr, rate-limiter-flexible, p-limit, pino, prom-client, js-yaml, semver, ipaddr.js, papaparse, express-pouchdb, pouchdb-core, pouchdb-adapter-http, pouchdb-adapter-leveldb, pouchdb-mapreduce, pouchdb-replication; 'express' is not one of them.",
    ],
    ['renderer/probe.ts', "import { readFileSync } from 'node:fs';", "renderer/ has no Node.js: 'node:fs' is not available here."],
    [
      'renderer/probe.ts',
      "import { ipcRenderer } from 'electron';",
      "renderer/ may use only the packages react, react-dom, react-day-picker, rxdb, rxjs, recharts, qrcode, jsqr, @noble/ciphers, p-limit, papaparse; 'electron' is not one of them.",
    ],
    // A package nobody thought to deny: the renderer must not talk to CouchDB around RxDB.
    [
      'renderer/probe.ts',
      "import PouchDB from 'pouchdb-core';",
      "renderer/ may use only the packages react, react-dom, react-day-picker, rxdb, rxjs, recharts, qrcode, jsqr, @noble/ciphers, p-limit, papaparse; 'pouchdb-core' is not one of them.",
    ],
    [
      'renderer/probe.ts',
      "import { readFile } from 'fs-extra';",
      "renderer/ may use only the packages react, react-dom, react-day-picker, rxdb, rxjs, recharts, qrcode, jsqr, @noble/ciphers, p-limit, papaparse; 'fs-extra' is not one of them.",
    ],
    [
      'renderer/probe.ts',
      "import { loadHubConfig } from '../sync-server/config.js';",
      "renderer/ may import only renderer/ and core/; '../sync-server/config.js' is in sync-server/.",
    ],
    [
      'electron/probe.ts',
      "import { pickLocale } from '../renderer/locale.js';",
      "electron/ may import only electron/ and core/; '../renderer/locale.js' is in renderer/.",
    ],
    [
      'electron/probe.ts',
      "import { render } from 'react-dom';",
      "electron/ may use only the packages electron, electron-updater, js-yaml, zod; 'react-dom' is not one of them.",
    ],
    [
      'electron/probe.ts',
      "import nano from 'nano';",
      "electron/ may use only the packages electron, electron-updater, js-yaml, zod; 'nano' is not one of them.",
    ],
    ['core/probe.ts', "import x from '../../outside.js';", "core/ may import only core/; '../../outside.js' leaves the project's parts."],
  ])('refuses in %s: %s', async (file, code, message) => {
    expect(await layeringErrors(file, code)).toEqual([message]);
  });

  it.each([
    ['core/case/probe.ts', "import { z } from 'zod';\nimport { ok } from '../result.js';"],
    [
      'renderer/probe.ts',
      "import { ok } from '../core/result.js';\nimport { pickLocale } from './locale.js';\nimport { createRxDatabase } from 'rxdb/plugins/core';",
    ],
    ['sync-server/probe.ts', "import { createServer } from 'node:http';\nimport { ok } from '../core/result.js';"],
    ['electron/probe.ts', "import { join } from 'node:path';\nimport { LEVELS } from '../core/level.js';"],
    ['test/probe.ts', "import { loadHubConfig } from '../sync-server/config.js';\nimport { pickLocale } from '../renderer/locale.js';"],
  ])('allows in %s what its part may use', async (file, code) => {
    expect(await layeringErrors(file, code)).toEqual([]);
  });

  it('keeps core/ deterministic: no clock, no Math.random', async () => {
    const [result] = await eslint.lintText('export const a = Date.now() + Math.random();\nexport const b = new Date();', {
      filePath: resolve(root, 'core/probe.ts'),
    });
    const messages = (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
    expect(messages).toEqual(['core/ takes the time as a parameter.', 'core/ takes ids and randomness as parameters.', 'core/ takes the time as a parameter.']);
  });
});

describe('core/ compiler options', () => {
  function diagnosticsFor(source: string): string[] {
    const configFile = ts.readConfigFile(resolve(root, 'core/tsconfig.json'), (path) => ts.sys.readFile(path));
    const parsed = ts.parseJsonConfigFileContent(configFile.config, ts.sys, resolve(root, 'core'));
    const probe = resolve(root, 'core/__probe__.ts');
    const options = { ...parsed.options, noEmit: true, composite: false, declaration: false, emitDeclarationOnly: false };
    const host = ts.createCompilerHost(options);
    const readFile = host.readFile.bind(host);
    host.readFile = (path) => (path === probe ? source : readFile(path));
    const fileExists = host.fileExists.bind(host);
    host.fileExists = (path) => path === probe || fileExists(path);
    const program = ts.createProgram([probe], options, host);
    return ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }

  it('know nothing of the DOM, Node, timers or console', () => {
    const errors = diagnosticsFor(
      'export const a = document.title;\nexport const b = process.env;\nexport const c = setTimeout;\nconsole.log(a);\nexport const d = fetch;',
    );
    for (const name of ['document', 'process', 'setTimeout', 'console', 'fetch']) {
      expect(errors.some((e) => e.includes(`Cannot find name '${name}'`))).toBe(true);
    }
  });

  it('compile plain domain code', () => {
    expect(diagnosticsFor("import { ok } from './result.js';\nexport const x = ok(1);")).toEqual([]);
  });
});

describe('the Electron security checklist, as lint', () => {
  const restricted = async (filePath: string, code: string) => {
    const [result] = await eslint.lintText(code, { filePath: resolve(root, filePath) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  };
  it.each([
    ["import { BrowserWindow } from 'electron';\nnew BrowserWindow({});", 'Kiosk windows come from createKioskWindow (window-factory.ts) only.'],
    ["import electron from 'electron';\nnew electron.BrowserWindow({});", 'Kiosk windows come from createKioskWindow (window-factory.ts) only.'],
    ['export const prefs = { nodeIntegration: true };', 'Unsafe webPreferences: use secureWebPreferences().'],
    ['export const prefs = { contextIsolation: false };', 'Unsafe webPreferences: use secureWebPreferences().'],
    ["import { shell } from 'electron';\nvoid shell.openExternal('https://example.com');", 'A kiosk never opens external applications or pages.'],
    [
      "import { contextBridge, ipcRenderer } from 'electron';\ncontextBridge.exposeInMainWorld('x', { ipc: ipcRenderer });",
      'Expose named functions (bridgeOf), never ipcRenderer itself.',
    ],
  ])('refuses in electron/: %s', async (code, message) => {
    expect(await restricted('electron/probe.ts', code)).toEqual([message]);
  });

  it('allows the window factory its one constructor, and the preload its invoke', async () => {
    expect(await restricted('electron/window-factory.ts', 'declare const BrowserWindow: new (o: object) => object;\nnew BrowserWindow({});')).toEqual([]);
    expect(
      await restricted(
        'electron/probe.ts',
        "import { contextBridge, ipcRenderer } from 'electron';\ncontextBridge.exposeInMainWorld('x', { call: (c: string) => ipcRenderer.invoke(c) });",
      ),
    ).toEqual([]);
  });
});
