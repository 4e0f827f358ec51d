/**
 * The hall's hours for visits, its appointments (issue 18 §3) and its appeals (§4) on the kiosk: a collection of its own,
 * synced with the village's hall database on the hub (`hall_<village>`), sealed at rest like cases. The
 * counter books for callers within the counter's share of each slot — counting only the counter's
 * bookings, so it can book offline and no later sync can overbook (core/appointment/schedule.ts) — and
 * records who came and who did not. Bookings made on the residents' page arrive by sync. Appeals raised at the
 * counter go up the same way, and the answers of the town and county come down with them.
 */
import type { RxConflictHandler, RxJsonSchema } from 'rxdb';
import { map, type Observable } from 'rxjs';
import {
  APPEAL_ID_PREFIX,
  appealIdOf,
  firstLevelOf,
  mergeAppeals,
  parseAppeal,
  checkAppealText,
  refuseAppealEvent,
  type Appeal,
  type AppealCategory,
  type AppealEvent,
} from '../../core/appeal/appeal.js';
import type { Catalog } from '../../core/catalog/schema.js';
import { mergePublications, parsePublication, PUBLICATION_ID_PREFIX } from '../../core/disclosure/publication.js';
import {
  APPOINTMENT_ID_PREFIX,
  appointmentIdOf,
  mergeAppointments,
  parseAppointment,
  sameBooking,
  type Appointment,
  type AppointmentEvent,
} from '../../core/appointment/appointment.js';
import { placesLeft } from '../../core/appointment/places.js';
import { HALL_SCHEDULE_ID, hallScheduleSchema, laterSchedule, shareOf, type HallSchedule } from '../../core/appointment/schedule.js';
import type { WorkingCalendar } from '../../core/calendar.js';
import { canonicalJson } from '../../core/canonical-json.js';
import { lookupCodeFrom } from '../../core/case/lookup-code.js';
import type { SealedValue } from '../../core/case/sealed.js';
import type { LocalDate } from '../../core/local-date.js';
import { maskPhone } from '../../core/resident-id.js';
import { parseBookedName, parseMobileNumber } from '../../core/resident/booking.js';
import { err, ok, type Result } from '../../core/result.js';
import type { KioskDatabase } from './kiosk-database.js';

/** A hall document as the kiosk keeps it: the hub's document with RxDB's primary key `id` (= `_id`). */
export type StoredHallDocument = Record<string, unknown> & { readonly id: string; readonly kind: string; readonly village: string };

export const hallDocumentSchema: RxJsonSchema<StoredHallDocument> = {
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: { type: 'string', maxLength: 64 },
    kind: { type: 'string' },
    schemaVersion: { type: 'integer' },
    village: { type: 'string', maxLength: 12 },
    name: { type: 'string' },
  },
  required: ['id', 'kind', 'village'],
  // A resident's name as booked; the phone is sealed already.
  encrypted: ['name'],
};

/** The village's hall database on the hub, beside its village database: `…/sync/village_<code>/` → `…/sync/hall_<code>/`. */
export const hallSyncUrlOf = (villageSyncUrl: string) => villageSyncUrl.replace(/\/village_(\d{12})\/$/, '/hall_$1/');

/** Whether a document id is one of the hall's (its schedule or an appointment), not a case number. */
export const isHallDocumentId = (id: string) =>
  id === HALL_SCHEDULE_ID || id.startsWith(APPOINTMENT_ID_PREFIX) || id.startsWith(APPEAL_ID_PREFIX) || id.startsWith(PUBLICATION_ID_PREFIX);

const withoutStorage = (doc: Record<string, unknown>) => Object.fromEntries(Object.entries(doc).filter(([key]) => key !== 'id' && !key.startsWith('_')));

/**
 * Two copies of an appointment, an appeal or a publication are one, with the union of what was recorded on it; of two settings
 * of the schedule, the later stands. Anything else this version cannot read: the hub's copy stands.
 */
