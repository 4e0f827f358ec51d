/**
 * `cunban-hub doctor` (issue 21): a hub's configuration checked against its store, each fault found and
 * said in plain words — on a real hub and its store, each fault made for real.
 */
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diagnoseHub, type DoctorOptions, type Finding } from '../../sync-server/doctor.js';
import type { HubConfig } from '../../sync-server/config.js';
import { createKeyRing, keyringFile } from '../../sync-server/keyring.js';
import { DB } from '../../sync-server/store/names.js';
import { openStore } from '../../sync-server/store/store.js';
import { startTestHub, type TestHub } from './hub-harness.js';
import { selfSignedCertificate } from '../support/tls.js';
import { CUNBAN_VERSION } from '../../core/version.js';

const root = resolve(import.meta.dirname, '../..');
let t: TestHub;
let storeUrl: URL;
const scratch = mkdtempSync(join(tmpdir(), 'cunban-doctor-'));

beforeAll(async () => {
  t = await startTestHub();
  storeUrl = t.hub.embedded?.url ?? new URL(process.env.COUCHDB_URL ?? '');
}, 60_000);

afterAll(async () => {
  await t.close();
  rmSync(scratch, { recursive: true, force: true });
});

/** The findings for this hub's configuration with `changes`, as a map from check to finding. */
async function diagnose(changes: Partial<HubConfig> = {}, options: DoctorOptions = {}, url = storeUrl): Promise<Map<string, Finding>> {
  const config = { ...t.config, publicUrl: new URL(`${t.base}/`), ...changes };
  const store = url === storeUrl ? t.hub.store : openStore({ url, kind: t.hub.store.kind, prefix: t.config.dbPrefix });
  const findings = await diagnoseHub(config, store, url, options);
  return new Map(findings.map((found) => [found.check, found]));
}

const statuses = (found: Map<string, Finding>) => Object.fromEntries([...found].map(([check, { status }]) => [check, status]));

