/**
 * A kiosk upgraded from 0.2.0 on a real Chromium profile (issue 15 §3): today's code seals the residents'
 * data that 0.2.0 stored in the clear, but LevelDB keeps the old pages on disk — the profile, scanned raw as a
 * thief would (test/support/profile-scan.ts), still names the residents after the migration alone. With the
 * shell's rewrite of the store's files (renderer/data/store-rewrite.ts; the clearing done here through
 * DevTools' Storage.clearDataForOrigin, the same Chromium path as Electron's session.clearStorageData) the
 * names are gone from the disk and every case is still there — also when the power goes mid-rewrite.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { releaseDir } from '../compat/releases.js';
import { serveBuiltPage, type BuiltPage } from '../support/built-page.js';
import { startChromiumOnProfile, type KioskProcess } from '../support/kiosk-profile.js';
import { profileBytes, profileHolds } from '../support/profile-scan.js';

interface StoreRewritePage {
  registerWithRelease(residents: readonly { name: string; address: string }[], scanText: string): Promise<void>;
  scanText(): Promise<string>;
  openToday(rewrite: boolean): Promise<string[]>;
  openTodayCutAfterClear(): Promise<void>;
}

let page: BuiltPage;
const profiles: string[] = [];
let kiosk: KioskProcess | undefined;

beforeAll(async () => {
  page = await serveBuiltPage(resolve(import.meta.dirname, 'store-rewrite-page'), {
    resolve: {
      alias: {
        'cunban-release-kiosk-database': join(releaseDir('0.2.0'), 'renderer/data/kiosk-database.ts'),
        'cunban-release-files': join(releaseDir('0.2.0'), 'renderer/data/files.ts'),
      },
    },
  });
}, 120_000);

afterEach(async () => {
  await kiosk?.kill();
  kiosk = undefined;
});

afterAll(async () => {
  await page.close();
  for (const profile of profiles) rmSync(profile, { recursive: true, force: true });
});

// Characters found nowhere else in the app or its fixtures.
const RESIDENTS = [
  { name: '欧阳翠蓉', address: '雀儿笼村七组溪边九号' },
  { name: '覃桂芝', address: '雀儿笼村三组老屋场' },
];

/** Chromium on `profile`, the test page open, its clearing wired to DevTools. */
async function openPage(profile: string): Promise<(run: (api: StoreRewritePage) => Promise<unknown>) => Promise<unknown>> {
  kiosk = await startChromiumOnProfile(profile);
  const tab = kiosk.page;
  await tab.exposeFunction('clearStoreFilesForTest', async () => {
    const devtools = await tab.context().newCDPSession(tab);
    await devtools.send('Storage.clearDataForOrigin', { origin: page.origin, storageTypes: 'indexeddb' });
    await devtools.detach();
  });
  await tab.goto(page.url);
  await tab.locator('#ready', { hasText: 'ready' }).waitFor();
  return (run) => tab.evaluate(`(${run.toString()})(window.storeRewrite)`);
}

/** Close Chromium as a clerk would (so everything is on disk), then read the profile raw. */
async function closeAndScan(): Promise<Uint8Array[]> {
  await kiosk?.browser.close().catch(() => undefined);
  await kiosk?.kill();
  kiosk = undefined;
  return profileBytes(profiles[profiles.length - 1] ?? '');
}

const newProfile = () => {
  const profile = mkdtempSync(join(tmpdir(), 'cunban-upgraded-kiosk-'));
  profiles.push(profile);
  return profile;
};

const names = RESIDENTS.map((resident) => resident.name).sort();
/** What the first resident's scanned household register says (characters found nowhere else). */
const SCAN_TEXT = '户口簿扫描件：欧阳翠蓉户主，雀儿笼村七组';

describe('a kiosk upgraded from 0.2.0, its disk read raw', () => {
  it("holds residents' names after the migration alone; after the rewrite of its store files, none, and every case", async () => {
    const profile = newProfile();
    let run = await openPage(profile);
    await run((api) =>
      api.registerWithRelease(
        [
          { name: '欧阳翠蓉', address: '雀儿笼村七组溪边九号' },
          { name: '覃桂芝', address: '雀儿笼村三组老屋场' },
        ],
        '户口簿扫描件：欧阳翠蓉户主，雀儿笼村七组',
      ),
    );
    expect(await run((api) => api.openToday(false))).toEqual(names);
    // Today's main stopped here: sealed in RxDB, yet the old pages are still on the disk.
    let scanned = await closeAndScan();
    for (const resident of RESIDENTS) expect(profileHolds(scanned, resident.name), resident.name).toBe(true);
    expect(profileHolds(scanned, SCAN_TEXT)).toBe(true);

    run = await openPage(profile);
    expect(await run((api) => api.openToday(true))).toEqual(names);
    expect(await run((api) => api.openToday(true))).toEqual(names);
    expect(await run((api) => api.scanText())).toBe(SCAN_TEXT);
    scanned = await closeAndScan();
    expect(scanned.some((bytes) => bytes.length > 0)).toBe(true);
    for (const resident of RESIDENTS) {
      expect(profileHolds(scanned, resident.name), resident.name).toBe(false);
      expect(profileHolds(scanned, resident.address), resident.address).toBe(false);
    }
    expect(profileHolds(scanned, SCAN_TEXT)).toBe(false);
  }, 120_000);

  it('loses nothing when the power goes after the files were cleared: the next start restores from the snapshot', async () => {
    const profile = newProfile();
    let run = await openPage(profile);
    await run((api) =>
      api.registerWithRelease(
        [
          { name: '欧阳翠蓉', address: '雀儿笼村七组溪边九号' },
          { name: '覃桂芝', address: '雀儿笼村三组老屋场' },
        ],
        '户口簿扫描件：欧阳翠蓉户主，雀儿笼村七组',
      ),
    );
    void run((api) => api.openTodayCutAfterClear()).catch(() => undefined);
    await expect.poll(() => kiosk?.page.title(), { timeout: 30_000 }).toBe('cleared');
    await kiosk?.kill();

    run = await openPage(profile);
    expect(await run((api) => api.openToday(true))).toEqual(names);
    const scanned = await closeAndScan();
    for (const resident of RESIDENTS) expect(profileHolds(scanned, resident.name), resident.name).toBe(false);
  }, 120_000);
});
