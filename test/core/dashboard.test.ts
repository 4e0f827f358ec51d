import { describe, expect, it } from 'vitest';
import { computeDashboard, weekOf } from '../../core/dashboard.js';
import { addDays, type LocalDate } from '../../core/local-date.js';
import { queueEntry } from './fixtures.js';

const TODAY = '2026-11-26' as LocalDate; // a Thursday
const entry = queueEntry;

describe('the dashboard', () => {
  it('weeks start on Monday', () => {
    expect(weekOf(TODAY)).toBe('2026-11-23');
    expect(weekOf('2026-11-23' as LocalDate)).toBe('2026-11-23');
    expect(weekOf('2026-11-29' as LocalDate)).toBe('2026-11-23');
  });

  it('counts, the share decided within the limit, and the overdue list (never a case waiting for materials)', () => {
    const dashboard = computeDashboard(
      [
        entry({ status: 'approved', open: false, dueOn: '2026-11-20', decidedOn: '2026-11-19' }),
        entry({ status: 'rejected', open: false, dueOn: '2026-11-20', decidedOn: '2026-11-24' }),
        entry({ status: 'approved', open: false, decidedOn: '2026-11-24' }), // no time limit: not counted either way
        entry({ caseNumber: 'late', dueOn: '2026-11-25' }),
        entry({ status: 'awaitingMaterials', dueOn: '2026-11-01' }),
        entry({ sector: 'RS', village: '422822100212', dueOn: '2026-12-01' }),
      ],
      TODAY,
    );
    expect(dashboard.total).toBe(6);
    expect(dashboard.byStatus).toEqual({ approved: 2, rejected: 1, forwarded: 2, awaitingMaterials: 1 });
    expect(dashboard.bySector).toEqual({ MZ: 5, RS: 1 });
    expect(dashboard.byVillage).toEqual({ '422822100202': 5, '422822100212': 1 });
    expect([dashboard.decided, dashboard.decidedWithinLimit, dashboard.withinLimitPercent]).toEqual([3, 1, 50]);
    expect(dashboard.overdue).toEqual(['late']);
  });

  it('warns when a village’s cases of a sector this week run at three times their trailing average', () => {
    const history = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((back) => [entry({ acceptedOn: addDays(TODAY, -7 * back), status: 'completed', open: false })]);
    const quiet = computeDashboard([...history, entry({}), entry({})], TODAY);
    expect(quiet.warnings).toEqual([]); // 2 this week against an average of 1: no rush
    const rush = computeDashboard([...history, entry({}), entry({}), entry({})], TODAY);
    expect(rush.warnings).toEqual([{ weekOf: '2026-11-23', village: '422822100202', sector: 'MZ', count: 3, trailingAverage: 1 }]);
    const otherSector = computeDashboard([...history, ...[1, 2, 3].map(() => entry({ sector: 'YB' }))], TODAY);
    expect(otherSector.warnings.map((w) => w.sector)).toEqual(['YB']); // no history at all: any 3 is a rush
    expect(rush.weekly.find((week) => week.weekOf === '2026-11-23')?.count).toBe(3);
  });
});
