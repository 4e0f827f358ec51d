// @vitest-environment jsdom
/**
 * Booking a visit on the residents' page against a real hub (issue 18 §3): the hall's hours written by its
 * enrolled kiosk through the gateway; a resident picks the town and village, the service, a day and a time
 * (a full time shown, not offered), types a name and a mobile number, and keeps the code; "my booking"
 * opens it with the code and phone and cancels it after one question. Each refusal is said in the
 * resident's language at the field it is about; English works; the page never shows a full name or phone.
 */
import { render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingView, HallView } from '../../../core/resident/booking.js';
import { residentApi } from '../../../renderer/resident/api.js';
import { bookingErrorText } from '../../../renderer/resident/booking-parts.js';
import { ResidentRoot } from '../../../renderer/resident/resident-root.js';
import { hallDb } from '../../../sync-server/store/names.js';
import { startTestHub, VILLAGE_A, VILLAGE_B, type TestHub } from '../../sync-server/hub-harness.js';
import { makeI18n } from '../../../renderer/ui/i18n.js';
import { memoryStorage } from '../kiosk/harness.js';

let hub: TestHub;
/** The first day offered, and the second. */
let day: string;
let nextDay: string;
/** What residents type in this file, never to be read back on the page. */
const TYPED = ['张三国', '李秀英', '王五', '赵六', '13900002222', '139 0000 2222', '13900003333', '13900005555', '13700001111', '13600001111'];

/** A booking made on the hub by another resident, from an address of its own (the limits are per address). */
async function bookedElsewhere(date: string, start: string, phone: string, from: string) {
  const answer = await hub.call('POST', '/api/resident/appointments', {
    body: { village: VILLAGE_A, itemCode: 'MZ-01', date, start, name: '赵六', phone },
    headers: { 'x-forwarded-for': from },
  });
  if (answer.status !== 201) throw new Error(`booking failed: ${JSON.stringify(answer.body)}`);
  return answer.body as BookingView;
}

beforeAll(async () => {
  hub = await startTestHub({ config: { trustProxy: ['loopback'] } });
  const kiosk = await hub.enroll(VILLAGE_A);
  const schedule = {
    _id: 'schedule',
    kind: 'cunban.hallSchedule',
    schemaVersion: 1,
    village: VILLAGE_A,
    setAt: new Date().toISOString(),
    periods: [{ from: '08:30', to: '11:30' }],
    slotMinutes: 60,
    visitsPerSlot: 3,
    counterVisits: 1,
  };
  const written = await hub.call('POST', `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`, { auth: kiosk.authorization, body: { docs: [schedule] } });
  expect(written.body).toMatchObject([{ ok: true }]);
  const hall = (await hub.call('GET', `/api/resident/halls/${VILLAGE_A}`)).body as HallView;
  day = hall.days[0]?.date ?? '';
  nextDay = hall.days[1]?.date ?? '';
  // Two places online per time (three, one kept for the counter): 09:30 on the first day is full.
  await bookedElsewhere(day, '09:30', '13600001111', '198.51.100.1');
  await bookedElsewhere(day, '09:30', '13600001112', '198.51.100.2');
}, 60_000);
afterAll(async () => {
  await hub.close();
});

const page = (base = hub.base, fragment = '') => render(<ResidentRoot api={residentApi(`${base}/r/`)} preferences={memoryStorage()} fragment={fragment} />);

/** Leave the page, having read all of it (every section opened, the hidden ones too): no full name, no phone. */
function leave(view: ReturnType<typeof page>) {
  const text = document.body.textContent;
  expect(text.length).toBeGreaterThan(100);
  for (const typed of TYPED) expect(text).not.toContain(typed);
  expect(text).not.toMatch(/1[3-9]\d{9}/);
  view.unmount();
}

