/**
 * Signed kiosk updates (issue 15 §2), end to end without the Electron binary: a release signed and
 * published by `cunban-hub updates publish`, served by a real hub at /updates/, checked by the kiosk's
 * main-process code exactly as main wires it — with electron-updater replaced by a stand-in that reports
 * what it "downloaded". Tampered installer, tampered manifest, no signature, another key and a replayed
 * older release are refused; a signed newer release reaches the install gate.
 */
import { createHash } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpdateRefusal } from '../../core/update-manifest.js';
import { startKioskUpdates, type Updater } from '../../electron/kiosk-updates.js';
import { updateGate } from '../../electron/update-gate.js';
import { pemBlocks } from '../../electron/update-keys.js';
import { verifyDownloadedUpdate, type FetchBytes } from '../../electron/update-verify.js';
import { generateUpdateKeys, publishUpdates } from '../../sync-server/update-publish.js';
import { startTestHub, type TestHub } from '../sync-server/hub-harness.js';
import { httpsGet, selfSignedCertificate } from '../support/tls.js';

const work = mkdtempSync(join(tmpdir(), 'cunban-updates-'));
let hub: TestHub;
let feedUrl: string;
let updatesDir: string;
let publicKeyPem: string;
let privateKeyPem: string;
/** The kiosk's fetch, trusting the test hub's certificate as a kiosk trusts the county's. */
let fetchBytes: FetchBytes;

/** An electron-builder output folder: an installer and its manifest, for `version`. */
function release(version: string, bytes: Buffer): string {
  const dir = mkdtempSync(join(work, `release-${version}-`));
  const name = `Cunban-${version}.AppImage`;
  writeFileSync(join(dir, name), bytes);
  const sha512 = createHash('sha512').update(bytes).digest('base64');
  writeFileSync(
    join(dir, 'latest-linux.yml'),
    `version: ${version}\nfiles:\n  - url: ${name}\n    sha512: ${sha512}\n    size: ${String(bytes.length)}\npath: ${name}\nsha512: ${sha512}\nreleaseDate: '2026-11-30T00:00:00.000Z'\n`,
  );
  return dir;
}

/** What electron-updater would have left on disk after downloading `bytes`. */
function downloaded(bytes: Buffer, name = 'Cunban-0.3.0.AppImage'): string {
  const file = join(mkdtempSync(join(work, 'download-')), name);
  writeFileSync(file, bytes);
  return file;
}

const installer = Buffer.from(Array.from({ length: 20_000 }, (_, i) => (i * 7) % 256));

async function verdict(options: { running?: string; version?: string; file?: string; keys?: readonly string[] } = {}): Promise<UpdateRefusal | 'accepted'> {
  const result = await verifyDownloadedUpdate({
    feedUrl,
    platform: 'linux',
    running: options.running ?? '0.2.0',
    publicKeys: options.keys ?? [publicKeyPem],
    downloaded: { version: options.version ?? '0.3.0', file: options.file ?? downloaded(installer) },
    fetchBytes,
  });
  return result.ok ? 'accepted' : result.error;
}

beforeAll(async () => {
  const certificate = selfSignedCertificate(work);
  fetchBytes = async (url) => {
    const answer = await httpsGet(url, certificate.ca);
    return { status: answer.status, bytes: answer.bytes };
  };
  hub = await startTestHub({ seed: false, config: { tls: { cert: certificate.cert, key: certificate.key } } });
  feedUrl = `${hub.base}/updates/`;
  expect(feedUrl).toMatch(/^https:/);
  updatesDir = join(hub.config.dataDir, 'updates');
  const keyFile = join(work, 'county-update.key');
  publicKeyPem = generateUpdateKeys(keyFile).publicKeyPem;
  privateKeyPem = readFileSync(keyFile, 'utf8');
  const published = publishUpdates(release('0.3.0', installer), updatesDir, privateKeyPem);
  expect(published).toMatchObject({ ok: true, value: { version: '0.3.0', manifests: ['latest-linux.yml'], files: ['Cunban-0.3.0.AppImage'] } });
}, 60_000);

