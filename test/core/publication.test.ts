/** Publications of village affairs (issue 19 §1): the guard on the way in, the two people, the period on the board, the figures. */
import { describe, expect, it } from 'vitest';
import {
  columnRoleOf,
  isMaskedName,
  maskPublishedName,
  mergePublications,
  onBoard,
  preparedProblems,
  publicationState,
  refusePublicationEvent,
  tableFromSheet,
  tableProblems,
  type Publication,
  type PublicationEvent,
} from '../../core/disclosure/publication.js';
import { recipientsTable } from '../../core/disclosure/recipients.js';
import { monthsBefore, serviceFigures } from '../../core/disclosure/service-figures.js';
import type { LocalDate } from '../../core/local-date.js';

const clerk = { id: 'kiosk-1:clerk-1', name: '王会计', level: 'village' as const };
const town = { id: 'town-reviewer', name: '业州镇 李强', level: 'town' as const };
const event = (id: string, type: PublicationEvent['type'], at: string, by = type === 'approved' || type === 'returned' ? town : clerk): PublicationEvent => ({
  id: `evt-${id}-0000`,
  type,
  at,
  by,
});

const publication = (events: PublicationEvent[]): Publication => ({
  kind: 'cunban.publication',
  schemaVersion: 1,
  village: '422822101201',
  publicationId: 'pub-00000001',
  category: 'allowanceRecipients',
  title: '2026年11月低保对象公示',
  source: { from: 'typed' },
  columns: [{ label: '姓名', role: 'name' }],
  rows: [['张*']],
  displayDays: 7,
  preparedAt: '2026-11-20T01:00:00.000Z',
  events,
});

describe('names on a published list', () => {
  it('keep the surname and one star, whatever the given name, and compound surnames whole', () => {
    expect(maskPublishedName('张三国')).toBe('张*');
    expect(maskPublishedName('李四')).toBe('李*');
    expect(maskPublishedName('欧阳修文')).toBe('欧阳*');
    expect(maskPublishedName('欧阳')).toBe('欧*'); // two characters: 欧 may be the surname
    expect(maskPublishedName('张*')).toBe('张*');
    expect(maskPublishedName('张**')).toBe('张*');
    expect(maskPublishedName('欧阳*')).toBe('欧阳*'); // masked already: kept
    expect(isMaskedName('欧阳*')).toBe(true);
    expect(isMaskedName('欧阳修*')).toBe(false);
    expect(maskPublishedName('𠀋小明')).toBe('𠀋*'); // a rare character outside the BMP is one
    expect(maskPublishedName('')).toBe('');
  });

  it('are masked as a spreadsheet comes in, with each column’s role guessed from its heading', () => {
    const { columns, rows } = tableFromSheet([
      ['户主姓名', '家庭人口', '保障金额（元）', '组别'],
      ['张三国', '3', '620', '三组'],
      ['', '', '', ''],
      ['李秀英', '2', '480.50', '一组', '多出的一格'],
    ]);
    expect(columns.map((column) => column.role)).toEqual(['name', 'count', 'amount', 'text']);
    expect(rows).toEqual([
      ['张*', '3', '620', '三组'],
      ['李*', '2', '480.50', '一组', '多出的一格'],
    ]);
    expect(tableProblems(columns, rows)).toEqual([{ code: 'publication.rowWidth', row: 2 }]);
    expect(columnRoleOf('Amount (yuan)')).toBe('amount');
  });
});

