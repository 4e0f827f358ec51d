/**
 * Wiring electron-updater to the county hub, with the signature check between download and install:
 * a downloaded update reaches the gate (update-gate.ts: install when the clerk is idle) only after
 * update-verify.ts accepted it. Each new download first withdraws what was pending, so a later unsigned
 * download can never be installed under an earlier verified version's name. `electron-updater` is
 * injected, so this runs under Node in tests.
 */
import { checkFeedUrl, type UpdateRefusal } from '../core/update-manifest.js';
import type { UpdateGate } from './update-gate.js';
import { verifyDownloadedUpdate, type FetchBytes } from './update-verify.js';

/** The parts of electron-updater's AppUpdater used here. */
export interface Updater {
  setFeedURL(options: { provider: 'generic'; url: string }): void;
  autoDownload: boolean;
  autoInstallOnAppQuit: boolean;
  on(event: 'update-downloaded', listener: (info: { version: string; downloadedFile: string }) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  checkForUpdates(): Promise<unknown>;
}

export interface KioskUpdatesOptions {
  readonly updater: Updater;
  readonly gate: UpdateGate;
  readonly feedUrl: string;
  readonly running: string;
  readonly platform: string;
  /** A development run: an http feed is allowed, and nothing is downloaded. */
  readonly development: boolean;
  readonly publicKeys: readonly string[];
  readonly fetchBytes: FetchBytes;
  readonly log: (message: string) => void;
  /** Called after each verdict (tests wait on it). */
  readonly onVerdict?: (version: string, refusal: UpdateRefusal | undefined) => void;
}

const CHECK_EVERY_MS = 6 * 60 * 60_000;

/** Start checking for updates; false when the feed is refused (plain http on a packaged kiosk). */
export function startKioskUpdates(options: KioskUpdatesOptions): boolean {
  const { updater, gate, log } = options;
  const feed = checkFeedUrl(options.feedUrl, options.development);
  if (!feed.ok) {
    log(`updates refused: the hub's update feed ${options.feedUrl} is not https (enroll this kiosk with the hub's https address)`);
    return false;
  }
  updater.setFeedURL({ provider: 'generic', url: feed.value });
  if (options.development) return true;
  updater.autoDownload = true;
  updater.autoInstallOnAppQuit = false;
  updater.on('update-downloaded', (info) => {
    gate.withdraw();
    void verifyDownloadedUpdate({
      feedUrl: feed.value,
      platform: options.platform,
      running: options.running,
      publicKeys: options.publicKeys,
      downloaded: { version: info.version, file: info.downloadedFile },
      fetchBytes: options.fetchBytes,
    })
      .catch((error: unknown) => ({ ok: false as const, error: { code: 'update.badManifest' as const, detail: String(error) } }))
      .then((verdict) => {
        if (verdict.ok) gate.downloaded(info.version);
        else log(`update ${info.version} refused (${verdict.error.code}): it will not be installed`);
        options.onVerdict?.(info.version, verdict.ok ? undefined : verdict.error);
      });
  });
  updater.on('error', (error) => {
    log(`update check failed: ${error.message}`);
  });
  void updater.checkForUpdates();
  setInterval(() => void updater.checkForUpdates(), CHECK_EVERY_MS).unref();
  return true;
}