export const hallConflictHandler: RxConflictHandler<StoredHallDocument> = {
  // By content, whatever the order of fields: the hub's copy and the kiosk's need not list them alike.
  isEqual: (a, b) => a._deleted === b._deleted && canonicalJson(withoutStorage(a)) === canonicalJson(withoutStorage(b)),
  resolve(input) {
    const mine = withoutStorage(input.newDocumentState);
    const theirs = withoutStorage(input.realMasterState);
    const [myBooking, theirBooking] = [parseAppointment(mine), parseAppointment(theirs)];
    if (myBooking && theirBooking && sameBooking(myBooking, theirBooking)) {
      return Promise.resolve({ ...input.realMasterState, ...mergeAppointments(theirBooking, myBooking), _deleted: false });
    }
    const [myAppeal, theirAppeal] = [parseAppeal(mine), parseAppeal(theirs)];
    if (myAppeal && theirAppeal && myAppeal.code === theirAppeal.code) {
      return Promise.resolve({ ...input.realMasterState, ...mergeAppeals(theirAppeal, myAppeal), _deleted: false });
    }
    const [myPublication, theirPublication] = [parsePublication(mine), parsePublication(theirs)];
    if (myPublication && theirPublication && myPublication.publicationId === theirPublication.publicationId) {
      return Promise.resolve({ ...input.realMasterState, ...mergePublications(theirPublication, myPublication), _deleted: false });
    }
    const [mySchedule, theirSchedule] = [hallScheduleSchema.safeParse(mine), hallScheduleSchema.safeParse(theirs)];
    if (mySchedule.success && theirSchedule.success) {
      return Promise.resolve(laterSchedule(mySchedule.data, theirSchedule.data) === mySchedule.data ? input.newDocumentState : input.realMasterState);
    }
    return Promise.resolve(input.realMasterState);
  },
};

export type AppealError =
  | { readonly code: 'kioskAppeal.text' }
  | { readonly code: 'kioskAppeal.text.idNumber' }
  | { readonly code: 'kioskAppeal.text.phone' }
  | { readonly code: 'hall.badPhone' }
  | { readonly code: 'kioskAppeal.notFound' }
  | { readonly code: 'kioskAppeal.refused'; readonly reason: string };

export interface CounterAppeal {
  readonly category: AppealCategory;
  readonly text: string;
  /** Empty: anonymous. */
  readonly phone?: string;
}

export type HallError =
  | { readonly code: 'hall.noSchedule' }
  | { readonly code: 'hall.notASlot' }
  | { readonly code: 'hall.counterShareFull'; readonly share: number }
  | { readonly code: 'hall.badPhone' }
  | { readonly code: 'hall.badName' }
  | { readonly code: 'hall.badSchedule'; readonly message: string }
  | { readonly code: 'appointment.notFound' };

export interface CounterBooking {
  readonly date: LocalDate;
  readonly start: string;
  readonly itemCode: string;
  readonly name: string;
  readonly phone?: string;
}

export interface HallStore {
  schedule$(): Observable<HallSchedule | undefined>;
  setSchedule(input: Omit<HallSchedule, 'kind' | 'schemaVersion' | 'village' | 'setAt'>): Promise<Result<HallSchedule, HallError>>;
  /** The appointments of one day, by slot then booking time. */
  appointmentsOn$(date: LocalDate): Observable<Appointment[]>;
  bookAtCounter(booking: CounterBooking, calendar: WorkingCalendar): Promise<Result<Appointment, HallError>>;
  /** Record what became of a booking: the resident came (and the case begun, if any), did not come, or cancelled. */
  record(code: string, type: AppointmentEvent['type'], clerkName: string, caseNumber?: string): Promise<Result<Appointment, HallError>>;
  /** The village's appeals, newest first: raised here or on the residents' page, with every answer synced. */
  appeals$(): Observable<Appeal[]>;
  /** An appeal raised at the counter for a resident, offline too: routed by its category (core/appeal/appeal.ts). */
  raiseAppeal(appeal: CounterAppeal, catalog: Pick<Catalog, 'items'>): Promise<Result<Appeal, AppealError>>;
  /** The village answers an appeal it holds: reply, pass on to the town, or close. */
  answerAppeal(
    code: string,
    answer: Pick<AppealEvent, 'type' | 'text' | 'to'>,
    clerkName: string,
    calendar: WorkingCalendar,
  ): Promise<Result<Appeal, AppealError>>;
}

