/**
 * Issue 19's "Done when", in Debian's Chromium: a clerk prepares a recipients' list from the village's approved
 * cases; the town approves it in the console; the hall's public display shows it with the kiosk's line down; a
 * phone-sized browser shows the village's board and a resident objects to a line, which reaches the town as a
 * concern; and at the end of its period the list leaves the offline kiosk's display (by the kiosk's clock) and the
 * phone's board (by the hub's), into the archive. Screenshots go to test-results/screenshots/disclosure-e2e/.
 */
import { rmSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appeal } from '../../core/appeal/appeal.js';
import type { Publication } from '../../core/disclosure/publication.js';
import { hallDb } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { startTestHub, storeForwardedCase, VILLAGE_A, type TestHub } from '../sync-server/hub-harness.js';
import { reviewerJson, signInReviewer } from '../sync-server/reviewer-client.js';
import { buildAppsForTest } from '../support/apps-build.js';
import { openChromium, type BrowserRun } from '../support/chromium.js';
import { enrollWithFirstClerk } from './kiosk-steps.js';

const DAY = 24 * 60 * 60 * 1000;
let hub: TestHub;
let appsDir: string;
let run: BrowserRun;
let kiosk: Page;
let phone: Page;
/** How far the hub's clock is ahead of the machine's: the end of the period is reached by moving it. */
let hubAhead = 0;
let publicationId = '';
let endLineDown: () => void = () => undefined;
const TITLE = '2026年低保对象公示';
const base = () => `http://localhost:${String(hub.hub.port)}`;

const publications = async () => {
  const docs = await hub.hub.store.docsWithPrefix<Publication>(hallDb(VILLAGE_A), 'publication:');
  return docs.ok ? docs.value : [];
};

beforeAll(async () => {
  appsDir = await buildAppsForTest();
  hub = await startTestHub({ config: { appsDir }, now: () => new Date(Date.now() + hubAhead) });
  const now = new Date();
  await addReviewer(hub.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, now);
  await addReviewer(hub.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, now);
  // 张三国's minimum living allowance, registered at the village, forwarded, approved by the county.
  const town = await signInReviewer(hub, 'yezhou', 'yezhou-secret-1');
  const county = await signInReviewer(hub, 'county-admin', 'county-secret-1');
  const caseNumber = await storeForwardedCase(hub, await hub.enroll(VILLAGE_A), '张三国');
  expect((await reviewerJson(hub, town, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'forwarded', to: 'county' })).status).toBe(201);
  expect((await reviewerJson(hub, county, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'approved' })).status).toBe(201);
  run = await openChromium('disclosure-e2e');
  kiosk = run.page;
  // The kiosk's clock is Playwright's: it runs as a clock does, and is moved on to the end of the period below.
  await kiosk.context().clock.install();
}, 120_000);

afterAll(async () => {
  await run.close();
  await hub.close();
  rmSync(appsDir, { recursive: true, force: true });
});

