/**
 * Faults of the kiosk itself, in Debian's Chromium with a real profile on disk: the kiosk process killed
 * (SIGKILL, the whole process group) at random moments of a registration — 20 times under
 * `npm run test:faults` — and the kiosk's storage quota exhausted. A case whose receipt the clerk saw is
 * never lost, no registration is stored twice, and kiosk and hub end with the same cases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typeRegistration, enrollWithFirstClerk } from '../e2e/kiosk-steps.js';
import { buildAppsForTest } from '../support/apps-build.js';
import { kioskCasesRaw, startChromiumOnProfile, type KioskProcess } from '../support/kiosk-profile.js';
import { startTestHub, VILLAGE_A, type TestHub } from '../sync-server/hub-harness.js';
import { faultRounds, recordTally, villageCases } from './fault-harness.js';

let testHub: TestHub;
let appsDir: string;
let profile: string;
let kioskUrl: string;

beforeAll(async () => {
  appsDir = await buildAppsForTest();
  testHub = await startTestHub({ config: { appsDir } });
  kioskUrl = `http://localhost:${String(testHub.hub.port)}/kiosk/`;
  profile = mkdtempSync(join(tmpdir(), 'cunban-kiosk-profile-'));
}, 120_000);

afterAll(async () => {
  await kiosk?.kill();
  await testHub.close();
  rmSync(appsDir, { recursive: true, force: true });
  rmSync(profile, { recursive: true, force: true });
});

let kiosk: KioskProcess | undefined;
const startKiosk = () => startChromiumOnProfile(profile);

async function signIn(page: Page): Promise<void> {
  await page.goto(kioskUrl);
  try {
    await page.getByRole('heading', { name: '办事员登录' }).waitFor({ timeout: 30_000 });
  } catch (error) {
    // Seen once on CouchDB in 20 kills (a newcomer's replay of issue 16): say what the kiosk showed instead.
    const shown = await page.evaluate(() => document.body.innerText.slice(0, 600)).catch(() => '(the page did not answer)');
    throw new Error(`after a restart the kiosk showed no sign-in, but: ${shown}`, { cause: error });
  }
  await page.getByLabel('PIN码').fill('2580');
  await page.keyboard.press('Enter');
  await page.locator('.counter-header').waitFor();
}

/** Kiosk against hub for the registrations made under `names`: what was lost, stored twice, or differs. */
async function tally(page: Page, acknowledged: ReadonlySet<string>, names: readonly string[]) {
  const mine = (await kioskCasesRaw(page)).filter((doc) => names.includes(doc.name));
  const onHub = new Map((await villageCases(testHub.hub.store)).filter((doc) => names.includes(doc.summary.applicantName)).map((doc) => [doc.caseNumber, doc]));
  const count = (list: readonly string[], name: string) => list.filter((other) => other === name).length;
  const kioskNames = mine.map((doc) => doc.name);
  const hubNames = [...onHub.values()].map((doc) => doc.summary.applicantName);
  return {
    lost: [...acknowledged].filter((name) => count(kioskNames, name) === 0 || count(hubNames, name) === 0).length,
    duplicated: names.filter((name) => count(kioskNames, name) > 1 || count(hubNames, name) > 1).length,
    // Two registrations in one case (two residents): more than one created event.
    mixed:
      mine.filter((doc) => doc.registrations > 1).length +
      [...onHub.values()].filter((doc) => doc.events.filter((event) => event.type === 'created').length > 1).length,
    mismatched:
      mine.filter((doc) => {
        const other = onHub.get(doc.caseNumber);
        return !other || other.summary.status !== doc.status || other.events.length !== doc.events.length;
      }).length + [...onHub.keys()].filter((number) => !mine.some((doc) => doc.caseNumber === number)).length,
  };
}

