// @vitest-environment jsdom
/**
 * The console's appeals (诉求与建议, issue 18 §4) against a real hub: residents raise them on the page, a town
 * reviewer sees only its villages', replies and passes one on to the county, the county closes it; an answer
 * holding a phone number is refused in words; the phone is revealed only with a reason and forgotten when the
 * screen is left; an overdue appeal comes first, flagged; a village’s rush of one category is warned of; and the
 * view reads in English too.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appealIdOf, type Appeal, type ResidentAppealView } from '../../../core/appeal/appeal.js';
import { reviewApi } from '../../../renderer/console/api.js';
import { ConsoleRoot } from '../../../renderer/console/console-root.js';
import { DB, hallDb } from '../../../sync-server/store/names.js';
import { addReviewer } from '../../../sync-server/users.js';
import { startTestHub, VILLAGE_A, VILLAGE_B, VILLAGE_OTHER_TOWN, type TestHub } from '../../sync-server/hub-harness.js';
import { reviewerJson, signInReviewer } from '../../sync-server/reviewer-client.js';
import { memoryStorage } from '../kiosk/harness.js';

let hub: TestHub;
let address = 0;

/** What the browser does with cookies, for Node's fetch: keep the session cookie and send it back. */
function browserLikeFetch(): typeof fetch {
  let cookie = '';
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(input, { ...init, headers });
    const set = response.headers.get('set-cookie');
    if (set) cookie = set.split(';')[0] ?? '';
    return response;
  };
}

/** A resident raises an appeal on the residents' page, each from an address of their own. */
async function raise(body: { village: string; category: string; text: string; phone?: string }): Promise<ResidentAppealView> {
  address += 1;
  const answer = await hub.call('POST', '/api/resident/appeals', { body, headers: { 'x-forwarded-for': `198.51.100.${String(address)}` } });
  if (answer.status !== 201) throw new Error(`raising answered ${String(answer.status)}: ${JSON.stringify(answer.body)}`);
  return answer.body as ResidentAppealView;
}

async function storedEvents(village: string, code: string) {
  const stored = await hub.hub.store.getDoc<Appeal>(hallDb(village), appealIdOf(code));
  return stored.ok ? stored.value.events : [];
}

/** The console signed in as `name`, on its appeals. */
async function appealsAs(name: string, password: string) {
  const user = userEvent.setup();
  const view = render(<ConsoleRoot api={reviewApi(hub.base, browserLikeFetch())} preferences={memoryStorage()} />);
  await user.type(await screen.findByLabelText('用户名'), name);
  await user.type(screen.getByLabelText('密码'), password);
  await user.click(screen.getByRole('button', { name: '登录' }));
  await user.click(await screen.findByRole('button', { name: '诉求' }));
  await screen.findByRole('heading', { name: '诉求与建议' });
  await screen.findByTestId('appeal-counts');
  return { user, view };
}

/** A code as the console prints it, in two groups of four. */
const printed = (code: string) => `${code.slice(0, 4)}-${code.slice(4)}`;
const row = (code: string) => document.querySelector(`tr[data-appeal="${code}"]`);

beforeAll(async () => {
  hub = await startTestHub({ config: { trustProxy: ['loopback'] } });
  const now = new Date();
  await addReviewer(hub.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, now);
  await addReviewer(hub.hub.store, { name: 'county-admin', displayName: '张敏', role: 'county', password: 'county-secret-1' }, now);
}, 60_000);
afterAll(async () => {
  await hub.close();
});

