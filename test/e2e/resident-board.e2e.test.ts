/**
 * The village's notices on a 360 px phone in Debian's Chromium, the residents' page built as shipped and served
 * by the hub (issue 19 §2): a wide list (eight columns, long cells) and the service figures never make the page
 * wider than the phone — in ordinary print, with an objection's form open and its refusal shown, in large print
 * and in English; the figures, a card a month, fit the phone too. The page's flows are tested against a real hub
 * in test/renderer/resident/board.test.tsx. Screenshots go to test-results/screenshots/resident-board-e2e/.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Publication } from '../../core/disclosure/publication.js';
import { publicationDoc } from '../support/publication-doc.js';
import { appConfig } from '../../scripts/build-apps.js';
import { hallDb } from '../../sync-server/store/names.js';
import { startTestHub, storeForwardedCase, VILLAGE_A, type TestHub } from '../sync-server/hub-harness.js';
import { openChromium, type BrowserRun } from '../support/chromium.js';

const NOW = Date.parse('2026-12-01T02:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

let appsDir: string;
let hub: TestHub;
let run: BrowserRun;
let phone: Page;

function publication(id: string, fields: Pick<Publication, 'category' | 'title' | 'columns' | 'rows'> & Partial<Publication>): Publication & { _id: string } {
  return publicationDoc(id, { village: VILLAGE_A, preparedMs: NOW - 2 * DAY, approvedMs: NOW - DAY, ...fields });
}

beforeAll(async () => {
  appsDir = mkdtempSync(join(tmpdir(), 'cunban-resident-build-'));
  // As shipped: vitest runs with NODE_ENV=test, which would bundle React's development build.
  const runningAs = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build(appConfig('resident', appsDir, { sourcemap: false }));
  } finally {
    process.env.NODE_ENV = runningAs;
  }
  hub = await startTestHub({ config: { appsDir }, now: () => new Date(NOW) });
  const wide = publication('pub-wide-list-01', {
    category: 'villageFinances',
    title: '2026年第三季度村级财务收支明细（含村集体经济项目收益分配和公益事业支出）',
    note: '本季度收支明细如下。对账目有疑问的，可以在公示期内提出异议，或到村委会查阅原始凭证。',
    columns: ['日期', '摘要', '收入（元）', '支出（元）', '经手人', '审核人', '凭证号', '备注'].map((label, c) => ({
      label,
      role: c === 2 || c === 3 ? ('amount' as const) : c === 4 || c === 5 ? ('name' as const) : ('text' as const),
    })),
    rows: [
      ['2026-07-15', '村道硬化工程第二期进度款（雀儿笼村三组至五组段）', '', '128000.00', '张*', '李*', 'PZ-2026-0715-003', '镇财政所拨付配套资金到位后支付'],
      ['2026-08-02', '集体山林承包费', '36000', '', '王*', '李*', 'PZ-2026-0802-001', ''],
      ['2026-09-30', 'ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZ', '', '999999999.99', '欧阳*', '司马*', 'PZ-2026-0930-LONGNUMBERLONGNUMBER', '—'],
    ],
  });
  const recipients = publication('pub-recipients-1', {
    category: 'allowanceRecipients',
    title: '2026年11月低保对象公示',
    columns: [
      { label: '姓名', role: 'name' },
      { label: '家庭人口', role: 'count' },
      { label: '金额（元）', role: 'amount' },
    ],
    rows: [
      ['张*', '3', '620'],
      ['李*', '2', '480'],
    ],
  });
  for (const doc of [wide, recipients]) {
    const put = await hub.hub.store.putDoc(hallDb(VILLAGE_A), doc);
    if (!put.ok) throw new Error(put.error.reason);
  }
  const kiosk = await hub.enroll(VILLAGE_A);
  await storeForwardedCase(hub, kiosk, '张三国');
  await hub.hub.queue.settled();
  run = await openChromium('resident-board-e2e');
  phone = run.page;
  await phone.setViewportSize({ width: 360, height: 740 });
}, 180_000);

afterAll(async () => {
  await run.close();
  await hub.close();
  rmSync(appsDir, { recursive: true, force: true });
});

/** Whether the page is no wider than the phone: nothing to scroll sideways but inside its own box. */
const fitsThePhone = () => phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('the village’s notices on a 360 px phone', () => {
  it('never make the page wider than the phone, in ordinary and large print, in Chinese and English', async () => {
    // localhost, as a resident's browser would reach a named host.
    await phone.goto(`http://localhost:${String(hub.hub.port)}/r/`);
    await phone.getByRole('button', { name: '村务公开' }).click();
    await phone.getByLabel('乡镇').selectOption('业州镇');
    await phone.getByLabel('村（社区）').selectOption(VILLAGE_A);
    await phone.getByRole('heading', { name: '雀儿笼村正在公示' }).waitFor();
    expect(await phone.getByTestId('board-publication').count()).toBe(2);
    await phone.getByTestId('board-figures').waitFor();
    expect(await fitsThePhone()).toBe(true);
    await run.screenshot('board-360', phone);

    // An objection's form open under a line of the wide list, and the hub's refusal shown in it.
    const endRefusal = run.tolerate(/400 \(Bad Request\) \(http:\/\/localhost:\d+\/api\/resident\/board\//);
    await phone.getByRole('button', { name: '对此提出异议（第3行）' }).first().click();
    const form = phone.getByRole('form', { name: '对第3行提出异议' });
    await form.getByLabel('哪里不对').fill('经手人的身份证是422822198001010015，这笔支出不对');
    await form.getByRole('button', { name: '提交异议' }).click();
    await form.getByText('内容里有身份证号码，请删掉。反映问题不需要身份证号码。').waitFor();
    endRefusal();
    expect(await fitsThePhone()).toBe(true);
    await run.screenshot('board-objection-360', phone);

    await phone.getByRole('button', { name: '大字模式' }).click();
    expect(await phone.evaluate(() => document.documentElement.classList.contains('elder'))).toBe(true);
    expect(await fitsThePhone()).toBe(true);
    // The figures, a card a month, stay on the screen in large print: nothing to scroll sideways.
    const right = await phone
      .getByRole('list', { name: '办事情况' })
      .evaluate((list) => Math.max(...[...list.querySelectorAll('*')].map((cell) => cell.getBoundingClientRect().right)));
    expect(right).toBeLessThanOrEqual(360);
    await run.screenshot('board-360-elder', phone);

    await phone.getByRole('button', { name: 'English' }).click();
    await phone.getByRole('heading', { name: 'On display in 雀儿笼村' }).waitFor();
    expect(await fitsThePhone()).toBe(true);
    await run.screenshot('board-360-elder-en', phone);
  }, 60_000);

  it('saw no console errors but the refusal it asked for', () => {
    expect(run.errors).toEqual([]);
  });
});
