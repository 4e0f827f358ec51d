/**
 * The guard a disclosure list passes before it can be submitted (issue 19 §1, groundwork): every cell of a
 * county's spreadsheet, as parsed, is refused with its row and column when it holds an ID number (checksum-valid
 * or not), a mobile number, a bank card number (16–19 digits passing Luhn) or a detailed address (down to a house
 * number, building, unit or room) — however spelled (`core/personal-numbers.ts`). Rows and columns count from 1,
 * as a spreadsheet shows them.
 */
import { bankCardNumberIn, personalNumberIn } from '../personal-numbers.js';

export type CellProblem = 'idNumber' | 'phone' | 'bankCard' | 'address';

export interface CellRefusal {
  readonly row: number;
  readonly column: number;
  readonly problem: CellProblem;
}

/** 门牌: a number followed by 号, 栋/幢, 单元, 室 (Arabic or Chinese numerals): an address down to a door. */
const DOOR = /(?:\d+|[一二三四五六七八九十百零〇]+)\s*(?:号|號|栋|棟|幢|单元|單元|室)/u;

/** What a cell holds that must not be published, or undefined. */
export function cellProblem(cell: string): CellProblem | undefined {
  const number = personalNumberIn(cell);
  if (number) return number;
  if (bankCardNumberIn(cell)) return 'bankCard';
  return DOOR.test(cell.normalize('NFKC')) ? 'address' : undefined;
}

/** Every cell of `rows` that must not be published, in reading order. */
export function refusedCells(rows: readonly (readonly string[])[]): CellRefusal[] {
  return rows.flatMap((cells, r) =>
    cells.flatMap((cell, c) => {
      const problem = cellProblem(cell);
      return problem ? [{ row: r + 1, column: c + 1, problem }] : [];
    }),
  );
}