afterAll(async () => {
  await hub.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a downloaded update, checked in main before install', () => {
  it('is accepted when signed by the built-in key, newer, and the installer is the signed one', async () => {
    expect(await verdict()).toBe('accepted');
  });

  it('is refused when the installer was tampered with', async () => {
    const tampered = Buffer.from(installer);
    tampered[10_000] = (tampered[10_000] ?? 0) ^ 0xff;
    expect(await verdict({ file: downloaded(tampered) })).toMatchObject({ code: 'update.installerMismatch' });
  });

  it('is refused when its signature is by another key, or the build carries none', async () => {
    const other = generateUpdateKeys(join(work, 'other.key')).publicKeyPem;
    expect(await verdict({ keys: [other] })).toEqual({ code: 'update.badSignature' });
    expect(await verdict({ keys: [] })).toEqual({ code: 'update.noKey' });
  });

  it('is refused as a replay when the signed version is not newer than the one running', async () => {
    expect(await verdict({ running: '0.3.0' })).toMatchObject({ code: 'update.notNewer', version: '0.3.0', running: '0.3.0' });
    expect(await verdict({ running: '0.4.1' })).toMatchObject({ code: 'update.notNewer' });
    // electron-updater claims another version than the signed manifest names.
    expect(await verdict({ version: '0.3.1' })).toMatchObject({ code: 'update.versionMismatch' });
  });

  it('is refused when the manifest was tampered with to name another installer, or is unsigned', async () => {
    const manifestFile = join(updatesDir, 'latest-linux.yml');
    const genuine = readFileSync(manifestFile);
    const evil = Buffer.from('an attacker build');
    const evilHash = createHash('sha512').update(evil).digest('base64');
    try {
      writeFileSync(manifestFile, genuine.toString('utf8').replaceAll(createHash('sha512').update(installer).digest('base64'), evilHash));
      expect(await verdict({ file: downloaded(evil) })).toEqual({ code: 'update.badSignature' });
      writeFileSync(manifestFile, genuine);
      unlinkSync(`${manifestFile}.sig`);
      expect(await verdict()).toEqual({ code: 'update.unsigned' });
    } finally {
      writeFileSync(manifestFile, genuine);
      publishUpdates(release('0.3.1', installer), updatesDir, privateKeyPem);
    }
  });
});

describe('publishing', () => {
  it('refuses a release not newer than the one published, and a manifest whose files do not match', () => {
    expect(publishUpdates(release('0.2.9', installer), updatesDir, privateKeyPem)).toMatchObject({ ok: false, error: { code: 'publish.notNewer' } });
    const broken = release('0.9.0', installer);
    writeFileSync(join(broken, 'Cunban-0.9.0.AppImage'), 'not what the manifest hashed');
    expect(publishUpdates(broken, updatesDir, privateKeyPem)).toMatchObject({ ok: false, error: { code: 'publish.fileMismatch' } });
    expect(publishUpdates(release('0.9.0', installer), updatesDir, 'not a key')).toMatchObject({ ok: false, error: { code: 'publish.badKey' } });
  });

  it('signs only plain files beside the manifest: no path, no other host, no symlink, the size it claims', () => {
    const named = (url: string, size = installer.length) => {
      const dir = release('0.9.1', installer);
      const hash = createHash('sha512').update(installer).digest('base64');
      writeFileSync(join(dir, 'latest-linux.yml'), `version: 0.9.1\nfiles:\n  - url: ${url}\n    sha512: ${hash}\n    size: ${String(size)}\n`);
      return dir;
    };
    for (const url of [
      '../../etc/passwd',
      'http://evil.example/Cunban-0.9.1.AppImage',
      '..',
      'latest-linux.yml.sig',
      '.hidden',
      'beta-linux.yml',
      'LATEST-linux.yml',
    ]) {
      expect(publishUpdates(named(url), updatesDir, privateKeyPem)).toMatchObject({ ok: false, error: { code: 'publish.badFileName' } });
    }
    expect(publishUpdates(named('Cunban-0.9.1.AppImage', 1), updatesDir, privateKeyPem)).toMatchObject({ ok: false, error: { code: 'publish.fileMismatch' } });
    // The installer a symlink to a file elsewhere on the machine: refused, nothing copied.
    const linked = named('Cunban-0.9.1.AppImage');
    const outside = join(work, 'outside.bin');
    writeFileSync(outside, installer);
    unlinkSync(join(linked, 'Cunban-0.9.1.AppImage'));
    symlinkSync(outside, join(linked, 'Cunban-0.9.1.AppImage'));
    expect(publishUpdates(linked, updatesDir, privateKeyPem)).toMatchObject({ ok: false, error: { code: 'publish.fileMismatch' } });
    // A blockmap that is a symlink (to a secret) is not published with a genuine release.
    const withLinkedMap = release('0.9.2', installer);
    writeFileSync(join(work, 'secret.txt'), 'TOP-SECRET');
    symlinkSync(join(work, 'secret.txt'), join(withLinkedMap, 'Cunban-0.9.2.AppImage.blockmap'));
    // A legacy `path` naming anything but one of its files; a manifest that is a symlink; no folder at all.
    const legacy = release('0.9.3', installer);
    writeFileSync(join(legacy, 'latest-linux.yml'), readFileSync(join(legacy, 'latest-linux.yml'), 'utf8').replace(/^path: .*$/m, 'path: ../../etc/passwd'));
    expect(publishUpdates(legacy, updatesDir, privateKeyPem)).toMatchObject({ ok: false, error: { code: 'publish.badManifest' } });
    const linkedManifest = release('0.9.4', installer);
    const manifestElsewhere = join(work, 'manifest-elsewhere.yml');
    writeFileSync(manifestElsewhere, readFileSync(join(linkedManifest, 'latest-linux.yml')));
    unlinkSync(join(linkedManifest, 'latest-linux.yml'));
    symlinkSync(manifestElsewhere, join(linkedManifest, 'latest-linux.yml'));
    expect(publishUpdates(linkedManifest, updatesDir, privateKeyPem)).toMatchObject({ ok: false, error: { code: 'publish.badManifest' } });
    expect(publishUpdates(join(work, 'no-such-folder'), updatesDir, privateKeyPem)).toMatchObject({ ok: false, error: { code: 'publish.noManifest' } });
    const anotherHub = mkdtempSync(join(work, 'updates-'));
    expect(publishUpdates(withLinkedMap, anotherHub, privateKeyPem)).toMatchObject({ ok: true, value: { files: ['Cunban-0.9.2.AppImage'] } });
    expect(existsSync(join(anotherHub, 'Cunban-0.9.2.AppImage.blockmap'))).toBe(false);
  });

  it('builds the public key into main from build/update-public-keys.pem (one key or several)', () => {
    expect(pemBlocks(`${publicKeyPem}\n${publicKeyPem}`)).toHaveLength(2);
    expect(pemBlocks('no key here')).toEqual([]);
  });
});

