/**
 * Booking a visit on the residents' page against a real hub (issue 18 §3): the hall's hours come from its
 * kiosk through the gateway; a resident books with a name and a mobile number, opens and cancels with the
 * code and phone; the page's share of a slot holds under parallel bookings; the phone rests sealed; a
 * kiosk may book at the counter and record what happened, but never make or alter an online booking; no
 * public answer carries a name, a phone or an ID number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appointmentIdOf, type Appointment } from '../../core/appointment/appointment.js';
import type { HallSchedule } from '../../core/appointment/schedule.js';
import { findPlaintextIdNumbers } from '../../core/case/sealed.js';
import type { BookingView, HallDirectory, HallView } from '../../core/resident/booking.js';
import { loadKeyRing, sealForVillage, unsealOnHub } from '../../sync-server/keyring.js';
import { BOOKING_ADDRESS_ATTEMPTS } from '../../sync-server/resident/booking-routes.js';
import { codeAttempts } from '../../sync-server/resident/code-door.js';
import { DB, hallDb } from '../../sync-server/store/names.js';
import { startTestHub, VILLAGE_A, VILLAGE_B, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let hub: TestHub;
let kiosk: EnrolledKiosk;
let day: string;
/** The phones that took 09:30's two places on the first day. */
let fullSlotPhones: string[] = [];
/** Every answer of a public route in this file, scanned at the end for what residents typed. */
const publicAnswers: unknown[] = [];
const TYPED = ['张三国', '李秀英', '13900002222', '13900003333', '422822198001010015'];

const schedule = (counterVisits = 1): HallSchedule => ({
  kind: 'cunban.hallSchedule',
  schemaVersion: 1,
  village: VILLAGE_A,
  setAt: new Date().toISOString(),
  periods: [
    { from: '08:30', to: '11:30' },
    { from: '14:00', to: '16:00' },
  ],
  slotMinutes: 60,
  visitsPerSlot: 3,
  counterVisits,
});

async function resident(method: string, path: string, body?: unknown, from = '203.0.113.1') {
  const answer = await hub.call(method, path, { ...(body === undefined ? {} : { body }), headers: { 'x-forwarded-for': from } });
  publicAnswers.push(answer.body);
  return answer;
}

/** Documents written by the kiosk through the gateway, as its replication pushes them. */
async function kioskWrites(docs: unknown[], village = VILLAGE_A) {
  const answer = await hub.call('POST', `/sync/${hallDb(village)}/_bulk_docs?cunban_compat=1`, { auth: kiosk.authorization, body: { docs } });
  return answer.body as { id: string; ok?: boolean; rev?: string; error?: string; reason?: string }[];
}

const stored = async (code: string) => {
  const found = await hub.hub.store.getDoc<Appointment>(hallDb(VILLAGE_A), appointmentIdOf(code));
  if (!found.ok) throw new Error(found.error.reason);
  return found.value;
};

const book = (start: string, name: string, phone: string, from?: string) =>
  resident('POST', '/api/resident/appointments', { village: VILLAGE_A, itemCode: 'MZ-01', date: day, start, name, phone }, from);

beforeAll(async () => {
  hub = await startTestHub({ config: { trustProxy: ['loopback'] } });
  kiosk = await hub.enroll(VILLAGE_A);
}, 60_000);

afterAll(async () => {
  await hub.close();
});

