/**
 * The guard a disclosure list passes before it can be submitted (issue 19 §1, groundwork): every cell of a
 * county's spreadsheet, as parsed, is refused with its row and column when it holds an ID number (checksum-valid
 * or not), a mobile number, a bank card number (16–19 digits passing Luhn) or a detailed address (down to a house
 * number, building, unit or room) — however spelled (`core/personal-numbers.ts`). Rows and columns count from 1,
 * as a spreadsheet shows them.
 */
import { foldText, numberKindIn } from '../personal-numbers.js';

export type CellProblem = 'idNumber' | 'phone' | 'bankCard' | 'address';

export interface CellRefusal {
  readonly row: number;
  readonly column: number;
  readonly problem: CellProblem;
}

/**
 * An address down to a door: a number followed by 号, 栋/幢, 单元, 室 (digits, or the numerals 十 and 百 left after
 * folding); 门牌 at all; building-unit-room written 3-2-501; a building written 3#.
 */
const DOOR = [/(?:\d+|[十百拾佰]+)\s*(?:号|號|栋|棟|幢|单元|單元|室)/u, /门牌|門牌/u, /(?<!\d)\d{1,3}-\d{1,2}-\d{3,4}(?!\d)/u, /\d+\s*#/u];

/** What a cell holds that must not be published, or undefined. */
export function cellProblem(cell: string): CellProblem | undefined {
  const number = numberKindIn(cell);
  if (number) return number;
  const folded = foldText(cell);
  return DOOR.some((pattern) => pattern.test(folded)) ? 'address' : undefined;
}

/**
 * Every cell of `rows` that must not be published, in reading order — and a number split across two cells of a line
 * (`139` | `12345678`), named at the first of them.
 */
export function refusedCells(rows: readonly (readonly string[])[]): CellRefusal[] {
  return rows.flatMap((cells, r) => {
    const found = cells.map((cell) => cellProblem(cell));
    return cells.flatMap((cell, c) => {
      const problem = found[c] ?? (c + 1 < cells.length && found[c + 1] === undefined ? splitProblem(cell, cells[c + 1] ?? '') : undefined);
      return problem ? [{ row: r + 1, column: c + 1, problem }] : [];
    });
  });
}

/** A personal number written across two neighbouring cells (addresses are not: a village and a group are two cells). */
function splitProblem(left: string, right: string): CellProblem | undefined {
  if (!/\d\s*$/u.test(foldText(left)) || !/^\s*\d/u.test(foldText(right))) return undefined;
  return numberKindIn(`${left} ${right}`);
}