/** electron-updater, as far as main uses it: events and calls recorded. */
class StandInUpdater extends EventEmitter implements Updater {
  feeds: string[] = [];
  checks = 0;
  autoDownload = false;
  autoInstallOnAppQuit = true;
  setFeedURL(options: { url: string }) {
    this.feeds.push(options.url);
  }
  checkForUpdates() {
    this.checks += 1;
    return Promise.resolve(undefined);
  }
}

describe("main's update wiring", () => {
  function wired(feed = feedUrl) {
    const updater = new StandInUpdater();
    const gate = updateGate();
    const logged: string[] = [];
    const verdicts: [string, string][] = [];
    let settle: () => void = () => undefined;
    const started = startKioskUpdates({
      updater,
      gate,
      feedUrl: feed,
      running: '0.2.0',
      platform: 'linux',
      development: false,
      publicKeys: [publicKeyPem],
      fetchBytes,
      log: (line) => logged.push(line),
      onVerdict: (version, refusal) => {
        verdicts.push([version, refusal?.code ?? 'accepted']);
        settle();
      },
    });
    const download = async (version: string, bytes: Buffer) => {
      const done = new Promise<void>((resolve) => {
        settle = resolve;
      });
      updater.emit('update-downloaded', { version, downloadedFile: downloaded(bytes, `Cunban-${version}.AppImage`) });
      await done;
    };
    return { updater, gate, logged, verdicts, started, download };
  }

  it('lets a verified download reach the gate, and a later unverified one withdraws it', async () => {
    const { gate, updater, verdicts, started, download } = wired();
    expect(started).toBe(true);
    expect(updater.feeds).toEqual([feedUrl]);
    expect([updater.autoDownload, updater.autoInstallOnAppQuit, updater.checks]).toEqual([true, false, 1]);
    // The hub publishes 0.3.1 by now (the manifest test's last step).
    await download('0.3.1', installer);
    expect(gate.pending).toBe('0.3.1');
    const evil = Buffer.from('a build nobody signed');
    await download('0.3.2', evil);
    expect(gate.pending).toBeUndefined();
    expect(gate.activity({ clerkIdle: true, syncWriting: false })).toBe(false);
    expect(verdicts).toEqual([
      ['0.3.1', 'accepted'],
      ['0.3.2', 'update.versionMismatch'],
    ]);
  });

  it('refuses a plain-http feed on a packaged kiosk, and says why', () => {
    const { started, logged, updater } = wired('http://hub.village.example/updates/');
    expect(started).toBe(false);
    expect(updater.feeds).toEqual([]);
    expect(logged.join('\n')).toContain('not https');
  });
});