describe('cunban-hub doctor', () => {
  it('finds nothing wrong with a provisioned hub, its store, ring, public URL, clock and disk', async () => {
    const found = await diagnose();
    expect(statuses(found)).toMatchObject({ 'store.admin': 'ok', schema: 'ok', keyring: 'ok', publicUrl: 'ok', clock: 'ok', disk: 'ok' });
    // The embedded store serves, but is named for what it is: a demo's or a small county's.
    if (t.hub.store.kind === 'embedded')
      expect(found.get('store')).toMatchObject({ status: 'warn', message: expect.stringContaining('COUCHDB_URL') as unknown });
    else expect(found.get('store')?.status).toBe('ok');
    expect(found.get('schema')?.message).toContain('4 villages provisioned');
  });

  it('says when the store does not answer, and checks nothing that needs it', async () => {
    const found = await diagnose({}, { timeoutMs: 2000 }, new URL('http://admin:admin@127.0.0.1:9/'));
    expect(found.get('store')).toMatchObject({ status: 'fail', message: expect.stringContaining('did not answer') as unknown });
    expect(found.get('keyring')?.message).toMatch(/^Not checked/);
  });

  it('says when the credentials are not a server admin’s', async () => {
    const wrong = new URL(storeUrl);
    wrong.password = 'not-the-password';
    const found = await diagnose({}, {}, wrong);
    expect(found.get('store.admin')).toMatchObject({ status: 'fail', message: expect.stringContaining('server admin') as unknown });
  });

  it('says the store must be upgraded by init, or this hub upgraded, when the schemas differ', async () => {
    const schema = await t.hub.store.getDoc<{ version: number }>(DB.meta, 'store-schema');
    if (!schema.ok) throw new Error(schema.error.reason);
    const write = async (version: number) => {
      const current = await t.hub.store.getDoc<{ version: number }>(DB.meta, 'store-schema');
      if (!current.ok) throw new Error(current.error.reason);
      await t.hub.store.putDoc(DB.meta, { ...current.value, version });
    };
    try {
      await write(schema.value.version - 1);
      expect((await diagnose()).get('schema')).toMatchObject({ status: 'fail', message: expect.stringContaining('run `cunban-hub init` once') as unknown });
      await write(schema.value.version + 1);
      expect((await diagnose()).get('schema')).toMatchObject({ status: 'fail', message: expect.stringContaining('upgrade this hub') as unknown });
    } finally {
      await write(schema.value.version);
    }
  });

  it('says a ring is missing, another county’s, or readable by others — and which file', async () => {
    const elsewhere = mkdtempSync(join(scratch, 'ring-'));
    const missing = (await diagnose({ dataDir: elsewhere })).get('keyring');
    expect(missing).toMatchObject({ status: 'fail', message: expect.stringContaining('Copy county-keys.json') as unknown });
    createKeyRing(elsewhere);
    const foreign = (await diagnose({ dataDir: elsewhere })).get('keyring');
    expect(foreign).toMatchObject({ status: 'fail', message: expect.stringContaining('is not the county') as unknown });
    copyFileSync(keyringFile(t.config.dataDir), keyringFile(elsewhere));
    chmodSync(keyringFile(elsewhere), 0o644);
    expect((await diagnose({ dataDir: elsewhere })).get('keyring')).toMatchObject({ status: 'fail', message: expect.stringContaining('chmod 600') as unknown });
  });

  it('says when the public URL does not answer, or answers as something else', async () => {
    const closed = (await diagnose({ publicUrl: new URL('http://127.0.0.1:9/') }, { timeoutMs: 2000 })).get('publicUrl');
    expect(closed).toMatchObject({ status: 'fail', message: expect.stringContaining('is the hub running') as unknown });
    const other = createServer((_req, res) => res.end('<html>default nginx page</html>'));
    await new Promise<void>((listening) => other.listen(0, '127.0.0.1', listening));
    const address = other.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    try {
      const found = (await diagnose({ publicUrl: new URL(`http://127.0.0.1:${String(port)}/`) })).get('publicUrl');
      expect(found).toMatchObject({ status: 'fail', message: expect.stringContaining("check the proxy's upstream") as unknown });
    } finally {
      other.close();
    }
    expect((await diagnose({ publicUrl: undefined })).get('publicUrl')?.status).toBe('warn');
  });

  it('says when the public URL reaches another county’s hub, or a hub whose store is down', async () => {
    const answers: { status: number; county: string; store: 'up' | 'down' }[] = [
      { status: 200, county: '110101000000', store: 'up' },
      { status: 503, county: '422822000000', store: 'down' },
    ];
    for (const answer of answers) {
      const health = {
        ok: answer.store === 'up',
        county: answer.county,
        store: { kind: 'couchdb', status: answer.store },
        versions: { hub: CUNBAN_VERSION, caseSchema: 1, catalogSchema: 1, storeSchema: 7 },
      };
      const other = createServer((_req, res) => {
        res.writeHead(answer.status, { 'content-type': 'application/json' }).end(JSON.stringify(health));
      });
      await new Promise<void>((listening) => other.listen(0, '127.0.0.1', listening));
      const address = other.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      try {
        const found = (await diagnose({ publicUrl: new URL(`http://127.0.0.1:${String(port)}/`) })).get('publicUrl');
        expect(found).toMatchObject({
          status: 'fail',
          message: expect.stringContaining(answer.store === 'down' ? 'store is down' : 'another county (110101000000') as unknown,
        });
      } finally {
        other.close();
      }
    }
  });

  it('says whether the hub’s port is free, held by a hub, or taken by another program', async () => {
    // The test hub listens on its port: a hub holds it.
    expect((await diagnose({ port: t.hub.port })).get('port')).toMatchObject({
      status: 'ok',
      message: expect.stringContaining('A Cunban hub is listening') as unknown,
    });
    const other = createServer((_req, res) => res.end('not a hub'));
    await new Promise<void>((listening) => other.listen(0, '127.0.0.1', listening));
    const address = other.address();
    try {
      const port = typeof address === 'object' && address ? address.port : 0;
      expect((await diagnose({ port })).get('port')).toMatchObject({ status: 'fail', message: expect.stringContaining('taken by another program') as unknown });
    } finally {
      other.close();
    }
  });

  it('says when the hub’s own certificate and key would not load', async () => {
    const dir = mkdtempSync(join(scratch, 'tls-'));
    const certificate = selfSignedCertificate(dir);
    expect((await diagnose({ tls: { cert: certificate.cert, key: certificate.key } })).get('tls')?.status).toBe('ok');
    const missing = (await diagnose({ tls: { cert: join(dir, 'nope.pem'), key: certificate.key } })).get('tls');
    expect(missing).toMatchObject({ status: 'fail', message: expect.stringContaining('would not start') as unknown });
  });

  it('warns that limits count the proxy when an HTTPS public URL is proxied without CUNBAN_TRUST_PROXY', async () => {
    const found = await diagnose({ publicUrl: new URL('https://hub.jianshi.example/') }, { timeoutMs: 500 });
    expect(found.get('proxy')).toMatchObject({ status: 'warn', message: expect.stringContaining('CUNBAN_TRUST_PROXY') as unknown });
    expect((await diagnose({ publicUrl: new URL('https://hub.jianshi.example/'), trustProxy: 1 }, { timeoutMs: 500 })).has('proxy')).toBe(false);
  });

  it('says when this machine’s clock is off the store’s (on CouchDB, another machine)', async () => {
    const ahead = () => new Date(Date.now() + 5 * 60_000);
    const clock = (await diagnose({}, { now: ahead })).get('clock');
    if (t.hub.store.kind === 'couchdb')
      expect(clock).toMatchObject({ status: 'fail', message: expect.stringMatching(/\b(299|300|301) s ahead of the store/) as unknown });
    else expect(clock).toMatchObject({ status: 'ok', message: expect.stringContaining('runs on this machine') as unknown });
  });

  it('says when the data directory’s disk is nearly full, or not writable', async () => {
    expect((await diagnose({}, { diskFailBytes: Number.MAX_SAFE_INTEGER })).get('disk')?.status).toBe('fail');
    expect((await diagnose({}, { diskFailBytes: 0, diskWarnBytes: Number.MAX_SAFE_INTEGER })).get('disk')?.status).toBe('warn');
    expect((await diagnose({ dataDir: join(scratch, 'no-such-dir') })).get('disk')).toMatchObject({
      status: 'fail',
      message: expect.stringContaining('does not exist') as unknown,
    });
  });

  it('as a command: exits 1 and says what to run on a store not yet provisioned', async () => {
    const empty = mkdtempSync(join(scratch, 'fresh-'));
    const env = { ...process.env, CUNBAN_DATA_DIR: empty, CUNBAN_DB_PREFIX: process.env.COUCHDB_URL ? `dr${Date.now().toString(36)}_` : '' };
    const failed = await promisify(execFile)(process.execPath, ['bin/cunban-hub.js', 'doctor'], { cwd: root, env }).then(
      () => undefined,
      (error: unknown) => error as { code: number; stdout: string },
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toMatch(/FAIL {2}schema +The store has not been provisioned: run `cunban-hub init`/);
    expect(failed?.stdout).toMatch(/problem\(s\) to fix before this hub serves/);
  }, 60_000);
});
