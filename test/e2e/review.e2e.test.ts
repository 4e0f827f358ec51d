/**
 * A decision's round trip in Debian's Chromium: a kiosk registers a county item; the town reviewer, in
 * the console, filters the queue, opens it and returns it for materials; the kiosk receives that by
 * live sync and the clerk records the material supplied; the town forwards it, the county approves, and
 * the kiosk shows "approved". Screenshots go to test-results/screenshots/review-e2e/.
 */
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addReviewer } from '../../sync-server/users.js';
import { startTestHub, VILLAGE_A, type TestHub } from '../sync-server/hub-harness.js';
import { buildAppsForTest } from '../support/apps-build.js';
import { openChromium, type BrowserRun } from '../support/chromium.js';
import { enrollWithFirstClerk, PNG_1PX, registerAtKeyboard } from './kiosk-steps.js';

let hub: TestHub;
let appsDir: string;
let run: BrowserRun;
let kiosk: Page;
let caseNumber = '';

const base = () => `http://localhost:${String(hub.hub.port)}`;

async function consoleAs(name: string, password: string): Promise<Page> {
  const page = await run.newPage();
  await page.goto(`${base()}/console/`);
  await page.getByLabel('用户名').fill(name);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByRole('heading', { name: '待办件' }).waitFor();
  return page;
}

async function openInConsole(page: Page) {
  await page.locator(`[data-case="${caseNumber}"] button`).click();
  await page.getByTestId('case-status').waitFor();
}

async function kioskCaseStatus(): Promise<string> {
  return (await kiosk.getByTestId('case-status').textContent()) ?? '';
}

