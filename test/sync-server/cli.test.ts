/** `cunban-hub` as an operator runs it: real processes, `--json` output, on a fresh data directory. */
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash, verify } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollmentQrSchema } from '../../core/api/enrollment.js';
import { HUB_ENVIRONMENT, loadHubConfig } from '../../sync-server/config.js';
import { acquireStore } from '../../sync-server/hub.js';
import { keyRingFingerprint, loadKeyRing } from '../../sync-server/keyring.js';
import { DB } from '../../sync-server/store/names.js';
import { eventually } from '../support/eventually.js';
import { dropPrefixedDatabases } from './hub-harness.js';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);
const dataDir = mkdtempSync(join(tmpdir(), 'cunban-cli-'));
const prefix = `c${Date.now().toString(36)}_`;
const env = { ...process.env, CUNBAN_DATA_DIR: dataDir, CUNBAN_DB_PREFIX: process.env.COUCHDB_URL ? prefix : '' };

async function cli(...args: string[]): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['bin/cunban-hub.js', ...args, '--json'], { cwd: root, env, timeout: 120_000 });
  return JSON.parse(stdout) as unknown;
}

async function cliFailure(...args: string[]): Promise<{ error: string; message: string }> {
  const failure = await run(process.execPath, ['bin/cunban-hub.js', ...args, '--json'], { cwd: root, env }).then(
    () => {
      throw new Error(`expected ${args.join(' ')} to fail`);
    },
    (error: unknown) => error as { code: number; stderr: string },
  );
  expect(failure.code).toBe(1);
  return JSON.parse(failure.stderr) as { error: string; message: string };
}

/** How many enrollment codes the store holds (read between CLI runs: the embedded store is one process's at a time). */
async function enrollmentCodeCount(): Promise<number> {
  const config = loadHubConfig(env);
  if (!config.ok) throw new Error('fixture');
  const acquired = await acquireStore(config.value);
  try {
    const ids = await acquired.store.idsWithPrefix(DB.kiosks, 'enroll:');
    if (!ids.ok) throw new Error(ids.error.reason);
    return ids.value.length;
  } finally {
    await acquired.release();
  }
}

let seeded: { init: { villages: number; created: string[] }; reviewersCreated: { name: string; password: string }[]; enrollment: { code: string; qr: string } };

beforeAll(async () => {
  seeded = (await cli('seed-demo')) as typeof seeded;
}, 180_000);

afterAll(async () => {
  if (process.env.COUCHDB_URL) {
    const config = loadHubConfig(env);
    if (config.ok) {
      const acquired = await acquireStore(config.value);
      await dropPrefixedDatabases(acquired.store, prefix);
      await acquired.release();
    }
  }
  rmSync(dataDir, { recursive: true, force: true });
});

