/** The places left in each slot of a day for one channel, by the share rule (schedule.ts). */
import type { WorkingCalendar } from '../calendar.js';
import type { LocalDate } from '../local-date.js';
import { placesTaken, type Appointment } from './appointment.js';
import { shareOf, slotsOn, type BookingChannel, type HallSchedule } from './schedule.js';

export interface SlotPlaces {
  readonly start: string;
  readonly end: string;
  readonly free: number;
}

/** Each slot of `date` with the places `channel` has left: its share less its own bookings that hold a place. */
export function placesLeft(
  schedule: HallSchedule,
  date: LocalDate,
  calendar: WorkingCalendar,
  appointments: readonly Appointment[],
  channel: BookingChannel,
): SlotPlaces[] {
  const share = shareOf(schedule, channel);
  return slotsOn(schedule, date, calendar).map((slot) => ({
    ...slot,
    free: Math.max(0, share - placesTaken(appointments, { date, start: slot.start }, channel)),
  }));
}