describe('a hall’s hours and booking on the residents’ page', () => {
  it('offers no booking until the clerk sets the hours, then the page’s share of each slot on the working days ahead', async () => {
    const before = await resident('GET', `/api/resident/halls/${VILLAGE_A}`);
    expect(before.body).toMatchObject({ booking: false, days: [], village: { name: '雀儿笼村', town: '业州镇' } });

    const written = await kioskWrites([{ _id: 'schedule', ...schedule() }]);
    expect(written[0]).toMatchObject({ ok: true });

    const hall = (await resident('GET', `/api/resident/halls/${VILLAGE_A}`)).body as HallView;
    expect(hall.booking).toBe(true);
    expect(hall.items.map((item) => item.code)).toContain('MZ-01');
    expect(hall.days.length).toBeGreaterThan(5);
    // Tomorrow at the earliest: today's places are the counter's.
    expect((hall.days[0]?.date ?? '') > new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)).toBe(true);
    expect(hall.days[0]?.slots).toEqual([
      { start: '08:30', end: '09:30', free: 2 },
      { start: '09:30', end: '10:30', free: 2 },
      { start: '10:30', end: '11:30', free: 2 },
      { start: '14:00', end: '15:00', free: 2 },
      { start: '15:00', end: '16:00', free: 2 },
    ]);
    day = hall.days[0]?.date ?? '';

    const directory = (await resident('GET', '/api/resident/halls')).body as HallDirectory;
    expect(directory.towns.flatMap((town) => town.villages.map((v) => v.code12))).toContain(VILLAGE_A);
  });

  it('books with a name and a mobile number, keeps the phone sealed, and the kiosk receives the booking', async () => {
    const answer = await book('08:30', '张三国', '139 0000 2222');
    expect(answer.status).toBe(201);
    expect(answer.headers.get('cache-control')).toContain('no-store');
    const view = answer.body as BookingView;
    expect(view).toMatchObject({ village: '雀儿笼村', date: day, start: '08:30', end: '09:30', status: 'booked', nameMasked: '张*国' });
    expect(view.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);

    const doc = await stored(view.code);
    expect(doc).toMatchObject({ channel: 'online', name: '张三国', phoneMasked: '139****2222' });
    expect(JSON.stringify(doc)).not.toContain('13900002222');
    const ring = loadKeyRing(hub.config.dataDir);
    expect(doc.phone && unsealOnHub(ring, 'phone', doc.phone)).toBe('13900002222');

    const pulled = await hub.call('GET', `/sync/${hallDb(VILLAGE_A)}/_changes?include_docs=true&cunban_compat=1`, { auth: kiosk.authorization });
    expect((pulled.body as { results: { id: string }[] }).results.map((row) => row.id)).toContain(appointmentIdOf(view.code));

    const hall = (await resident('GET', `/api/resident/halls/${VILLAGE_A}`)).body as HallView;
    expect(hall.days[0]?.slots[0]).toMatchObject({ start: '08:30', free: 1 });
  });

  it('gives the last places of a slot to exactly as many of many parallel bookings, on any store', async () => {
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => book('09:30', '王五', `1390000${String(4000 + i)}`, `198.51.100.${String(i + 1)}`)));
    const statuses = answers.map((answer) => answer.status).sort();
    expect(statuses.filter((status) => status === 201)).toHaveLength(2);
    fullSlotPhones = answers.flatMap((answer, i) => (answer.status === 201 ? [`1390000${String(4000 + i)}`] : []));
    for (const answer of answers.filter((a) => a.status !== 201)) expect(answer.body).toMatchObject({ error: 'booking.full' });
    const hall = (await resident('GET', `/api/resident/halls/${VILLAGE_A}`)).body as HallView;
    expect(hall.days[0]?.slots[1]).toMatchObject({ start: '09:30', free: 0 });
  });

  it('books one visit per phone and slot, and a full slot says only that it is full', async () => {
    expect((await book('14:00', '李秀英', '13900003333', '203.0.113.7')).status).toBe(201);
    expect((await book('14:00', '李秀英', '+86 139-0000-3333', '203.0.113.7')).body).toMatchObject({ error: 'booking.already' });
    // 09:30 is full: a phone booked there is not told apart from any other (it once answered "already booked").
    const bookedPhone = fullSlotPhones[0] ?? '';
    const probes = await Promise.all([book('09:30', '王五', bookedPhone, '203.0.113.8'), book('09:30', '王五', '13900009876', '203.0.113.8')]);
    expect(probes.map((probe) => probe.body)).toEqual([expect.objectContaining({ error: 'booking.full' }), expect.objectContaining({ error: 'booking.full' })]);
  });

  it('refuses names that hide a number or change how they read', async () => {
    for (const name of ['张三٤٢٢٨٢٢١٩٨٠٠١٠١٠٠١٥', '张三四二二八二二一九八〇', '\u200b', '\u202e国三张', '张\u0000三', '42282219800101001X']) {
      expect((await book('08:30', name, '13900002222', '203.0.113.9')).body, JSON.stringify(name)).toMatchObject({ error: 'booking.name' });
    }
    // Names with a numeral or two, and rare characters, are names.
    expect((await book('15:00', '张一山', '13900002299', '203.0.113.9')).status).toBe(201);
  });

  it('says what is wrong with a booking, and stores nothing for it', async () => {
    expect((await book('08:30', '张三国422822198001010015', '13900002222')).body).toMatchObject({ error: 'booking.name' });
    expect((await book('08:30', '张三国', '2222')).body).toMatchObject({ error: 'booking.phone' });
    expect((await book('08:30', '  ', '13900002222')).body).toMatchObject({ error: 'booking.name' });
    expect((await book('08:30', '张'.repeat(65), '13900002222')).body).toMatchObject({ error: 'booking.name' });
    expect((await book('08:30', '张三国', '')).body).toMatchObject({ error: 'booking.phone' });
    expect((await book('12:00', '张三国', '13900002222')).body).toMatchObject({ error: 'booking.slot' });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    const sameDay = await resident('POST', '/api/resident/appointments', {
      village: VILLAGE_A,
      itemCode: 'MZ-01',
      date: today,
      start: '08:30',
      name: '张三国',
      phone: '13900002222',
    });
    expect(sameDay.body).toMatchObject({ error: 'booking.slot' });
    expect(
      (
        await resident('POST', '/api/resident/appointments', {
          village: VILLAGE_A,
          itemCode: 'XX-99',
          date: day,
          start: '08:30',
          name: '张三国',
          phone: '13900002222',
        })
      ).body,
    ).toMatchObject({
      error: 'booking.item',
    });
    expect(
      (
        await resident('POST', '/api/resident/appointments', {
          village: VILLAGE_B,
          itemCode: 'MZ-01',
          date: day,
          start: '08:30',
          name: '张三国',
          phone: '13900002222',
        })
      ).body,
    ).toMatchObject({
      error: 'booking.closed',
    });
    const plain = await hub.call('POST', '/api/resident/appointments', {
      rawBody: JSON.stringify({ village: VILLAGE_A }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    const all = await hub.hub.store.docsWithPrefix<Appointment>(hallDb(VILLAGE_A), 'appointment:');
    expect(all.ok && JSON.stringify(all.value)).not.toContain('422822198001010015');
  });

  it('opens and cancels a booking with its code and phone, gives the place back, and answers a wrong phone as no such booking', async () => {
    const booked = (await book('10:30', '张三国', '13900002222')).body as BookingView;
    const opened = await resident('POST', '/api/resident/appointments/open', { code: booked.code.toLowerCase(), phone: '13900002222' });
    expect(opened.body).toMatchObject({ code: booked.code, status: 'booked', nameMasked: '张*国' });

    const wrongPhone = await resident('POST', '/api/resident/appointments/cancel', { code: booked.code, phone: '13900009999' });
    const noSuchCode = await resident('POST', '/api/resident/appointments/cancel', { code: 'ZZZZ2222', phone: '13900002222' });
    expect(wrongPhone.status).toBe(404);
    expect(noSuchCode.body).toEqual(wrongPhone.body);
    expect((await stored(booked.code)).events).toEqual([]);

    const cancelled = await resident('POST', '/api/resident/appointments/cancel', { code: booked.code, phone: '13900002222' });
    expect(cancelled.body).toMatchObject({ status: 'cancelled' });
    expect((await stored(booked.code)).events).toMatchObject([{ type: 'cancelled', by: { role: 'resident' } }]);
    // Again: nothing more is recorded.
    expect((await resident('POST', '/api/resident/appointments/cancel', { code: booked.code, phone: '13900002222' })).body).toMatchObject({
      status: 'cancelled',
    });
    expect((await stored(booked.code)).events).toHaveLength(1);
    const hall = (await resident('GET', `/api/resident/halls/${VILLAGE_A}`)).body as HallView;
    expect(hall.days[0]?.slots[2]).toMatchObject({ start: '10:30', free: 2 });
  });

  it('locks a code after five wrong phones, whatever the address, even against the right one', async () => {
    const booked = (await book('15:00', '张三国', '13900002222', '203.0.113.20')).body as BookingView;
    for (let wrong = 0; wrong < codeAttempts('appointment').max; wrong++) {
      expect(
        (
          await resident(
            'POST',
            '/api/resident/appointments/open',
            { code: booked.code, phone: `1380000${String(1000 + wrong)}` },
            `192.0.2.${String(wrong + 1)}`,
          )
        ).status,
      ).toBe(404);
    }
    const locked = await resident('POST', '/api/resident/appointments/open', { code: booked.code, phone: '13900002222' }, '192.0.2.99');
    expect(locked.status).toBe(429);
  });

  it('limits bookings from one address to ten a day, not counting times found full', async () => {
    const from = '203.0.113.50';
    // 09:30 is full: these tries book nothing, and leave the address its ten.
    for (let i = 0; i < 3; i++) expect((await book('09:30', '王五', `1370000200${String(i)}`, from)).body).toMatchObject({ error: 'booking.full' });
    const hall = (await resident('GET', `/api/resident/halls/${VILLAGE_A}`)).body as HallView;
    const slots = hall.days.slice(1).flatMap((d) => d.slots.map((slot) => ({ date: d.date, start: slot.start })));
    for (let i = 0; i < BOOKING_ADDRESS_ATTEMPTS.max; i++) {
      const slot = slots[i] ?? { date: day, start: '08:30' };
      const answer = await resident(
        'POST',
        '/api/resident/appointments',
        { village: VILLAGE_A, itemCode: 'MZ-01', ...slot, name: '王五', phone: '13700001111' },
        from,
      );
      expect(answer.status).toBe(201);
    }
    const slot = slots[BOOKING_ADDRESS_ATTEMPTS.max] ?? { date: day, start: '08:30' };
    const over = await resident(
      'POST',
      '/api/resident/appointments',
      { village: VILLAGE_A, itemCode: 'MZ-01', ...slot, name: '王五', phone: '13700001111' },
      from,
    );
    expect(over).toMatchObject({ status: 429, body: { error: 'booking.tooMany' } });
  });
});

describe('a crowd booking one slot', () => {
  it('gives every place there is, not a 503, when as many book at once as there are places', async () => {
    const bigHall = await hub.enroll(VILLAGE_B);
    const written = await hub.call('POST', `/sync/${hallDb(VILLAGE_B)}/_bulk_docs?cunban_compat=1`, {
      auth: bigHall.authorization,
      body: { docs: [{ _id: 'schedule', ...schedule(), village: VILLAGE_B, visitsPerSlot: 21, counterVisits: 1 }] },
    });
    expect(written.body).toMatchObject([{ ok: true }]);
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        resident(
          'POST',
          '/api/resident/appointments',
          { village: VILLAGE_B, itemCode: 'MZ-01', date: day, start: '08:30', name: '王五', phone: `1350000${String(1000 + i)}` },
          `192.0.2.${String(100 + i)}`,
        ),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array.from({ length: 20 }, () => 201));
  }, 60_000);
});

