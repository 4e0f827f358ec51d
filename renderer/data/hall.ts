/**
 * The hall's hours for visits and its appointments on the kiosk (issue 18 §3): a collection of its own,
 * synced with the village's hall database on the hub (`hall_<village>`), sealed at rest like cases. The
 * counter books for callers within the counter's share of each slot — counting only the counter's
 * bookings, so it can book offline and no later sync can overbook (core/appointment/schedule.ts) — and
 * records who came and who did not. Bookings made on the residents' page arrive by sync.
 */
import type { RxConflictHandler, RxJsonSchema } from 'rxdb';
import { map, type Observable } from 'rxjs';
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
export const isHallDocumentId = (id: string) => id === HALL_SCHEDULE_ID || id.startsWith(APPOINTMENT_ID_PREFIX);

const withoutStorage = (doc: Record<string, unknown>) => Object.fromEntries(Object.entries(doc).filter(([key]) => key !== 'id' && !key.startsWith('_')));

/**
 * Two copies of an appointment are one booking with the union of what was recorded on it; of two settings
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
    const [mySchedule, theirSchedule] = [hallScheduleSchema.safeParse(mine), hallScheduleSchema.safeParse(theirs)];
    if (mySchedule.success && theirSchedule.success) {
      return Promise.resolve(laterSchedule(mySchedule.data, theirSchedule.data) === mySchedule.data ? input.newDocumentState : input.realMasterState);
    }
    return Promise.resolve(input.realMasterState);
  },
};

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
}

export interface HallStoreOptions {
  readonly village: string;
  readonly sealPhone: (phone: string) => Promise<SealedValue>;
  readonly now?: () => Date;
  readonly random?: (bytes: number) => Uint8Array;
}

const randomBytes = (count: number) => crypto.getRandomValues(new Uint8Array(count));
const eventId = (random: (bytes: number) => Uint8Array) => `clerk-${[...random(8)].map((b) => b.toString(16).padStart(2, '0')).join('')}`;

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