describe('what may be submitted', () => {
  const columns = [
    { label: '姓名', role: 'name' as const },
    { label: '人数', role: 'count' as const },
    { label: '金额', role: 'amount' as const },
    { label: '备注', role: 'text' as const },
  ];
  it('names every cell that must not be published, by row and column, and unmasked names and bad numbers', () => {
    const rows = [
      ['张*', '3', '620', ''],
      ['李秀英', '2', '480', '身份证 422822198001010015'],
      ['王*', '两', '三百', '电话 139 0000 2222'],
      ['赵*', '1', '300', '卡 6222020200000000006'],
      ['钱*', '1', '300', '雀儿笼村三组12号'],
    ];
    expect(tableProblems(columns, rows)).toEqual([
      { code: 'publication.unmaskedName', row: 2, column: 1 },
      { code: 'publication.cell', row: 2, column: 4, problem: 'idNumber' },
      { code: 'publication.notANumber', row: 3, column: 2 },
      { code: 'publication.notANumber', row: 3, column: 3 },
      { code: 'publication.cell', row: 3, column: 4, problem: 'phone' },
      { code: 'publication.cell', row: 4, column: 4, problem: 'bankCard' },
      { code: 'publication.cell', row: 5, column: 4, problem: 'address' },
    ]);
  });

  it('guards the headings, the title and the note as it guards cells', () => {
    expect(
      preparedProblems({ title: '公示 13900002222', note: '地址：雀儿笼村5号', columns: [{ label: '422822198001010015', role: 'text' }], rows: [] }),
    ).toEqual([
      { code: 'publication.text', field: 'title', problem: 'phone' },
      { code: 'publication.text', field: 'note', problem: 'address' },
      { code: 'publication.heading', column: 1, problem: 'idNumber' },
    ]);
    expect(tableProblems([], [])).toEqual([{ code: 'publication.empty' }]);
    // Every amount and household size is filled in (a recipients' list made from cases starts with them blank); full-width digits are numbers.
    expect(tableProblems(columns, [['张*', '', '６２０', '']])).toEqual([{ code: 'publication.emptyNumber', row: 1, column: 2 }]);
    expect(
      tableFromSheet([
        ['姓名', '金额'],
        ['张三', '６２０'],
      ]).rows,
    ).toEqual([['张*', '620']]);
  });
});

describe('a publication’s standing', () => {
  const submitted = event('a', 'submitted', '2026-11-20T01:00:00.000Z');
  const approved = event('b', 'approved', '2026-11-21T02:00:00.000Z');
  const now = new Date('2026-11-22T00:00:00.000Z');

  it('is on the board only once the town approves, for its days from then, then in the archive', () => {
    expect(publicationState(publication([submitted]), now).status).toBe('awaitingApproval');
    const state = publicationState(publication([submitted, approved]), now);
    expect(state).toMatchObject({ status: 'onDisplay', displayFrom: approved.at, displayUntil: '2026-11-28T02:00:00.000Z', approvedBy: town });
    expect(onBoard(publication([submitted, approved]), new Date('2026-11-28T01:59:59.999Z'))).toBe(true);
    expect(publicationState(publication([submitted, approved]), new Date('2026-11-28T02:00:00.000Z')).status).toBe('ended');
  });

  it('is the same in any order of events; a withdrawal takes it off whenever it comes; the first decision stands', () => {
    const withdrawn = event('c', 'withdrawn', '2026-11-20T05:00:00.000Z');
    const a = publication([submitted, approved]);
    const b = publication([withdrawn, submitted]);
    expect(publicationState(mergePublications(a, b), now).status).toBe('withdrawn');
    expect(mergePublications(a, b)).toEqual(mergePublications(b, a));
    const returned = event('d', 'returned', '2026-11-21T03:00:00.000Z');
    expect(publicationState(publication([submitted, returned, approved]), now).status).toBe('onDisplay');
  });

  it('takes each event from its own level, once', () => {
    const waiting = publication([submitted]);
    expect(refusePublicationEvent(waiting, { type: 'approved', by: clerk }, now)).toMatch(/by the town/);
    expect(refusePublicationEvent(waiting, { type: 'approved', by: town }, now)).toBeUndefined();
    expect(refusePublicationEvent(publication([submitted, approved]), { type: 'returned', by: town }, now)).toMatch(/onDisplay/);
    expect(refusePublicationEvent(waiting, { type: 'submitted', by: clerk }, now)).toMatch(/already/);
    expect(refusePublicationEvent(publication([]), { type: 'approved', by: town }, now)).toMatch(/not submitted/);
    expect(refusePublicationEvent(publication([submitted, approved]), { type: 'withdrawn', by: clerk }, now)).toBeUndefined();
  });
});

