/**
 * Working days for deadlines: weekends are off, except make-up working days (调休上班); public
 * holidays are off. Holidays are county-supplied data per year, because the State Council publishes
 * each year's arrangement only weeks before it starts. A deadline that reaches into a year the
 * calendar does not cover is computed on weekends alone and flagged provisional.
 */
import { z } from 'zod';
import { parseDocument, refuseDuplicates, type DataError } from './data-error.js';
import { addDays, dayOfWeek, type LocalDate } from './local-date.js';
import { localDateSchema } from './local-date-schema.js';
import { ok, type Result } from './result.js';

const yearSchema = z
  .object({
    year: z.number().int().min(2000).max(2100),
    /** Official days off that fall on weekdays or weekends alike. */
    holidays: z.array(localDateSchema),
    /** Weekend days that are working days (调休上班). */
    workdays: z.array(localDateSchema),
    source: z.string().min(1),
  })
  .superRefine((year, ctx) => {
    const prefix = `${year.year}-`;
    for (const field of ['holidays', 'workdays'] as const) {
      year[field].forEach((date, d) => {
        if (!date.startsWith(prefix)) {
          ctx.addIssue({ code: 'custom', path: [field, d], message: `${date} is not in ${year.year}` });
        }
      });
    }
    const holidays = new Set(year.holidays);
    year.workdays.forEach((date, d) => {
      if (holidays.has(date)) {
        ctx.addIssue({ code: 'custom', path: ['workdays', d], message: `${date} is also listed as a holiday` });
      }
    });
  });

export const workingCalendarSchema = z
  .object({
    kind: z.literal('cunban.workingCalendar'),
    schemaVersion: z.literal(1),
    years: z.array(yearSchema),
  })
  .superRefine((calendar, ctx) => {
    refuseDuplicates(
      ctx,
      calendar.years,
      (y) => y.year,
      (y) => ['years', y, 'year'],
      () => 'duplicate year',
    );
  });

export type WorkingCalendarData = z.infer<typeof workingCalendarSchema>;

export interface WorkingCalendar {
  isWorkingDay(date: LocalDate): boolean;
  covers(date: LocalDate): boolean;
}

export function parseWorkingCalendar(input: unknown): Result<WorkingCalendar, DataError> {
  const parsed = parseDocument(workingCalendarSchema, 'workingCalendar', input);
  return parsed.ok ? ok(workingCalendar(parsed.value)) : parsed;
}

export function workingCalendar(data: WorkingCalendarData): WorkingCalendar {
  const holidays = new Set<string>(data.years.flatMap((y) => y.holidays));
  const workdays = new Set<string>(data.years.flatMap((y) => y.workdays));
  const years = new Set(data.years.map((y) => y.year));
  return {
    isWorkingDay(date) {
      if (workdays.has(date)) return true;
      if (holidays.has(date)) return false;
      const dow = dayOfWeek(date);
      return dow !== 0 && dow !== 6;
    },
    covers: (date) => years.has(Number(date.slice(0, 4))),
  };
}

export interface Deadline {
  readonly dueOn: LocalDate;
  /** True when some day counted lies in a year the calendar does not cover yet. */
  readonly provisional: boolean;
}

/**
 * The date by which a decision is due: the `workingDays`-th working day after `start` (the start day
 * itself does not count, as in 自受理之日起N个工作日). 0 means the same day (即办).
 */
export function addWorkingDays(start: LocalDate, workingDays: number, calendar: WorkingCalendar): Deadline {
  let date = start;
  let provisional = !calendar.covers(start);
  for (let counted = 0; counted < workingDays;) {
    date = addDays(date, 1);
    if (!calendar.covers(date)) provisional = true;
    if (calendar.isWorkingDay(date)) counted++;
  }
  return { dueOn: date, provisional };
}
