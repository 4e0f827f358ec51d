/**
 * What a kiosk may write to its village hall's database (issue 18 §3): the hall's schedule and its
 * appointments, document by document, as case-writes.ts does for cases. A booking never changes once
 * made; only events are added to it, and none taken away — so a resident's cancellation on the page and
 * the clerk's mark at the counter both stay, whichever reaches the hub first.
 */
import {
  APPEAL_ID_PREFIX,
  appealIdOf,
  appealSchema,
  firstLevelOf,
  OWN_CATEGORIES,
  personalNumberIn,
  refuseAppealEvent,
  type Appeal,
  type AppealEvent,
} from '../core/appeal/appeal.js';
import { workingCalendar, type WorkingCalendar } from '../core/calendar.js';
import { appointmentIdOf, appointmentSchema, sameBooking, type Appointment } from '../core/appointment/appointment.js';
import { canonicalJson } from '../core/canonical-json.js';
import { HALL_SCHEDULE_ID, hallScheduleSchema } from '../core/appointment/schedule.js';
import {
  PUBLICATION_ID_PREFIX,
  publicationDocIdOf,
  publicationSchema,
  preparedProblems,
  refusePublicationEvent,
  type Publication,
} from '../core/disclosure/publication.js';
import type { WriteRefusal } from './case-writes.js';
import { findPlaintextIdNumbers } from '../core/case/sealed.js';
import type { KioskDoc } from './kiosks.js';
import type { CountyData } from './provision.js';

const MAX_HALL_DOC_BYTES = 32 * 1024;
/** A publication carries its table: up to 1,000 lines. */
const MAX_PUBLICATION_BYTES = 512 * 1024;
/** How far ahead of the hub's clock a kiosk may date what it records (its clock a little fast). */
const CLOCK_AHEAD_MS = 24 * 60 * 60 * 1000;

const firstIssue = (issues: readonly { path: readonly PropertyKey[]; message: string }[]) => {
  const issue = issues[0];
  return issue ? `${issue.path.map(String).join('.') || 'document'}: ${issue.message}` : 'invalid';
};

/** Undefined when the write is allowed; otherwise why not. */
export function refuseHallWrite(
  doc: unknown,
  kiosk: KioskDoc,
  stored: Record<string, unknown> | undefined,
  now: Date,
  county: CountyData,
): WriteRefusal | undefined {
  const reason = refusal(doc, kiosk, stored, now, county);
  return reason === undefined ? undefined : { reason };
}

