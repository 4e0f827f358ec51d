// @vitest-environment jsdom
/** Registering a case at the keyboard: item search, ID numbers checked as typed, nothing lost on errors. */
import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Catalog } from '../../../core/catalog/schema.js';
import { findPlaintextIdNumbers } from '../../../core/case/sealed.js';
import { DB } from '../../../sync-server/store/names.js';
import { startTestHub, type TestHub } from '../../sync-server/hub-harness.js';
import { signedInCounter, type Counter } from './harness.js';

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

const idField = () => screen.getAllByLabelText('身份证号码')[0] as HTMLInputElement;

/** The optional materials marked as not applying, row by row, as the clerk decides. */
async function markOptionalNotApplicable(user: Counter['user']): Promise<void> {
  for (const choice of screen.queryAllByLabelText('不适用')) await user.click(choice);
}

describe('the new-case screen', () => {
  it('finds items by pinyin initials, Chinese, English and code, and Enter picks the first', async () => {
    counter = await signedInCounter(hub);
    const { user } = counter;
    await user.keyboard('{Alt>}n{/Alt}');
    const search = await screen.findByRole('searchbox');
    await user.type(search, 'db');
    expect(screen.getByRole('button', { name: /最低生活保障（低保）申请/ })).toBeTruthy();
    await user.clear(search);
    await user.type(search, 'pension');
    expect(
      screen
        .getAllByRole('listitem')
        .map((li) => li.textContent)
        .join(),
    ).toContain('RS-01');
    await user.clear(search);
    await user.type(search, 'zzzz');
    expect(screen.getByText('没有找到符合的事项，请换个说法或按领域浏览')).toBeTruthy();
    // Enter with nothing found picks nothing and submits nothing (it once sent the half-empty form).
    await user.keyboard('{Enter}');
    expect(screen.queryByText(/需要填写或改正/)).toBeNull();
    await user.clear(search);
    await user.type(search, 'MZ-01{Enter}');
    expect(screen.getByTestId('chosen-item').textContent).toBe('最低生活保障（低保）申请');
    // The cursor goes straight to the applicant's name.
    await waitFor(() => {
      expect(document.activeElement).toBe(screen.getByLabelText('申请人姓名'));
    });
  }, 60_000);

  it('says precisely what is wrong with an ID number as it is typed', async () => {
    counter = await signedInCounter(hub);
    const { user } = counter;
    await user.keyboard('{Alt>}n{/Alt}');
    await user.type(await screen.findByRole('searchbox'), 'db{Enter}');
    await user.type(idField(), '42282219800101001');
    expect(screen.queryByRole('alert')).toBeNull(); // 17 digits: not complete yet, no nagging
    await user.type(idField(), '6');
    expect(screen.getByText('校验位不正确，请逐位核对号码')).toBeTruthy();
    await user.clear(idField());
    await user.type(idField(), '422822201002290033');
    expect(screen.getByText('出生日期20100229不是有效日期')).toBeTruthy();
    await user.clear(idField());
    await user.type(idField(), '4228221980010100151');
    expect(screen.getByText('身份证号码应为18位，现在是19位')).toBeTruthy();
    await user.clear(idField());
    await user.type(idField(), '42282A');
    expect(screen.getByText('第6位字符无效：只能是数字，最后一位可以是X')).toBeTruthy();
  }, 60_000);

  it('keeps everything typed when registration is refused, then registers and shows the receipt', async () => {
    counter = await signedInCounter(hub);
    const { user, data } = counter;
    await user.keyboard('{Alt>}n{/Alt}');
    await user.type(await screen.findByRole('searchbox'), 'db{Enter}');
    await user.type(screen.getByLabelText('申请人姓名'), '张三');
    await user.type(idField(), '422822198001010016');
    await user.type(screen.getAllByLabelText('联系电话（可不填）')[0] as HTMLElement, '139');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await screen.findByText(/还有3处需要填写或改正/)).toBeTruthy();
    expect(screen.getByText('还有8项材料没有核对')).toBeTruthy();
    expect(screen.getByText('电话号码应为7到12位数字')).toBeTruthy();
    // Leaving the form and coming back loses nothing.
    await user.keyboard('{Alt>}1{/Alt}');
    await user.keyboard('{Alt>}n{/Alt}');
    expect(screen.getByLabelText<HTMLInputElement>('申请人姓名').value).toBe('张三');
    expect(idField().value).toBe('422822198001010016');
    await user.clear(idField());
    await user.type(idField(), '42282219800101001X'.replace('X', '5'));
    await user.type(screen.getAllByLabelText('联系电话（可不填）')[0] as HTMLElement, '12345678');
    await user.click(screen.getByRole('button', { name: '必交材料全部已收' }));
    await markOptionalNotApplicable(user);
    expect(screen.getByTestId('due').textContent).toMatch(/30个工作日/);
    await user.keyboard('{Control>}{Enter}{/Control}');
    const number = await screen.findByTestId('receipt-case-number');
    const receipt = screen.getByRole('article', { name: '受理回执' });
    expect(within(receipt).getByText(/张三 422822\*{8}0015/)).toBeTruthy();
    expect(receipt.textContent).not.toContain('422822198001010015');
    expect((await within(receipt).findByRole('img', { name: '扫码查询办理进度' })).getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    // For a resident without a phone: the lookup code, in two groups of four that cannot be misread.
    expect(within(receipt).getByTestId('receipt-lookup-code').textContent).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    await user.click(screen.getByRole('button', { name: '打印回执' }));
    expect(counter.shell.printed.count).toBe(1);
    // In the kiosk shell with no printer answering, the receipt is kept as a PDF, and the clerk is told where.
    counter.shell.printed.outcome = { savedPdf: '/home/hall/Documents/Cunban receipts/receipt-20261126-083005.pdf' };
    await user.click(screen.getByRole('button', { name: '打印回执' }));
    expect((await screen.findByText(/打印机没有响应，回执已保存为PDF/)).textContent).toContain('receipt-20261126-083005.pdf');

    const stored = await data.cases.get(number.textContent);
    expect(stored?.summary.status).toBe('forwarded');
    expect(stored?.events.map((event) => event.type)).toEqual(['created', 'materialsChecked', 'forwarded']);
    expect(stored?.events[0]?.actor.id).toBe(`${data.enrollment.kioskId}/c1`);
    expect(findPlaintextIdNumbers(stored)).toEqual([]);
  }, 60_000);

  it('ticks only the required materials at once: an optional one (a proxy’s letter) waits for the clerk’s call', async () => {
    counter = await signedInCounter(hub);
    const { user } = counter;
    await user.keyboard('{Alt>}n{/Alt}');
    await user.type(await screen.findByRole('searchbox'), 'db{Enter}');
    await user.click(screen.getByRole('button', { name: '必交材料全部已收' }));
    const rows = [...document.querySelectorAll<HTMLElement>('.checklist tbody tr')];
    const optional = rows.filter((row) => within(row).queryByLabelText('不适用') !== null);
    expect(optional.length).toBeGreaterThan(0);
    for (const row of rows) {
      const received = within(row).getByLabelText<HTMLInputElement>('已收').checked;
      expect(received, row.textContent).toBe(!optional.includes(row));
    }
    // A label the catalog already marks as conditional is not marked a second time.
    expect(document.querySelector('.checklist')?.textContent).not.toMatch(/（如有）\s*（如有）/);
    await user.type(screen.getByLabelText('申请人姓名'), '张三');
    await user.type(idField(), '422822198001010015');
    await user.keyboard('{Control>}{Enter}{/Control}');
    expect(await screen.findByText(`还有${String(optional.length)}项材料没有核对`)).toBeTruthy();
  }, 60_000);

  it('never shows a due date a forwarded case could not meet, even from a catalog published before the check', async () => {
    // A county's catalog from before impossible limits were refused: YB-04 decided by the county in 0 days.
    const stored = await hub.hub.store.getDoc<Catalog & { _id: string }>(DB.catalog, 'catalog');
    if (!stored.ok) throw new Error(stored.error.reason);
    const old = {
      ...stored.value,
      version: stored.value.version + 1,
      items: stored.value.items.map((item) => (item.code === 'YB-04' ? { ...item, timeLimitWorkingDays: 0 } : item)),
    };
    expect((await hub.hub.store.putDoc(DB.catalog, old)).ok).toBe(true);
    try {
      counter = await signedInCounter(hub);
      await counter.user.keyboard('{Alt>}n{/Alt}');
      await counter.user.type(await screen.findByRole('searchbox'), 'YB-04{Enter}');
      expect(screen.getByTestId('due').textContent).toBe('事项目录中的办理时限（0个工作日）不够转报到县级办理，本机不显示截止日期。请县级管理员更正事项目录');
    } finally {
      const current = await hub.hub.store.getDoc<Catalog & { _id: string }>(DB.catalog, 'catalog');
      if (current.ok) await hub.hub.store.putDoc(DB.catalog, { ...stored.value, _rev: current.value._rev, version: old.version + 1 });
    }
  }, 60_000);

  it('tells the resident once what is missing, and completes a village item on the spot', async () => {
    counter = await signedInCounter(hub);
    const { user, data } = counter;
    await user.keyboard('{Alt>}n{/Alt}');
    await user.type(await screen.findByRole('searchbox'), 'RS-01{Enter}');
    await user.type(screen.getByLabelText('申请人姓名'), '王五');
    await user.type(idField(), '42282219671130019x');
    await user.click(screen.getByRole('button', { name: '必交材料全部已收' }));
    await markOptionalNotApplicable(user);
    const rows = screen.getAllByRole('radiogroup');
    await user.click(within(rows[1] as HTMLElement).getByLabelText('缺'));
    expect(screen.getByTestId('due').textContent).toBe('材料补齐前暂停计时');
    await user.keyboard('{Control>}{Enter}{/Control}');
    const first = await screen.findByTestId('receipt-case-number');
    expect((await data.cases.get(first.textContent))?.summary.status).toBe('awaitingMaterials');

    await user.click(screen.getByRole('button', { name: '受理下一件' }));
    await user.type(await screen.findByRole('searchbox'), 'jtys{Enter}');
    await user.type(screen.getByLabelText('申请人姓名'), '李四');
    await user.type(idField(), '422822199506150026');
    await user.click(screen.getByRole('checkbox', { name: '他人代办' }));
    await user.type(screen.getByLabelText('代办人姓名'), '李小四');
    await user.type(screen.getAllByLabelText('身份证号码')[1] as HTMLElement, '11010519491231002X');
    await user.type(screen.getByLabelText('代办人与申请人关系'), '儿子');
    await user.click(screen.getByRole('button', { name: '必交材料全部已收' }));
    await markOptionalNotApplicable(user);
    expect(screen.getByLabelText<HTMLInputElement>('当场办结（批准并送达结果）').checked).toBe(true);
    await user.keyboard('{Control>}{Enter}{/Control}');
    const second = await screen.findByTestId('receipt-case-number');
    expect(screen.getByRole('article').textContent).toContain('李小四 110105********002X (儿子)');
    const stored = await data.cases.get(second.textContent);
    expect(stored?.summary.status).toBe('completed');
    // Numbers are issued in sequence for the day.
    expect(second.textContent.split('-')[3]).toBe('002');
  }, 60_000);
});
