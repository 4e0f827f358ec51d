// @vitest-environment jsdom
/**
 * 村务公开 at the counter against a real hub (issue 19 §1): the clerk makes a recipients' list from the village's
 * approved cases (names masked), types each household's size and amount, and submits it; a county spreadsheet
 * with an ID number, a phone, a bank card and a house number in it is refused cell by cell and cannot be
 * submitted; the list reaches the town by sync, and the town's approval comes back to the screen.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Publication } from '../../../core/disclosure/publication.js';
import { hallDb } from '../../../sync-server/store/names.js';
import { addReviewer } from '../../../sync-server/users.js';
import { startTestHub, storeForwardedCase, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { reviewerJson, signInReviewer } from '../../sync-server/reviewer-client.js';
import { enrolledShell, signedInCounter, type Counter } from './harness.js';

let hub: TestHub | undefined;
let counter: Counter | undefined;

afterEach(async () => {
  await counter?.close();
  await hub?.close();
  counter = undefined;
  hub = undefined;
});

const publicationsOnHub = async (t: TestHub) => {
  const docs = await t.hub.store.docsWithPrefix<Publication>(hallDb(VILLAGE_A), 'publication:');
  return docs.ok ? docs.value : [];
};

describe('publications at the counter', () => {
  it('makes a list from approved cases, refuses a spreadsheet’s personal numbers cell by cell, and shows the town’s approval', async () => {
    hub = await startTestHub();
    const t = hub;
    // A case of the village decided by the county, approved: the kiosk pulls it by sync.
    await addReviewer(t.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, new Date());
    await addReviewer(t.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, new Date());
    const town = await signInReviewer(t, 'yezhou', 'yezhou-secret-1');
    const county = await signInReviewer(t, 'county-admin', 'county-secret-1');
    const caseNumber = await storeForwardedCase(t, await t.enroll(VILLAGE_A), '张三国');
    expect((await reviewerJson(t, town, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'forwarded', to: 'county' })).status).toBe(201);
    expect((await reviewerJson(t, county, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'approved' })).status).toBe(201);

    counter = await signedInCounter(t);
    const { user } = counter;
    await user.keyboard('{Alt>}p{/Alt}');
    await screen.findByRole('heading', { name: '村务公开', level: 1 });
    await user.click(screen.getByRole('button', { name: '准备新的公示' }));
    const form = screen.getByRole('form', { name: '准备新的公示' });
    await user.type(within(form).getByLabelText('公示标题'), '2026年11月低保对象公示');

    // A spreadsheet first: every cell that must not be published is named, and nothing can be submitted.
    const csv =
      '户主姓名,家庭人口,金额（元）,备注\n李秀英,2,480,身份证422822198001010015\n王五,1,300,电话13900002222\n赵六,4,760,卡号6222020200000000006\n钱七,2,480,三组12号\n';
    await user.upload(within(form).getByLabelText('选择CSV文件'), new File([csv], 'list.csv', { type: 'text/csv' }));
    const problems = await within(form).findByRole('alert');
    expect(problems.textContent).toContain('有4处不能公示');
    expect(problems.textContent).toContain('第1行“备注”栏有身份证号码，不能公示');
    expect(problems.textContent).toContain('第2行“备注”栏有手机号码，不能公示');
    expect(problems.textContent).toContain('第3行“备注”栏有银行卡号，不能公示');
    expect(problems.textContent).toContain('第4行“备注”栏有详细地址（门牌号），不能公示');
    expect(within(form).getByRole('table').textContent).toContain('李*');
    expect(within(form).getByRole('table').textContent).not.toContain('李秀英');
    expect(within(form).getByRole('button', { name: '提交镇里审核' })).toHaveProperty('disabled', true);

    // From the cases: the approved one, its name masked; household size and amount typed in.
    await waitFor(
      async () => {
        await user.click(within(form).getByRole('button', { name: '生成名单' }));
        expect(within(form).getByRole('status').textContent).toContain('找到1件已批准的办件');
      },
      { timeout: 20_000 },
    );
    const table = within(form).getByRole('table');
    expect(table.textContent).toContain('张*');
    expect(table.textContent).not.toContain('张三国');
    await user.type(within(table).getByLabelText('第1行 家庭人口'), '3');
    await user.type(within(table).getByLabelText('第1行 金额（元）'), '620');
    await user.click(within(form).getByRole('button', { name: '提交镇里审核' }));

    const listed = await screen.findByText('待镇里审核');
    expect(listed.closest('li')?.textContent).toContain('2026年11月低保对象公示');
    const submitted = await waitFor(
      async () => {
        const [found] = await publicationsOnHub(t);
        if (!found) throw new Error('not on the hub yet');
        return found;
      },
      { timeout: 20_000 },
    );
    expect(submitted).toMatchObject({ source: { from: 'cases', itemCode: 'MZ-01' }, rows: [['张*', '3', '620', '雀儿笼村']] });
    expect((await reviewerJson(t, town, 'POST', `/api/review/publications/${VILLAGE_A}/${submitted.publicationId}/approve`, {})).status).toBe(200);
    await waitFor(
      () => {
        expect(screen.getByText('公示中').closest('li')?.textContent).toContain('李强批准');
      },
      { timeout: 20_000 },
    );

    // A list the town returns comes back with why; the clerk corrects it and submits it again as a new one.
    const second = await counter.data.publications.submit(
      {
        category: 'subsidiesPaid',
        title: '2026年耕地地力补贴发放公示',
        displayDays: 7,
        source: { from: 'typed' },
        columns: [
          { label: '姓名', role: 'name' },
          { label: '金额（元）', role: 'amount' },
        ],
        rows: [['李*', '300']],
      },
      { id: 'kiosk/clerk-1', name: '王芳' },
    );
    if (!second.ok) throw new Error(second.error.code);
    await waitFor(
      async () => {
        expect((await publicationsOnHub(t)).some((doc) => doc.publicationId === second.value.publicationId)).toBe(true);
      },
      { timeout: 20_000 },
    );
    const returned = await reviewerJson(t, town, 'POST', `/api/review/publications/${VILLAGE_A}/${second.value.publicationId}/return`, {
      reason: '金额请与镇财政所核对',
    });
    expect(returned.status).toBe(200);
    const item = await waitFor(
      () => {
        const found = screen.getByText('镇里退回').closest('li');
        expect(found?.textContent).toContain('原因：金额请与镇财政所核对');
        return found as HTMLElement;
      },
      { timeout: 20_000 },
    );
    await user.click(within(item).getByRole('button', { name: '改好后重新提交' }));
    const again = screen.getByRole('form', { name: '准备新的公示' });
    expect(within(again).getByLabelText<HTMLInputElement>('公示标题').value).toBe('2026年耕地地力补贴发放公示');
    await user.clear(within(again).getByLabelText('第1行 金额（元）'));
    await user.type(within(again).getByLabelText('第1行 金额（元）'), '280');
    await user.click(within(again).getByRole('button', { name: '提交镇里审核' }));
    await waitFor(() => {
      expect(screen.getAllByText('2026年耕地地力补贴发放公示')).toHaveLength(2);
    });
  }, 120_000);

  it('does not offer publications to a hub that does not read them (a hub before issue 19), and says why', async () => {
    hub = await startTestHub();
    // The hub's answer to /api/compat as a hub before publications gives it: everything else as it is.
    const olderHub: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (!String(input instanceof Request ? input.url : input).endsWith('/api/compat')) return response;
      const info = (await response.json()) as { reads: Record<string, number> };
      const { 'cunban.publication': _publication, ...reads } = info.reads;
      return Response.json({ ...info, reads });
    };
    counter = await signedInCounter(hub, { shell: await enrolledShell(hub, { fetch: olderHub }) });
    await counter.user.keyboard('{Alt>}p{/Alt}');
    expect(await screen.findByText(/县里的服务器还不能接收村务公开/)).toBeTruthy();
    expect(screen.getByRole('button', { name: '准备新的公示' })).toHaveProperty('disabled', true);
  }, 60_000);
});
