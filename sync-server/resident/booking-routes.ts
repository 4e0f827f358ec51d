/**
 * Booking a visit on the residents' page (issue 18 §3, core/resident/booking.ts):
 * - `GET /api/resident/halls`: the county's towns and villages;
 * - `GET /api/resident/halls/<village>`: its service items and, for the days ahead, each slot's places left online;
 * - `POST /api/resident/appointments`: book with a name and a mobile number — never an ID number;
 * - `POST /api/resident/appointments/open` and `…/cancel`: a booking by its code and phone.
 *
 * Public, so hostile by assumption. The page books only its share of a slot (core/appointment/schedule.ts),
 * counted in the store by slot-ledger.ts, so neither two hub processes nor an offline kiosk can overbook it.
 * Bookings are limited per client address (a burst brake, then a day's count in the store) and one per
 * phone and slot. The phone is sealed with the village's key before it is stored; a code and phone that
 * do not match are one 404, counted per code and per address like the case lookup's wrong answers.
 */
import { randomBytes } from 'node:crypto';
import { appointmentIdOf, appointmentStatus, type Appointment } from '../../core/appointment/appointment.js';
import { HALL_SCHEDULE_ID, hallScheduleSchema, shareOf, slotsOn, type HallSchedule } from '../../core/appointment/schedule.js';
import { workingCalendar, type WorkingCalendar } from '../../core/calendar.js';
import { lookupCodeFrom } from '../../core/case/lookup-code.js';
import { indexDivisions } from '../../core/divisions/table.js';
import { addDays, compareDates, localDateOf, type LocalDate } from '../../core/local-date.js';
import { maskPhone } from '../../core/resident-id.js';
import {
  BOOKING_DAYS_AHEAD,
  bookingRequestSchema,
  MAX_BOOKED_NAME,
  parseBookedName,
  parseMobileNumber,
  type BookingView,
  type HallDirectory,
  type HallView,
} from '../../core/resident/booking.js';
import { maskPersonName } from '../../core/resident/lookup.js';
import type { CountyData } from '../provision.js';
import { readCountyData } from '../provision.js';
import { attemptLedger } from '../attempts.js';
import type { ClientOf } from '../http/client.js';
import { failure, reply, type HttpReply, type Route, type RouteContext } from '../http/kit.js';
import type { Throttle } from '../http/throttle.js';
import { attemptKeyHasher, keyRingUnavailable, sealForVillage, type HeldKeyRing } from '../keyring.js';
import { hallDb } from '../store/names.js';
import type { Store } from '../store/store.js';
import { cachedReads, limited, NO_STORE, noStore, refuseNonJson, unavailable } from './public-kit.js';
import { indexCode } from './code-index.js';
import { codeDoor } from './code-door.js';
import { slotLedger } from './slot-ledger.js';

/** How long a hub process answers the public page from the county's data it read (a new catalog shows within it). */
export const COUNTY_DATA_TTL_MS = 30_000;

/** Bookings from one client address, on any hub process: ten a day (a village's shared mobile address among them). */
export const BOOKING_ADDRESS_ATTEMPTS = { kind: 'booking-address', max: 10, windowMs: 24 * 60 * 60 * 1000 } as const;
/** The burst brake in each process, per client address, for every booking request. */
export const BOOKING_REQUESTS_PER_ADDRESS = { points: 20, seconds: 60 } as const;

export interface BookingRoutesOptions {
  readonly store: Store;
  readonly client: ClientOf;
  readonly keyRing: HeldKeyRing;
  readonly throttle: Throttle;
  readonly now: () => Date;
}

/** Tomorrow to BOOKING_DAYS_AHEAD days on, China time: today's places are the counter's. */
function bookableDates(now: Date): { from: LocalDate; to: LocalDate } {
  const today = localDateOf(now.toISOString());
  return { from: addDays(today, 1), to: addDays(today, BOOKING_DAYS_AHEAD) };
}