describe('a visit whose day has passed', () => {
  it('cannot be cancelled any more', async () => {
    const ring = loadKeyRing(hub.config.dataDir);
    const yesterday = new Date(Date.now() + 8 * 3600_000 - 24 * 3600_000).toISOString().slice(0, 10);
    const past: Appointment = {
      kind: 'cunban.appointment',
      schemaVersion: 1,
      village: VILLAGE_A,
      code: 'PAST2345',
      date: yesterday as Appointment['date'],
      start: '08:30',
      end: '09:30',
      channel: 'online',
      itemCode: 'MZ-01',
      name: '张三国',
      phone: sealForVillage(ring, VILLAGE_A, 'phone', '13900002222'),
      phoneMasked: '139****2222',
      bookedAt: new Date(Date.now() - 3 * 24 * 3600_000).toISOString(),
      events: [],
    };
    await hub.hub.store.putDoc(DB.meta, { _id: 'appointment-code:PAST2345', village: VILLAGE_A });
    await hub.hub.store.putDoc(hallDb(VILLAGE_A), { _id: appointmentIdOf('PAST2345'), ...past });
    expect((await resident('POST', '/api/resident/appointments/open', { code: 'PAST2345', phone: '13900002222' }, '203.0.113.70')).body).toMatchObject({
      status: 'booked',
    });
    const late = await resident('POST', '/api/resident/appointments/cancel', { code: 'PAST2345', phone: '13900002222' }, '203.0.113.70');
    expect(late).toMatchObject({ status: 409, body: { error: 'appointment.past' } });
  });
});

