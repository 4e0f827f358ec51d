// @vitest-environment jsdom
/**
 * The console's publications (村务公开, issue 19 §1) against a real hub: a village's kiosk submits lists by sync,
 * a town reviewer sees them (awaiting approval first), reads the whole table — a thousand lines too — approves
 * one, asked first and told for how long it will be public, and the board shows it; returns another with a
 * reason it asks for; is told in words when a colleague decided first. The county reads but does not decide,
 * and is told why. An objection a resident raises to a line on the board is marked as such among the appeals.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResidentAppealView } from '../../../core/appeal/appeal.js';
import { publicationDoc } from '../../support/publication-doc.js';
import { publicationDocIdOf, type Publication } from '../../../core/disclosure/publication.js';
import { localDateOf, type LocalDate } from '../../../core/local-date.js';
import { apiErrorText } from '../../../renderer/console/api-error.js';
import { reviewApi } from '../../../renderer/console/api.js';
import { ConsoleRoot } from '../../../renderer/console/console-root.js';
import { formatDate } from '../../../renderer/ui/format.js';
import { makeI18n } from '../../../renderer/ui/i18n.js';
import { DB, hallDb } from '../../../sync-server/store/names.js';
import { addReviewer } from '../../../sync-server/users.js';
import { clerkOf, startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from '../../sync-server/hub-harness.js';
import { reviewerJson, signInReviewer } from '../../sync-server/reviewer-client.js';
import { memoryStorage } from '../kiosk/harness.js';

let hub: TestHub;
let kiosk: EnrolledKiosk;
const DAY = 24 * 60 * 60 * 1000;
const TOWN_REVIEWER = { id: 'yezhou', name: '李强', level: 'town' as const };

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

/** A publication as the kiosk prepares and submits it, `ago` milliseconds ago. */
function publication(id: string, ago: number, overrides: Partial<Publication> = {}): Publication & { _id: string } {
  return publicationDoc(id, {
    village: VILLAGE_A,
    preparedMs: Date.now() - ago,
    clerk: clerkOf(kiosk),
    note: '如有异议，请在公示期内向村委会反映。',
    source: { from: 'cases', itemCode: 'MZ-001', fromDate: '2026-11-01' as LocalDate, toDate: '2026-11-30' as LocalDate },
    ...overrides,
  });
}

/** Sent as the kiosk's sync sends it: guarded by the hub as any kiosk write. */
async function push(...docs: Publication[]) {
  const answer = await hub.call('POST', `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`, { auth: kiosk.authorization, body: { docs } });
  expect(answer.body).toMatchObject(docs.map(() => ({ ok: true })));
}

async function stored(id: string) {
  const found = await hub.hub.store.getDoc<Publication>(hallDb(VILLAGE_A), publicationDocIdOf(id));
  if (!found.ok) throw new Error(found.error.reason);
  return found.value;
}

const board = async () => ((await hub.call('GET', `/api/resident/board/${VILLAGE_A}`)).body as { publications: { id: string }[] }).publications;

/** The console signed in as `name`, on its publications. */
async function publicationsAs(name: string, password: string) {
  const user = userEvent.setup();
  const api = reviewApi(hub.base, browserLikeFetch());
  const view = render(<ConsoleRoot api={api} preferences={memoryStorage()} />);
  await user.type(await screen.findByLabelText('用户名'), name);
  await user.type(screen.getByLabelText('密码'), password);
  await user.click(screen.getByRole('button', { name: '登录' }));
  await user.click(await screen.findByRole('button', { name: '公示审核' }));
  await screen.findByRole('heading', { name: '村务公开审核' });
  await screen.findByTestId('publication-counts');
  return { user, view, api };
}

const row = (id: string) => document.querySelector(`tr[data-publication="${id}"]`);
const listed = () => [...document.querySelectorAll('tr[data-publication]')].map((tr) => tr.getAttribute('data-publication'));
const day = (instant: string | number) => formatDate('zh-CN', localDateOf(new Date(instant).toISOString()));

const LOWBAO = 'pub-lowbao-202611';
const SUBSIDY = 'pub-subsidy-202611';
const FINANCE = 'pub-finance-202610';
const DECISION = 'pub-decision-202612';
const finance: { approvedAt?: number } = {};