export function bookingRoutes(options: BookingRoutesOptions): Route[] {
  const { store, now } = options;
  const slots = slotLedger(store, now);
  /** The county's data, read at most every COUNTY_DATA_TTL_MS by this process: every public read needs it. */
  const countyData = cachedReads(COUNTY_DATA_TTL_MS, () => readCountyData(store));
  const byAddressBookings = attemptLedger(store, BOOKING_ADDRESS_ATTEMPTS);

  async function scheduleOf(village: string): Promise<HallSchedule | undefined | 'unavailable'> {
    const found = await store.getDoc<Record<string, unknown>>(hallDb(village), HALL_SCHEDULE_ID);
    if (!found.ok) return found.error.status === 404 ? undefined : 'unavailable';
    const parsed = hallScheduleSchema.safeParse(found.value);
    return parsed.success ? parsed.data : undefined;
  }

  function directory(county: CountyData): HallDirectory {
    return {
      county: county.divisions.county.name,
      towns: county.divisions.towns.map((town) => ({ name: town.name, villages: town.villages.map((v) => ({ code12: v.code12, name: v.name })) })),
    };
  }

  async function hallView(county: CountyData, village: string): Promise<HttpReply> {
    const place = indexDivisions(county.divisions).village(village);
    if (!place) return failure(404, 'hall.unknown', 'There is no such village in this county.', NO_STORE);
    const schedule = await scheduleOf(village);
    if (schedule === 'unavailable') return unavailable();
    const items = county.catalog.items.map((item) => ({ code: item.code, name: item.name, sector: item.sector }));
    const sectors = county.catalog.sectors.map((sector) => ({ code: sector.code, name: sector.name }));
    const base = { village: { code12: village, name: place.village.name, town: place.town.name }, items, sectors };
    if (!schedule) return reply(200, { ...base, booking: false, days: [] } satisfies HallView, NO_STORE);
    const calendar = workingCalendar(county.calendar);
    const { from, to } = bookableDates(now());
    const share = shareOf(schedule, 'online');
    const taken = await slots.taken(village, from, to, share);
    if (!taken.ok) return unavailable();
    const days: HallView['days'][number][] = [];
    for (let date = from; compareDates(date, to) <= 0; date = addDays(date, 1)) {
      const open = slotsOn(schedule, date, calendar);
      if (open.length === 0) continue;
      days.push({ date, slots: open.map((slot) => ({ ...slot, free: Math.max(0, share - (taken.value.get(`${date}:${slot.start}`) ?? 0)) })) });
    }
    return reply(200, { ...base, booking: share > 0, days } satisfies HallView, NO_STORE);
  }

  function viewOf(county: CountyData, appointment: Appointment): BookingView {
    const place = indexDivisions(county.divisions).village(appointment.village);
    const item = county.catalog.items.find((candidate) => candidate.code === appointment.itemCode);
    return {
      code: appointment.code,
      village: place?.village.name ?? appointment.village,
      town: place?.town.name ?? '',
      item: item?.name ?? { zh: appointment.itemCode, en: appointment.itemCode },
      date: appointment.date,
      start: appointment.start,
      end: appointment.end,
      status: appointmentStatus(appointment),
      nameMasked: maskPersonName(appointment.name),
    };
  }

  /** Whether `date` and `start` name a slot the page may book in this hall. */
  function bookableSlot(schedule: HallSchedule, calendar: WorkingCalendar, date: LocalDate, start: string) {
    const { from, to } = bookableDates(now());
    if (compareDates(date, from) < 0 || compareDates(date, to) > 0) return undefined;
    return slotsOn(schedule, date, calendar).find((slot) => slot.start === start);
  }

  async function book(context: RouteContext): Promise<HttpReply> {
    const nonJson = refuseNonJson(context, 'booking');
    if (nonJson) return nonJson;
    const body = await context.json(2 * 1024);
    if (!body.ok) return body.error;
    const request = bookingRequestSchema.safeParse(body.value);
    if (!request.success) return failure(400, 'bad_request', 'Expected {"village", "itemCode", "date", "start", "name", "phone"}.', NO_STORE);
    const { village, itemCode, date, start } = request.data;
    // A name only: an ID number or a phone typed into it would be stored in the clear.
    const name = parseBookedName(request.data.name);
    if (!name) return failure(400, 'booking.name', `Type the name only, without numbers, at most ${String(MAX_BOOKED_NAME)} characters.`, NO_STORE);
    const phone = parseMobileNumber(request.data.phone);
    if (!phone) return failure(400, 'booking.phone', 'Type an 11-digit mobile number.', NO_STORE);

    const county = await countyData();
    if (!county.ok) return unavailable();
    if (!indexDivisions(county.value.divisions).village(village)) return failure(404, 'hall.unknown', 'There is no such village in this county.', NO_STORE);
    if (!county.value.catalog.items.some((item) => item.code === itemCode))
      return failure(400, 'booking.item', 'That service item is not in the county’s catalog.', NO_STORE);
    const schedule = await scheduleOf(village);
    if (schedule === 'unavailable') return unavailable();
    if (!schedule || shareOf(schedule, 'online') === 0)
      return failure(409, 'booking.closed', 'This hall takes no bookings on the page: call or visit the hall.', NO_STORE);
    const slot = bookableSlot(schedule, workingCalendar(county.value.calendar), date, start);
    if (!slot) return failure(400, 'booking.slot', 'The hall takes no visits at that time: choose one of the times offered.', NO_STORE);

    const ring = await options.keyRing();
    if (!ring.ok) return noStore(keyRingUnavailable());
    const hash = attemptKeyHasher(ring.value);
    const addressKey = hash(BOOKING_ADDRESS_ATTEMPTS.kind, options.client.address(context.req));
    const braked = await options.throttle.take(addressKey);
    if (!braked.allowed) return limited('booking.tooMany', braked.retryAfterSeconds, 'Too many bookings from here: try again later, or call the hall.');
    const counted = await byAddressBookings.begin(addressKey, now());
    if (!counted.ok) return unavailable();
    if (!counted.value.allowed)
      return limited('booking.tooMany', counted.value.retryAfterMs / 1000, 'Too many bookings from here: try again later, or call the hall.');

    const code = lookupCodeFrom(randomBytes(5));
    const slotKey = { village, date, start };
    const reserved = await slots.reserve(slotKey, { code, phoneKey: hash('booking-phone', `${village}:${phone}`) }, shareOf(schedule, 'online'));
    if (!reserved.ok || reserved.value !== 'reserved') {
      // A time found full books nothing: it does not count against the address's day (residents behind one
      // village address who find a time full must not be shut out for the day). A phone already booked
      // there does count: tries with other people's numbers are not free.
      if (!reserved.ok || reserved.value === 'full') await byAddressBookings.withdraw(counted.value.attempt);
      if (!reserved.ok) return unavailable();
      return reserved.value === 'full'
        ? failure(409, 'booking.full', 'That time is fully booked: choose another.', NO_STORE)
        : failure(409, 'booking.already', 'This phone already has a visit booked at that time.', NO_STORE);
    }

    const appointment: Appointment = {
      kind: 'cunban.appointment',
      schemaVersion: 1,
      village,
      code,
      date,
      start: slot.start,
      end: slot.end,
      channel: 'online',
      itemCode,
      name,
      phone: sealForVillage(ring.value, village, 'phone', phone),
      phoneMasked: maskPhone(phone),
      bookedAt: now().toISOString(),
      events: [],
    };
    const indexed = await indexCode(store, 'appointment', code, village);
    const written = indexed.ok ? await store.putDoc(hallDb(village), { _id: appointmentIdOf(code), ...appointment }) : indexed;
    if (!written.ok) {
      await slots.release(slotKey, code);
      await byAddressBookings.withdraw(counted.value.attempt);
      return unavailable();
    }
    return reply(201, viewOf(county.value, appointment), NO_STORE);
  }

  const openAppointment = codeDoor<Appointment>(options, 'appointment', appointmentIdOf);

  /** The appointment a code and phone open (code-door.ts), with the county's data to name its hall and item. */
  async function opened(
    context: RouteContext,
  ): Promise<{ ok: true; county: CountyData; stored: Appointment & { _id: string; _rev: string } } | { ok: false; reply: HttpReply }> {
    const found = await openAppointment(context);
    if (!found.ok) return found;
    const county = await countyData();
    return county.ok ? { ok: true, county: county.value, stored: found.doc } : { ok: false, reply: unavailable() };
  }

  /** Record the resident's cancellation (again after a concurrent write), and give the place back. */
  async function cancel(found: Appointment & { _id: string; _rev: string }): Promise<Appointment | undefined> {
    let current = found;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      if (appointmentStatus(current) === 'cancelled') break;
      const event = {
        id: `resident-cancel-${randomBytes(6).toString('hex')}`,
        type: 'cancelled' as const,
        at: now().toISOString(),
        by: { role: 'resident' as const },
      };
      const written = await store.putDoc(hallDb(current.village), { ...current, events: [...current.events, event] });
      if (written.ok) {
        current = { ...current, _rev: written.value.rev, events: [...current.events, event] };
        break;
      }
      if (written.error.status !== 409) return undefined;
      const again = await store.getDoc<Appointment>(hallDb(current.village), current._id);
      if (!again.ok) return undefined;
      current = again.value;
    }
    if (appointmentStatus(current) !== 'cancelled') return undefined;
    await slots.release({ village: current.village, date: current.date, start: current.start }, current.code);
    return current;
  }

  /** A read of the halls, behind the same burst brake per address as bookings (each reads the county's data). */
  async function braked(context: RouteContext, answer: (county: CountyData) => HttpReply | Promise<HttpReply>): Promise<HttpReply> {
    const allowed = await options.throttle.take(`read:${options.client.address(context.req)}`);
    if (!allowed.allowed) return limited('booking.tooMany', allowed.retryAfterSeconds, 'Too many requests from here: try again shortly.');
    const county = await countyData();
    return county.ok ? answer(county.value) : unavailable();
  }

  return [
    { method: 'GET', pattern: /^\/api\/resident\/halls$/, handle: (context) => braked(context, (county) => reply(200, directory(county), NO_STORE)) },
    {
      method: 'GET',
      pattern: /^\/api\/resident\/halls\/(?<village>\d{12})$/,
      handle: (context) => braked(context, (county) => hallView(county, context.params.village ?? '')),
    },
    { method: 'POST', pattern: /^\/api\/resident\/appointments$/, handle: book },
    {
      method: 'POST',
      pattern: /^\/api\/resident\/appointments\/open$/,
      async handle(context) {
        const found = await opened(context);
        return found.ok ? reply(200, viewOf(found.county, found.stored), NO_STORE) : found.reply;
      },
    },
    {
      method: 'POST',
      pattern: /^\/api\/resident\/appointments\/cancel$/,
      async handle(context) {
        const found = await opened(context);
        if (!found.ok) return found.reply;
        const status = appointmentStatus(found.stored);
        const over = status === 'attended' || status === 'missed' || compareDates(found.stored.date, localDateOf(now().toISOString())) < 0;
        if (over && status !== 'cancelled') return failure(409, 'appointment.past', 'This visit is over: it cannot be cancelled.', NO_STORE);
        const cancelled = await cancel(found.stored);
        return cancelled ? reply(200, viewOf(found.county, cancelled), NO_STORE) : unavailable();
      },
    },
  ];
}
