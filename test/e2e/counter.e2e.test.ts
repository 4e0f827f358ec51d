/**
 * The counter end to end in Debian's Chromium against the embedded hub: enroll, sign in, lose the hub,
 * register three cases (one after a wrong ID number), print a receipt to PDF, get the hub back, see the
 * cases on the hub, and watch a county decision written on the hub reach the kiosk's screen.
 * Screenshots of every step go to test-results/screenshots/counter-e2e/.
 */
import { silentLogger } from '../../sync-server/observe/request-log.js';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaseDocument } from '../../core/case/document.js';
import { findPlaintextIdNumbers } from '../../core/case/sealed.js';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { startHub, type Hub } from '../../sync-server/hub.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { villageDb } from '../../sync-server/store/names.js';
import { startTestHub, VILLAGE_A, type TestHub } from '../sync-server/hub-harness.js';
import { openChromium, type BrowserRun } from '../support/chromium.js';
import { buildAppsForTest } from '../support/apps-build.js';
import { markOptionalNotApplicable, PNG_1PX, registerAtKeyboard } from './kiosk-steps.js';

const results = resolve(import.meta.dirname, '../../test-results/counter-e2e');

let testHub: TestHub;
let restarted: Hub | undefined;
let appsDir: string;
let run: BrowserRun;
let page: Page;
let kioskUrl: string;
const caseNumbers: string[] = [];
/** Ends tolerating the refused connections of the hub outage, once every feed is back. */
let endOutage: () => void = () => undefined;

/** The hub now serving (the first one, or the one started again after the outage). */
const hub = () => restarted ?? testHub.hub;

const syncStatus = () => page.locator('.sync-status');
const pending = () => page.locator('.sync-pending');

beforeAll(async () => {
  mkdirSync(results, { recursive: true });
  appsDir = await buildAppsForTest();
  testHub = await startTestHub({ config: { appsDir } });
  // localhost, not 127.0.0.1 in the address bar: a secure context, as WebCrypto requires.
  kioskUrl = `http://localhost:${String(testHub.hub.port)}/kiosk/`;
  run = await openChromium('counter-e2e');
  page = run.page;
}, 120_000);

afterAll(async () => {
  await run.close();
  await restarted?.close();
  await testHub.close();
  rmSync(appsDir, { recursive: true, force: true });
});