beforeAll(async () => {
  hub = await startTestHub({ config: { trustProxy: ['loopback'] } });
  kiosk = await hub.enroll(VILLAGE_A);
  const now = new Date();
  await addReviewer(hub.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, now);
  await addReviewer(hub.hub.store, { name: 'county-admin', displayName: '张敏', role: 'county', password: 'county-secret-1' }, now);
  await push(
    publication(LOWBAO, 2 * 3600_000),
    publication(SUBSIDY, 3600_000, {
      category: 'subsidiesPaid',
      title: '2026年耕地地力保护补贴发放公示',
      source: { from: 'file', fileName: '耕地补贴.csv' },
      rows: Array.from({ length: 1000 }, (_, i) => [i % 2 ? '王*' : '陈*', String((i % 6) + 1), `${String(100 + i)}.50`]),
    }),
  );
  // Approved by the town three days ago (written as the hub records it; a kiosk cannot send an approval).
  finance.approvedAt = Date.now() - 3 * DAY;
  const { note: _none, ...shown } = publication(FINANCE, 4 * DAY, {
    category: 'villageFinances',
    title: '2026年10月村级财务收支公示',
    source: { from: 'typed' },
  });
  const written = await hub.hub.store.putDoc(hallDb(VILLAGE_A), {
    ...shown,
    events: [...shown.events, { id: 'town-approve-finance', type: 'approved', at: new Date(finance.approvedAt).toISOString(), by: TOWN_REVIEWER }],
  });
  if (!written.ok) throw new Error(written.error.reason);
}, 60_000);
afterAll(async () => {
  await hub.close();
});

