/**
 * What a kiosk may write to its village hall's database (issue 18 §3): the hall's schedule and its
 * appointments, document by document, as case-writes.ts does for cases. A booking never changes once
 * made; only events are added to it, and none taken away — so a resident's cancellation on the page and
 * the clerk's mark at the counter both stay, whichever reaches the hub first.
 */
import { APPEAL_ID_PREFIX, appealIdOf, appealSchema, personalNumberIn, type Appeal, type AppealEvent } from '../core/appeal/appeal.js';
import { appointmentIdOf, appointmentSchema, sameBooking, type Appointment } from '../core/appointment/appointment.js';
import { canonicalJson } from '../core/canonical-json.js';
import { HALL_SCHEDULE_ID, hallScheduleSchema } from '../core/appointment/schedule.js';
import type { WriteRefusal } from './case-writes.js';
import { findPlaintextIdNumbers } from '../core/case/sealed.js';
import type { KioskDoc } from './kiosks.js';

const MAX_HALL_DOC_BYTES = 32 * 1024;

const firstIssue = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => {
  const issue = issues[0];
  return issue ? `${issue.path.map(String).join('.') || 'document'}: ${issue.message}` : 'invalid';
};

/** Undefined when the write is allowed; otherwise why not. */
export function refuseHallWrite(doc: unknown, kiosk: KioskDoc, stored: Record<string, unknown> | undefined, now: Date): WriteRefusal | undefined {
  const reason = refusal(doc, kiosk, stored, now);
  return reason === undefined ? undefined : { reason };
}

/** How far ahead of the hub's clock a schedule may say it was set (a kiosk's clock a little fast). */
const SET_AHEAD_MS = 24 * 60 * 60 * 1000;

function refusal(doc: unknown, kiosk: KioskDoc, stored: Record<string, unknown> | undefined, now: Date): string | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'A document must be a JSON object.';
  const record = doc as Record<string, unknown>;
  if (typeof record._id !== 'string' || record._id.startsWith('_')) return 'A hall document needs an _id of its own.';
  if (record._deleted === true) return 'Appointments are never deleted from the county hub: a cancellation is recorded.';
  if (Buffer.byteLength(JSON.stringify(doc)) > MAX_HALL_DOC_BYTES) return `A hall document may be at most ${MAX_HALL_DOC_BYTES / 1024} KB.`;
  if (record.village !== kiosk.village) return `This document belongs to village ${String(record.village)}; this kiosk is enrolled for ${kiosk.village}.`;
  // Anywhere in it, any field: ID numbers are never stored in the clear (as for cases).
  const plaintext = findPlaintextIdNumbers(doc);
  if (plaintext.length > 0) return `A full ID number must not be stored in the clear (at ${plaintext.slice(0, 3).join(', ')}).`;
  if (record._id === HALL_SCHEDULE_ID) {
    const schedule = hallScheduleSchema.safeParse(doc);
    if (!schedule.success) return `The hall's schedule is not valid: ${firstIssue(schedule.error.issues)}.`;
    // A date far ahead would outrank every later setting (the later stands).
    return Date.parse(schedule.data.setAt) > now.getTime() + SET_AHEAD_MS ? 'The schedule says it was set in the future: check the kiosk’s clock.' : undefined;
  }
  if (record._id.startsWith(APPEAL_ID_PREFIX)) return appealRefusal(record, stored);
  const parsed = appointmentSchema.safeParse(doc);
  if (!parsed.success) return `An appointment is not valid: ${firstIssue(parsed.error.issues)}.`;
  const appointment = parsed.data;
  if (record._id !== appointmentIdOf(appointment.code)) return `An appointment's id is ${appointmentIdOf(appointment.code)}.`;
  // What the resident did on the page, only the hub records.
  const known = new Set(appointmentSchema.safeParse(stored).data?.events.map((event) => event.id) ?? []);
  if (appointment.events.some((event) => !known.has(event.id) && event.by.role === 'resident'))
    return 'Only the county hub records what a resident did on the page.';
  if (!stored) {
    // Only the hub books online: it counts the page's share of each slot.
    return appointment.channel === 'counter' ? undefined : 'Only the county hub books visits made on the residents’ page.';
  }
  const before = appointmentSchema.safeParse(stored);
  if (!before.success) return undefined;
  // A write from an older revision is CouchDB's to refuse (409): the kiosk then merges and sends again.
  return changesBooking(before.data, appointment, record._rev === stored._rev);
}

/**
 * A kiosk raises appeals at the counter and answers as the village; the raising never changes, and nothing
 * recorded is taken away. What the town or county answers comes through the review API, not a kiosk.
 */
function appealRefusal(record: Record<string, unknown>, stored: Record<string, unknown> | undefined): string | undefined {
  const parsed = appealSchema.safeParse(record);
  if (!parsed.success) return `An appeal is not valid: ${firstIssue(parsed.error.issues)}.`;
  const appeal = parsed.data;
  if (record._id !== appealIdOf(appeal.code)) return `An appeal's id is ${appealIdOf(appeal.code)}.`;
  const numbers = [appeal.text, ...appeal.events.map((event) => event.text)].map(personalNumberIn).find((found) => found !== undefined);
  if (numbers) return `An appeal's text must not hold a full ${numbers === 'idNumber' ? 'ID' : 'phone'} number.`;
  const before = stored ? appealSchema.safeParse(stored) : undefined;
  if (!before) return appeal.channel === 'counter' ? villageEventsOnly(appeal.events, []) : 'Only the county hub takes appeals raised on the residents’ page.';
  if (!before.success) return undefined;
  if (canonicalJson(raisingOf(before.data)) !== canonicalJson(raisingOf(appeal)))
    return `Appeal ${appeal.code} was raised with other details: what was raised is never changed.`;
  const kept = new Set(appeal.events.map((event) => event.id));
  if (record._rev === stored?._rev && before.data.events.some((event) => !kept.has(event.id)))
    return `Appeal ${appeal.code} would lose what was recorded on it.`;
  return villageEventsOnly(appeal.events, before.data.events);
}

const raisingOf = ({ events: _events, ...raising }: Appeal) => Object.fromEntries(Object.entries(raising).filter(([key]) => !key.startsWith('_')));

function villageEventsOnly(events: readonly AppealEvent[], known: readonly AppealEvent[]): string | undefined {
  const seen = new Set(known.map((event) => event.id));
  return events.some((event) => !seen.has(event.id) && event.by.level !== 'village') ? 'A kiosk answers an appeal as the village only.' : undefined;
}

function changesBooking(before: Appointment, after: Appointment, onCurrentRevision: boolean): string | undefined {
  if (!sameBooking(before, after)) return `Appointment ${after.code} was booked with other details: a booking is never changed, only cancelled.`;
  const kept = new Set(after.events.map((event) => event.id));
  if (onCurrentRevision && before.events.some((event) => !kept.has(event.id))) return `Appointment ${after.code} would lose what was recorded on it.`;
  return undefined;
}