describe('a recipients’ list from cases', () => {
  const cases = [
    {
      caseNumber: 'A2',
      itemCode: 'mla',
      applicantName: '李秀英',
      decision: { outcome: 'approved' as const, at: '2026-11-10T02:00:00.000Z' },
    },
    {
      caseNumber: 'A1',
      itemCode: 'mla',
      applicantName: '张三国',
      decision: { outcome: 'approved' as const, at: '2026-11-03T02:00:00.000Z' },
    },
    {
      caseNumber: 'A3',
      itemCode: 'mla',
      applicantName: '王五',
      decision: { outcome: 'rejected' as const, at: '2026-11-04T02:00:00.000Z' },
    },
    {
      caseNumber: 'A4',
      itemCode: 'other',
      applicantName: '赵六',
      decision: { outcome: 'approved' as const, at: '2026-11-04T02:00:00.000Z' },
    },
    {
      caseNumber: 'A5',
      itemCode: 'mla',
      applicantName: '钱七',
      decision: { outcome: 'approved' as const, at: '2026-10-31T15:59:00.000Z' },
    },
    { caseNumber: 'A6', itemCode: 'mla', applicantName: '孙八' },
  ];
  it('lists the approved cases of the item decided in the period (China dates), masked, nothing else of them', () => {
    const table = recipientsTable(cases, { itemCode: 'mla', fromDate: '2026-11-01' as LocalDate, toDate: '2026-11-30' as LocalDate }, '雀儿笼村', {
      name: '姓名',
      householdSize: '家庭人口',
      amount: '金额（元）',
      village: '村',
    });
    expect(table.rows).toEqual([
      ['张*', '', '', '雀儿笼村'],
      ['李*', '', '', '雀儿笼村'],
    ]);
    expect(JSON.stringify(table)).not.toMatch(/三国|秀英/);
    // The household sizes and amounts are the clerk's to fill in before it can be submitted.
    expect(tableProblems(table.columns, table.rows).map((problem) => problem.code)).toEqual(Array(4).fill('publication.emptyNumber'));
  });
});

describe('open service figures', () => {
  it('count per village and month: accepted, decided, within the time limit, median days', () => {
    const figures = serviceFigures([
      { village: 'V1', acceptedOn: '2026-10-28', decidedOn: '2026-11-02', dueOn: '2026-11-05' },
      { village: 'V1', acceptedOn: '2026-11-01', decidedOn: '2026-11-11', dueOn: '2026-11-08' },
      { village: 'V1', acceptedOn: '2026-11-03', decidedOn: '2026-11-04' },
      { village: 'V1', acceptedOn: '2026-11-20' },
      { village: 'V2', acceptedOn: '2026-11-20' },
    ]);
    expect(figures).toEqual([
      { village: 'V1', month: '2026-10', accepted: 1, decided: 0, decidedWithTimeLimit: 0, decidedWithinTimeLimit: 0, medianDaysToDecision: null },
      { village: 'V1', month: '2026-11', accepted: 3, decided: 3, decidedWithTimeLimit: 2, decidedWithinTimeLimit: 1, medianDaysToDecision: 5 },
      { village: 'V2', month: '2026-11', accepted: 1, decided: 0, decidedWithTimeLimit: 0, decidedWithinTimeLimit: 0, medianDaysToDecision: null },
    ]);
    expect(serviceFigures([{ village: 'V1', acceptedOn: '2026-01-01' }], '2026-02')).toEqual([]);
    expect(monthsBefore('2026-01-15' as LocalDate, 1)).toBe('2025-12');
    expect(monthsBefore('2026-11-15' as LocalDate, 5)).toBe('2026-06');
  });
});