describe('a village’s list in the open, from the counter to the phone', () => {
  it('the clerk prepares a recipients’ list from the approved cases and submits it to the town', async () => {
    await enrollWithFirstClerk(kiosk, hub.hub.store, VILLAGE_A, `${base()}/kiosk/`);
    await kiosk.keyboard.press('Alt+P');
    await kiosk.getByRole('button', { name: '准备新的公示' }).click();
    const form = kiosk.getByRole('form', { name: '准备新的公示' });
    await form.getByLabel('公示标题').fill(TITLE);
    // The approved case arrives by the first sync: the list is made again until it is there.
    await expect
      .poll(
        async () => {
          await form.getByRole('button', { name: '生成名单' }).click();
          return form.getByRole('status').textContent();
        },
        { timeout: 30_000 },
      )
      .toContain('找到1件已批准的办件');
    const table = form.getByRole('table');
    expect(await table.textContent()).toContain('张*');
    expect(await table.textContent()).not.toContain('张三国');
    await form.getByLabel('第1行 家庭人口').fill('3');
    await form.getByLabel('第1行 金额（元）').fill('620');
    await run.screenshot('prepared');
    await form.getByRole('button', { name: '提交镇里审核' }).click();
    await kiosk.getByText('待镇里审核').waitFor();
    await expect.poll(publications, { timeout: 30_000 }).toHaveLength(1);
    const [submitted] = await publications();
    publicationId = submitted?.publicationId ?? '';
    expect(submitted).toMatchObject({ title: TITLE, rows: [['张*', '3', '620', '雀儿笼村']] });
  }, 90_000);

  it('the town approves it in the console, and the kiosk hears of it', async () => {
    const town = await run.newPage();
    await town.goto(`${base()}/console/`);
    await town.getByLabel('用户名').fill('yezhou');
    await town.getByLabel('密码').fill('yezhou-secret-1');
    await town.getByRole('button', { name: '登录' }).click();
    await town.getByRole('button', { name: '公示审核' }).click();
    await town.locator(`[data-publication="${publicationId}"]`).getByRole('button', { name: TITLE }).click();
    expect(await town.getByTestId('publication-table').textContent()).toContain('张*');
    await town.getByRole('button', { name: '批准公示' }).click();
    await town.getByRole('button', { name: '确定批准公示' }).click();
    await expect.poll(() => town.getByTestId('publication-status').textContent(), { timeout: 10_000 }).toContain('公示中');
    await run.screenshot('town-approved', town);
    await town.close();
    await kiosk.getByText('公示中').waitFor({ timeout: 30_000 });
  }, 60_000);

  it('the hall’s display shows it with the line down, and leads back only through the PIN', async () => {
    endLineDown = run.tolerate(/net::ERR_FAILED|Failed to fetch|ERR_INTERNET_DISCONNECTED/);
    await kiosk.route('**/sync/**', (route) => route.abort());
    await kiosk.route('**/api/**', (route) => route.abort());
    await kiosk.keyboard.press('Alt+D');
    const shown = kiosk.locator(`.hall-display [data-publication="${publicationId}"]`);
    // The display rotates through its slides: the list comes round.
    await shown.waitFor({ timeout: 60_000 });
    expect(await shown.textContent()).toContain('张*');
    expect(await kiosk.locator('.counter-header').isVisible()).toBe(false);
    await run.screenshot('display-offline');
    // Each slide the display turns to shows nobody's name in full, ID number or phone (the case's applicant has all three).
    const slides = new Set<string>();
    const seen: string[] = [];
    await expect
      .poll(
        async () => {
          slides.add((await kiosk.locator('.hall-display').getAttribute('data-slide')) ?? '');
          seen.push((await kiosk.locator('.hall-display').textContent()) ?? '');
          return slides.has('figures') && slides.has('publication');
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    for (const personal of ['张三国', '422822198001010015', '13900001111']) expect(seen.join('\n')).not.toContain(personal);
    // A key shows the way out, which is the PIN — and then the display again.
    await kiosk.keyboard.press('Escape');
    await kiosk.getByRole('heading', { name: '终端已锁定，请输入PIN码继续' }).waitFor();
    await kiosk.getByRole('button', { name: '打开公示屏（公开信息，无需PIN码）' }).click();
    await kiosk.locator('.hall-display').waitFor();
  }, 120_000);

  it('a phone shows the village’s board, and a resident’s objection to a line reaches the town', async () => {
    phone = await run.newPage();
    await phone.setViewportSize({ width: 360, height: 740 });
    await phone.goto(`${base()}/r/`);
    await phone.getByRole('button', { name: '村务公开' }).click();
    await phone.getByLabel('乡镇').selectOption('业州镇');
    await phone.getByLabel('村（社区）').selectOption(VILLAGE_A);
    await phone.getByRole('heading', { name: '雀儿笼村正在公示' }).waitFor();
    const listed = phone.getByTestId('board-publication');
    expect(await listed.count()).toBe(1);
    expect(await listed.textContent()).toContain(TITLE);
    expect(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await run.screenshot('board-360', phone);

    await phone.getByRole('button', { name: '对此提出异议（第1行）' }).click();
    const form = phone.getByRole('form', { name: '对第1行提出异议' });
    await form.getByLabel('哪里不对').fill('这一户家里新盖了楼房，不符合低保条件。');
    await form.getByRole('button', { name: '提交异议' }).click();
    const code = ((await phone.getByTestId('objection-code').textContent()) ?? '').replace(/[^2-9A-HJ-NP-Z]/g, '');
    expect(code).toHaveLength(8);
    await run.screenshot('objected-360', phone);
    const appeal = await hub.hub.store.getDoc<Appeal>(hallDb(VILLAGE_A), `appeal:${code}`);
    expect(appeal.ok && appeal.value).toMatchObject({ level: 'town', objection: { publication: publicationId, row: 1, title: TITLE } });
    const shown = (await phone.locator('body').textContent()) ?? '';
    for (const personal of ['张三国', '422822198001010015', '13900001111']) expect(shown).not.toContain(personal);
  }, 60_000);

  it('at the end of its period the list leaves the offline display and the phone’s board, for the archive', async () => {
    // Seven days on, on both clocks.
    hubAhead = 7 * DAY + 60_000;
    await kiosk.clock.fastForward(7 * DAY + 60_000);
    await expect.poll(() => kiosk.locator(`.hall-display [data-publication="${publicationId}"]`).count(), { timeout: 60_000 }).toBe(0);
    // What is left is the village's figures alone: no slide of the list comes round again.
    await expect.poll(() => kiosk.locator('.hall-display').getAttribute('data-slide'), { timeout: 30_000 }).toBe('figures');
    expect(await kiosk.locator('.hall-display-count').count()).toBe(0);
    await run.screenshot('display-ended');

    await phone.reload();
    await phone.getByRole('button', { name: '村务公开' }).click();
    await phone.getByLabel('乡镇').selectOption('业州镇');
    await phone.getByLabel('村（社区）').selectOption(VILLAGE_A);
    await phone.getByText('现在没有正在公示的内容。').waitFor();
    await phone.getByRole('button', { name: '查看往期公示' }).click();
    await expect.poll(() => phone.getByTestId('board-past').textContent()).toContain(TITLE);
    await run.screenshot('archive-360', phone);
    endLineDown();
  }, 120_000);

  it('saw no console errors but the refused connections of the line down', () => {
    expect(run.errors).toEqual([]);
  });
});