export interface HallStoreOptions {
  readonly village: string;
  readonly sealPhone: (phone: string) => Promise<SealedValue>;
  readonly now?: () => Date;
  readonly random?: (bytes: number) => Uint8Array;
}

const randomBytes = (count: number) => crypto.getRandomValues(new Uint8Array(count));
const eventId = (random: (bytes: number) => Uint8Array) => `clerk-${[...random(8)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

/** An appeal's or an answer's text as stored, or the counter's error for it. */
function textOf(typed: string): Result<string, AppealError> {
  const checked = checkAppealText(typed);
  if (checked.ok) return ok(checked.text);
  return err({ code: checked.problem === 'idNumber' || checked.problem === 'phone' ? `kioskAppeal.text.${checked.problem}` : 'kioskAppeal.text' });
}

export function hallStore(db: KioskDatabase, options: HallStoreOptions): HallStore {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? randomBytes;
  const hall = db.hall;

  const scheduleOf = (doc: Record<string, unknown> | undefined) => {
    const parsed = hallScheduleSchema.safeParse(doc ? withoutStorage(doc) : undefined);
    return parsed.success ? parsed.data : undefined;
  };
  const readSchedule = async () => scheduleOf((await hall.findOne(HALL_SCHEDULE_ID).exec())?.toMutableJSON());
  const appointmentsOn = async (date: LocalDate) =>
    (await hall.find({ selector: { kind: 'cunban.appointment' } }).exec()).flatMap((doc) => {
      const appointment = parseAppointment(withoutStorage(doc.toMutableJSON()));
      return appointment && appointment.date === date ? [appointment] : [];
    });

  return {
    schedule$: () => hall.findOne(HALL_SCHEDULE_ID).$.pipe(map((doc) => scheduleOf(doc?.toMutableJSON()))),
    async setSchedule(input) {
      const parsed = hallScheduleSchema.safeParse({
        ...input,
        kind: 'cunban.hallSchedule',
        schemaVersion: 1,
        village: options.village,
        setAt: now().toISOString(),
      });
      if (!parsed.success) return err({ code: 'hall.badSchedule', message: parsed.error.issues[0]?.message ?? '' });
      await hall.upsert({ id: HALL_SCHEDULE_ID, ...parsed.data });
      return ok(parsed.data);
    },
    appointmentsOn$: (date) =>
      hall.find({ selector: { kind: 'cunban.appointment' } }).$.pipe(
        map((docs) =>
          docs
            .flatMap((doc) => {
              const appointment = parseAppointment(withoutStorage(doc.toMutableJSON()));
              return appointment && appointment.date === date ? [appointment] : [];
            })
            .sort((a, b) => (a.start === b.start ? a.bookedAt.localeCompare(b.bookedAt) : a.start.localeCompare(b.start))),
        ),
      ),
    async bookAtCounter(booking, calendar) {
      const schedule = await readSchedule();
      if (!schedule) return err({ code: 'hall.noSchedule' });
      const slot = placesLeft(schedule, booking.date, calendar, await appointmentsOn(booking.date), 'counter').find(
        (candidate) => candidate.start === booking.start,
      );
      if (!slot) return err({ code: 'hall.notASlot' });
      const name = parseBookedName(booking.name);
      if (!name) return err({ code: 'hall.badName' });
      const phone = booking.phone?.trim() ? parseMobileNumber(booking.phone) : undefined;
      if (booking.phone?.trim() && !phone) return err({ code: 'hall.badPhone' });
      if (slot.free === 0) return err({ code: 'hall.counterShareFull', share: shareOf(schedule, 'counter') });
      const appointment: Appointment = {
        kind: 'cunban.appointment',
        schemaVersion: 1,
        village: options.village,
        code: lookupCodeFrom(random(5)),
        date: booking.date,
        start: slot.start,
        end: slot.end,
        channel: 'counter',
        itemCode: booking.itemCode,
        name,
        ...(phone ? { phone: await options.sealPhone(phone), phoneMasked: maskPhone(phone) } : {}),
        bookedAt: now().toISOString(),
        events: [],
      };
      await hall.insert({ id: appointmentIdOf(appointment.code), ...appointment });
      return ok(appointment);
    },
    appeals$: () =>
      hall
        .find({ selector: { kind: 'cunban.appeal' } })
        .$.pipe(
          map((docs) => docs.flatMap((doc) => parseAppeal(withoutStorage(doc.toMutableJSON())) ?? []).sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))),
        ),
    async raiseAppeal(input, catalog) {
      const checked = textOf(input.text);
      if (!checked.ok) return checked;
      const text = checked.value;
      const phone = input.phone?.trim() ? parseMobileNumber(input.phone) : undefined;
      if (input.phone?.trim() && !phone) return err({ code: 'hall.badPhone' });
      const appeal: Appeal = {
        kind: 'cunban.appeal',
        schemaVersion: 1,
        village: options.village,
        code: lookupCodeFrom(random(5)),
        category: input.category,
        text,
        ...(phone ? { phone: await options.sealPhone(phone), phoneMasked: maskPhone(phone) } : {}),
        channel: 'counter',
        raisedAt: now().toISOString(),
        level: firstLevelOf(input.category, catalog),
        events: [],
      };
      await hall.insert({ id: appealIdOf(appeal.code), ...appeal });
      return ok(appeal);
    },
    async answerAppeal(code, answer, clerkName, calendar) {
      const checked = textOf(answer.text);
      if (!checked.ok) return checked;
      const text = checked.value;
      const doc = await hall.findOne(appealIdOf(code)).exec();
      if (!doc) return err({ code: 'kioskAppeal.notFound' });
      let outcome: Result<Appeal, AppealError> = err({ code: 'kioskAppeal.notFound' });
      await doc.incrementalModify((current) => {
        const appeal = parseAppeal(withoutStorage(current));
        if (!appeal) return current;
        const event: AppealEvent = {
          id: eventId(random),
          type: answer.type,
          at: now().toISOString(),
          by: { level: 'village', name: clerkName },
          text,
          ...(answer.to ? { to: answer.to } : {}),
        };
        const refused = refuseAppealEvent(appeal, event, calendar);
        if (refused) {
          outcome = err({ code: 'kioskAppeal.refused', reason: refused });
          return current;
        }
        outcome = ok({ ...appeal, events: [...appeal.events, event] });
        return { ...current, events: [...appeal.events, event] };
      });
      return outcome;
    },
    async record(code, type, clerkName, caseNumber) {
      const doc = await hall.findOne(appointmentIdOf(code)).exec();
      if (!doc) return err({ code: 'appointment.notFound' });
      let result: Appointment | undefined;
      await doc.incrementalModify((current) => {
        const appointment = parseAppointment(withoutStorage(current));
        if (!appointment) return current;
        const event: AppointmentEvent = {
          id: eventId(random),
          type,
          at: now().toISOString(),
          by: { role: 'clerk', name: clerkName },
          ...(caseNumber ? { caseNumber } : {}),
        };
        result = { ...appointment, events: [...appointment.events, event] };
        return { ...current, events: result.events };
      });
      return result ? ok(result) : err({ code: 'appointment.notFound' });
    },
  };
}
