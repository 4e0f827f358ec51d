/**
 * The hall's hours and appointments on a real kiosk database against a real hub (issue 18 §3): the clerk
 * sets the hours offline and they reach the page; bookings made on the page while the kiosk is offline and
 * bookings the counter makes meanwhile for the same slot all stand after sync (each channel books only its
 * share); what the clerk records and what the resident cancels both survive.
 */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../../core/api/enrollment.js';
import { appointmentIdOf, appointmentStatus, type Appointment } from '../../../core/appointment/appointment.js';
import { placesLeft } from '../../../core/appointment/places.js';
import type { LocalDate } from '../../../core/local-date.js';
import type { BookingView, HallView } from '../../../core/resident/booking.js';
import { demoCalendar } from '../../../core/seed/demo-county.js';
import { openKioskData, type KioskData } from '../../../renderer/data/kiosk-data.js';
import { issueEnrollmentCode } from '../../../sync-server/kiosks.js';
import { hallDb } from '../../../sync-server/store/names.js';
import { startTestHub, TEST_APP_VERSION, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { eventually } from '../../support/eventually.js';
import { rawIndexedDb } from '../../support/raw-indexeddb.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

let t: TestHub;
let data: KioskData;
const line = { up: true };
const calendar = demoCalendar();

beforeAll(async () => {
  t = await startTestHub({ config: { trustProxy: ['loopback'] } });
  const issued = await issueEnrollmentCode(t.hub.store, VILLAGE_A, new Date());
  if (!issued.ok) throw new Error(issued.error.reason);
  const enrollment = enrollResponseSchema.parse((await t.call('POST', '/api/enroll', { body: { code: issued.value.code } })).body);
  data = await openKioskData({
    enrollment,
    storageKey: TEST_STORAGE_KEY,
    appVersion: TEST_APP_VERSION,
    indexedDB,
    IDBKeyRange,
    fetch: (input, init) => (line.up ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: the line is down'))),
  });
}, 60_000);

afterAll(async () => {
  await data.close();
  await t.close();
});

const hallView = async () => (await t.call('GET', `/api/resident/halls/${VILLAGE_A}`)).body as HallView;
const bookOnline = (date: string, start: string, phone: string) =>
  t.call('POST', '/api/resident/appointments', {
    body: { village: VILLAGE_A, itemCode: 'MZ-01', date, start, name: '张三国', phone },
    headers: { 'x-forwarded-for': `203.0.113.${phone.slice(-2)}` },
  });
const hubCopy = async (code: string) => {
  const found = await t.hub.store.getDoc<Appointment>(hallDb(VILLAGE_A), appointmentIdOf(code));
  return found.ok ? found.value : undefined;
};

describe('a hall’s appointments on the kiosk', () => {
  let day: LocalDate;

  it('takes the hours the clerk sets, offline, to the residents’ page once the line is up', async () => {
    line.up = false;
    const set = await data.hall.setSchedule({ periods: [{ from: '09:00', to: '11:00' }], slotMinutes: 60, visitsPerSlot: 3, counterVisits: 1 });
    expect(set.ok).toBe(true);
    expect((await hallView()).booking).toBe(false);
    line.up = true;
    await data.sync.syncNow();
    const hall = await eventually(async () => {
      const view = await hallView();
      return view.booking ? view : undefined;
    }, 'the hours on the page');
    expect(hall.days[0]?.slots).toEqual([
      { start: '09:00', end: '10:00', free: 2 },
      { start: '10:00', end: '11:00', free: 2 },
    ]);
    day = hall.days[0]?.date as LocalDate;
  });

  it('books the counter’s share offline while the page books its own, and every booking stands after sync', async () => {
    line.up = false;
    const online = await Promise.all([bookOnline(day, '09:00', '13900001101'), bookOnline(day, '09:00', '13900001102')]);
    expect(online.map((answer) => answer.status)).toEqual([201, 201]);

    const atCounter = await data.hall.bookAtCounter({ date: day, start: '09:00', itemCode: 'MZ-01', name: '赵六', phone: '13900001103' }, calendar);
    expect(atCounter.ok).toBe(true);
    const second = await data.hall.bookAtCounter({ date: day, start: '09:00', itemCode: 'MZ-01', name: '钱七' }, calendar);
    expect(second).toEqual({ ok: false, error: { code: 'hall.counterShareFull', share: 1 } });
    const schedule = await firstValueFrom(data.hall.schedule$());
    if (!schedule) throw new Error('the hours are set above');
    expect(placesLeft(schedule, day, calendar, await firstValueFrom(data.hall.appointmentsOn$(day)), 'counter')).toEqual([
      { start: '09:00', end: '10:00', free: 0 },
      { start: '10:00', end: '11:00', free: 1 },
    ]);

    line.up = true;
    await data.sync.syncNow();
    const codes = [...online.map((answer) => (answer.body as BookingView).code), atCounter.ok ? atCounter.value.code : ''];
    const onKiosk = await eventually(async () => {
      const list = await firstValueFrom(data.hall.appointmentsOn$(day));
      return list.length === 3 ? list : undefined;
    }, 'three bookings on the kiosk');
    expect(onKiosk.map((a) => a.code).sort()).toEqual([...codes].sort());
    expect(onKiosk.every((a) => appointmentStatus(a) === 'booked')).toBe(true);
    // The counter's booking reached the hub with its phone sealed and masked.
    const counterCopy = await eventually(() => hubCopy(codes[2] ?? ''), 'the counter booking on the hub');
    expect(counterCopy).toMatchObject({ channel: 'counter', phoneMasked: '139****1103' });
    expect(JSON.stringify(counterCopy)).not.toContain('13900001103');
    // The page's share is full, and the hall's three visits are booked: nobody is refused after the fact.
    expect((await hallView()).days[0]?.slots[0]).toMatchObject({ free: 0 });
  });

  it('keeps both the clerk’s “came” made offline and the resident’s cancellation made meanwhile', async () => {
    const booked = await bookOnline(day, '10:00', '13900001104');
    const code = (booked.body as BookingView).code;
    await eventually(async () => (await firstValueFrom(data.hall.appointmentsOn$(day))).find((a) => a.code === code), 'the booking on the kiosk');
    line.up = false;
    expect((await data.hall.record(code, 'attended', '王芳')).ok).toBe(true);
    const cancelled = await t.call('POST', '/api/resident/appointments/cancel', {
      body: { code, phone: '13900001104' },
      headers: { 'x-forwarded-for': '203.0.113.200' },
    });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    line.up = true;
    await data.sync.syncNow();
    const merged = await eventually(async () => {
      const copy = await hubCopy(code);
      return copy?.events.length === 2 ? copy : undefined;
    }, 'both events on the hub');
    // Merged once, not pushed again and again (a push answered from the case ledger once looped here till the hub said 429).
    expect((data.sync.state().recentErrors ?? []).filter((error) => error.status === 429)).toEqual([]);
    expect(merged.events.map((event) => event.type).sort()).toEqual(['attended', 'cancelled']);
    expect(appointmentStatus(merged)).toBe('attended');
    const onKiosk = await eventually(async () => {
      const found = (await firstValueFrom(data.hall.appointmentsOn$(day))).find((a) => a.code === code);
      return found?.events.length === 2 ? found : undefined;
    }, 'both events on the kiosk');
    expect(appointmentStatus(onKiosk)).toBe('attended');
  });

  it('keeps the resident’s name sealed at rest on the kiosk', async () => {
    const raw = await rawIndexedDb(indexedDB);
    expect(raw).not.toContain('赵六');
    expect(raw).not.toContain('张三国');
  });
});