const GIVEN = ['秀', '兰', '建', '国', '春', '梅', '德', '华', '玉', '珍'];
const residentName = (i: number) => `周${GIVEN[i % GIVEN.length] ?? ''}${GIVEN[Math.floor(i / GIVEN.length) % GIVEN.length] ?? ''}`;
const registration = (name: string) => ({ search: 'jtys', name, idNumber: '422822199506150026' });

describe('the kiosk process killed mid-write', () => {
  const rounds = faultRounds(20, 3);
  it(`keeps every case whose receipt was shown, once, over ${String(rounds)} kills`, async () => {
    kiosk = await startKiosk();
    await enrollWithFirstClerk(kiosk.page, testHub.hub.store, VILLAGE_A, kioskUrl);
    const acknowledged = new Set<string>();
    const names: string[] = [];
    for (let round = 0; round < rounds; round++) {
      const { page } = kiosk;
      const name = residentName(round);
      names.push(name);
      await typeRegistration(page, registration(name));
      const receipt = page.getByTestId('receipt-case-number');
      await page.keyboard.press('Control+Enter');
      // Killed within 0–120 ms of "save": before, during or after the write to IndexedDB.
      await new Promise((wait) => setTimeout(wait, Math.random() * 120));
      if ((await receipt.count()) > 0) acknowledged.add(name);
      await kiosk.kill();
      kiosk = await startKiosk();
      await signIn(kiosk.page);
    }
    const { page } = kiosk;
    // Once the kiosk has pushed everything it holds, the two sides must agree.
    await expect.poll(async () => (await tally(page, acknowledged, names)).mismatched, { timeout: 60_000, interval: 500 }).toBe(0);
    const result = await tally(page, acknowledged, names);
    recordTally({ scenario: 'kiosk process killed mid-write', rounds, cases: acknowledged.size, ...result });
    expect(result).toEqual({ lost: 0, duplicated: 0, mixed: 0, mismatched: 0 });
  }, 600_000);
});

describe("the kiosk's storage quota exhausted", () => {
  it('refuses the registration with the reason, keeps what was typed, and saves it once space is back', async () => {
    kiosk ??= await startKiosk();
    const first = kiosk.page;
    await first.goto(kioskUrl);
    // Enrolled by the scenario before, unless run alone.
    await first.getByRole('heading', { name: /办事员登录|终端注册/ }).waitFor({ timeout: 30_000 });
    if ((await first.getByRole('heading', { name: '终端注册' }).count()) > 0) await enrollWithFirstClerk(first, testHub.hub.store, VILLAGE_A, kioskUrl);
    // Chromium applies a quota override only to storage not yet used in this browser process: start the
    // kiosk's Chromium afresh with the override in place before the page opens its database.
    await kiosk.kill();
    kiosk = await startKiosk();
    const { page } = kiosk;
    const cdp = await page.context().newCDPSession(page);
    const origin = new URL(kioskUrl).origin;
    // Less than the kiosk already uses: every write is refused.
    await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: 1024 });
    // A right PIN still signs in on a full disk: there is nothing to write.
    await signIn(page);
    const name = '周满仓';
    await typeRegistration(page, registration(name));
    await page.keyboard.press('Control+Enter');
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 15_000 })
      .toContainEqual(expect.stringContaining('本机存储空间已满，本次未保存'));
    expect(await page.getByTestId('receipt-case-number').count()).toBe(0);
    // Nothing is lost: the form still holds the resident's details.
    await expect.poll(() => page.locator('[data-field="applicant.name"] input').inputValue()).toBe(name);

    await cdp.send('Storage.overrideQuotaForOrigin', { origin });
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('receipt-case-number').waitFor();
    await expect.poll(async () => (await tally(page, new Set([name]), [name])).mismatched, { timeout: 30_000, interval: 500 }).toBe(0);
    const result = await tally(page, new Set([name]), [name]);
    recordTally({ scenario: 'kiosk storage quota exhausted', rounds: 1, cases: 1, ...result });
    expect(result).toEqual({ lost: 0, duplicated: 0, mixed: 0, mismatched: 0 });
  }, 120_000);
});
