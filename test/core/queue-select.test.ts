import { describe, expect, it } from 'vitest';
import { queueQuerySchema } from '../../core/api/queue.js';
import { entriesInScope, queuePage, selectQueue } from '../../core/case/queue-select.js';
import type { LocalDate } from '../../core/local-date.js';
import { queueEntry } from './fixtures.js';

const TODAY = '2026-11-26' as LocalDate;
const TOWN = '422822100000';
const OTHER_TOWN = '422822101000';
const query = (params: Record<string, string>) => queueQuerySchema.parse(params);

const entries = [
  queueEntry({ caseNumber: 'c-late', dueOn: '2026-12-20' }),
  queueEntry({ caseNumber: 'c-overdue', dueOn: '2026-11-20' }),
  queueEntry({ caseNumber: 'c-no-limit' }),
  queueEntry({ caseNumber: 'c-soon-b', dueOn: '2026-12-01' }),
  queueEntry({ caseNumber: 'c-soon-a', dueOn: '2026-12-01' }),
  queueEntry({ caseNumber: 'c-waiting', status: 'awaitingMaterials', currentLevel: 'village', dueOn: '2026-11-01' }),
  queueEntry({ caseNumber: 'c-county', currentLevel: 'county', dueOn: '2026-12-03', sector: 'NY', itemCode: 'NY-02' }),
  queueEntry({ caseNumber: 'c-closed', status: 'approved', open: false, dueOn: '2026-11-10', decidedOn: '2026-11-09' }),
  queueEntry({ caseNumber: 'c-other-town', town: OTHER_TOWN, village: '422822101001', dueOn: '2026-11-27' }),
];
const numbers = (selected: readonly { caseNumber: string }[]) => selected.map((entry) => entry.caseNumber);

describe("the review queue's selection", () => {
  it('lists open cases of the scope by due date, then case number, with no-limit cases last', () => {
    const { matching } = selectQueue(entries, TOWN, query({}), 'town', TODAY);
    expect(numbers(matching)).toEqual(['c-waiting', 'c-overdue', 'c-soon-a', 'c-soon-b', 'c-county', 'c-late', 'c-no-limit']);
    expect(numbers(selectQueue(entries, 'county', query({}), 'county', TODAY).matching)).toContain('c-other-town');
    expect(numbers(selectQueue(entries, TOWN, query({ state: 'closed' }), 'town', TODAY).matching)).toEqual(['c-closed']);
  });

  it('overdue never includes a case waiting for the resident', () => {
    expect(numbers(selectQueue(entries, TOWN, query({ overdue: 'true' }), 'town', TODAY).matching)).toEqual(['c-overdue']);
    expect(numbers(selectQueue(entries, TOWN, query({ overdue: 'false' }), 'town', TODAY).matching)).toContain('c-waiting');
  });

  it("held=mine keeps the cases held at the reviewer's own level", () => {
    expect(numbers(selectQueue(entries, TOWN, query({ held: 'mine' }), 'county', TODAY).matching)).toEqual(['c-county']);
  });

  it('filters by sector, item, village and accepted-date range', () => {
    expect(numbers(selectQueue(entries, TOWN, query({ sector: 'NY' }), 'town', TODAY).matching)).toEqual(['c-county']);
    expect(numbers(selectQueue(entries, TOWN, query({ item: 'NY-02' }), 'town', TODAY).matching)).toEqual(['c-county']);
    expect(selectQueue(entries, 'county', query({ village: '422822101001' }), 'county', TODAY).matching).toHaveLength(1);
    expect(selectQueue(entries, TOWN, query({ from: '2026-11-27' }), 'town', TODAY).matching).toHaveLength(0);
    expect(selectQueue(entries, TOWN, query({ from: '2026-11-26', to: '2026-11-26' }), 'town', TODAY).matching).toHaveLength(7);
  });

  it('counts each status under every other filter, so a status filter does not hide the others', () => {
    const selected = selectQueue(entries, TOWN, query({ status: 'awaitingMaterials' }), 'town', TODAY);
    expect(numbers(selected.matching)).toEqual(['c-waiting']);
    expect(selected.countsByStatus).toEqual({ forwarded: 6, awaitingMaterials: 1 });
  });

  it('pages from 1 and reports the total', () => {
    const page = queuePage(entries, TOWN, query({ page: '2', pageSize: '3' }), 'town', TODAY);
    expect(page).toMatchObject({ total: 7, page: 2, pageSize: 3 });
    expect(numbers(page.entries)).toEqual(['c-soon-b', 'c-county', 'c-late']);
    expect(queuePage(entries, TOWN, query({ page: '9' }), 'town', TODAY).entries).toEqual([]);
  });

  it("the dashboard's scope holds every state", () => {
    expect(entriesInScope(entries, TOWN)).toHaveLength(8);
    expect(entriesInScope(entries, 'county')).toHaveLength(9);
  });
});
