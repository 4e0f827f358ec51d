// @vitest-environment jsdom
/** The review console against a real hub: sign-in, the area's queue, a return for materials, an audited reveal, notices. */
import { createHash } from 'node:crypto';
import { render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewApi } from '../../../renderer/console/api.js';
import { ConsoleRoot } from '../../../renderer/console/console-root.js';
import { setMinimumKioskVersion } from '../../../sync-server/fleet-policy.js';
import { DB, villageDb } from '../../../sync-server/store/names.js';
import { addReviewer } from '../../../sync-server/users.js';
import { appendCaseEventOnHub } from '../../../sync-server/case-events.js';
import { clerkOf, startTestHub, storeForwardedCase, VILLAGE_A, VILLAGE_OTHER_TOWN, type TestHub } from '../../sync-server/hub-harness.js';
import { memoryStorage } from '../kiosk/harness.js';

let hub: TestHub;

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

beforeAll(async () => {
  hub = await startTestHub();
  await addReviewer(hub.hub.store, { name: 'yezhou', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, new Date());
}, 60_000);
afterAll(async () => {
  await hub.close();
});

/** The console signed in as `name`, with `caseNumber` open, and its actions. */
async function caseOpenedAs(name: string, password: string, caseNumber: string) {
  const user = userEvent.setup();
  const view = render(<ConsoleRoot api={reviewApi(hub.base, browserLikeFetch())} preferences={memoryStorage()} />);
  await user.type(await screen.findByLabelText('用户名'), name);
  await user.type(screen.getByLabelText('密码'), password);
  await user.click(screen.getByRole('button', { name: '登录' }));
  await user.click(await screen.findByRole('button', { name: caseNumber }));
  return { user, view, actions: await screen.findByRole('region', { name: '可以办理的操作' }) };
}

describe('the review console', () => {
  it('shows the county its dashboard with charts, and the CSV export', async () => {
    await addReviewer(hub.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, new Date());
    await storeForwardedCase(hub, await hub.enroll(VILLAGE_A), '王五');
    await hub.hub.queue.settled();
    const user = userEvent.setup();
    const view = render(<ConsoleRoot api={reviewApi(hub.base, browserLikeFetch())} preferences={memoryStorage()} />);
    await user.type(await screen.findByLabelText('用户名'), 'county-admin');
    await user.type(screen.getByLabelText('密码'), 'county-secret-1');
    await user.click(screen.getByRole('button', { name: '登录' }));
    await user.click(await screen.findByRole('button', { name: '统计' }));
    await screen.findByRole('heading', { name: '办件统计' });
    expect(Number((await screen.findByTestId('dashboard-total')).textContent)).toBeGreaterThanOrEqual(1);
    await waitFor(() => {
      expect(document.querySelectorAll('.charts svg.recharts-surface')).toHaveLength(3);
    });
    expect(screen.getByRole('link', { name: '导出办理中办件（CSV，身份证号已脱敏）' }).getAttribute('href')).toBe('/api/review/export.csv?state=open');
    expect(screen.getByRole('button', { name: '查看记录' })).toBeTruthy(); // the county reads the reveal log
    view.unmount();
  }, 60_000);

  it('signs a town reviewer in, lists only their area, returns a case for materials, and reveals with an audit entry', async () => {
    const kioskA = await hub.enroll(VILLAGE_A);
    const mine = await storeForwardedCase(hub, kioskA, '张三');
    const elsewhere = await storeForwardedCase(hub, await hub.enroll(VILLAGE_OTHER_TOWN), '李四');
    await hub.hub.queue.settled();
    const user = userEvent.setup();
    const view = render(<ConsoleRoot api={reviewApi(hub.base, browserLikeFetch())} preferences={memoryStorage()} />);

    await screen.findByRole('heading', { name: '乡镇、县审核人登录' });
    await user.type(screen.getByLabelText('用户名'), 'yezhou');
    await user.type(screen.getByLabelText('密码'), 'wrong-password');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(await screen.findByText('用户名或密码不正确')).toBeTruthy();
    await user.type(screen.getByLabelText('密码'), 'yezhou-secret-1');
    await user.click(screen.getByRole('button', { name: '登录' }));

    await screen.findByRole('heading', { name: '待办件' });
    await waitFor(() => {
      expect(document.querySelector(`tr[data-case="${mine}"]`)).not.toBeNull();
    });
    expect(document.querySelector(`tr[data-case="${elsewhere}"]`)).toBeNull();
    expect(screen.getByTestId('queue-counts').textContent).toMatch(/^共\d+件 · 审核中 \d+/);

    await user.click(screen.getByRole('button', { name: mine }));
    expect((await screen.findByTestId('case-status')).textContent).toContain('审核中');
    const actions = screen.getByRole('region', { name: '可以办理的操作' });
    expect(within(actions).queryByRole('button', { name: '批准' })).toBeNull(); // a county item: the town cannot decide
    await user.click(within(actions).getByLabelText('申请书'));
    await user.click(within(actions).getByRole('button', { name: '退回补充材料' }));
    expect(await within(actions).findByText('请先填写内容或理由')).toBeTruthy();
    await user.type(within(actions).getByLabelText('备注或理由'), '申请书未签字');
    await user.click(within(actions).getByRole('button', { name: '退回补充材料' }));
    await waitFor(() => {
      expect(screen.getByTestId('case-status').textContent).toBe('待补材料');
    });
    expect(document.querySelector('.timeline')?.textContent).toContain('申请书未签字');

    await user.click(screen.getByRole('button', { name: '查看完整号码' }));
    await user.type(screen.getByLabelText('查看理由（将记入审计日志）'), '核对户籍信息');
    await user.click(screen.getByRole('button', { name: '确认查看' }));
    expect((await screen.findByTestId('revealed')).textContent).toBe('422822198001010015');
    const audit = await hub.hub.store.docsWithPrefix<{ reviewer: string; caseNumber: string; reason: string }>(DB.audit, 'reveal:');
    expect(audit.ok && audit.value.map((entry) => [entry.reviewer, entry.caseNumber, entry.reason])).toEqual([['yezhou', mine, '核对户籍信息']]);

    await user.click(screen.getByRole('button', { name: '返回待办件' }));

    // The kiosks of the area, with what each reported of itself, and a code to enroll one more in 雀儿笼村.
    const report = { appVersion: '0.2.0', pendingCases: 2, pendingFiles: 1, refused: 0 };
    expect((await hub.call('PUT', '/api/kiosk/status', { auth: kioskA.authorization, body: report })).status).toBe(204);
    // The county asks for a newer version than this kiosk's: its row says it must be updated.
    expect((await setMinimumKioskVersion(hub.hub.store, '0.3.0', 'test', new Date())).ok).toBe(true);
    await user.click(screen.getByRole('button', { name: '终端' }));
    await screen.findByRole('heading', { name: '村级终端' });
    await waitFor(() => {
      expect(document.querySelectorAll('tr[data-kiosk]').length).toBeGreaterThanOrEqual(1);
    });
    const row = document.querySelector(`tr[data-kiosk="${kioskA.kioskId}"]`);
    expect(row?.textContent).toContain('2件案卷，1个文件');
    expect(row?.textContent).toContain('0.2.0（须更新，最低0.3.0）');
    await setMinimumKioskVersion(hub.hub.store, undefined, 'test', new Date());
    expect(screen.queryByRole('button', { name: '注销' })).toBeNull(); // revoking is the county's
    await screen.findByRole('option', { name: '业州镇 雀儿笼村' });
    await user.selectOptions(screen.getByLabelText('村（社区）'), VILLAGE_A);
    await user.click(screen.getByRole('button', { name: '生成注册码' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/雀儿笼村的注册码：[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    await user.click(screen.getByRole('button', { name: '被拒收的数据' }));
    expect(await screen.findByText('没有被拒收的数据')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '查看记录' })).toBeNull(); // the reveal log is the county's

    await user.click(await screen.findByRole('button', { name: '退出' }));
    await screen.findByRole('heading', { name: '乡镇、县审核人登录' });
    view.unmount();
  }, 60_000);

  it('saves the note typed with a forward and with an approval, and asks once before approving or rejecting', async () => {
    await addReviewer(hub.hub.store, { name: 'county-decides', displayName: '张敏', role: 'county', password: 'county-secret-1' }, new Date());
    const caseNumber = await storeForwardedCase(hub, await hub.enroll(VILLAGE_A), '赵六');
    await hub.hub.queue.settled();
    const events = async () => {
      const doc = await hub.hub.store.getDoc<{ events: { type: string; payload: Record<string, unknown> }[] }>(villageDb(VILLAGE_A), caseNumber);
      return doc.ok ? doc.value.events.map((event) => [event.type, event.payload]) : [];
    };
    const before = (await events()).length;
    const stored = async () => (await events()).slice(before);

    const town = await caseOpenedAs('yezhou', 'yezhou-secret-1', caseNumber);
    await town.user.type(within(town.actions).getByLabelText('备注或理由'), '已电话核实家庭情况');
    await town.user.click(within(town.actions).getByRole('button', { name: '转报县级' }));
    await waitFor(() => {
      expect(screen.getByTestId('case-status').textContent).toContain('县级');
    });
    expect(document.querySelector('.timeline')?.textContent).toContain('转报至县级 备注：已电话核实家庭情况');
    expect(await stored()).toEqual([['forwarded', { to: 'county', note: '已电话核实家庭情况' }]]);
    town.view.unmount();

    const county = await caseOpenedAs('county-decides', 'county-secret-1', caseNumber);
    // Rejecting asks for the reason first, then once more before anything is written.
    await county.user.click(within(county.actions).getByRole('button', { name: '不予批准' }));
    expect(within(county.actions).getByText('请先填写内容或理由')).toBeTruthy();
    expect(within(county.actions).queryByRole('alertdialog')).toBeNull();
    await county.user.type(within(county.actions).getByLabelText('备注或理由'), '符合条件，同意');
    await county.user.click(within(county.actions).getByRole('button', { name: '不予批准' }));
    const askReject = within(county.actions).getByRole('alertdialog', { name: '确定“不予批准”吗？办理后不能更改。' });
    expect(askReject.textContent).toContain('一并保存：符合条件，同意');
    await county.user.click(within(askReject).getByRole('button', { name: '取消' }));
    expect(await stored()).toHaveLength(1); // nothing written by asking, nor by cancelling

    await county.user.click(within(county.actions).getByRole('button', { name: '批准' }));
    expect(await stored()).toHaveLength(1);
    const askApprove = within(county.actions).getByRole('alertdialog', { name: '确定“批准”吗？办理后不能更改。' });
    await county.user.click(within(askApprove).getByRole('button', { name: '确定批准' }));
    await waitFor(() => {
      expect(screen.getByTestId('case-status').textContent).toBe('已批准');
    });
    expect((await stored())[1]).toEqual(['approved', { note: '符合条件，同意' }]);
    expect(document.querySelector('.timeline')?.textContent).toContain('符合条件，同意');
    // People are named as people, by the office they act for: the county's reviewer by the name given to
    // the account, the town's (an account made without one) by its sign-in name.
    const actors = [...document.querySelectorAll('.timeline .actor')].map((actor) => actor.textContent);
    expect(actors.at(-1)).toBe('建始县审核人 张敏');
    expect(actors.at(-2)).toBe('业州镇审核人 yezhou');
    expect(actors[0]).toMatch(/^.+村办事员 王芳$/);
    county.view.unmount();
  }, 60_000);

  it('signs the reviewer in again over the page when the session ends mid-note, keeping the draft and sending it', async () => {
    const caseNumber = await storeForwardedCase(hub, await hub.enroll(VILLAGE_A), '孙七');
    await hub.hub.queue.settled();
    const user = userEvent.setup();
    const fetchInBrowser = browserLikeFetch();
    const view = render(<ConsoleRoot api={reviewApi(hub.base, fetchInBrowser)} preferences={memoryStorage()} />);
    // An empty password is caught on the page, in words; the hub's own message never shows.
    await user.type(await screen.findByLabelText('用户名'), 'yezhou');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(await screen.findByText('请输入密码')).toBeTruthy();
    expect(document.body.textContent).not.toContain('Expected');
    await user.type(screen.getByLabelText('密码'), 'yezhou-secret-1');
    await user.click(screen.getByRole('button', { name: '登录' }));
    await user.click(await screen.findByRole('button', { name: caseNumber }));
    const actions = await screen.findByRole('region', { name: '可以办理的操作' });
    await user.type(within(actions).getByLabelText('备注或理由'), '已与申请人电话核实');

    // The session ends (idle, or twelve hours) while the note is typed.
    const sessions = await hub.hub.store.docsWithPrefix<{ _id: string; name: string; expiresAt: string }>(DB.users, 'session:');
    for (const session of sessions.ok ? sessions.value.filter((s) => s.name === 'yezhou') : []) {
      await hub.hub.store.putDoc(DB.users, { ...session, expiresAt: new Date(0).toISOString() });
    }
    await user.click(within(actions).getByRole('button', { name: '添加备注' }));
    const dialog = await screen.findByRole('dialog', { name: '登录已过期，请重新登录' });
    expect(within(dialog).getByText('用户名：yezhou')).toBeTruthy();
    expect(within(actions).getByLabelText<HTMLTextAreaElement>('备注或理由').value).toBe('已与申请人电话核实');
    await user.type(within(dialog).getByLabelText('密码'), 'yezhou-secret-1');
    await user.click(within(dialog).getByRole('button', { name: '登录' }));
    await waitFor(() => {
      expect(document.querySelector('.timeline')?.textContent).toContain('已与申请人电话核实');
    });
    expect(screen.queryByRole('dialog')).toBeNull();

    // Signed in again from another tab (a new session, a new token in the shared cookie): this page's
    // token is stale, and its next write still goes through.
    expect((await reviewApi(hub.base, fetchInBrowser).signIn('yezhou', 'yezhou-secret-1')).ok).toBe(true);
    await user.type(within(actions).getByLabelText('备注或理由'), '第二条备注');
    await user.click(within(actions).getByRole('button', { name: '添加备注' }));
    await waitFor(() => {
      expect(document.querySelector('.timeline')?.textContent).toContain('第二条备注');
    });

    // Another reviewer signs in from another tab of this browser: this page's next write is not sent as them;
    // it asks yezhou's password instead, and cancelled, nothing is written and the text stays.
    await addReviewer(hub.hub.store, { name: 'other-tab', role: 'town', town: '422822100000', password: 'other-secret-1' }, new Date());
    expect((await reviewApi(hub.base, fetchInBrowser).signIn('other-tab', 'other-secret-1')).ok).toBe(true);
    await user.type(within(actions).getByLabelText('备注或理由'), '不能以别人的名义保存');
    await user.click(within(actions).getByRole('button', { name: '添加备注' }));
    const again = await screen.findByRole('dialog', { name: '登录已过期，请重新登录' });
    expect(within(again).getByText('用户名：yezhou')).toBeTruthy();
    await user.click(within(again).getByRole('button', { name: '取消' }));
    expect(await screen.findByText('登录已过期，操作未执行。请重新登录后再试，已填写的内容仍保留。')).toBeTruthy();
    expect(within(actions).getByLabelText<HTMLTextAreaElement>('备注或理由').value).toBe('不能以别人的名义保存');
    const kept = await hub.hub.store.getDoc<{ events: { payload: { text?: string } }[] }>(villageDb(VILLAGE_A), caseNumber);
    expect(kept.ok && kept.value.events.some((event) => event.payload.text === '不能以别人的名义保存')).toBe(false);
    view.unmount();
  }, 60_000);

  it('shows a scan under every material it was attached to', async () => {
    const kiosk = await hub.enroll(VILLAGE_A);
    // One photo of a page that serves two materials: the case names it twice, the hub holds it once.
    const scan = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('one page, two materials')]);
    const digest = createHash('sha256').update(scan).digest('hex');
    const ref = { sha256: digest, size: scan.length, contentType: 'image/png' as const };
    const checked = {
      id: `chk-${kiosk.kioskId}`,
      at: '2026-11-26T01:01:00.000Z',
      actor: clerkOf(kiosk),
      type: 'materialsChecked' as const,
      payload: {
        received: ['m1', 'm2'],
        missing: [],
        notApplicable: ['m3'],
        files: [
          { ...ref, materialId: 'm1' },
          { ...ref, materialId: 'm2' },
        ],
      },
    };
    const caseNumber = await storeForwardedCase(hub, kiosk, '吴九', [checked]);
    await hub.hub.queue.settled();
    const upload = `/files/${VILLAGE_A}/${caseNumber}/${digest}`;
    expect((await hub.call('PUT', upload, { auth: kiosk.authorization, body: { size: scan.length, contentType: 'image/png', materialId: 'm1' } })).status).toBe(
      200,
    );
    const chunk = await fetch(`${hub.base}${upload}/chunks/0`, {
      method: 'PUT',
      headers: { authorization: kiosk.authorization, 'content-type': 'application/octet-stream' },
      body: new Uint8Array(scan),
    });
    expect(chunk.status).toBe(200);

    const { view } = await caseOpenedAs('yezhou', 'yezhou-secret-1', caseNumber);
    const links = (material: string) => [...document.querySelectorAll(`li[data-material="${material}"] .material-files a`)].map((a) => a.getAttribute('href'));
    await waitFor(() => {
      expect(links('m1')).toEqual([`${hub.base}/api/review/cases/${caseNumber}/files/${digest}`]);
    });
    expect(links('m2')).toEqual(links('m1'));
    expect(links('m3')).toEqual([]);
    view.unmount();
  }, 60_000);

  it('shows what a kiosk did to an open case without reopening it', async () => {
    const kiosk = await hub.enroll(VILLAGE_A);
    const caseNumber = await storeForwardedCase(hub, kiosk, '周八');
    await hub.hub.queue.settled();
    const { view } = await caseOpenedAs('yezhou', 'yezhou-secret-1', caseNumber);
    // The clerk adds a note at the kiosk; it reaches the hub as the kiosk's push would.
    const note = {
      id: `note-${kiosk.kioskId}-1`,
      at: '2026-11-26T02:00:00.000Z',
      actor: clerkOf(kiosk),
      type: 'note' as const,
      payload: { text: '申请人已补交户口簿原件' },
    };
    const appended = await appendCaseEventOnHub(hub.hub.store, VILLAGE_A, caseNumber, note);
    expect(appended.ok).toBe(true);
    await waitFor(
      () => {
        expect(document.querySelector('.timeline')?.textContent).toContain('申请人已补交户口簿原件');
      },
      { timeout: 15_000 },
    );
    view.unmount();
  }, 60_000);

  it('says, in the reviewer’s language, that a name is locked after five wrong passwords', async () => {
    await addReviewer(hub.hub.store, { name: 'locked-in-console', role: 'town', town: '422822100000', password: 'right-secret-1' }, new Date());
    const user = userEvent.setup();
    const view = render(<ConsoleRoot api={reviewApi(hub.base, browserLikeFetch())} preferences={memoryStorage()} />);
    await screen.findByRole('heading', { name: '乡镇、县审核人登录' });
    await user.type(screen.getByLabelText('用户名'), 'locked-in-console');
    for (let i = 0; i < 5; i++) {
      await user.type(screen.getByLabelText('密码'), `wrong-${String(i)}`);
      await user.click(screen.getByRole('button', { name: '登录' }));
      expect(await screen.findByText('用户名或密码不正确')).toBeTruthy();
    }
    await user.type(screen.getByLabelText('密码'), 'right-secret-1');
    await user.click(screen.getByRole('button', { name: '登录' }));
    expect(await screen.findByText('失败次数过多，该账号已锁定，最长15分钟')).toBeTruthy();
    expect(screen.queryByRole('heading', { name: '待办件' })).toBeNull();
    view.unmount();
  }, 60_000);

  it('lets the county publish a notice to one town, catches a full ID number first, and withdraw it', async () => {
    await addReviewer(hub.hub.store, { name: 'county-notices', role: 'county', password: 'county-secret-1' }, new Date());
    const user = userEvent.setup();
    const view = render(<ConsoleRoot api={reviewApi(hub.base, browserLikeFetch())} preferences={memoryStorage()} />);
    await user.type(await screen.findByLabelText('用户名'), 'county-notices');
    await user.type(screen.getByLabelText('密码'), 'county-secret-1');
    await user.click(screen.getByRole('button', { name: '登录' }));
    await user.click(await screen.findByRole('button', { name: '通知公告' }));
    await screen.findByRole('heading', { name: '通知公告' });
    const stored = async () => {
      const ids = await hub.hub.store.idsWithPrefix(DB.catalog, 'notice:');
      return ids.ok ? ids.value.length : -1;
    };
    const before = await stored();

    await user.type(screen.getByLabelText('标题'), '低保复核公示');
    await user.type(screen.getByLabelText('内容'), '复核对象：张三 422822198001010015');
    await user.click(screen.getByRole('button', { name: '发布' }));
    expect((await screen.findByRole('alert')).textContent).toContain('通知中不能出现完整身份证号码');
    expect(await stored()).toBe(before);

    await user.clear(screen.getByLabelText('内容'));
    await user.type(screen.getByLabelText('内容'), '复核对象：张三 422822********0015');
    await screen.findByRole('option', { name: '高坪镇' });
    await user.selectOptions(screen.getByLabelText('发布范围'), '422822101000');
    await user.click(screen.getByRole('button', { name: '发布' }));
    expect((await screen.findByRole('status')).textContent).toBe('已发布“低保复核公示”，范围：高坪镇');
    const published = await screen.findByRole('heading', { name: '低保复核公示' });
    const item = published.closest('li');
    expect(item?.textContent).toContain('由county-notices发布，范围：高坪镇');
    expect(await stored()).toBe(before + 1);

    await user.click(within(item as HTMLElement).getByRole('button', { name: '撤回' }));
    await waitFor(() => {
      expect(screen.queryByRole('heading', { name: '低保复核公示' })).toBeNull();
    });
    expect(await stored()).toBe(before);
    view.unmount();
  }, 60_000);
});