const WEEKDAYS_ZH = '日一二三四五六';
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A day as the page offers it: `11月27日 星期五`, `Fri 27 Nov`. */
function dayLabel(date: string, locale: 'zh' | 'en') {
  const [, month = 0, dayOfMonth = 0] = date.split('-').map(Number);
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return locale === 'zh'
    ? `${String(month)}月${String(dayOfMonth)}日 星期${WEEKDAYS_ZH[weekday] ?? ''}`
    : `${WEEKDAYS_EN[weekday] ?? ''} ${String(dayOfMonth)} ${MONTHS_EN[month - 1] ?? ''}`;
}

/** What the page says about a field: its error (or hint), as announced with it. */
const saidAbout = (field: HTMLElement) =>
  (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();

type User = ReturnType<typeof userEvent.setup>;

/** Book a visit, town and village first; the hall's times on the screen when it returns. */
async function openHall(user: User, village = VILLAGE_A) {
  await user.click(screen.getByRole('button', { name: '预约办事' }));
  await user.selectOptions(await screen.findByLabelText('乡镇'), '业州镇');
  await user.selectOptions(screen.getByLabelText('村（社区）'), village);
}

describe('book a visit on the residents’ page', () => {
  it('books through the page — village, service, day, time, name and phone — and shows the code to keep, the name masked', async () => {
    const user = userEvent.setup();
    const view = page();
    await openHall(user);
    const days = await screen.findByRole('group', { name: '哪一天' });
    await user.type(screen.getByLabelText('查找要办的事'), '低保');
    const item = screen.getByLabelText('要办的事');
    expect(
      within(item)
        .getAllByRole('option')
        .map((option) => option.textContent),
    ).toEqual(['请选择', '最低生活保障（低保）申请']);
    await user.selectOptions(item, 'MZ-01');
    await user.click(within(days).getByRole('radio', { name: dayLabel(day, 'zh') }));
    const times = screen.getByRole('group', { name: '几点' });
    expect(
      within(times)
        .getAllByRole('radio')
        .map((radio) => radio.parentElement?.textContent),
    ).toEqual(['08:30–09:30（还可约2人）', '09:30–10:30（已约满）', '10:30–11:30（还可约2人）']);
    await user.click(within(times).getByRole('radio', { name: '08:30–09:30（还可约2人）' }));
    await user.type(screen.getByLabelText('姓名'), '张三国');
    await user.type(screen.getByLabelText('手机号码'), '139 0000 2222');
    await user.click(screen.getByRole('button', { name: '预约' }));

    const code = (await screen.findByTestId('booking-code')).textContent;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(screen.getByTestId('booking-status').textContent).toBe('已预约');
    expect(screen.getByTestId('booking-name').textContent).toBe('张*国');
    expect(screen.getByText('请记下预约码，或截图保存。取消预约时要用预约码和手机号码。')).toBeTruthy();
    expect(screen.getByText(`${day.slice(0, 4)}年${dayLabel(day, 'zh')} 08:30–09:30`)).toBeTruthy();
    expect(screen.getByText('业州镇雀儿笼村便民服务室')).toBeTruthy();
    expect(screen.getByText('最低生活保障（低保）申请')).toBeTruthy();
    // The hub holds the booking the page showed, under the phone as typed.
    const opened = await hub.call('POST', '/api/resident/appointments/open', { body: { code, phone: '13900002222' } });
    expect(opened.body).toMatchObject({ date: day, start: '08:30', status: 'booked', item: { zh: '最低生活保障（低保）申请' } });
    // Again: the places read afresh, one fewer at 08:30.
    await user.click(screen.getByRole('button', { name: '再约一次' }));
    await user.click(within(screen.getByRole('group', { name: '哪一天' })).getByRole('radio', { name: dayLabel(day, 'zh') }));
    expect(await screen.findByRole('radio', { name: '08:30–09:30（还可约1人）' })).toBeTruthy();
    leave(view);
  });

  it('shows a full time but does not offer it, and says so when a time fills up meanwhile, showing it full', async () => {
    const user = userEvent.setup();
    const view = page();
    await openHall(user);
    await user.selectOptions(await screen.findByLabelText('要办的事'), 'MZ-02');
    await user.click(screen.getByRole('radio', { name: dayLabel(day, 'zh') }));
    const full = screen.getByRole('radio', { name: '09:30–10:30（已约满）' });
    expect(full).toHaveProperty('disabled', true);
    await user.click(full);
    expect(full).toHaveProperty('checked', false);

    await user.click(screen.getByRole('radio', { name: '10:30–11:30（还可约2人）' }));
    // Two others take 10:30 while this resident types.
    await bookedElsewhere(day, '10:30', '13600001113', '198.51.100.3');
    await bookedElsewhere(day, '10:30', '13600001114', '198.51.100.4');
    await user.type(screen.getByLabelText('姓名'), '王五');
    await user.type(screen.getByLabelText('手机号码'), '13700001111');
    await user.click(screen.getByRole('button', { name: '预约' }));
    expect((await screen.findByRole('alert')).textContent).toBe('这个时间刚刚约满了，请另选一个时间（名额已经更新）。');
    const nowFull = await screen.findByRole('radio', { name: '10:30–11:30（已约满）' });
    expect(nowFull).toHaveProperty('disabled', true);
    expect(nowFull).toHaveProperty('checked', false);
    leave(view);
  });

  it('says at the field what is wrong with the name or the phone, and what is missing', async () => {
    const user = userEvent.setup();
    const view = page();
    await openHall(user);
    await screen.findByRole('group', { name: '哪一天' });
    await user.click(screen.getByRole('button', { name: '预约' }));
    expect(saidAbout(screen.getByLabelText('要办的事'))).toBe('请选择要办的事。');
    expect(saidAbout(screen.getByLabelText('姓名'))).toBe('请填写姓名。');
    expect(saidAbout(screen.getByLabelText('手机号码'))).toBe('请填11位手机号码。');
    expect(screen.getByText('请选择哪一天、几点。')).toBeTruthy();

    await user.selectOptions(screen.getByLabelText('要办的事'), 'MZ-01');
    await user.click(screen.getByRole('radio', { name: dayLabel(nextDay, 'zh') }));
    await user.click(screen.getByRole('radio', { name: '08:30–09:30（还可约2人）' }));
    await user.type(screen.getByLabelText('姓名'), '王五5');
    await user.type(screen.getByLabelText('手机号码'), '13700001111');
    await user.click(screen.getByRole('button', { name: '预约' }));
    await screen.findByText('姓名里不要有数字，只填姓名。');
    expect(saidAbout(screen.getByLabelText('姓名'))).toBe('姓名里不要有数字，只填姓名。');

    const name = screen.getByLabelText('姓名');
    await user.clear(name);
    await user.type(name, '王五');
    const phone = screen.getByLabelText('手机号码');
    await user.clear(phone);
    await user.type(phone, '2222');
    await user.click(screen.getByRole('button', { name: '预约' }));
    await screen.findByText('请填11位手机号码。');
    expect(saidAbout(phone)).toBe('请填11位手机号码。');
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(saidAbout(name)).toBe('只填姓名，不需要身份证号码');
    leave(view);
  });

  it('says a hall that has not set its hours takes no online bookings yet', async () => {
    const user = userEvent.setup();
    const view = page();
    await openHall(user, VILLAGE_B);
    await screen.findByText('业州镇杉木村便民服务室还没有开通网上预约。请打电话问问，或直接到便民服务室办理。');
    expect(screen.queryByRole('button', { name: '预约' })).toBeNull();
    leave(view);
  });

  it('tells a phone without a connection so, and offers to try again', async () => {
    const user = userEvent.setup();
    const view = page('http://127.0.0.1:9');
    await user.click(screen.getByRole('button', { name: '预约办事' }));
    expect((await screen.findByRole('alert')).textContent).toBe('手机没有连上网络，请连网后再试。');
    expect(screen.getByRole('button', { name: '再试一次' })).toBeTruthy();
    leave(view);
  });
});

describe('my booking', () => {
  it('opens a booking with its code and phone, asks once before cancelling, and shows it cancelled', async () => {
    const booked = await bookedElsewhere(nextDay, '09:30', '13900005555', '198.51.100.10');
    const user = userEvent.setup();
    const view = page();
    await user.click(screen.getByRole('button', { name: '我的预约' }));
    // As a resident might type it: lower case, with the dash.
    await user.type(screen.getByLabelText('预约码'), `${booked.code.slice(0, 4)}-${booked.code.slice(4)}`.toLowerCase());
    await user.type(screen.getByLabelText('预约时留的手机号码'), '13900005555');
    await user.click(screen.getByRole('button', { name: '查看预约' }));
    expect((await screen.findByTestId('booking-status')).textContent).toBe('已预约');
    expect(screen.getByTestId('booking-code').textContent).toBe(`${booked.code.slice(0, 4)}-${booked.code.slice(4)}`);
    expect(screen.getByTestId('booking-name').textContent).toBe('赵*');
    expect(screen.getByText('业州镇雀儿笼村便民服务室')).toBeTruthy();

    // Asked first; "no" keeps it.
    await user.click(screen.getByRole('button', { name: '取消这个预约' }));
    expect(screen.getByRole('alertdialog').textContent).toContain('真的要取消吗？');
    await user.click(screen.getByRole('button', { name: '不取消' }));
    expect((await hub.call('POST', '/api/resident/appointments/open', { body: { code: booked.code, phone: '13900005555' } })).body).toMatchObject({
      status: 'booked',
    });

    await user.click(screen.getByRole('button', { name: '取消这个预约' }));
    await user.click(screen.getByRole('button', { name: '是的，取消预约' }));
    await screen.findByText('预约已经取消。');
    expect(screen.getByTestId('booking-status').textContent).toBe('已取消');
    expect(screen.queryByRole('button', { name: '取消这个预约' })).toBeNull();
    expect((await hub.call('POST', '/api/resident/appointments/open', { body: { code: booked.code, phone: '13900005555' } })).body).toMatchObject({
      status: 'cancelled',
    });
    leave(view);
  });

  it('answers a wrong phone as no such booking, and a malformed code at the code field', async () => {
    const booked = await bookedElsewhere(nextDay, '10:30', '13900005555', '198.51.100.11');
    const user = userEvent.setup();
    const view = page();
    await user.click(screen.getByRole('button', { name: '我的预约' }));
    const code = screen.getByLabelText('预约码');
    await user.type(code, booked.code);
    await user.type(screen.getByLabelText('预约时留的手机号码'), '13900009999');
    await user.click(screen.getByRole('button', { name: '查看预约' }));
    expect((await screen.findByRole('alert')).textContent).toBe('没有找到预约：请核对预约码和手机号码。');

    await user.clear(code);
    await user.type(code, 'ABC1');
    await user.click(screen.getByRole('button', { name: '查看预约' }));
    await screen.findByText('预约码是8位字母和数字，请照预约时显示的核对。');
    expect(saidAbout(code)).toBe('预约码是8位字母和数字，请照预约时显示的核对。');
    leave(view);
  });
});

describe('the residents’ page in English, and its sections', () => {
  it('books and opens a booking in English', async () => {
    const user = userEvent.setup();
    const view = page();
    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.click(screen.getByRole('button', { name: 'Book a visit' }));
    await user.selectOptions(await screen.findByLabelText('Town'), '业州镇');
    await user.selectOptions(screen.getByLabelText('Village'), VILLAGE_A);
    await user.type(await screen.findByLabelText('Find the service'), 'dibao');
    await user.selectOptions(screen.getByLabelText('Service'), 'MZ-01');
    await user.click(screen.getByRole('radio', { name: dayLabel(day, 'en') }));
    expect(screen.getByRole('radio', { name: '09:30–10:30 (full)' })).toHaveProperty('disabled', true);
    await user.click(screen.getByRole('radio', { name: '08:30–09:30 (1 left)' }));
    await user.type(screen.getByLabelText('Name'), '李秀英');
    await user.type(screen.getByLabelText('Mobile number'), '13900003333');
    expect(saidAbout(screen.getByLabelText('Mobile number'))).toBe('Only to cancel the booking, and for the hall to call you if needed');
    await user.click(screen.getByRole('button', { name: 'Book' }));
    expect((await screen.findByTestId('booking-status')).textContent).toBe('Booked');
    const code = screen.getByTestId('booking-code').textContent;
    expect(screen.getByText('Minimum living allowance (dibao) application')).toBeTruthy();
    expect(screen.getByText('Write down this code or take a screenshot: you need it and your mobile number to cancel.')).toBeTruthy();

    await user.click(screen.getByRole('button', { name: 'My booking' }));
    await user.type(screen.getByLabelText('Booking code'), code);
    await user.type(screen.getByLabelText('The mobile number you booked with'), '13900003334');
    await user.click(screen.getByRole('button', { name: 'Show my booking' }));
    expect((await screen.findByRole('alert')).textContent).toBe('No booking found: check the code and the mobile number.');
    leave(view);
  });

  it('opens on "follow" with the case number from the fragment, and keeps what was typed across sections', async () => {
    const user = userEvent.setup();
    const view = page(hub.base, '#422822100202-20261126-03-042-0');
    expect(screen.getByRole('button', { name: '跟进办件' }).getAttribute('aria-current')).toBe('true');
    expect(screen.getByLabelText('受理编号')).toHaveProperty('value', '422822100202-20261126-03-042-0');
    await user.click(screen.getByRole('button', { name: '我的预约' }));
    expect(screen.queryByRole('textbox', { name: '受理编号' })).toBeNull();
    await user.type(screen.getByLabelText('预约码'), 'K7QX');
    await user.click(screen.getByRole('button', { name: '跟进办件' }));
    expect(screen.getByLabelText('受理编号')).toHaveProperty('value', '422822100202-20261126-03-042-0');
    await user.click(screen.getByRole('button', { name: '我的预约' }));
    expect(screen.getByLabelText('预约码')).toHaveProperty('value', 'K7QX');
    leave(view);
  });
});

describe('every refusal of the hub', () => {
  const CODES = [
    'booking.name',
    'booking.phone',
    'booking.slot',
    'booking.item',
    'booking.closed',
    'booking.full',
    'booking.already',
    'booking.tooMany',
    'appointment.notFound',
    'appointment.code',
    'appointment.tooManyTries',
    'appointment.past',
    'hall.unknown',
    'offline',
  ];

  it.each(['zh-CN', 'en'] as const)('has a sentence of its own in %s, and a wait in minutes or hours', (locale) => {
    const { t } = makeI18n(locale);
    const texts = CODES.map((code) => bookingErrorText(t, { code, retryAfterSeconds: 120 }));
    const unavailable = bookingErrorText(t, { code: 'unavailable' });
    expect(new Set([...texts, unavailable]).size).toBe(CODES.length + 1);
    expect(bookingErrorText(t, { code: 'store_unavailable' })).toBe(unavailable);
    expect(bookingErrorText(t, { code: 'booking.tooMany', retryAfterSeconds: 120 })).toContain(locale === 'en' ? '2 min' : '2分钟');
    expect(bookingErrorText(t, { code: 'appointment.tooManyTries', retryAfterSeconds: 20 * 3600 })).toContain(locale === 'en' ? '20 h' : '20小时');
  });
});