function refusal(doc: unknown, kiosk: KioskDoc, stored: Record<string, unknown> | undefined, now: Date, county: CountyData): string | undefined {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return 'A document must be a JSON object.';
  const record = doc as Record<string, unknown>;
  if (typeof record._id !== 'string' || record._id.startsWith('_')) return 'A hall document needs an _id of its own.';
  // Any truthy `_deleted` (1, "true"): the store would read it as a deletion.
  if (record._deleted !== undefined && record._deleted !== false)
    return 'Hall documents are never deleted from the county hub: a cancellation or a withdrawal is recorded.';
  const maxBytes = record._id.startsWith(PUBLICATION_ID_PREFIX) ? MAX_PUBLICATION_BYTES : MAX_HALL_DOC_BYTES;
  if (Buffer.byteLength(JSON.stringify(doc)) > maxBytes) return `A hall document may be at most ${maxBytes / 1024} KB.`;
  if (record.village !== kiosk.village) return `This document belongs to village ${String(record.village)}; this kiosk is enrolled for ${kiosk.village}.`;
  // Anywhere in it, any field: ID numbers are never stored in the clear (as for cases).
  const plaintext = findPlaintextIdNumbers(doc);
  if (plaintext.length > 0) return `A full ID number must not be stored in the clear (at ${plaintext.slice(0, 3).join(', ')}).`;
  if (record._id === HALL_SCHEDULE_ID) {
    const schedule = hallScheduleSchema.safeParse(doc);
    if (!schedule.success) return `The hall's schedule is not valid: ${firstIssue(schedule.error.issues)}.`;
    // A date far ahead would outrank every later setting (the later stands).
    return Date.parse(schedule.data.setAt) > now.getTime() + CLOCK_AHEAD_MS
      ? 'The schedule says it was set in the future: check the kiosk’s clock.'
      : undefined;
  }
  if (record._id.startsWith(APPEAL_ID_PREFIX)) return appealRefusal(record, stored, now, county);
  if (record._id.startsWith(PUBLICATION_ID_PREFIX)) return publicationRefusal(record, stored, now);
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
 * recorded is taken away or altered. What the town or county answers comes through the review API, not a
 * kiosk. Each new event of the village's must be one the village could record then: it held the appeal and it
 * was open (core's rule, applied in time order), dated after the raising and not in the future. A counter
 * appeal goes first where its category sends it (`firstLevelOf`), and is not raised in the future.
 */
function appealRefusal(record: Record<string, unknown>, stored: Record<string, unknown> | undefined, now: Date, county: CountyData): string | undefined {
  const parsed = appealSchema.safeParse(record);
  if (!parsed.success) return `An appeal is not valid: ${firstIssue(parsed.error.issues)}.`;
  const appeal = parsed.data;
  if (record._id !== appealIdOf(appeal.code)) return `An appeal's id is ${appealIdOf(appeal.code)}.`;
  const numbers = [appeal.text, ...appeal.events.map((event) => event.text)].map(personalNumberIn).find((found) => found !== undefined);
  if (numbers) return `An appeal's text must not hold a full ${numbers === 'idNumber' ? 'ID' : 'phone'} number.`;
  const before = stored ? appealSchema.safeParse(stored) : undefined;
  if (before && !before.success) return undefined;
  if (!before) {
    if (appeal.channel !== 'counter') return 'Only the county hub takes appeals raised on the residents’ page.';
    if (Date.parse(appeal.raisedAt) > now.getTime() + CLOCK_AHEAD_MS) return 'An appeal cannot be raised in the future: check the kiosk’s clock.';
    const known = (OWN_CATEGORIES as readonly string[]).includes(appeal.category) || county.catalog.sectors.some((sector) => sector.code === appeal.category);
    if (!known) return `Appeal ${appeal.code} is about ${appeal.category}, which is no category of this county.`;
    if (appeal.level !== firstLevelOf(appeal.category, county.catalog))
      return `Appeal ${appeal.code} goes first to the ${firstLevelOf(appeal.category, county.catalog)}.`;
  } else if (canonicalJson(raisingOf(before.data)) !== canonicalJson(raisingOf(appeal))) {
    return `Appeal ${appeal.code} was raised with other details: what was raised is never changed.`;
  }
  const known = before?.data.events ?? [];
  const altered = recordedChanged(known, appeal.events, record._rev === stored?._rev);
  if (altered) return `Appeal ${appeal.code} ${altered}.`;
  return newVillageEventsRefused(appeal, known, now, workingCalendar(county.calendar));
}

/**
 * A kiosk prepares a publication and may withdraw it; only the town approves or returns it, through the review
 * API — so nothing reaches a board without the town. What is published passes the guard here as at the kiosk
 * (a kiosk may be old or tampered with), and never changes once prepared.
 */
function publicationRefusal(record: Record<string, unknown>, stored: Record<string, unknown> | undefined, now: Date): string | undefined {
  const parsed = publicationSchema.safeParse(record);
  if (!parsed.success) return `A publication is not valid: ${firstIssue(parsed.error.issues)}.`;
  const publication = parsed.data;
  if (record._id !== publicationDocIdOf(publication.publicationId)) return `A publication's id is ${publicationDocIdOf(publication.publicationId)}.`;
  const problem = preparedProblems(publication)[0];
  if (problem) return `Publication ${publication.publicationId} may not be published as it is: ${JSON.stringify(problem)}.`;
  const before = stored ? publicationSchema.safeParse(stored) : undefined;
  // What the hub holds and cannot read (a newer schema's) is left as it is.
  if (before && !before.success) return `Publication ${publication.publicationId} is stored in a form this hub cannot check: it is left as it is.`;
  if (before && canonicalJson(fixedPartOf(before.data)) !== canonicalJson(fixedPartOf(publication)))
    return `Publication ${publication.publicationId} was prepared with other content: what is published is never changed.`;
  const known = before?.data.events ?? [];
  const altered = recordedChanged(known, publication.events, record._rev === stored?._rev);
  if (altered) return `Publication ${publication.publicationId} ${altered}.`;
  const seen = new Set(known.map((event) => event.id));
  let standing: Publication = { ...publication, events: [...known] };
  for (const event of publication.events.filter((candidate) => !seen.has(candidate.id)).sort((a, b) => a.at.localeCompare(b.at))) {
    if (event.by.level !== 'village') return 'Only the town approves or returns a publication, in the console.';
    if (event.at < publication.preparedAt || Date.parse(event.at) > now.getTime() + CLOCK_AHEAD_MS) return 'An event is dated between the preparing and now.';
    const refused = refusePublicationEvent(standing, event, now);
    if (refused) return refused;
    standing = { ...standing, events: [...standing.events, event] };
  }
  return standing.events.some((event) => event.type === 'submitted') ? undefined : 'A publication is sent to the town with its submission.';
}

const fixedPartOf = ({ events: _events, ...fixed }: Publication) => withoutStorageFields(fixed);
const withoutStorageFields = (doc: Record<string, unknown>) => Object.fromEntries(Object.entries(doc).filter(([key]) => !key.startsWith('_')));

const raisingOf = ({ events: _events, ...raising }: Appeal) => withoutStorageFields(raising);

/**
 * Whether what the hub holds comes back changed: every recorded event, by id, exactly as it was (a kiosk
 * learns the ids by sync, and once rewrote a town's answer as the county's under the same id), and — on the
 * current revision — none left out.
 */
function recordedChanged(known: readonly { id: string }[], incoming: readonly { id: string }[], onCurrentRevision: boolean): string | undefined {
  const sent = new Map(incoming.map((event) => [event.id, event]));
  for (const event of known) {
    const again = sent.get(event.id);
    if (!again) {
      if (onCurrentRevision) return 'would lose what was recorded on it';
      continue;
    }
    if (canonicalJson(again) !== canonicalJson(event)) return 'would change what was recorded on it';
  }
  return undefined;
}

/** The village's new events, each judged by core's rule on the appeal as it stood before it. */
function newVillageEventsRefused(appeal: Appeal, known: readonly AppealEvent[], now: Date, calendar: WorkingCalendar): string | undefined {
  const seen = new Set(known.map((event) => event.id));
  let standing: Appeal = { ...appeal, events: [...known] };
  for (const event of appeal.events.filter((candidate) => !seen.has(candidate.id)).sort((a, b) => a.at.localeCompare(b.at))) {
    if (event.by.level !== 'village') return 'A kiosk answers an appeal as the village only.';
    if (event.at < appeal.raisedAt || Date.parse(event.at) > now.getTime() + CLOCK_AHEAD_MS) return 'An answer is dated between the raising and now.';
    const refused = refuseAppealEvent(standing, event, calendar);
    if (refused) return refused;
    standing = { ...standing, events: [...standing.events, event] };
  }
  return undefined;
}

function changesBooking(before: Appointment, after: Appointment, onCurrentRevision: boolean): string | undefined {
  if (!sameBooking(before, after)) return `Appointment ${after.code} was booked with other details: a booking is never changed, only cancelled.`;
  const altered = recordedChanged(before.events, after.events, onCurrentRevision);
  return altered ? `Appointment ${after.code} ${altered}.` : undefined;
}
