// @vitest-environment jsdom
/** Finding a case from what the resident brings, and working it: timeline, allowed actions, reasons required. */
import { screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { appendCaseEventOnHub } from '../../../sync-server/case-events.js';
import { startTestHub, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { signedInCounter, type Counter } from './harness.js';
import { registerThroughData } from './register-helper.js';

let hub: TestHub;
let counter: Counter | undefined;

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterEach(async () => {
  await counter?.close();
  counter = undefined;
});
afterAll(async () => {
  await hub.close();
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

const listed = () => [...document.querySelectorAll('tr[data-case]')].map((row) => row.getAttribute('data-case'));

describe('finding cases', () => {
  it('by case number (with or without dashes), name, pinyin initials, full ID number, and status', async () => {
    counter = await signedInCounter(hub);
    const { user } = counter;
    const zhang = await registerThroughData(counter, { itemCode: 'MZ-01', name: '张三', outcome: 'forward', idNumber: '422822198001010015' });
    const shan = await registerThroughData(counter, { itemCode: 'SF-01', name: '单小红', outcome: 'keepAtVillage', idNumber: '422822199506150026' });
    await user.keyboard('{Alt>}f{/Alt}');
    const search = await screen.findByRole('searchbox');
    await waitFor(() => {
      expect(listed()).toHaveLength(2);
    });
    const expectFound = async (query: string, found: string[]) => {
      await user.clear(search);
      if (query) await user.type(search, query);
      await waitFor(() => {
        expect(listed()).toEqual(found);
      });
    };
    await expectFound(zhang.replaceAll('-', ''), [zhang]);
    await expectFound('张', [zhang]);
    await expectFound('zs', [zhang]);
    await expectFound('shanxiaohong', [shan]); // 单 as a surname reads shan
    await expectFound('422822199506150026', [shan]);
    await expectFound('422822199001010017', []);
    expect(screen.getByText('没有符合条件的办件')).toBeTruthy();
    await expectFound('', [shan, zhang].sort().reverse());
    await user.selectOptions(screen.getByLabelText('状态'), '已转报待审');
    await waitFor(() => {
      expect(listed()).toEqual([zhang]);
    });
  }, 60_000);
});

describe('a case’s detail', () => {
  it('shows who did what, offers only what the rules allow, and needs a reason to withdraw', async () => {
    counter = await signedInCounter(hub);
    const { user, data } = counter;
    const caseNumber = await registerThroughData(counter, { itemCode: 'RS-01', name: '王五', outcome: 'forward', missing: true });
    await user.keyboard('{Alt>}f{/Alt}');
    await user.click(await screen.findByRole('button', { name: caseNumber }));
    expect(screen.getByTestId('case-status').textContent).toBe('待补材料');
    const actions = screen.getByRole('region', { name: '可以办理的操作' });
    expect(within(actions).queryByRole('button', { name: '转报乡镇' })).toBeNull();
    await user.click(within(actions).getByRole('button', { name: '申请人撤回' }));
    expect(screen.getByText('请先填写内容或理由')).toBeTruthy();
    // With a reason, withdrawing still asks once; cancelled, nothing is written and the reason stays typed.
    await user.type(within(actions).getByLabelText('备注或理由'), '申请人改日再来');
    await user.click(within(actions).getByRole('button', { name: '申请人撤回' }));
    const ask = within(actions).getByRole('alertdialog', { name: '确定“申请人撤回”吗？办理后不能更改。' });
    expect(ask.textContent).toContain('一并保存：申请人改日再来');
    await user.click(within(ask).getByRole('button', { name: '取消' }));
    expect((await data.cases.get(caseNumber))?.events.map((event) => event.type)).not.toContain('withdrawn');
    await user.clear(within(actions).getByLabelText('备注或理由'));

    // The resident brings the missing material: the case is whole again and may go to the town.
    // A file that is not a scan is refused at once, with what is allowed; a PNG is kept with the case.
    const picker = within(actions).getByLabelText('附扫描件/照片');
    // (The dialog's filter can be switched to "all files", so the bytes are what is checked.)
    await userEvent.setup({ applyAccept: false }).upload(picker, new File(['not an image'], 'note.txt', { type: 'text/plain' }));
    expect(await within(actions).findByText('note.txt: 只能上传JPEG、PNG图片或PDF文件')).toBeTruthy();
    await user.upload(picker, new File([PNG], 'hukou.png', { type: 'image/png' }));
    expect(await within(actions).findByText('hukou.png')).toBeTruthy();
    expect(within(actions).getByRole<HTMLInputElement>('checkbox').checked).toBe(true);
    // A note typed while recording the supplied material is kept (that event takes none) for what comes next.
    await user.type(within(actions).getByLabelText('备注或理由'), '补交的户口簿已核对原件');
    await user.click(within(actions).getByRole('button', { name: '登记已补材料' }));
    await waitFor(() => {
      expect(screen.getByTestId('case-status').textContent).toBe('已受理');
    });
    expect(within(actions).getByLabelText<HTMLTextAreaElement>('备注或理由').value).toBe('补交的户口簿已核对原件');
    // The note typed before forwarding goes with the forward (it was dropped once).
    await user.click(within(actions).getByRole('button', { name: '转报乡镇' }));
    await waitFor(() => {
      expect(screen.getByTestId('case-status').textContent).toContain('审核中');
    });
    expect((await data.cases.get(caseNumber))?.events.at(-1)?.payload).toEqual({ to: 'town', note: '补交的户口簿已核对原件' });
    expect(document.querySelector('.timeline')?.textContent).toContain('备注：补交的户口簿已核对原件');
    await user.type(within(actions).getByLabelText('备注或理由'), '申请人电话已更新');
    await user.click(within(actions).getByRole('button', { name: '添加备注' }));
    const timeline = document.querySelector('.timeline');
    await waitFor(() => {
      expect(timeline?.textContent).toContain('申请人电话已更新');
    });
    expect(timeline?.textContent).toContain('雀儿笼村办事员 王芳');
    const stored = await data.cases.get(caseNumber);
    expect(stored?.events.map((event) => event.type)).toEqual(['created', 'materialsChecked', 'materialsMissing', 'materialsSupplied', 'forwarded', 'note']);
    const suppliedEvent = stored?.events[3];
    expect(suppliedEvent?.type === 'materialsSupplied' && suppliedEvent.payload.files).toEqual([
      { materialId: 'm1', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as string, size: PNG.length, contentType: 'image/png' },
    ]);
  }, 60_000);

  it('shows a town’s return for materials with its reason, as soon as sync brings it', async () => {
    counter = await signedInCounter(hub);
    const { user } = counter;
    const caseNumber = await registerThroughData(counter, { itemCode: 'MZ-01', name: '赵六', outcome: 'forward' });
    await counter.data.sync.syncNow();
    await user.keyboard('{Alt>}f{/Alt}');
    await user.click(await screen.findByRole('button', { name: caseNumber }));
    const returned = await appendCaseEventOnHub(hub.hub.store, VILLAGE_A, caseNumber, {
      id: 'town-return-1',
      at: new Date().toISOString(),
      actor: { id: 'yezhou-reviewer', name: '李强', level: 'town' },
      type: 'returnedForMaterials',
      payload: { missing: ['m3'], reason: '户口簿复印件不清楚' },
    });
    expect(returned.ok).toBe(true);
    await waitFor(
      () => {
        expect(screen.getByTestId('case-status').textContent).toBe('待补材料');
      },
      { timeout: 20_000 },
    );
    expect(document.querySelector('.timeline')?.textContent).toContain('户口簿复印件不清楚');
    expect(document.querySelector('.timeline')?.textContent).toContain('业州镇审核人 李强');
    // The return comes first on the case, naming who returned it by office.
    expect(screen.getByTestId('return-notice').textContent).toMatch(/^业州镇审核人 李强退回，请补充材料/);
  }, 60_000);

  it('approves a village item and hands the result over, each asked once', async () => {
    counter = await signedInCounter(hub);
    const { user, data } = counter;
    const caseNumber = await registerThroughData(counter, { itemCode: 'SF-01', name: '钱十', outcome: 'keepAtVillage' });
    await user.keyboard('{Alt>}f{/Alt}');
    await user.click(await screen.findByRole('button', { name: caseNumber }));
    const actions = screen.getByRole('region', { name: '可以办理的操作' });
    await user.type(within(actions).getByLabelText('备注或理由'), '双方已达成调解协议');
    await user.click(within(actions).getByRole('button', { name: '批准' }));
    await user.click(within(within(actions).getByRole('alertdialog')).getByRole('button', { name: '确定批准' }));
    await waitFor(() => {
      expect(screen.getByTestId('case-status').textContent).toBe('已批准');
    });
    await user.click(within(actions).getByRole('button', { name: '结果已送达申请人' }));
    expect((await data.cases.get(caseNumber))?.summary.status).toBe('approved'); // asking writes nothing
    await user.click(within(within(actions).getByRole('alertdialog')).getByRole('button', { name: '确定结果已送达申请人' }));
    await waitFor(() => {
      expect(screen.getByTestId('case-status').textContent).toBe('已办结');
    });
    expect((await data.cases.get(caseNumber))?.events.map((event) => [event.type, event.payload]).slice(-2)).toEqual([
      ['approved', { note: '双方已达成调解协议' }],
      ['resultHandedOver', {}],
    ]);
  }, 60_000);
});