describe('the counter in Chromium', () => {
  it('enrolls with a code from the hub and creates the first clerk', async () => {
    const issued = await issueEnrollmentCode(hub().store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error(issued.error.reason);
    await page.goto(kioskUrl);
    await expect.poll(() => page.locator('h1').textContent()).toBe('终端注册');
    await page.getByLabel('注册码').fill(issued.value.code.toLowerCase());
    await run.screenshot('enroll');
    await page.getByRole('button', { name: '注册本终端' }).click();
    await page.getByRole('heading', { name: '创建第一个办事员账号' }).waitFor();
    await page.getByLabel('姓名').fill('王芳');
    await page.getByLabel('PIN码', { exact: true }).fill('1234');
    await page.getByLabel('再次输入PIN码').fill('1234');
    await page.getByRole('button', { name: '创建账号' }).click();
    await expect.poll(() => page.locator('.field-error').textContent()).toContain('太容易被猜到');
    await page.getByLabel('PIN码', { exact: true }).fill('2580');
    await page.getByLabel('再次输入PIN码').fill('2580');
    await page.getByRole('button', { name: '创建账号' }).click();
    await page.locator('.counter-header').waitFor();
  }, 60_000);

  it('signs in with the PIN after a restart, and receives the county catalog', async () => {
    await page.reload();
    await page.getByRole('heading', { name: '办事员登录' }).waitFor();
    await page.getByLabel('PIN码').fill('0000');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('.field-error').textContent()).toContain('PIN码不正确，还可以尝试4次');
    await page.getByLabel('PIN码').fill('2580');
    await page.keyboard.press('Enter');
    await expect.poll(() => syncStatus().getAttribute('data-status'), { timeout: 20_000 }).toBe('online');
    await page.locator('.home[data-catalog-version]').waitFor({ timeout: 20_000 });
    await run.screenshot('home-online');
  }, 60_000);

  it('keeps working when the hub is unreachable: three cases, one after a wrong ID number', async () => {
    // Whatever the network stack reports while the hub is gone (refused, reset, a socket closed under a long poll).
    endOutage = run.tolerate(/net::ERR_(CONNECTION_REFUSED|CONNECTION_RESET|CONNECTION_CLOSED|SOCKET_NOT_CONNECTED|EMPTY_RESPONSE)/);
    await testHub.hub.close();
    await expect.poll(() => syncStatus().getAttribute('data-status'), { timeout: 30_000 }).toBe('hubUnreachable');
    await run.screenshot('hub-unreachable');

    // The first case: a wrong check character is caught as typed, with the precise reason.
    await page.keyboard.press('Alt+N');
    await page.getByRole('searchbox').fill('db');
    await page.getByRole('searchbox').press('Enter');
    await expect.poll(() => page.getByTestId('chosen-item').textContent()).toBe('最低生活保障（低保）申请');
    // Touch targets: every control on the form is at least 44 px tall.
    const small = await page
      .locator('.new-case button, .new-case input:not([type=file]):not([type=radio]):not([type=checkbox]), .counter-nav button')
      .evaluateAll((elements) => elements.filter((element) => element.getBoundingClientRect().height < 44).map((element) => element.outerHTML.slice(0, 80)));
    expect(small).toEqual([]);
    await page.keyboard.type('张三');
    await page.getByLabel('身份证号码').first().fill('422822198001010016');
    await page.getByText('校验位不正确，请逐位核对号码').waitFor();
    await page.keyboard.press('Control+Enter');
    await page.getByText(/还有\d+处需要填写或改正/).waitFor();
    await run.screenshot('wrong-id-number');
    // Nothing typed is lost: fix the one digit, tick the checklist, attach a scan, register.
    await page.getByLabel('身份证号码').first().fill('422822198001010015');
    await expect.poll(() => page.getByText('校验位不正确，请逐位核对号码').count()).toBe(0);
    expect(await page.getByLabel('申请人姓名').inputValue()).toBe('张三');
    await page.getByRole('button', { name: '必交材料全部已收' }).click();
    await markOptionalNotApplicable(page);
    await page
      .locator('.checklist tbody tr')
      .first()
      .locator('input[type=file]')
      .setInputFiles({ name: 'application.png', mimeType: 'image/png', buffer: PNG_1PX });
    await expect.poll(() => page.locator('.scan-name').textContent()).toBe('application.png');
    await expect.poll(() => page.getByTestId('due').textContent()).toContain('30个工作日');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('receipt-case-number').waitFor();
    caseNumbers.push((await page.getByTestId('receipt-case-number').textContent()) ?? '');
    await expect.poll(() => page.locator('.receipt').textContent()).toContain('422822********0015');
    expect(await page.locator('.receipt').textContent()).not.toContain('422822198001010015');
    await run.screenshot('receipt');

    // Print: the button hands the page to the browser's print (whose dialog headless Chromium cannot
    // show, so it is counted instead), and the receipt is printed to PDF as "Save as PDF" does.
    await page.evaluate(() => {
      const counted = window as unknown as { printed: number };
      counted.printed = 0;
      window.print = () => {
        counted.printed += 1;
      };
    });
    await page.getByRole('button', { name: '打印回执' }).click();
    expect(await page.evaluate(() => (window as unknown as { printed: number }).printed)).toBe(1);
    await page.emulateMedia({ media: 'print' });
    // On an A5 page (148 mm less 12 mm margins each side: 469 CSS px), the case number and the item code
    // each stay on one line, and nothing runs off the page.
    const screenSize = page.viewportSize();
    await page.setViewportSize({ width: 469, height: 700 });
    const lines = (selector: string) =>
      page.locator(selector).evaluate((element) => {
        const range = document.createRange();
        range.selectNodeContents(element);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      });
    expect(await lines('.receipt .case-number')).toBe(1);
    expect(await lines('.receipt .item-code')).toBe(1);
    expect(await page.locator('.receipt').evaluate((receipt) => receipt.scrollWidth <= receipt.clientWidth)).toBe(true);
    if (screenSize) await page.setViewportSize(screenSize);
    const pdf = await page.pdf({ format: 'A5', printBackground: true });
    await page.emulateMedia({ media: 'screen' });
    writeFileSync(join(results, 'receipt.pdf'), pdf);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(2000);
    expect(pdf.toString('latin1').match(/\/Type\s*\/Page\b/g)).toHaveLength(1);

    // Two more: a village item completed on the spot, and a county item waiting for one material.
    const started = Date.now();
    caseNumbers.push(await registerAtKeyboard(page, { search: 'jtys', name: '李四', idNumber: '422822199506150026' }));
    // Far under the minute a first-time clerk has; the typing itself is the bulk of it.
    expect(Date.now() - started).toBeLessThan(60_000);
    await expect.poll(() => page.locator('.receipt').textContent()).toContain('已当场办结');
    caseNumbers.push(await registerAtKeyboard(page, { search: 'RS-01', name: '王五', idNumber: '42282219671130019X', missing: 1 }));
    await expect.poll(() => page.locator('.receipt .missing').textContent()).not.toBe('无');
    await run.screenshot('receipt-missing-material');

    await page.keyboard.press('Alt+1');
    await expect.poll(() => pending().textContent()).toContain('待上传：3件');
    await expect.poll(() => page.locator('.tile-count[data-view="today"]').textContent()).toBe('3');
    await run.screenshot('home-offline-three-cases');
    expect(caseNumbers).toHaveLength(3);
  }, 120_000);

  it('pushes the three cases when the hub is back, sealed', async () => {
    restarted = await startHub({ ...testHub.config, port: testHub.hub.port, appsDir }, { logger: silentLogger() });
    await page.getByRole('button', { name: '立即同步' }).click();
    await expect.poll(() => syncStatus().getAttribute('data-status'), { timeout: 30_000 }).toBe('online');
    await expect.poll(() => pending().textContent(), { timeout: 30_000 }).toContain('待上传：0件，文件0个');
    endOutage();
    await run.screenshot('synced');
    const onHub = await hub().store.docsWithPrefix(villageDb(VILLAGE_A), `${VILLAGE_A}-`);
    if (!onHub.ok) throw new Error(onHub.error.reason);
    expect(onHub.value.map((doc) => doc._id).sort()).toEqual([...caseNumbers].sort());
    for (const doc of onHub.value) {
      expect(parseCaseDocument(doc).ok).toBe(true);
      expect(findPlaintextIdNumbers(doc)).toEqual([]);
    }
    const statuses = Object.fromEntries(onHub.value.map((doc) => [doc._id, (doc as unknown as { summary: { status: string } }).summary.status]));
    expect(statuses).toEqual({ [caseNumbers[0] ?? '']: 'forwarded', [caseNumbers[1] ?? '']: 'completed', [caseNumbers[2] ?? '']: 'awaitingMaterials' });
  }, 60_000);

  it('shows a county decision written on the hub', async () => {
    const caseNumber = caseNumbers[0] ?? '';
    await page.keyboard.press('Alt+F');
    await page.getByRole('searchbox').fill('zs');
    await page.locator(`[data-case="${caseNumber}"] button`).click();
    await expect.poll(() => page.getByTestId('case-status').textContent()).toContain('审核中');
    const at = () => new Date().toISOString();
    const town = await appendCaseEventOnHub(hub().store, VILLAGE_A, caseNumber, {
      id: 'town-e2e-forward',
      at: at(),
      actor: { id: 'yezhou-reviewer', name: '李强', level: 'town' },
      type: 'forwarded',
      payload: { to: 'county' },
    });
    expect(town.ok).toBe(true);
    const county = await appendCaseEventOnHub(hub().store, VILLAGE_A, caseNumber, {
      id: 'county-e2e-approve',
      at: at(),
      actor: { id: 'county-admin', name: '张敏', level: 'county' },
      type: 'approved',
      payload: {},
    });
    expect(county.ok).toBe(true);
    await expect.poll(() => page.getByTestId('case-status').textContent(), { timeout: 30_000 }).toBe('已批准');
    await expect.poll(() => page.locator('.timeline').textContent()).toContain('张敏');
    await run.screenshot('county-approved');
    await page.getByRole('button', { name: '结果已送达申请人' }).waitFor();
  }, 60_000);

  it('lays the counter out on the hall’s screens, in both languages and in elder mode, with nothing off the edge', async () => {
    const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    for (const size of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(size);
      for (const language of ['zh', 'en'] as const) {
        for (const elder of [false, true]) {
          await page.keyboard.press('Alt+1');
          await page.locator('.home').waitFor();
          const label = `${String(size.width)}-${language}${elder ? '-elder' : ''}`;
          expect(await fitsWidth(), label).toBe(true);
          await run.screenshot(`home-${label}`);
          await page.getByRole('button', { name: /大字模式|Large print/ }).click();
        }
        await page.getByRole('button', { name: language === 'zh' ? 'English' : '中文' }).click();
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 90_000);

  it('saw no console errors but the refused connections of the outage', () => {
    expect(run.errors).toEqual([]);
    expect(readFileSync(join(results, 'receipt.pdf')).length).toBeGreaterThan(0);
  });
});
