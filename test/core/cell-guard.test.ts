/** The disclosure list's guard (issue 19 §1, groundwork): each cell holding a personal number or a door-level address is named by row and column. */
import { describe, expect, it } from 'vitest';
import { cellProblem, refusedCells } from '../../core/disclosure/cell-guard.js';
import { bankCardNumberIn, passesLuhn } from '../../core/personal-numbers.js';

describe('the disclosure cell guard', () => {
  it('names every cell holding an ID, phone or bank card number or a door-level address, by row and column', () => {
    const rows = [
      ['姓名', '户籍人数', '金额（元）', '备注'],
      ['张三国', '3', '620', '422822198001010015'],
      ['李秀英', '2', '480', '电话 139-0000-2222'],
      ['王五', '1', '300', '卡号 6222 0202 0000 0000 006'],
      ['赵六', '4', '760', '雀儿笼村三组12号'],
      ['钱七', '2', '480', '三组'],
    ];
    expect(refusedCells(rows)).toEqual([
      { row: 2, column: 4, problem: 'idNumber' },
      { row: 3, column: 4, problem: 'phone' },
      { row: 4, column: 4, problem: 'bankCard' },
      { row: 5, column: 4, problem: 'address' },
    ]);
  });

  it('refuses an ID number whatever its check character, and in any spelling', () => {
    expect(cellProblem('422822198001010016')).toBe('idNumber'); // wrong check character: still a person's number
    expect(cellProblem('４２２８２２１９８００１０１００１５')).toBe('idNumber');
    expect(cellProblem('422822800101001')).toBe('idNumber');
  });

  it('tells a bank card from other long numbers by the Luhn check', () => {
    expect(passesLuhn('6222020200000000006')).toBe(true);
    expect(passesLuhn('6222020200000000008')).toBe(false);
    expect(bankCardNumberIn('6222020200000000008')).toBe(false);
    expect(cellProblem('4111 1111 1111 1111')).toBe('bankCard');
  });

  it('leaves amounts, dates, counts and village-level places alone', () => {
    for (const cell of ['620.00', '2026-11-30', '3人', '雀儿笼村', '业州镇雀儿笼村三组', '第12期']) expect(cellProblem(cell), cell).toBeUndefined();
    for (const cell of ['3栋2单元501室', '建设路十二号']) expect(cellProblem(cell), cell).toBe('address');
  });

  it('finds a number beside other numbers, however grouped, and one split across two cells (found by a helper’s attack)', () => {
    expect(cellProblem('联系 13912345678 12月7日前')).toBe('phone');
    expect(cellProblem('13912345678/2')).toBe('phone');
    expect(cellProblem('4228 2219 8001 0100 16 2')).toBe('idNumber');
    expect(cellProblem('139，1234，5678')).toBe('phone');
    expect(cellProblem('422822、19800101、0016')).toBe('idNumber');
    expect(cellProblem('4111—1111—1111—1111')).toBe('bankCard');
    expect(cellProblem('42282219800101001×')).toBe('idNumber');
    expect(cellProblem('壹叁玖壹贰叁肆伍陆柒捌')).toBe('phone');
    expect(cellProblem('0139 1234 5678')).toBe('phone');
    expect(cellProblem('4\ufe0f\u20e32\ufe0f\u20e3' + '2822198001010016')).toBe('idNumber');
    expect(refusedCells([['张*', '139', '12345678']])).toEqual([{ row: 1, column: 2, problem: 'phone' }]);
    for (const cell of ['幸福小区3-2-501', '幸福小区3#楼201', '雀儿笼村门牌号：12', '三组拾贰号', '三组12\u200b号'])
      expect(cellProblem(cell), cell).toBe('address');
    // Many small numbers are not one long one: nobody writes a number a digit at a time.
    for (const cell of ['1、2、3、4、5、6、7、8、9、0、1、2、3、4、5、6、7、8', '1,200', '2026年11月30日 3人 620元'])
      expect(cellProblem(cell), cell).toBeUndefined();
  });
});
