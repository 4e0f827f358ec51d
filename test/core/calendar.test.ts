import { describe, expect, it } from 'vitest';
import { addWorkingDays, parseWorkingCalendar, workingCalendar } from '../../core/calendar.js';
import type { LocalDate } from '../../core/local-date.js';
import { demoCalendar } from '../../core/seed/demo-county.js';

const d = (text: string) => text as LocalDate;

describe('working days', () => {
  const calendar = demoCalendar();

  it('skips weekends', () => {
    // Thursday 2026-11-26 + 3 working days = Tuesday 2026-12-01.
    expect(addWorkingDays(d('2026-11-26'), 3, calendar)).toEqual({ dueOn: '2026-12-01', provisional: false });
  });

  it('skips the 2026 Spring Festival holiday and counts its make-up Saturdays', () => {
    // Fri 13 Feb, Sat 14 Feb is a make-up working day, 15–23 Feb are off, Tue 24 Feb onwards work.
    expect(calendar.isWorkingDay(d('2026-02-14'))).toBe(true);
    expect(calendar.isWorkingDay(d('2026-02-16'))).toBe(false);
    expect(addWorkingDays(d('2026-02-13'), 1, calendar).dueOn).toBe('2026-02-14');
    expect(addWorkingDays(d('2026-02-13'), 2, calendar).dueOn).toBe('2026-02-24');
  });

  it('treats National Day week as off and 10 October (a Saturday) as a working day', () => {
    expect(addWorkingDays(d('2026-09-30'), 1, calendar).dueOn).toBe('2026-10-08');
    expect(calendar.isWorkingDay(d('2026-10-10'))).toBe(true);
  });

  it('gives the same day for on-the-spot items (0 working days)', () => {
    expect(addWorkingDays(d('2026-11-28'), 0, calendar)).toEqual({ dueOn: '2026-11-28', provisional: false });
  });

  it('flags a deadline that runs into a year the calendar does not cover yet', () => {
    // 2027's holidays are not published yet: counted on weekends alone, and marked provisional.
    expect(addWorkingDays(d('2026-12-28'), 5, calendar)).toEqual({ dueOn: '2027-01-04', provisional: true });
  });

  it('refuses a calendar whose dates are outside their year or both holiday and working day', () => {
    const result = parseWorkingCalendar({
      kind: 'cunban.workingCalendar',
      schemaVersion: 1,
      years: [{ year: 2027, holidays: ['2026-01-01', '2027-02-06'], workdays: ['2027-02-06'], source: 'test' }],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.problems.map((p) => `${p.path}: ${p.detail}`)).toEqual([
      'years[0].holidays[0]: 2026-01-01 is not in 2027',
      'years[0].workdays[0]: 2027-02-06 is also listed as a holiday',
    ]);
  });

  it('works from weekends alone with an empty calendar', () => {
    const empty = workingCalendar({ kind: 'cunban.workingCalendar', schemaVersion: 1, years: [] });
    expect(addWorkingDays(d('2026-01-01'), 1, empty)).toEqual({ dueOn: '2026-01-02', provisional: true });
  });
});