describe('what a kiosk may write to its hall', () => {
  const counterBooking = (code: string): Appointment => ({
    kind: 'cunban.appointment',
    schemaVersion: 1,
    village: VILLAGE_A,
    code,
    date: day as Appointment['date'],
    start: '08:30',
    end: '09:30',
    channel: 'counter',
    itemCode: 'MZ-01',
    name: '赵六',
    bookedAt: new Date().toISOString(),
    events: [],
  });

  it('books at the counter and records what happened, but never makes, alters or deletes an online booking', async () => {
    const made = await kioskWrites([{ _id: appointmentIdOf('CNTR2345'), ...counterBooking('CNTR2345') }]);
    expect(made[0]).toMatchObject({ ok: true });
    const online = await kioskWrites([{ _id: appointmentIdOf('ONLN2345'), ...counterBooking('ONLN2345'), channel: 'online' }]);
    expect(online[0]).toMatchObject({ error: 'forbidden' });

    const booked = (await book('08:30', '李秀英', '13900003333', '203.0.113.60')).body as BookingView;
    const hubCopy = await stored(booked.code);
    const attended = { id: 'clerk-attended-1', type: 'attended', at: new Date().toISOString(), by: { role: 'clerk', name: '王芳' } };
    expect((await kioskWrites([{ ...hubCopy, events: [attended] }]))[0]).toMatchObject({ ok: true });
    const renamed = await kioskWrites([{ ...(await stored(booked.code)), name: '李四' }]);
    expect(renamed[0]).toMatchObject({ error: 'forbidden' });
    const forgot = await kioskWrites([{ ...(await stored(booked.code)), events: [] }]);
    expect(forgot[0]).toMatchObject({ error: 'forbidden' });
    const deleted = await kioskWrites([{ ...(await stored(booked.code)), _deleted: true }]);
    expect(deleted[0]).toMatchObject({ error: 'forbidden' });
    const elsewhere = await hub.call('POST', `/sync/${hallDb(VILLAGE_B)}/_bulk_docs?cunban_compat=1`, { auth: kiosk.authorization, body: { docs: [] } });
    expect(elsewhere.status).toBe(403);
    // Nothing personal in the clear, in any field; no resident's act forged; no schedule from the future.
    const refused = await kioskWrites([
      { _id: appointmentIdOf('CNTR2346'), ...counterBooking('CNTR2346'), note: '身份证 422822198001010015' },
      { _id: appointmentIdOf('CNTR2347'), ...counterBooking('CNTR2347'), phoneMasked: '13900001111' },
      {
        _id: appointmentIdOf('CNTR2348'),
        ...counterBooking('CNTR2348'),
        events: [{ ...attended, id: 'forged-cancel-1', type: 'cancelled', by: { role: 'resident' } }],
      },
    ]);
    expect(refused.map((row) => row.error)).toEqual(['forbidden', 'forbidden', 'forbidden']);
    const hours = await hub.hub.store.getDoc<HallSchedule>(hallDb(VILLAGE_A), 'schedule');
    const future = await kioskWrites([{ ...(hours.ok ? hours.value : {}), setAt: '9999-12-31T00:00:00.000Z' }]);
    expect(future[0]).toMatchObject({ error: 'forbidden' });
  });

  it('gives an online place back when the clerk cancels it at the counter and the slot is full', async () => {
    // 09:30 is full (two online bookings above); the clerk cancels one for a caller.
    const all = await hub.hub.store.docsWithPrefix<Appointment>(hallDb(VILLAGE_A), 'appointment:');
    const inSlot = all.ok ? all.value.filter((a) => a.date === day && a.start === '09:30' && a.channel === 'online') : [];
    expect(inSlot).toHaveLength(2);
    const first = inSlot[0] as Appointment & { _id: string; _rev: string };
    const cancelled = { id: 'clerk-cancel-1', type: 'cancelled', at: new Date().toISOString(), by: { role: 'clerk', name: '王芳' } };
    expect((await kioskWrites([{ ...first, events: [cancelled] }]))[0]).toMatchObject({ ok: true });
    // The page offers the place again at once (it offers no full slot to try), and it can be booked.
    const hall = (await resident('GET', `/api/resident/halls/${VILLAGE_A}`, undefined, '203.0.113.61')).body as HallView;
    expect(hall.days[0]?.slots[1]).toMatchObject({ start: '09:30', free: 1 });
    expect((await book('09:30', '钱七', '13600001111', '203.0.113.61')).status).toBe(201);
  });
});

describe('privacy of the public answers', () => {
  it('never carries a full name, a phone number or an ID number', () => {
    const text = JSON.stringify(publicAnswers);
    for (const typed of TYPED) expect(text).not.toContain(typed);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    expect(findPlaintextIdNumbers(publicAnswers)).toEqual([]);
  });
});