beforeAll(async () => {
  appsDir = await buildAppsForTest();
  hub = await startTestHub({ config: { appsDir } });
  await addReviewer(hub.hub.store, { name: 'yezhou', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, new Date());
  await addReviewer(hub.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, new Date());
  run = await openChromium('review-e2e');
  kiosk = run.page;
}, 120_000);

afterAll(async () => {
  await run.close();
  await hub.close();
  rmSync(appsDir, { recursive: true, force: true });
});

describe('a decision from the console reaches the counter', () => {
  it('the kiosk registers a county item and it reaches the town’s queue', async () => {
    await enrollWithFirstClerk(kiosk, hub.hub.store, VILLAGE_A, `${base()}/kiosk/`);
    caseNumber = await registerAtKeyboard(kiosk, { search: 'db', name: '张三', idNumber: '422822198001010015' });
    await expect.poll(() => kiosk.locator('.sync-pending').textContent(), { timeout: 30_000 }).toContain('待上传：0件，文件0个');
  }, 60_000);

  it('the town filters its queue, opens the case and returns it for materials; the kiosk sees it live', async () => {
    const town = await consoleAs('yezhou', 'yezhou-secret-1');
    await town.getByLabel('状态').selectOption({ label: '审核中' });
    await expect.poll(() => town.locator(`[data-case="${caseNumber}"]`).count(), { timeout: 20_000 }).toBe(1);
    await run.screenshot('town-queue', town);
    await openInConsole(town);
    await town.getByRole('region', { name: '可以办理的操作' }).getByLabel('户口簿').check();
    await town.getByLabel('备注或理由').fill('户口簿复印件不清楚');
    await town.getByRole('button', { name: '退回补充材料' }).click();
    await expect.poll(() => town.getByTestId('case-status').textContent()).toBe('待补材料');
    await run.screenshot('town-returned', town);

    await kiosk.keyboard.press('Alt+F');
    await kiosk.locator(`[data-case="${caseNumber}"] button`).click();
    await expect.poll(kioskCaseStatus, { timeout: 30_000 }).toBe('待补材料');
    expect(await kiosk.locator('.timeline').textContent()).toContain('户口簿复印件不清楚');
    await run.screenshot('kiosk-returned');
  }, 90_000);

  it('the clerk records the material supplied; the town forwards; the county approves; the kiosk shows it', async () => {
    const actions = kiosk.getByRole('region', { name: '可以办理的操作' });
    // The resident brought the page: the clerk scans it, which ticks the material as supplied.
    await actions.locator('.supplied-material input[type=file]').first().setInputFiles({ name: 'household.png', mimeType: 'image/png', buffer: PNG_1PX });
    await expect.poll(() => actions.getByRole('checkbox').first().isChecked()).toBe(true);
    await actions.getByRole('button', { name: '登记已补材料' }).click();
    await expect.poll(kioskCaseStatus).toContain('审核中');
    await expect.poll(() => kiosk.locator('.sync-pending').textContent(), { timeout: 30_000 }).toContain('待上传：0件');

    const town = await consoleAs('yezhou', 'yezhou-secret-1');
    await expect.poll(() => town.locator(`[data-case="${caseNumber}"]`).count(), { timeout: 20_000 }).toBe(1);
    await openInConsole(town);
    await town.getByLabel('备注或理由').fill('已电话核实');
    await town.getByRole('button', { name: '转报县级' }).click();
    await expect.poll(() => town.getByTestId('case-status').textContent()).toContain('县级');

    const county = await consoleAs('county-admin', 'county-secret-1');
    await expect.poll(() => county.locator(`[data-case="${caseNumber}"]`).count(), { timeout: 20_000 }).toBe(1);
    await openInConsole(county);
    // The scan the clerk made, viewed in the browser: the thumbnail loads (session cookie, CSP) and links to the file.
    const thumbnail = county.locator('.material-files img.file-thumbnail').first();
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 20_000 }).toBe(1);
    expect(await county.locator('.material-files a').first().getAttribute('target')).toBe('_blank');
    expect(await county.locator('.timeline').textContent()).toContain('备注：已电话核实');
    await county.getByRole('button', { name: '批准', exact: true }).click();
    await county.getByRole('alertdialog').getByRole('button', { name: '确定批准' }).click();
    await expect.poll(() => county.getByTestId('case-status').textContent()).toBe('已批准');
    await run.screenshot('county-approved', county);

    await expect.poll(kioskCaseStatus, { timeout: 30_000 }).toBe('已批准');
    await run.screenshot('kiosk-approved');

    await county.getByRole('button', { name: '统计' }).click();
    await expect.poll(() => county.locator('.charts svg.recharts-surface').count()).toBe(3);
    expect(await county.getByTestId('dashboard-within').textContent()).toBe('100%');
    // Every sector bar is named; the trend is a line over twelve weeks, and says so when data is thin.
    const sectors = county.locator('figure', { hasText: '按领域' });
    const bars = await sectors.locator('.recharts-bar-rectangle').count();
    expect(bars).toBeGreaterThan(0);
    expect(await sectors.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').count()).toBe(bars);
    const trend = county.locator('figure', { hasText: '最近12周受理量' });
    expect(await trend.locator('.recharts-line-dots circle').count()).toBe(12);
    expect(await trend.getByTestId('trend-thin').textContent()).toContain('最近只有1周有办件');
    await run.screenshot('county-dashboard', county);

    // The kiosks page on a 1366 px office screen: every button on one line, and revoking asks first.
    await county.setViewportSize({ width: 1366, height: 768 });
    await county.getByRole('button', { name: '终端', exact: true }).click();
    const revoke = county.locator('tr[data-kiosk]').first().getByRole('button', { name: '注销' });
    await revoke.waitFor();
    const lineHeights = await county.locator('table.cases button').evaluateAll((buttons) =>
      buttons.map((button) => {
        const range = document.createRange();
        range.selectNodeContents(button);
        return new Set([...range.getClientRects()].map((rect) => Math.round(rect.top))).size;
      }),
    );
    expect(lineHeights.every((lines) => lines === 1)).toBe(true);
    await revoke.click();
    await county.getByRole('alertdialog', { name: '确定“注销”吗？办理后不能更改。' }).getByRole('button', { name: '取消' }).click();
    await run.screenshot('county-kiosks-1366', county);

    // Every page of the console on an office's screens, in both languages: nothing runs off the edge.
    for (const size of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      await county.setViewportSize(size);
      for (const language of ['zh', 'en'] as const) {
        for (const page of language === 'zh'
          ? ['待办件', '统计', '通知公告', '终端', '被拒收的数据', '查看记录']
          : ['Queue', 'Statistics', 'Notices', 'Kiosks', 'Refused data', 'Reveal log']) {
          const button = county.getByRole('navigation').getByRole('button', { name: page, exact: true });
          await button.click();
          await expect.poll(() => button.getAttribute('aria-current')).toBe('page');
          const label = `console-${String(size.width)}-${language}-${page}`;
          await expect.poll(() => county.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), { message: label }).toBe(true);
          if (page === '待办件' || page === 'Queue') {
            // An empty queue's count line ends with the count, not a dangling separator.
            expect(await county.getByTestId('queue-counts').textContent()).not.toMatch(/·\s*$/);
            await run.screenshot(label, county);
          }
        }
        await county.getByRole('button', { name: language === 'zh' ? 'English' : '中文' }).click();
      }
    }
    expect(run.errors).toEqual([]);
  }, 90_000);
});