describe('cunban-hub seed-demo and init', () => {
  it('provision the demo county: the catalog database and all 179 village databases', () => {
    expect(seeded.init.villages).toBe(179);
    const villageDbs = seeded.init.created.filter((name) => name.startsWith('village_'));
    expect(villageDbs).toHaveLength(179);
    expect(seeded.init.created).toContain('catalog');
    expect(seeded.reviewersCreated.map((r) => r.name)).toEqual(['county-admin', 'yezhou-reviewer']);
    const saved = JSON.parse(readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8')) as unknown[];
    expect(saved).toHaveLength(2);
    expect(enrollmentQrSchema.parse(JSON.parse(seeded.enrollment.qr)).code).toBe(seeded.enrollment.code);
  });

  it('init is idempotent: a second run creates and changes nothing', async () => {
    expect(await cli('init')).toEqual({
      storeSchemaVersion: 7,
      villages: 179,
      created: [],
      updated: [],
      keyRingFingerprint: keyRingFingerprint(loadKeyRing(dataDir)),
      keyRingCreated: false,
    });
  });

  it('seed-demo run again keeps the reviewers it made and issues a fresh code', async () => {
    const again = (await cli('seed-demo')) as typeof seeded;
    expect(again.reviewersCreated).toEqual([]);
    expect(again.init.created).toEqual([]);
    expect(again.enrollment.code).not.toBe(seeded.enrollment.code);
  });
});

describe('cunban-hub enroll, kiosks and users', () => {
  it('issues an enrollment code with a QR code image', async () => {
    const png = join(dataDir, 'enroll.png');
    const issued = (await cli('enroll', '--village', '422822203001', '--hours', '2', '--qr-png', png)) as {
      code: string;
      villageName: string;
      expiresAt: string;
    };
    expect(issued.code).toMatch(/^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    expect(issued.villageName).toBeTruthy();
    expect(Date.parse(issued.expiresAt) - Date.now()).toBeGreaterThan(1.9 * 3600_000);
    // Times for people are China's: with the offset in --json, and as the screens show them otherwise.
    expect(issued.expiresAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+08:00$/);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    const { stdout } = await run(process.execPath, ['bin/cunban-hub.js', 'enroll', '--village', '422822203001', '--hours', '2'], { cwd: root, env });
    const until = /Valid until (\d{4}-\d{2}-\d{2} \d{2}:\d{2}) \(UTC\+8\)/.exec(stdout)?.[1];
    expect(until).toBe(new Date(Date.now() + 2 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 16).replace('T', ' '));
  });

  it('issues no code whose QR image it cannot write, and keeps a file already there when no code is issued', async () => {
    const before = await enrollmentCodeCount();
    const png = (name: string) => cliFailure('enroll', '--village', '422822203001', '--qr-png', name);
    expect(await png(join(dataDir, 'no-such-folder', 'enroll.png'))).toMatchObject({
      error: 'enroll.qrPng',
      message: expect.stringContaining('ENOENT') as string,
    });
    expect(await png(join(dataDir, `${'码'.repeat(100)}.png`))).toMatchObject({
      error: 'enroll.qrPng',
      message: expect.stringContaining('ENAMETOOLONG') as string,
    });
    mkdirSync(join(dataDir, 'folder.png'));
    expect(await png(join(dataDir, 'folder.png'))).toMatchObject({ error: 'enroll.qrPng', message: expect.stringContaining('a folder') as string });
    // Only a .png: never the key ring or a password file, whoever runs it.
    const ring = readFileSync(join(dataDir, 'county-keys.json'));
    expect(await png(join(dataDir, 'county-keys.json'))).toMatchObject({
      error: 'enroll.qrPng',
      message: expect.stringContaining('name a .png file') as string,
    });
    expect(readFileSync(join(dataDir, 'county-keys.json'))).toEqual(ring);
    // Not a plain file: a pipe (never waited on), a link (to nowhere, or to standard output sent to a log).
    const notPlain = expect.stringMatching(/not a plain file|a link/) as string;
    const toStdout = join(dataDir, 'stdout.png');
    symlinkSync('/dev/stdout', toStdout);
    expect(await png(toStdout)).toMatchObject({ error: 'enroll.qrPng', message: notPlain });
    const pipe = join(dataDir, 'pipe.png');
    await run('mkfifo', [pipe]);
    expect(await png(pipe)).toMatchObject({ error: 'enroll.qrPng', message: notPlain });
    const dangling = join(dataDir, 'dangling.png');
    symlinkSync(join(dataDir, 'nowhere', 'x.png'), dangling);
    expect(await png(dangling)).toMatchObject({ error: 'enroll.qrPng', message: notPlain });
    expect(lstatSync(dangling).isSymbolicLink()).toBe(true);
    // Refused by the store after the file was opened: a file that was there is kept whole, a new one is not left behind.
    const kept = join(dataDir, 'kept.png');
    writeFileSync(kept, 'an earlier code', { mode: 0o644 });
    expect(await cliFailure('enroll', '--village', '422822999999', '--qr-png', kept)).toMatchObject({ error: 'enroll.unknownVillage' });
    expect(readFileSync(kept, 'utf8')).toBe('an earlier code');
    const fresh = join(dataDir, 'fresh.png');
    expect(await cliFailure('enroll', '--village', '422822999999', '--qr-png', fresh)).toMatchObject({ error: 'enroll.unknownVillage' });
    expect(existsSync(fresh)).toBe(false);
    expect(await enrollmentCodeCount()).toBe(before);
    // And a code issued over a file replaces it whole, readable by its owner only (it enrolls a kiosk).
    await cli('enroll', '--village', '422822203001', '--qr-png', kept);
    expect(readFileSync(kept).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(statSync(kept).mode & 0o777).toBe(0o600);
    // A name near the system's limit (250 bytes) gets its image: nothing longer is made beside it.
    const nearLimit = join(dataDir, `${'码'.repeat(82)}.png`);
    await cli('enroll', '--village', '422822203001', '--qr-png', nearLimit);
    expect(readFileSync(nearLimit).subarray(1, 4).toString()).toBe('PNG');
    expect(await enrollmentCodeCount()).toBe(before + 2);
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('stopped with Ctrl-C before the code is issued, leaves no empty image file behind', async () => {
    // A store that takes the connection and never answers: the code is still being issued when Ctrl-C comes.
    const silent = createServer(() => undefined);
    await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening));
    const { port } = silent.address() as AddressInfo;
    const png = join(dataDir, 'interrupted.png');
    const child = spawn(process.execPath, ['bin/cunban-hub.js', 'enroll', '--village', '422822203001', '--qr-png', png], {
      cwd: root,
      env: { ...env, COUCHDB_URL: `http://admin:admin@127.0.0.1:${String(port)}/` },
    });
    try {
      const ended = new Promise<number | null>((done) => child.on('exit', done));
      await eventually(() => (existsSync(png) ? true : undefined), 'the image file to be made');
      child.kill('SIGINT');
      expect(await ended).toBe(130);
      expect(existsSync(png)).toBe(false);
      expect(readdirSync(dataDir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      child.kill('SIGKILL');
      silent.closeAllConnections();
      silent.close();
    }
  });

  it('refuses a village that is not in the county, a malformed code, and an unknown kiosk', async () => {
    expect(await cliFailure('enroll', '--village', '422822999999')).toMatchObject({ error: 'enroll.unknownVillage' });
    expect(await cliFailure('enroll', '--village', '4228')).toMatchObject({ error: 'enroll.badVillage' });
    expect(await cliFailure('enroll', '--kiosk', 'kiosk-1')).toMatchObject({ error: 'enroll.badKiosk' });
    expect(await cliFailure('enroll', '--kiosk', 'kiosk-422822100202-42')).toMatchObject({ error: 'kiosk.unknown' });
  });

  it('lists no kiosks before any enrolled, and refuses to revoke an unknown one', async () => {
    expect(await cli('kiosks', 'list')).toEqual([]);
    expect(await cliFailure('kiosks', 'revoke', 'kiosk-422822100202-42')).toMatchObject({ error: 'kiosk.unknown' });
  });

  it('adds county and town reviewers with hashed passwords, and refuses bad input', async () => {
    const county = (await cli('users', 'add', '--role', 'county', '--name', 'zhang-min')) as { name: string; password: string };
    expect(county.password.length).toBeGreaterThanOrEqual(12);
    const town = await cli('users', 'add', '--role', 'town', '--town', '422822101000', '--name', 'gaoping-1', '--password', 'a-long-password');
    expect(town).toMatchObject({ name: 'gaoping-1', role: 'town', town: '422822101000' });
    expect(JSON.stringify(town)).not.toContain('passwordHash');
    expect(await cliFailure('users', 'add', '--role', 'town', '--name', 'no-town')).toMatchObject({ error: 'user.townRequired' });
    expect(
      await cliFailure('users', 'add', '--role', 'town', '--town', '422822999000', '--name', 'no-such-town', '--password', 'a-long-password'),
    ).toMatchObject({
      error: 'user.unknownTown',
    });
    expect(await cliFailure('users', 'add', '--role', 'county', '--name', 'zhang-min')).toMatchObject({ error: 'user.exists' });
    expect(await cliFailure('users', 'add', '--role', 'county', '--name', 'short', '--password', 'short')).toMatchObject({ error: 'user.weakPassword' });
    // A display name is how cases and kiosks name the reviewer.
    expect(await cli('users', 'add', '--role', 'county', '--name', 'li-qiang', '--display-name', '李强')).toMatchObject({
      name: 'li-qiang',
      displayName: '李强',
    });
    expect(await cliFailure('users', 'add', '--role', 'county', '--name', 'odd-name', '--display-name', '<b>x</b>')).toMatchObject({
      error: 'user.badDisplayName',
    });
  });

  it('sets, shows and lifts the minimum kiosk version, and refuses what is not a version', async () => {
    expect(await cli('fleet', 'show')).toEqual({});
    expect(await cli('fleet', 'minimum-version', '0.2.0')).toMatchObject({ kind: 'cunban.fleetPolicy', minimumKioskVersion: '0.2.0', updatedBy: 'cli' });
    expect(await cli('fleet', 'show')).toMatchObject({ minimumKioskVersion: '0.2.0' });
    expect(await cliFailure('fleet', 'minimum-version', 'latest')).toMatchObject({ error: 'fleet.badVersion' });
    expect(await cliFailure('fleet', 'minimum-version')).toMatchObject({ error: 'fleet.usage' });
    const lifted = await cli('fleet', 'minimum-version', '--clear');
    expect(lifted).not.toHaveProperty('minimumKioskVersion');
    expect(await cli('fleet', 'show')).not.toHaveProperty('minimumKioskVersion');
  });

  it('backs the hub up to a file without the county key ring, and restores it; a file that is not a backup is refused', async () => {
    const file = join(dataDir, 'hub-backup.jsonl.gz');
    // The ring the hub made at its first enrollment (made here, as none happened yet).
    const ring = loadKeyRing(dataDir);
    const backedUp = (await cli('backup', file)) as { databases: number; documents: number };
    // A village database and a hall database per village, and the eight control and catalog databases.
    expect(backedUp.databases).toBe(179 * 2 + 8);
    expect(backedUp.documents).toBeGreaterThan(179);
    const content = gunzipSync(readFileSync(file)).toString('utf8');
    expect(content).not.toContain(ring.blindIndexKey);
    expect(JSON.parse(content.split('\n')[0] ?? '')).toMatchObject({ kind: 'cunban.backup', version: 2 });
    // Restored, the hub sets aside in each village the kiosk numbers kiosks enrolled after the backup may hold.
    expect(await cli('restore', file, '--set-aside', '2')).toEqual({ ...backedUp, numbersSetAside: 179 * 2 });
    expect(await cli('init')).toMatchObject({ created: [], updated: [] });
    // Such a kiosk can be re-enrolled under its own id; a number not set aside is no kiosk.
    expect(await cli('enroll', '--kiosk', 'kiosk-422822100202-02')).toMatchObject({ village: '422822100202' });
    expect(await cliFailure('enroll', '--kiosk', 'kiosk-422822100202-03')).toMatchObject({ error: 'kiosk.unknown' });
    // After a restore by CouchDB's own means, the same by hand.
    expect(await cli('kiosks', 'set-aside-numbers', '--set-aside', '1')).toEqual({ numbersSetAside: 179 });
    for (const bad of ['many', '', '1e1', '99'])
      expect(await cliFailure('kiosks', 'set-aside-numbers', '--set-aside', bad)).toMatchObject({ error: 'restore.badSetAside' });
    expect(await cliFailure('restore', join(dataDir, 'no-such-backup.gz'))).toMatchObject({ error: 'backup.notABackup' });
    expect(await cliFailure('enroll', '--kiosk', 'kiosk-422822100202-02', '--village', '422822100212')).toMatchObject({ error: 'enroll.usage' });
    // A misspelt option is a line saying so, not a stack trace.
    const typo = await run(process.execPath, ['bin/cunban-hub.js', 'restore', 'x', '--setaside', '2'], { cwd: root, env }).catch(
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(typo).toMatchObject({ code: 2, stderr: expect.stringMatching(/^cunban-hub: Unknown option '--setaside'/) as string });
    expect((typo as { stderr: string }).stderr).not.toContain('    at ');
    const negative = await run(process.execPath, ['bin/cunban-hub.js', 'restore', 'x', '--set-aside', '-1'], { cwd: root, env }).catch(
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(negative).toMatchObject({ code: 2 });
    expect((negative as { stderr: string }).stderr.trim().split('\n')).toHaveLength(1);
    const notABackup = join(dataDir, 'not-a-backup.gz');
    writeFileSync(notABackup, gzipSync('{"hello":"world"}\n'));
    expect(await cliFailure('restore', notABackup)).toMatchObject({ error: 'backup.notABackup' });
    expect(readdirSync(dataDir).filter((name) => name.endsWith('.partial'))).toEqual([]);
  }, 120_000);

  it('refuses a damaged or cut-short backup, or a folder, before touching the store', async () => {
    const file = join(dataDir, 'whole.jsonl.gz');
    await cli('backup', file);
    const whole = readFileSync(file);
    const cut = join(dataDir, 'cut.jsonl.gz');
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length / 2)));
    // Cut at a line, then gzipped again whole: only the trailer's counts tell.
    const lines = gunzipSync(whole).toString('utf8').split('\n');
    const short = join(dataDir, 'short.jsonl.gz');
    writeFileSync(short, gzipSync([...lines.slice(0, Math.floor(lines.length / 2)), lines.at(-2) ?? ''].join('\n')));
    // Cut at a line and gzipped whole again, its end lost with the rest (found by a re-check: it restored half a county).
    const endless = join(dataDir, 'endless.jsonl.gz');
    writeFileSync(endless, gzipSync(lines.slice(0, 14).join('\n')));
    for (const damaged of [cut, short, endless, dataDir]) {
      expect(await cliFailure('restore', damaged)).toMatchObject({
        error: 'backup.notABackup',
        message: expect.stringContaining('nothing was restored') as unknown,
      });
    }
    // The county is all there: init finds nothing to make again.
    expect(await cli('init')).toMatchObject({ villages: 179, created: [], updated: [] });
  }, 120_000);

  it('makes an update signing key, never over an existing one, and publishes a signed release', async () => {
    const keyFile = join(dataDir, 'county-update.key');
    const keys = (await cli('updates', 'keygen', '--out', keyFile)) as { publicKeyPem: string };
    expect(keys.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(await cliFailure('updates', 'keygen', '--out', keyFile)).toMatchObject({ error: 'updates.exists' });
    const release = mkdtempSync(join(tmpdir(), 'cunban-release-'));
    const installer = Buffer.from('installer bytes');
    const sha512 = createHash('sha512').update(installer).digest('base64');
    writeFileSync(join(release, 'Cunban-0.3.0.exe'), installer);
    writeFileSync(join(release, 'latest.yml'), `version: 0.3.0\nfiles:\n  - url: Cunban-0.3.0.exe\n    sha512: ${sha512}\n`);
    expect(await cli('updates', 'publish', release, '--key', keyFile)).toEqual({ version: '0.3.0', manifests: ['latest.yml'], files: ['Cunban-0.3.0.exe'] });
    const signature = Buffer.from(readFileSync(join(dataDir, 'updates', 'latest.yml.sig'), 'utf8').trim(), 'base64');
    expect(verify(null, readFileSync(join(dataDir, 'updates', 'latest.yml')), keys.publicKeyPem, signature)).toBe(true);
    expect(await cliFailure('updates', 'publish', release, '--key', keyFile)).toMatchObject({ error: 'publish.notNewer' });
    rmSync(release, { recursive: true, force: true });
  });

  it('stops with a message naming a misconfigured variable', async () => {
    const failure = await run(process.execPath, ['bin/cunban-hub.js', 'init', '--json'], {
      cwd: root,
      env: { ...env, COUCHDB_URL: 'http://no-credentials:5984/' },
    }).catch((error: unknown) => error as { stderr: string });
    expect(JSON.parse(failure.stderr)).toMatchObject({ error: 'config.invalid', message: expect.stringContaining('COUCHDB_URL') as string });
  });

  it('says a command is unknown, and --help lists every variable the hub reads', async () => {
    const unknown = await cliFailure('bogus');
    expect(unknown).toMatchObject({ error: 'usage', message: expect.stringMatching(/^Unknown command: bogus\n/) as string });
    const { stdout } = await run(process.execPath, ['bin/cunban-hub.js', '--help'], { cwd: root, env });
    for (const variable of Object.keys(HUB_ENVIRONMENT)) expect(stdout).toContain(variable);
    expect(stdout).toContain('CUNBAN_APPS_DIR');
    expect(stdout).toContain('CUNBAN_UPDATES_DIR');
  });

  it('leaves no embedded store running after a command', () => {
    expect(existsSync(join(dataDir, 'store-runtime.json'))).toBe(false);
  });
});
