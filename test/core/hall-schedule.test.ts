/** A hall's opening hours for visits: validated as a clerk sets them, cut into slots on working days, and split between the page and the counter. */
import { describe, expect, it } from 'vitest';
import { hallScheduleSchema, shareOf, slotsOn, type HallSchedule } from '../../core/appointment/schedule.js';
import type { LocalDate } from '../../core/local-date.js';
import { demoCalendar } from '../../core/seed/demo-county.js';

const schedule: HallSchedule = {
  kind: 'cunban.hallSchedule',
  schemaVersion: 1,
  setAt: '2026-11-20T00:00:00.000Z',
  village: '422822100202',
  periods: [
    { from: '08:30', to: '11:30' },
    { from: '14:00', to: '15:00' },
  ],
  slotMinutes: 60,
  visitsPerSlot: 4,
  counterVisits: 1,
};

describe('a hall’s schedule', () => {
  it('cuts a working day into its slots, and a holiday into none', () => {
    const calendar = demoCalendar();
    expect(slotsOn(schedule, '2026-11-26' as LocalDate, calendar)).toEqual([
      { start: '08:30', end: '09:30' },
      { start: '09:30', end: '10:30' },
      { start: '10:30', end: '11:30' },
      { start: '14:00', end: '15:00' },
    ]);
    expect(slotsOn(schedule, '2026-11-28' as LocalDate, calendar)).toEqual([]); // a Saturday
    expect(slotsOn(schedule, '2026-10-01' as LocalDate, calendar)).toEqual([]); // National Day
  });

  it('gives the page and the counter shares that add up to the slot, so neither overbooks the other offline', () => {
    expect(shareOf(schedule, 'online')).toBe(3);
    expect(shareOf(schedule, 'counter')).toBe(1);
    expect(shareOf(schedule, 'online') + shareOf(schedule, 'counter')).toBe(schedule.visitsPerSlot);
  });

  it('refuses hours that cannot be right, saying where', () => {
    const refused = (change: Partial<HallSchedule>) =>
      hallScheduleSchema.safeParse({ ...schedule, ...change }).error?.issues.map((issue) => issue.path.join('.'));
    expect(refused({ periods: [{ from: '09:00', to: '09:20' }] })).toEqual(['periods.0']);
    expect(
      refused({
        periods: [
          { from: '08:30', to: '11:30' },
          { from: '11:00', to: '12:00' },
        ],
      }),
    ).toEqual(['periods.1']);
    expect(refused({ counterVisits: 5 })).toEqual(['counterVisits']);
    expect(refused({ periods: [{ from: '8:30', to: '24:00' }] })).toEqual(['periods.0.from', 'periods.0.to']);
    expect(hallScheduleSchema.safeParse(schedule).success).toBe(true);
  });
});
