/**
 * The counter end to end in Debian's Chromium against the embedded hub: enroll, sign in, lose the hub,
 * register three cases (one after a wrong ID number), print a receipt to PDF, get the hub back, see the
 * cases on the hub, and watch a county decision written on the hub reach the kiosk's screen.
 * Screenshots of every step go to test-results/screenshots/counter-e2e/.
 */
import { silentLogger } from '../../sync-server/observe/request-log.js';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import jsqrModule from 'jsqr';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCaseDocument } from '../../core/case/document.js';
import { findPlaintextIdNumbers } from '../../core/case/sealed.js';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { startHub, type Hub } from '../../sync-server/hub.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { hallDb, villageDb } from '../../sync-server/store/names.js';
import { startTestHub, VILLAGE_A, type TestHub } from '../sync-server/hub-harness.js';
import { reviewerJson, signInReviewer } from '../sync-server/reviewer-client.js';
import { addReviewer } from '../../sync-server/users.js';
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
let firstLookupCode = '';
/** Ends tolerating the refused connections of the hub outage, once every feed is back. */
let endOutage: () => void = () => undefined;

// jsqr is CommonJS with `exports.default`, which Node's interop may hand over as the module.
const jsQR: typeof jsqrModule.default =
  typeof (jsqrModule as unknown) === 'function' ? (jsqrModule as unknown as typeof jsqrModule.default) : jsqrModule.default;

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
    // The code a resident without a phone follows the case with, printed as two groups of four.
    firstLookupCode = (await page.getByTestId('receipt-lookup-code').textContent()) ?? '';
    expect(firstLookupCode).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
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
    caseNumbers.push(await registerAtKeyboard(page, { search: 'RS-01', name: '王五', idNumber: '42282219671130019X', phone: '13912345678', missing: 1 }));
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

  it('lets a resident follow two cases on a phone, from the receipt’s QR code, with no ID number', async () => {
    // The receipt's QR code, read off the screen as a phone camera would.
    await page.getByRole('button', { name: '重新打印回执' }).click();
    await page.locator('.receipt img.qr').waitFor();
    const size = 400;
    const pixels = await page.locator('.receipt img.qr').evaluate((img: HTMLImageElement, side: number) => {
      const canvas = document.createElement('canvas');
      canvas.width = side;
      canvas.height = side;
      const context = canvas.getContext('2d');
      if (!context) return [];
      context.fillStyle = '#fff';
      context.fillRect(0, 0, side, side);
      context.drawImage(img, 20, 20, side - 40, side - 40);
      return [...context.getImageData(0, 0, side, side).data];
    }, size);
    const scanned = jsQR(new Uint8ClampedArray(pixels), size, size);
    expect(scanned?.data).toBe(`${kioskUrl.replace(/kiosk\/$/, '')}r/#${caseNumbers[0] ?? ''}`);

    const phone = await run.newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(scanned?.data ?? '');
    await phone.getByRole('heading', { name: '查询我的办件' }).waitFor();
    expect(await phone.getByLabel('受理编号').inputValue()).toBe(caseNumbers[0]);
    // A wrong answer says only "not found"; the code typed as a resident would (small letters, no dash) opens it.
    // (Chromium logs the lookup's 404 — "no such case" — as a failed resource: that one is the protocol.)
    const endMiss = run.tolerate(/404 \(Not Found\) \(http:\/\/localhost:\d+\/api\/resident\/lookup\)/);
    await phone.getByLabel('手机号后四位或查询码').fill('0000');
    await phone.getByRole('button', { name: '查询' }).click();
    await phone.getByText('没有找到').waitFor();
    endMiss();
    await phone.getByLabel('手机号后四位或查询码').fill(firstLookupCode.replace('-', '').toLowerCase());
    await phone.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => phone.getByTestId('resident-status').textContent()).toBe('已批准');
    expect(await phone.getByTestId('resident-next-step').textContent()).toContain('请到业州镇雀儿笼村便民服务室领取');
    expect(await phone.getByTestId('resident-applicant').textContent()).toBe('张*');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await run.screenshot('resident-approved-360', phone);

    // The third case, by the phone's last four digits: what to bring, and where.
    await phone.getByRole('button', { name: '查询另一件' }).click();
    await phone.getByLabel('受理编号').fill(caseNumbers[2] ?? '');
    await phone.getByLabel('手机号后四位或查询码').fill('5678');
    await phone.getByRole('button', { name: '查询' }).click();
    await expect.poll(() => phone.getByTestId('resident-status').textContent()).toBe('待补材料');
    expect(await phone.getByTestId('resident-missing').locator('li').count()).toBe(1);
    expect(await phone.getByTestId('resident-next-step').textContent()).toContain('业州镇雀儿笼村便民服务室');
    const shown = (await phone.locator('body').textContent()) ?? '';
    for (const personal of ['王五', '42282219671130019X', '422822********019X', '13912345678', '139****5678']) expect(shown).not.toContain(personal);
    await run.screenshot('resident-missing-360', phone);
    await phone.getByRole('button', { name: '大字模式' }).click();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await run.screenshot('resident-missing-360-elder', phone);
    await phone.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => phone.getByTestId('resident-status').textContent()).toBe('Waiting for materials');
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    // Every value has the card's width to itself (in two columns, large print left them a letter wide).
    const narrow = await phone
      .locator('.case-progress dd')
      .evaluateAll((values) => values.filter((value) => value.getBoundingClientRect().width < 240).map((value) => value.textContent));
    expect(narrow).toEqual([]);
    await run.screenshot('resident-missing-360-en', phone);
    await phone.close();
  }, 60_000);

  it('lets a resident book and cancel a visit on a phone; the clerk sees the booking offline, records it, and it syncs', async () => {
    // The clerk sets the hall's hours at the counter.
    await page.keyboard.press('Alt+A');
    await page.getByRole('heading', { name: '预约办事' }).waitFor();
    await page.getByLabel('办理时间段').fill('09:00-11:00');
    await page.getByLabel('每个时段多少分钟').fill('60');
    await page.getByLabel('每个时段可约人数').fill('3');
    await page.getByLabel('其中留给窗口的名额').fill('1');
    await page.getByRole('button', { name: '保存时段设置' }).click();
    await page.getByText(/已保存/).waitFor();
    await expect.poll(async () => (await hub().store.getDoc(hallDb(VILLAGE_A), 'schedule')).ok, { timeout: 30_000 }).toBe(true);

    const phone = await run.newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(kioskUrl.replace(/kiosk\/$/, 'r/'));
    const book = async (name: string, mobile: string) => {
      await phone.getByRole('button', { name: '预约办事' }).click();
      await phone.getByLabel('乡镇', { exact: true }).selectOption({ label: '业州镇' });
      await phone.getByLabel('村（社区）', { exact: true }).selectOption(VILLAGE_A);
      await phone.getByLabel('要办的事', { exact: true }).selectOption('MZ-01');
      await phone.getByRole('group', { name: '哪一天' }).getByRole('radio').first().check();
      await phone
        .getByRole('group', { name: '几点' })
        .getByRole('radio', { name: /^09:00–10:00/ })
        .check();
      await phone.getByLabel('姓名', { exact: true }).fill(name);
      await phone.getByLabel('手机号码', { exact: true }).fill(mobile);
      await phone.getByRole('button', { name: '预约', exact: true }).click();
      return ((await phone.locator('[data-testid=booking-code]:visible').textContent()) ?? '').replace('-', '');
    };
    const kept = await book('张三国', '13900002222');
    expect(kept).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await run.screenshot('resident-booked-360', phone);
    await phone.getByRole('button', { name: '再约一次' }).click();
    const cancelled = await book('李秀英', '13900003333');
    await phone.getByRole('button', { name: '我的预约' }).click();
    await phone.getByLabel('预约码', { exact: true }).fill(cancelled.toLowerCase());
    await phone.getByLabel('预约时留的手机号码', { exact: true }).fill('13900003333');
    await phone.getByRole('button', { name: '查看预约' }).click();
    await phone.getByRole('button', { name: '取消这个预约' }).click();
    await phone.getByRole('button', { name: '是的，取消预约' }).click();
    await expect.poll(() => phone.locator('[data-testid=booking-status]:visible').textContent()).toBe('已取消');
    const shown = (await phone.locator('body').textContent()) ?? '';
    for (const personal of ['张三国', '李秀英', '13900002222', '13900003333']) expect(shown).not.toContain(personal);
    await run.screenshot('resident-cancelled-360', phone);
    await phone.close();

    // The kiosk receives both, then loses its line: the clerk still sees the day and records a no-show.
    const booked = await hub().store.getDoc<{ date: string }>(hallDb(VILLAGE_A), `appointment:${kept}`);
    const day = booked.ok ? booked.value.date : '';
    await page.getByLabel('查看哪一天的预约').selectOption(day);
    await page.locator(`tr[data-appointment="${cancelled}"]`).getByText('已取消').waitFor({ timeout: 30_000 });
    const endLineDown = run.tolerate(/net::ERR_FAILED|Failed to fetch|ERR_INTERNET_DISCONNECTED/);
    await page.route('**/sync/**', (route) => route.abort());
    const row = page.locator(`tr[data-appointment="${kept}"]`);
    expect(await row.textContent()).toContain('139****2222');
    await row.getByRole('button', { name: '记为未到' }).click();
    await row.getByText('未到').waitFor();
    await run.screenshot('appointments-offline');
    await page.unroute('**/sync/**');
    await expect
      .poll(
        async () => {
          const onHub = await hub().store.getDoc<{ events: { type: string }[] }>(hallDb(VILLAGE_A), `appointment:${kept}`);
          return onHub.ok ? onHub.value.events.map((event) => event.type) : [];
        },
        { timeout: 30_000 },
      )
      .toEqual(['missed']);
    endLineDown();
  }, 120_000);

  it('lets a resident raise a concern on a phone; the clerk passes it on from the offline kiosk; the town answers; the resident reads it; the county is warned of a rush', async () => {
    const phone = await run.newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(kioskUrl.replace(/kiosk\/$/, 'r/'));
    await phone.getByRole('button', { name: '反映诉求' }).click();
    await phone.getByLabel('乡镇', { exact: true }).selectOption({ label: '业州镇' });
    await phone.getByLabel('村（社区）', { exact: true }).selectOption(VILLAGE_A);
    await phone.getByLabel('反映哪方面的事', { exact: true }).selectOption('villageAffairs');
    await phone.getByLabel('想反映的事', { exact: true }).fill('三组的水井坏了一个星期，全组没有水喝。');
    await phone.getByLabel('手机号码', { exact: true }).fill('13900002222');
    await phone.getByRole('button', { name: '提交', exact: true }).click();
    const code = ((await phone.locator('[data-testid=appeal-code]:visible').textContent()) ?? '').replace('-', '');
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await run.screenshot('resident-appeal-raised-360', phone);

    // The kiosk receives it; with its line down the clerk passes it on to the town, and it goes up when the line is back.
    await page.keyboard.press('Alt+S');
    const item = page.locator(`[data-appeal="${code}"]`);
    await item.waitFor({ timeout: 30_000 });
    const endLineDown = run.tolerate(/net::ERR_FAILED|Failed to fetch|ERR_INTERNET_DISCONNECTED/);
    await page.route('**/sync/**', (route) => route.abort());
    expect(await item.textContent()).toContain('139****2222');
    await item.getByLabel('村里的答复（群众会看到）').fill('需要镇里安排维修队。');
    await item.getByRole('button', { name: '转交镇里' }).click();
    await item.getByText('由乡镇办理').waitFor();
    await run.screenshot('appeals-offline');
    await page.unroute('**/sync/**');
    const onHub = async () => {
      const stored = await hub().store.getDoc<{ events: { type: string }[] }>(hallDb(VILLAGE_A), `appeal:${code}`);
      return stored.ok ? stored.value.events.map((event) => event.type) : [];
    };
    await expect.poll(onHub, { timeout: 30_000 }).toEqual(['passedOn']);
    endLineDown();

    // The town answers in the console's API; the resident reads it by code and phone.
    const origin = kioskUrl.replace(/\/kiosk\/$/, '');
    await addReviewer(hub().store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, new Date());
    await addReviewer(hub().store, { name: 'county-admin', displayName: '张敏', role: 'county', password: 'county-secret-1' }, new Date());
    const asHub = { base: origin } as TestHub;
    const town = await signInReviewer(asHub, 'yezhou', 'yezhou-secret-1');
    const answered = await reviewerJson(asHub, town, 'POST', `/api/review/appeals/${VILLAGE_A}/${code}/events`, {
      type: 'replied',
      text: '维修队明天上午到三组。',
    });
    expect(answered.status).toBe(200);
    await phone.getByLabel('诉求编号', { exact: true }).fill(code);
    await phone.getByLabel('反映时留的手机号码', { exact: true }).fill('13900002222');
    await phone.getByRole('button', { name: '查看答复', exact: true }).click();
    await expect.poll(() => phone.locator('[data-testid=appeal-answers]:visible').textContent()).toContain('维修队明天上午到三组。');
    const shown = (await phone.locator('body').textContent()) ?? '';
    for (const personal of ['13900002222', '李强']) expect(shown).not.toContain(personal);
    await run.screenshot('resident-appeal-answered-360', phone);
    await phone.close();
    // The clerk sees the town's answer come down.
    await item.getByText('维修队明天上午到三组。').waitFor({ timeout: 30_000 });

    // Two more neighbours about the same well this week: the county is warned of the rush.
    for (const text of ['三组停水了', '三组的井还是没有水']) {
      const raised = await fetch(`${origin}/api/resident/appeals`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ village: VILLAGE_A, category: 'villageAffairs', text }),
      });
      expect(raised.status).toBe(201);
    }
    const countyReviewer = await signInReviewer(asHub, 'county-admin', 'county-secret-1');
    const listed = await reviewerJson<{ warnings: { village: string; category: string; count: number }[] }>(
      asHub,
      countyReviewer,
      'GET',
      '/api/review/appeals',
    );
    expect(listed.body.warnings).toContainEqual(expect.objectContaining({ village: VILLAGE_A, category: 'villageAffairs', count: 3 }));
  }, 120_000);

  it('lays every counter screen out on the hall’s screens, in both languages and in elder mode: nothing off the edge, every target 44 px', async () => {
    const caseNumber = caseNumbers[0] ?? '';
    /** Each screen of the counter, reached as a clerk would (keys, or the button in either language). */
    const screens: readonly (readonly [string, () => Promise<void>])[] = [
      [
        'home',
        async () => {
          await page.keyboard.press('Alt+1');
          await page.locator('.home').waitFor();
        },
      ],
      [
        'new-case',
        async () => {
          await page.keyboard.press('Alt+N');
          await page.locator('.new-case').waitFor();
          // The first visit chooses an item, so the checklist is laid out too; the draft keeps it after.
          if ((await page.getByTestId('chosen-item').count()) === 0) {
            await page.getByRole('searchbox').fill('db');
            await page.getByRole('searchbox').press('Enter');
          }
          await page.locator('.checklist').waitFor();
        },
      ],
      [
        'cases',
        async () => {
          await page.keyboard.press('Alt+F');
          await page.locator('.case-list').waitFor();
        },
      ],
      [
        'case',
        async () => {
          await page.keyboard.press('Alt+F');
          await page.locator(`[data-case="${caseNumber}"] button`).click();
          await page.locator('.case-detail .timeline').waitFor();
        },
      ],
      [
        'receipt',
        async () => {
          await page.getByRole('button', { name: /重新打印回执|Print the receipt again/ }).click();
          await page.getByTestId('receipt-case-number').waitFor();
        },
      ],
      [
        'appointments',
        async () => {
          await page.keyboard.press('Alt+A');
          await page.locator('.appointments .counter-booking').waitFor();
        },
      ],
      [
        'appeals',
        async () => {
          await page.keyboard.press('Alt+S');
          await page.locator('.appeals .raise-appeal').waitFor();
        },
      ],
      [
        'publications',
        async () => {
          await page.keyboard.press('Alt+P');
          await page.locator('.publications').waitFor();
          if ((await page.locator('.prepare-publication').count()) === 0)
            await page.getByRole('button', { name: /^(准备新的公示|Prepare a publication)$/ }).click();
          await page.locator('.prepare-publication .from-cases').waitFor();
        },
      ],
      [
        'clerks',
        async () => {
          await page.getByRole('button', { name: /^(办事员账号|Clerk accounts)$/ }).click();
          await page.locator('.counter-main form').waitFor();
        },
      ],
      [
        'sign-in',
        async () => {
          await page.keyboard.press('Alt+L');
          await page.locator('.sign-in').waitFor();
        },
      ],
    ];
    const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
    // Radios, checkboxes and the hidden file input are reached through their (44 px) labels.
    const smallTargets = () =>
      page
        .locator('button:visible, select:visible, input:visible:not([type=radio]):not([type=checkbox]):not([type=file])')
        .evaluateAll((elements) => elements.filter((element) => element.getBoundingClientRect().height < 44).map((element) => element.outerHTML.slice(0, 80)));
    for (const size of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(size);
      for (const language of ['zh', 'en'] as const) {
        for (const elder of [false, true]) {
          const label = `${String(size.width)}-${language}${elder ? '-elder' : ''}`;
          for (const [name, open] of screens) {
            await open();
            expect(await fitsWidth(), `${name} ${label}`).toBe(true);
            expect(await smallTargets(), `${name} ${label}`).toEqual([]);
            await run.screenshot(`${name}-${label}`);
          }
          // Back from the lock screen with the PIN; the counter is as it was left.
          await page.locator('.sign-in input[type=password]').fill('2580');
          await page.keyboard.press('Enter');
          await page.locator('.counter-header').waitFor();
          await page.getByRole('button', { name: /大字模式|Large print/ }).click();
        }
        await page.getByRole('button', { name: language === 'zh' ? 'English' : '中文' }).click();
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }, 240_000);

  it('saw no console errors but the refused connections of the outage', () => {
    expect(run.errors).toEqual([]);
    expect(readFileSync(join(results, 'receipt.pdf')).length).toBeGreaterThan(0);
  });
});
