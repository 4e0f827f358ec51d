/**
 * A stolen kiosk (issue 15 §3): the clerk registers a resident in Debian's Chromium on a real profile, the
 * browser is closed, and its profile is read as a thief would — every file raw, LevelDB's blocks
 * decompressed, as UTF-8 and UTF-16LE. The resident's name, address and the clerk's note are not there;
 * the clerk's own name (the kiosk's staff list, not encrypted) is — so the scan does see what is stored —
 * and the case is still whole on the kiosk, opened with its key.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppsForTest } from '../support/apps-build.js';
import { kioskCasesRaw, startChromiumOnProfile, type KioskProcess } from '../support/kiosk-profile.js';
import { profileBytes, profileHolds } from '../support/profile-scan.js';
import { startTestHub, VILLAGE_A, type TestHub } from '../sync-server/hub-harness.js';
import { enrollWithFirstClerk, typeRegistration } from './kiosk-steps.js';

let testHub: TestHub;
let appsDir: string;
let profile: string;
let kiosk: KioskProcess | undefined;

beforeAll(async () => {
  appsDir = await buildAppsForTest();
  testHub = await startTestHub({ config: { appsDir } });
  profile = mkdtempSync(join(tmpdir(), 'cunban-stolen-kiosk-'));
}, 120_000);

afterAll(async () => {
  await kiosk?.kill();
  await testHub.close();
  rmSync(appsDir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

// Characters found nowhere else in the app, its catalog or its fixtures.
const RESIDENT = '欧阳翠蓉';
const ADDRESS = '雀儿笼村七组溪边九号';
const NOTE = '家中长子患尿毒症需透析';

describe('a kiosk stolen after a day at the counter', () => {
  it("yields no resident's name, address or note from its disk", async () => {
    kiosk = await startChromiumOnProfile(profile);
    const { page } = kiosk;
    const kioskUrl = `http://localhost:${String(testHub.hub.port)}/kiosk/`;
    await enrollWithFirstClerk(page, testHub.hub.store, VILLAGE_A, kioskUrl);
    await typeRegistration(page, { search: 'jtys', name: RESIDENT, idNumber: '422822199506150026' });
    await page.getByLabel('住址（可不填）').fill(ADDRESS);
    await page.getByLabel('备注（可不填）').fill(NOTE);
    await page.keyboard.press('Control+Enter');
    const caseNumber = (await page.getByTestId('receipt-case-number').textContent()) ?? '';
    expect(caseNumber).toMatch(/^422822100202-/);
    // On the kiosk, whole; on the hub too (the hub's store is the county's, not the stolen disk).
    await expect.poll(async () => (await kioskCasesRaw(page)).find((doc) => doc.caseNumber === caseNumber)?.name, { timeout: 15_000 }).toBe(RESIDENT);
    await expect
      .poll(async () => (await testHub.hub.store.getDoc<{ summary: { applicantName: string } }>(`village_${VILLAGE_A}`, caseNumber)).ok, { timeout: 30_000 })
      .toBe(true);
    // Enough more written that LevelDB flushes its log into compressed tables: the scan must read those too.
    await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((opened) => {
        const request = indexedDB.open('filler', 1);
        request.onupgradeneeded = () => request.result.createObjectStore('rows');
        request.onsuccess = () => {
          opened(request.result);
        };
      });
      for (let batch = 0; batch < 12; batch++) {
        await new Promise<void>((done) => {
          const tx = db.transaction('rows', 'readwrite');
          for (let i = 0; i < 50; i++) tx.objectStore('rows').put(crypto.getRandomValues(new Uint8Array(16_384)), batch * 50 + i);
          tx.oncomplete = () => {
            done();
          };
        });
      }
      db.close();
    });
    await kiosk.browser.close().catch(() => undefined);
    await kiosk.kill();
    kiosk = undefined;

    const scanned = profileBytes(profile);
    expect(scanned.some((bytes) => bytes.length > 0)).toBe(true);
    // The scan sees what is stored in the clear: the case number, the clerk's name.
    expect(profileHolds(scanned, caseNumber)).toBe(true);
    expect(profileHolds(scanned, '王芳')).toBe(true);
    for (const secret of [RESIDENT, ADDRESS, NOTE]) expect(profileHolds(scanned, secret), secret).toBe(false);
  }, 180_000);
});
