/**
 * What a kiosk may write to its village hall's database (issue 18 §3): the hall's schedule and its
 * appointments, document by document, as case-writes.ts does for cases. A booking never changes once
 * made; only events are added to it, and none taken away — so a resident's cancellation on the page and
 * the clerk's mark at the counter both stay, whichever reaches the hub first.
 */
import { appointmentIdOf, appointmentSchema, sameBooking, type Appointment } from '../core/appointment/appointment.js';
import { HALL_SCHEDULE_ID, hallScheduleSchema } from '../core/appointment/schedule.js';
import type { WriteRefusal } from './case-writes.js';
import type { KioskDoc } from './kiosks.js';

const MAX_HALL_DOC_BYTES = 32 * 1024;

const firstIssue = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => {
  const issue = issues[0];
  return issue ? `${issue.path.map(String).join('.') || 'document'}: ${issue.message}` : 'invalid';
};

/** Undefined when the write is allowed; otherwise why not. */
export function refuseHallWrite(doc: unknown, kiosk: KioskDoc, stored: Record<string, unknown> | undefined): WriteRefusal | undefined {
  const reason = refusal(doc, kiosk, stored);
  return reason === undefined ? undefined : { reason };
}

function refusal(doc: unknown, kiosk: KioskDoc, stored: Record<string, unknown> | undefined): string | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'A document must be a JSON object.';
  const record = doc as Record<string, unknown>;
  if (typeof record._id !== 'string' || record._id.startsWith('_')) return 'A hall document needs an _id of its own.';
  if (record._deleted === true) return 'Appointments are never deleted from the county hub: a cancellation is recorded.';
  if (Buffer.byteLength(JSON.stringify(doc)) > MAX_HALL_DOC_BYTES) return `A hall document may be at most ${MAX_HALL_DOC_BYTES / 1024} KB.`;
  if (record.village !== kiosk.village) return `This document belongs to village ${String(record.village)}; this kiosk is enrolled for ${kiosk.village}.`;
  if (record._id === HALL_SCHEDULE_ID) {
    const schedule = hallScheduleSchema.safeParse(doc);
    return schedule.success ? undefined : `The hall's schedule is not valid: ${firstIssue(schedule.error.issues)}.`;
  }
  const parsed = appointmentSchema.safeParse(doc);
  if (!parsed.success) return `An appointment is not valid: ${firstIssue(parsed.error.issues)}.`;
  const appointment = parsed.data;
  if (record._id !== appointmentIdOf(appointment.code)) return `An appointment's id is ${appointmentIdOf(appointment.code)}.`;
  if (!stored) {
    // Only the hub books online: it counts the page's share of each slot.
    return appointment.channel === 'counter' ? undefined : 'Only the county hub books visits made on the residents’ page.';
  }
  const before = appointmentSchema.safeParse(stored);
  if (!before.success) return undefined;
  // A write from an older revision is CouchDB's to refuse (409): the kiosk then merges and sends again.
  return changesBooking(before.data, appointment, record._rev === stored._rev);
}

function changesBooking(before: Appointment, after: Appointment, onCurrentRevision: boolean): string | undefined {
  if (!sameBooking(before, after)) return `Appointment ${after.code} was booked with other details: a booking is never changed, only cancelled.`;
  const kept = new Set(after.events.map((event) => event.id));
  if (onCurrentRevision && before.events.some((event) => !kept.has(event.id))) return `Appointment ${after.code} would lose what was recorded on it.`;
  return undefined;
}