describe('the console’s publications', () => {
  it('lets a town reviewer read the whole table, approve it after being asked, and the board then shows it', async () => {
    const { user, view } = await publicationsAs('yezhou', 'yezhou-secret-1');
    // Awaiting approval first, the newest first; then what is on display.
    await waitFor(() => {
      expect(listed()).toEqual([SUBSIDY, LOWBAO, FINANCE]);
    });
    expect(screen.getByTestId('publication-counts').textContent).toBe('共3份 · 待批准2份');
    const lowbao = row(LOWBAO)?.textContent ?? '';
    for (const shown of ['业州镇 雀儿笼村', '2026年11月低保对象公示', '低保等救助对象', day(Date.now() - 2 * 3600_000), '待批准'])
      expect(lowbao).toContain(shown);
    expect(row(SUBSIDY)?.textContent).toContain('补贴发放1000');
    const approvedAt = finance.approvedAt ?? 0;
    expect(row(FINANCE)?.textContent).toContain(`公示中 · ${day(approvedAt)}至${day(approvedAt + 7 * DAY)}`);

    await user.selectOptions(screen.getByLabelText('状态'), 'onDisplay');
    await waitFor(() => {
      expect(listed()).toEqual([FINANCE]);
    });
    expect(screen.getByTestId('publication-counts').textContent).toBe('共1份');
    await user.selectOptions(screen.getByLabelText('状态'), 'awaitingApproval');
    await waitFor(() => {
      expect(listed()).toEqual([SUBSIDY, LOWBAO]);
    });

    await user.click(screen.getByRole('button', { name: '2026年11月低保对象公示' }));
    await screen.findByRole('heading', { name: '2026年11月低保对象公示' });
    expect(screen.getByTestId('publication-status').textContent).toBe('待批准');
    expect(screen.getByTestId('publication-source').textContent).toBe('由办件生成：事项MZ-001，2026年11月1日至2026年11月30日办结的');
    expect(screen.getByTestId('publication-note').textContent).toBe('如有异议，请在公示期内向村委会反映。');
    const table = screen.getByRole('table', { name: '公示内容（共2行）' });
    expect(
      within(table)
        .getAllByRole('row')
        .map((tr) => tr.textContent),
    ).toEqual(['行姓名家庭人口金额（元）', '1张*3620', '2李*2480']);
    // Who prepared and submitted it, and when.
    await waitFor(() => {
      expect(document.querySelector('.console-publication-record li')?.textContent).toMatch(/提交审核 雀儿笼村办事员 王芳$/);
    });

    const actions = screen.getByRole('region', { name: '审核公示' });
    expect(within(actions).getByTestId('publication-approve-hint').textContent).toContain(`公示7天（至${day(Date.now() + 7 * DAY)}）`);
    await user.click(within(actions).getByRole('button', { name: '批准公示' }));
    const ask = within(actions).getByRole('alertdialog', { name: '确定“批准公示”吗？办理后不能更改。' });
    expect((await stored(LOWBAO)).events).toHaveLength(1); // asking writes nothing
    expect(await board()).toEqual([expect.objectContaining({ id: FINANCE })]);
    await user.click(within(ask).getByRole('button', { name: '确定批准公示' }));
    await waitFor(() => {
      expect(screen.getByTestId('publication-status').textContent).toBe(`公示中 · ${day(Date.now())}至${day(Date.now() + 7 * DAY)}`);
    });
    expect((await screen.findByRole('status')).textContent).toMatch(/^已批准：现在起在公示栏公示，至\d{4}年/);
    expect(screen.queryByRole('region', { name: '审核公示' })).toBeNull();
    expect(screen.getByTestId('publication-period').textContent).toMatch(/^\d{4}年.+至\d{4}年/);
    expect([...document.querySelectorAll('.console-publication-record li')].at(-1)?.textContent).toMatch(/批准公示 业州镇审核人 李强$/);

    const approved = (await stored(LOWBAO)).events.find((event) => event.type === 'approved');
    expect(approved).toMatchObject({ by: { id: 'yezhou', name: '李强', level: 'town' } });
    expect((await board()).map((shown) => shown.id).sort()).toEqual([FINANCE, LOWBAO].sort());
    const audit = await hub.hub.store.docsWithPrefix<Record<string, unknown>>(DB.audit, 'publication:');
    expect(audit.ok && audit.value).toEqual([expect.objectContaining({ action: 'approved', reviewer: 'yezhou', publication: LOWBAO })]);
    view.unmount();
  }, 60_000);

  it('shows all thousand lines of a large table, and returns it only with a reason', async () => {
    const { user, view } = await publicationsAs('yezhou', 'yezhou-secret-1');
    await user.click(await screen.findByRole('button', { name: '2026年耕地地力保护补贴发放公示' }));
    const table = await screen.findByRole('table', { name: '公示内容（共1000行）' });
    const lines = within(table).getAllByRole('row');
    expect(lines).toHaveLength(1001);
    expect(lines.at(-1)?.textContent).toBe('1000王*41099.50');
    expect(screen.getByTestId('publication-source').textContent).toBe('导入文件：耕地补贴.csv');

    const actions = screen.getByRole('region', { name: '审核公示' });
    // No reason: said on the page, nothing asked, nothing sent.
    await user.click(within(actions).getByRole('button', { name: '退回' }));
    expect((await screen.findByRole('alert')).textContent).toBe('请填写退回理由，2至500字');
    expect(within(actions).queryByRole('alertdialog')).toBeNull();
    await user.type(within(actions).getByLabelText('退回理由（村里的办事员会看到）'), '金额请与镇民政办核对');
    await user.click(within(actions).getByRole('button', { name: '退回' }));
    const ask = within(actions).getByRole('alertdialog', { name: '确定“退回”吗？办理后不能更改。' });
    expect(ask.textContent).toContain('一并保存：金额请与镇民政办核对');
    await user.click(within(ask).getByRole('button', { name: '确定退回' }));
    await waitFor(() => {
      expect(screen.getByTestId('publication-status').textContent).toBe('已退回');
    });
    expect((await screen.findByRole('status')).textContent).toBe('已退回村里修改');
    expect(screen.getByTestId('publication-reason').textContent).toBe('金额请与镇民政办核对');
    expect((await stored(SUBSIDY)).events.at(-1)).toMatchObject({ type: 'returned', reason: '金额请与镇民政办核对', by: { level: 'town' } });
    expect((await board()).map((shown) => shown.id)).not.toContain(SUBSIDY);

    await user.click(screen.getByRole('button', { name: '返回公示列表' }));
    await waitFor(() => {
      expect(row(SUBSIDY)?.textContent).toContain('已退回');
    });
    view.unmount();
  }, 60_000);

  it('lets the county read a publication but says the town approves it, and the hub’s refusal reads the same', async () => {
    await push(publication(DECISION, 60_000, { category: 'decisions', title: '关于修建三组便道的决议公示', source: { from: 'typed' } }));
    const { user, view, api } = await publicationsAs('county-admin', 'county-secret-1');
    await user.click(await screen.findByRole('button', { name: '关于修建三组便道的决议公示' }));
    expect((await screen.findByTestId('publication-not-yours')).textContent).toBe('公示由该村所在的乡镇审核批准：县级可以查看，但不能批准或退回');
    expect(screen.queryByRole('region', { name: '审核公示' })).toBeNull();
    expect(screen.getByRole('table', { name: '公示内容（共2行）' })).toBeTruthy();

    const refused = await api.approvePublication(VILLAGE_A, DECISION);
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.error).toMatchObject({ status: 403, code: 'publication.townDecides' });
    expect(apiErrorText(makeI18n('zh-CN').t, refused.error)).toBe('公示由该村所在的乡镇审核批准：县级可以查看，但不能批准或退回');
    expect(apiErrorText(makeI18n('en').t, refused.error)).toBe(
      "The village's town approves its publications: the county can read them but not approve or return them",
    );
    expect((await stored(DECISION)).events).toHaveLength(1);
    // The town's approval of the first test is in the county's audit log, beside the reveals.
    await user.click(screen.getByRole('button', { name: '查看记录' }));
    expect(await screen.findByText(/^批准公示《.+》$/)).toBeTruthy();
    view.unmount();
  }, 60_000);

  it('says so, and shows it as it is now, when a colleague decided meanwhile', async () => {
    const { user, view } = await publicationsAs('yezhou', 'yezhou-secret-1');
    await user.click(await screen.findByRole('button', { name: '关于修建三组便道的决议公示' }));
    const actions = await screen.findByRole('region', { name: '审核公示' });
    await addReviewer(hub.hub.store, { name: 'yezhou-2', role: 'town', town: '422822100000', password: 'yezhou-secret-2' }, new Date());
    const colleague = await signInReviewer(hub, 'yezhou-2', 'yezhou-secret-2');
    const path = `/api/review/publications/${VILLAGE_A}/${DECISION}/return`;
    expect((await reviewerJson(hub, colleague, 'POST', path, { reason: '请写明便道的长度和预算' })).status).toBe(200);

    await user.click(within(actions).getByRole('button', { name: '批准公示' }));
    await user.click(within(actions).getByRole('button', { name: '确定批准公示' }));
    expect((await screen.findByRole('alert')).textContent).toBe('这份公示刚刚已被他人批准或退回，或已被村里撤回，页面已更新，请看过再操作');
    await waitFor(() => {
      expect(screen.getByTestId('publication-status').textContent).toBe('已退回');
    });
    expect(screen.getByTestId('publication-reason').textContent).toBe('请写明便道的长度和预算');
    expect(screen.queryByRole('region', { name: '审核公示' })).toBeNull();
    expect((await stored(DECISION)).events.map((event) => event.type)).toEqual(['submitted', 'returned']);
    view.unmount();
  }, 60_000);

  it('marks an objection to a line on the board among the appeals, in Chinese and in English', async () => {
    const raised = await hub.call('POST', `/api/resident/board/${VILLAGE_A}/${LOWBAO}/objections`, {
      body: { row: 2, text: '李*家里有车，不应享受低保。' },
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    expect(raised.status).toBe(201);
    const { code } = raised.body as ResidentAppealView;
    const { user, view } = await publicationsAs('yezhou', 'yezhou-secret-1');
    await user.click(screen.getByRole('button', { name: '诉求' }));
    const objection = '对公示《2026年11月低保对象公示》第2行（李* · 2 · 480）的异议';
    await waitFor(() => {
      expect(document.querySelector(`tr[data-appeal="${code}"] [data-testid="appeal-objection"]`)?.textContent.trim()).toBe(objection);
    });
    await user.click(screen.getByRole('button', { name: `${code.slice(0, 4)}-${code.slice(4)}` }));
    expect((await screen.findByTestId('appeal-objection')).textContent).toBe(objection);
    expect(screen.getByTestId('appeal-text').textContent).toBe('李*家里有车，不应享受低保。');

    await user.click(screen.getByRole('button', { name: 'English' }));
    await waitFor(() => {
      expect(screen.getByTestId('appeal-objection').textContent).toBe('Objection to line 2 of “2026年11月低保对象公示” (李* · 2 · 480)');
    });
    await user.click(screen.getByRole('button', { name: 'Publications' }));
    await screen.findByRole('heading', { name: 'Publications to approve' });
    await waitFor(() => {
      expect(row(LOWBAO)?.textContent).toContain('Allowance recipients');
    });
    expect(row(LOWBAO)?.textContent).toContain('On display · ');
    expect(screen.getByRole('columnheader', { name: 'Lines' })).toBeTruthy();
    view.unmount();
  }, 60_000);
});
