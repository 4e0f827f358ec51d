/**
 * A village hall's opening hours for visits (issue 18 §3), set by the clerk at the kiosk: the periods it
 * is open on a working day (China time), how long a slot is, and how many visits a slot takes — of which
 * a fixed share only the counter may book.
 *
 * That share is the rule that lets an offline kiosk and the residents' page book the same slot without
 * either booking being refused after the fact: the page books only `visitsPerSlot - counterVisits` of a
 * slot and the counter only `counterVisits`, each counting its own channel's bookings alone. Neither
 * needs to see the other's to stay within its share, so no sync can reveal an overbooking. The price is
 * that a share can sit unused while the other is full; a clerk who sees the whole slot (online) may set
 * the share again for the days ahead.
 */
import { z } from 'zod';
import type { WorkingCalendar } from '../calendar.js';
import { instantSchema } from '../case/events.js';
import { villageCodeSchema } from '../divisions/code.js';
import type { LocalDate } from '../local-date.js';

/** `08:30`: hours and minutes, China time. */
const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM, e.g. 08:30');

const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));
const clockTime = (minutes: number) => `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;

export const hallScheduleSchema = z
  .looseObject({
    kind: z.literal('cunban.hallSchedule'),
    schemaVersion: z.literal(1),
    village: villageCodeSchema,
    /** When the clerk set it (ISO instant): of two settings made apart, the later stands. */
    setAt: instantSchema,
    /** When the hall takes visits on a working day, in order and not overlapping: 08:30–11:30, 14:00–17:00. */
    periods: z
      .array(z.object({ from: clockTimeSchema, to: clockTimeSchema }))
      .min(1)
      .max(6),
    slotMinutes: z.number().int().min(10).max(240),
    visitsPerSlot: z.number().int().min(1).max(50),
    /** Of each slot's visits, how many only the counter books (callers, residents without a phone). */
    counterVisits: z.number().int().min(0),
  })
  .superRefine((schedule, ctx) => {
    let previousEnd = -1;
    schedule.periods.forEach((period, index) => {
      const from = minutesOf(period.from);
      const to = minutesOf(period.to);
      if (to - from < schedule.slotMinutes) ctx.addIssue({ code: 'custom', path: ['periods', index], message: 'a period holds at least one slot' });
      if (from < previousEnd) ctx.addIssue({ code: 'custom', path: ['periods', index], message: 'periods are in order and do not overlap' });
      previousEnd = to;
    });
    if (schedule.counterVisits > schedule.visitsPerSlot) {
      ctx.addIssue({ code: 'custom', path: ['counterVisits'], message: 'the counter’s share is at most the visits a slot takes' });
    }
  });
export type HallSchedule = z.infer<typeof hallScheduleSchema>;

/** One slot of a day: `08:30`–`09:00`. */
export interface Slot {
  readonly start: string;
  readonly end: string;
}

/** The slots of `date`: none on a day the county's calendar says is not a working day. */
export function slotsOn(schedule: HallSchedule, date: LocalDate, calendar: WorkingCalendar): Slot[] {
  if (!calendar.isWorkingDay(date)) return [];
  return schedule.periods.flatMap((period) => {
    const slots: Slot[] = [];
    const to = minutesOf(period.to);
    for (let start = minutesOf(period.from); start + schedule.slotMinutes <= to; start += schedule.slotMinutes) {
      slots.push({ start: clockTime(start), end: clockTime(start + schedule.slotMinutes) });
    }
    return slots;
  });
}

/** Who books a visit: the residents' page, or the clerk at the counter (for a caller, or at the desk). */
export type BookingChannel = 'online' | 'counter';

/** How many visits of a slot a channel may book: its share, counted against its own bookings only. */
export function shareOf(schedule: Pick<HallSchedule, 'visitsPerSlot' | 'counterVisits'>, channel: BookingChannel): number {
  return channel === 'counter' ? schedule.counterVisits : schedule.visitsPerSlot - schedule.counterVisits;
}

/** The id of a village's schedule in its hall database: one per hall. */
export const HALL_SCHEDULE_ID = 'schedule';

/** Of two settings of a hall's schedule, the one that stands: the later, and by content when set at the same instant. */
export function laterSchedule<T extends Pick<HallSchedule, 'setAt'>>(a: T, b: T): T {
  if (a.setAt !== b.setAt) return a.setAt > b.setAt ? a : b;
  return JSON.stringify(a) >= JSON.stringify(b) ? a : b;
}