describe('the console’s appeals', () => {
  let household: ResidentAppealView;

  it('lets a town reviewer see only its villages’ appeals, refuse an answer holding a phone, reply, reveal the phone with a reason, and pass it on', async () => {
    // 户政 is decided by the town: such an appeal goes to the town first.
    household = await raise({ village: VILLAGE_A, category: 'GA', text: '孩子上户口跑了三趟还没办好。', phone: '139 0000 2222' });
    const well = await raise({ village: VILLAGE_A, category: 'villageAffairs', text: '三组的水井坏了。' });
    const elsewhere = await raise({ village: VILLAGE_OTHER_TOWN, category: 'GA', text: '高坪镇的户口问题。' });
    expect(household.heldBy).toBe('town');

    const { user, view } = await appealsAs('yezhou', 'yezhou-secret-1');
    // Categories by the catalog's sector names (the area's), the village's own affairs by theirs.
    await waitFor(() => {
      expect(row(household.code)?.textContent).toContain('公安（户政）');
    });
    expect(row(elsewhere.code)).toBeNull(); // another town's
    const listed = row(household.code)?.textContent ?? '';
    for (const shown of ['业州镇 雀儿笼村', '公安（户政）', '孩子上户口跑了三趟还没办好。', '网上提出', '待答复', '乡镇']) expect(listed).toContain(shown);
    expect(row(well.code)?.textContent).toContain('村务');
    expect(row(well.code)?.textContent).toContain('匿名');
    expect(screen.getByTestId('appeal-counts').textContent).toBe('共2件');

    // The village's own appeal: the town reads it but does not answer it.
    await user.click(screen.getByRole('button', { name: printed(well.code) }));
    expect((await screen.findByTestId('appeal-not-yours')).textContent).toBe('此件现由村级答复：您可以查看，但不能答复');
    expect(screen.getByTestId('appeal-phone').textContent).toBe('匿名');
    expect(screen.queryByRole('region', { name: '答复诉求' })).toBeNull();
    await user.click(screen.getByRole('button', { name: '返回诉求列表' }));

    await user.click(await screen.findByRole('button', { name: printed(household.code) }));
    await screen.findByRole('heading', { name: `公安（户政）诉求 ${household.code.slice(0, 4)}-${household.code.slice(4)}` });
    expect(screen.getByTestId('appeal-text').textContent).toBe('孩子上户口跑了三趟还没办好。');
    expect(screen.getByTestId('appeal-status').textContent).toBe('待答复 · 由乡镇级答复');
    expect(screen.getByText('还没有答复')).toBeTruthy();
    const actions = screen.getByRole('region', { name: '答复诉求' });

    // Nothing typed: said on the page, nothing sent.
    await user.click(within(actions).getByRole('button', { name: '答复' }));
    expect(await screen.findByText('请先填写答复内容')).toBeTruthy();
    // The resident reads the answer: the hub refuses one holding a phone number, and the text stays to be mended.
    const box = within(actions).getByLabelText<HTMLTextAreaElement>('答复内容（居民会看到）');
    await user.type(box, '请拨打 13900003333 联系户籍窗口');
    await user.click(within(actions).getByRole('button', { name: '答复' }));
    expect((await screen.findByRole('alert')).textContent).toBe('答复中有手机号码。居民会看到答复，请删去号码后再提交');
    expect(box.value).toBe('请拨打 13900003333 联系户籍窗口');
    expect(await storedEvents(VILLAGE_A, household.code)).toEqual([]);

    await user.clear(box);
    await user.type(box, '已联系派出所，本周内办好。');
    await user.click(within(actions).getByRole('button', { name: '答复' }));
    await waitFor(() => {
      expect(screen.getByTestId('appeal-status').textContent).toBe('已答复 · 由乡镇级答复');
    });
    expect((await screen.findByRole('status')).textContent).toBe('已记录：答复');
    expect(box.value).toBe('');
    const answers = () => [...document.querySelectorAll('.console-appeal-answers li')].map((li) => li.textContent);
    expect(answers()).toEqual([expect.stringMatching(/答复 业州镇审核人 李强已联系派出所，本周内办好。$/)]);

    // The phone: a reason first (the hub asks for one), then the number, audited.
    expect(screen.getByTestId('appeal-phone').textContent).toContain('139****2222');
    await user.click(screen.getByRole('button', { name: '查看完整号码' }));
    await user.click(screen.getByRole('button', { name: '确认查看' }));
    expect(await screen.findByText('请说明为什么需要查看完整号码（至少4个字），理由将记入审计日志')).toBeTruthy();
    await user.type(screen.getByLabelText('查看理由（将记入审计日志）'), '回访办理情况');
    await user.click(screen.getByRole('button', { name: '确认查看' }));
    expect((await screen.findByTestId('revealed')).textContent).toBe('13900002222');
    const audit = await hub.hub.store.docsWithPrefix<{ field?: string; appeal?: string; reviewer: string; reason: string }>(DB.audit, 'reveal:');
    expect(audit.ok && audit.value.map((entry) => [entry.field, entry.appeal, entry.reviewer, entry.reason])).toEqual([
      ['phone', household.code, 'yezhou', '回访办理情况'],
    ]);

    await user.type(box, '需要县公安局审批。');
    await user.click(within(actions).getByRole('button', { name: '转交上级（县级）' }));
    await waitFor(() => {
      expect(screen.getByTestId('appeal-status').textContent).toBe('已答复 · 由县级答复');
    });
    expect(screen.queryByRole('region', { name: '答复诉求' })).toBeNull();
    expect(screen.getByTestId('appeal-not-yours').textContent).toBe('此件现由县级答复：您可以查看，但不能答复');
    expect(answers()[1]).toMatch(/转交县级 业州镇审核人 李强需要县公安局审批。$/);
    expect((await storedEvents(VILLAGE_A, household.code)).map((event) => [event.type, event.by, event.to])).toEqual([
      ['replied', { level: 'town', name: '李强' }, undefined],
      ['passedOn', { level: 'town', name: '李强' }, 'county'],
    ]);

    // The number is shown only until the screen is left. Replied: among the replied appeals, not the open ones.
    await user.click(screen.getByRole('button', { name: '返回诉求列表' }));
    await screen.findByTestId('appeal-counts');
    expect(row(household.code)).toBeNull();
    await user.selectOptions(screen.getByLabelText('状态'), 'replied');
    await user.click(await screen.findByRole('button', { name: printed(household.code) }));
    await screen.findByTestId('appeal-phone');
    expect(screen.queryByTestId('revealed')).toBeNull();
    expect(screen.getByTestId('appeal-phone').textContent).toContain('139****2222');
    view.unmount();
  }, 60_000);

  it('lets the county close the appeal passed on to it, asking once first, and the resident reads every answer', async () => {
    const { user, view } = await appealsAs('county-admin', 'county-secret-1');
    // Replied already: not among the appeals awaiting a first reply.
    expect(row(household.code)).toBeNull();
    await user.selectOptions(screen.getByLabelText('状态'), 'replied');
    await user.click(await screen.findByRole('button', { name: printed(household.code) }));
    const actions = await screen.findByRole('region', { name: '答复诉求' });
    expect(within(actions).queryByRole('button', { name: /转交上级/ })).toBeNull(); // nothing above the county

    const box = within(actions).getByLabelText('答复内容（居民会看到）');
    await user.type(box, '县公安局已批准，可到派出所领取户口簿。');
    await user.click(within(actions).getByRole('button', { name: '办结' }));
    const ask = within(actions).getByRole('alertdialog', { name: '确定“办结”吗？办理后不能更改。' });
    expect(ask.textContent).toContain('一并保存：县公安局已批准，可到派出所领取户口簿。');
    expect(await storedEvents(VILLAGE_A, household.code)).toHaveLength(2); // asking writes nothing
    await user.click(within(ask).getByRole('button', { name: '确定办结' }));
    await waitFor(() => {
      expect(screen.getByTestId('appeal-status').textContent).toBe('已办结');
    });
    expect(screen.getByTestId('appeal-not-yours').textContent).toBe('此件已办结');
    expect([...document.querySelectorAll('.console-appeal-answers li')].at(-1)?.textContent).toMatch(/办结 建始县审核人 张敏县公安局已批准/);

    const read = await hub.call('POST', '/api/resident/appeals/open', {
      body: { code: household.code, phone: '13900002222' },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect((read.body as ResidentAppealView).answers.map((answer) => [answer.level, answer.type])).toEqual([
      ['town', 'replied'],
      ['town', 'passedOn'],
      ['county', 'closed'],
    ]);
    // Among the closed ones now.
    await user.click(screen.getByRole('button', { name: '返回诉求列表' }));
    await user.selectOptions(await screen.findByLabelText('状态'), 'closed');
    await waitFor(() => {
      expect(row(household.code)?.textContent).toContain('已办结');
    });
    // The county's reveal log names the appeal whose phone the town revealed.
    await user.click(screen.getByRole('button', { name: '查看记录' }));
    expect((await screen.findByText(`诉求${household.code}的联系电话`)).closest('tr')?.textContent).toContain('回访办理情况');
    view.unmount();
  }, 60_000);

  it('says so, and shows the appeal as it is now, when someone else answered it meanwhile', async () => {
    const raised = await raise({ village: VILLAGE_A, category: 'GA', text: '身份证换领要多久？' });
    const { user, view } = await appealsAs('yezhou', 'yezhou-secret-1');
    await user.click(await screen.findByRole('button', { name: printed(raised.code) }));
    const actions = await screen.findByRole('region', { name: '答复诉求' });
    // Another reviewer of the town passes it on in another browser while this page is open.
    await addReviewer(hub.hub.store, { name: 'yezhou-2', role: 'town', town: '422822100000', password: 'yezhou-secret-2' }, new Date());
    const colleague = await signInReviewer(hub, 'yezhou-2', 'yezhou-secret-2');
    const path = `/api/review/appeals/${VILLAGE_A}/${raised.code}/events`;
    expect((await reviewerJson(hub, colleague, 'POST', path, { type: 'passedOn', to: 'county', text: '请县里答复。' })).status).toBe(200);

    await user.type(within(actions).getByLabelText('答复内容（居民会看到）'), '一般二十个工作日。');
    await user.click(within(actions).getByRole('button', { name: '答复' }));
    expect((await screen.findByRole('alert')).textContent).toBe('这件诉求刚刚已被他人答复、转交或办结，页面已更新，请看过再操作；已填写的内容仍保留');
    await waitFor(() => {
      expect(screen.getByTestId('appeal-status').textContent).toBe('待答复 · 由县级答复');
    });
    expect(screen.queryByRole('region', { name: '答复诉求' })).toBeNull();
    expect((await storedEvents(VILLAGE_A, raised.code)).map((event) => event.type)).toEqual(['passedOn']);
    view.unmount();
  }, 60_000);

  it('lists an overdue appeal first, marked as overdue cases are', async () => {
    // Raised at the counter a month ago (the kiosk's sync brings it), never answered.
    const kiosk = await hub.enroll(VILLAGE_A);
    const late: Appeal = {
      kind: 'cunban.appeal',
      schemaVersion: 1,
      village: VILLAGE_A,
      code: 'LATE2345',
      category: 'GA',
      text: '申请的户口簿一个月了还没有消息。',
      channel: 'counter',
      raisedAt: new Date(Date.now() - 30 * 24 * 3600 * 1000).toISOString(),
      level: 'town',
      events: [],
    };
    const pushed = await hub.call('POST', `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`, {
      auth: kiosk.authorization,
      body: { docs: [{ _id: appealIdOf(late.code), ...late }] },
    });
    expect(pushed.body).toMatchObject([{ ok: true }]);
    const { user, view } = await appealsAs('yezhou', 'yezhou-secret-1');
    await waitFor(() => {
      expect(document.querySelector('tr[data-appeal]')?.getAttribute('data-appeal')).toBe(late.code);
    });
    expect(row(late.code)?.textContent).toContain('待答复 · 已超期');
    expect(row(late.code)?.textContent).toContain('窗口提出');
    expect(row(late.code)?.querySelectorAll('.overdue-flag')).toHaveLength(3); // the flag, and both dates passed
    expect(screen.getByTestId('appeal-counts').textContent).toMatch(/^共\d+件 · 已超期1件$/);
    await user.click(screen.getByRole('button', { name: printed(late.code) }));
    expect((await screen.findByTestId('appeal-status')).textContent).toBe('待答复 · 由乡镇级答复 · 已超期');
    view.unmount();
  }, 60_000);

  it('warns of three appeals of one category from one village this week, in Chinese and in English', async () => {
    for (let i = 1; i <= 3; i++) await raise({ village: VILLAGE_B, category: 'villageAffairs', text: `村里停水第${String(i)}天了。` });
    const { user, view } = await appealsAs('yezhou', 'yezhou-secret-1');
    const warning = await screen.findByTestId('appeal-warning');
    expect(warning.textContent).toBe('杉木村：本周有3件关于「村务」的诉求，此前8周没有');
    expect(screen.getAllByTestId('appeal-warning')).toHaveLength(1);

    await user.click(screen.getByRole('button', { name: 'English' }));
    await screen.findByRole('heading', { name: 'Appeals and suggestions' });
    expect(screen.getByTestId('appeal-warning').textContent).toBe('杉木村: 3 appeals about “Village affairs” this week, none in the 8 weeks before');
    expect(screen.getByRole('button', { name: 'Appeals' }).getAttribute('aria-current')).toBe('page');
    expect(screen.getByLabelText('Status')).toBeTruthy();
    expect(screen.getByRole('columnheader', { name: 'First reply due' })).toBeTruthy();
    expect(screen.getByTestId('appeal-counts').textContent).toMatch(/^\d+ in all · 1 overdue$/);
    expect(row('LATE2345')?.textContent).toContain('Awaiting a reply · Overdue');
    expect(row('LATE2345')?.textContent).toContain('raised at the counter');
    const first = [...document.querySelectorAll('tr[data-appeal]')].find((tr) => tr.textContent.includes('杉木村'));
    expect(first?.textContent).toContain('Village affairs');
    expect(first?.textContent).toContain('Anonymous');
    await user.click(within(first as HTMLElement).getByRole('button'));
    await screen.findByRole('heading', { name: /^Appeal: Village affairs/ });
    expect(screen.getByTestId('appeal-status').textContent).toBe('Awaiting a reply · answered by the village');
    expect(screen.getByTestId('appeal-phone').textContent).toBe('Anonymous');
    expect(screen.getByText('No answer yet')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Back to the appeals' })).toBeTruthy();
    view.unmount();
  }, 60_000);
});
