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
});
