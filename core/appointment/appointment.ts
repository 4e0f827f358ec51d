/**
 * A booked visit to a village hall (issue 18 §3): a service item, a slot of a working day, the resident's
 * name and — sealed, with a masked copy for screens — phone. Never an ID number. Booked on the residents'
 * page (the hub seals the phone with the village's key) or at the counter by the clerk, offline too.
 *
 * Like a case, an appointment is its booking plus an append-only set of events, merged by their union, so
 * a resident's cancellation on the page and the clerk's "attended" at an offline kiosk both survive any
 * order of sync. What it is now is a pure function of that set (`appointmentStatus`).
 */
import { z } from 'zod';
import { canonicalJson } from '../canonical-json.js';
import { itemCodeSchema } from '../catalog/schema.js';
import { eventIdSchema, instantSchema } from '../case/events.js';
import { lookupCodeSchema } from '../case/lookup-code.js';
import { caseNumberSchema } from '../case/number.js';
import { maskedPhoneSchema, sealedValueSchema } from '../case/sealed.js';
import { villageCodeSchema } from '../divisions/code.js';
import { localDateSchema } from '../local-date-schema.js';
import type { BookingChannel } from './schedule.js';

const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time is HH:MM, e.g. 08:30');

/** What happened to a booking: it is cancelled (by the resident or the clerk), attended, or missed. */
export const APPOINTMENT_EVENT_TYPES = ['cancelled', 'attended', 'missed'] as const;
export type AppointmentEventType = (typeof APPOINTMENT_EVENT_TYPES)[number];

export const appointmentEventSchema = z.object({
  id: eventIdSchema,
  type: z.enum(APPOINTMENT_EVENT_TYPES),
  at: instantSchema,
  /** The resident on the page, or a clerk of the hall (by display name). */
  by: z.discriminatedUnion('role', [z.object({ role: z.literal('resident') }), z.object({ role: z.literal('clerk'), name: z.string().trim().min(1).max(64) })]),
  /** For `attended`: the case the visit began, when intake started from the appointment. */
  caseNumber: caseNumberSchema.optional(),
});
export type AppointmentEvent = z.infer<typeof appointmentEventSchema>;

/** Stored as `appointment:<code>` in the village's hall database. */
export const appointmentSchema = z.looseObject({
  kind: z.literal('cunban.appointment'),
  schemaVersion: z.literal(1),
  village: villageCodeSchema,
  /** What the resident keeps to cancel: 8 letters and digits without look-alikes (lookup-code.ts). */
  code: lookupCodeSchema,
  date: localDateSchema,
  start: clockTimeSchema,
  end: clockTimeSchema,
  channel: z.enum(['online', 'counter']),
  itemCode: itemCodeSchema,
  name: z.string().trim().min(1).max(64),
  phone: sealedValueSchema.optional(),
  phoneMasked: maskedPhoneSchema.optional(),
  bookedAt: instantSchema,
  events: z.array(appointmentEventSchema).max(32),
});
export type Appointment = z.infer<typeof appointmentSchema>;

export const APPOINTMENT_ID_PREFIX = 'appointment:';
export const appointmentIdOf = (code: string) => `${APPOINTMENT_ID_PREFIX}${code}`;

export type AppointmentStatus = 'booked' | AppointmentEventType;

/**
 * What a booking is now. A resident served after being marked missed was attended; a cancelled booking
 * the clerk later marked missed stays cancelled. So: attended, else cancelled, else missed, else booked —
 * the same whatever order the events arrived in.
 */
export function appointmentStatus(appointment: Pick<Appointment, 'events'>): AppointmentStatus {
  const types = new Set(appointment.events.map((event) => event.type));
  for (const type of ['attended', 'cancelled', 'missed'] as const) if (types.has(type)) return type;
  return 'booked';
}

/** Whether it still takes its place in its slot. */
export const holdsPlace = (appointment: Pick<Appointment, 'events'>) => {
  const status = appointmentStatus(appointment);
  return status === 'booked' || status === 'attended';
};

/** The fields a booking is made with: never changed after, by anyone. */
const BOOKING_FIELDS = ['kind', 'village', 'code', 'date', 'start', 'end', 'channel', 'itemCode', 'name', 'phone', 'phoneMasked', 'bookedAt'] as const;

/** Whether two copies are of the same booking (every booking field equal), so they may merge. */
export function sameBooking(a: Appointment, b: Appointment): boolean {
  return BOOKING_FIELDS.every((field) => canonicalJson(a[field]) === canonicalJson(b[field]));
}

const byTimeThenId = (a: AppointmentEvent, b: AppointmentEvent) => (a.at === b.at ? (a.id < b.id ? -1 : a.id > b.id ? 1 : 0) : a.at < b.at ? -1 : 1);

/** Two copies of one booking merged: the union of their events by id, in time order. Deterministic and idempotent. */
export function mergeAppointments(a: Appointment, b: Appointment): Appointment {
  const events = new Map<string, AppointmentEvent>();
  for (const event of [...a.events, ...b.events]) if (!events.has(event.id)) events.set(event.id, event);
  return { ...a, events: [...events.values()].sort(byTimeThenId) };
}

/** How many of `appointments` hold a place in one slot of one channel. */
export function placesTaken(appointments: readonly Appointment[], slot: { date: string; start: string }, channel: BookingChannel): number {
  return appointments.filter((a) => a.date === slot.date && a.start === slot.start && a.channel === channel && holdsPlace(a)).length;
}

/** Parse a stored appointment; `undefined` for anything that is not one this version reads. */
export function parseAppointment(doc: unknown): Appointment | undefined {
  const parsed = appointmentSchema.safeParse(doc);
  return parsed.success ? parsed.data : undefined;
}
