// @vitest-environment jsdom
/**
 * The hall's public display (公示屏, issue 19 §2–3) against a real hub, then with the hub gone: opened from the counter
 * it locks the counter behind it; it shows what the town approved and nothing awaiting approval or withdrawn; the way
 * back is the PIN only; today's appointments are numbers, never names; and a publication leaves the board at its end
 * time by the kiosk's own clock, with no sync.
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Appointment } from '../../../core/appointment/appointment.js';
import { HALL_DISPLAY_WINDOW_NAME, HALL_DISPLAY_WINDOW_URL } from '../../../core/hall-display-window.js';
import type { Publication, PublicationEvent } from '../../../core/disclosure/publication.js';
import { publicationDoc, TOWN_REVIEWER, VILLAGE_CLERK } from '../../support/publication-doc.js';
import type { LocalDate } from '../../../core/local-date.js';
import type { KioskData } from '../../../renderer/data/kiosk-data.js';
import { HallDisplay } from '../../../renderer/kiosk/hall-display.js';
import { hallDb, villageDb } from '../../../sync-server/store/names.js';
import { caseFor, clerkOf, startTestHub, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { signedInCounter, type Counter } from './harness.js';

let hub: TestHub | undefined;
let counter: Counter | undefined;

afterEach(async () => {
  vi.restoreAllMocks();
  await counter?.close();
  await hub?.close();
  counter = undefined;
  hub = undefined;
});

const HOUR = 3600_000;
const DAY = 24 * HOUR;
const event = (type: PublicationEvent['type'], at: number): PublicationEvent => ({
  id: `${type}-${String(at)}`,
  type,
  at: new Date(at).toISOString(),
  by: type === 'approved' || type === 'returned' ? TOWN_REVIEWER : VILLAGE_CLERK,
});

/** A publication as the hub holds it: prepared and submitted at `preparedAt`, with the town's and the village's later events. */
function publication(id: string, title: string, preparedAt: number, later: readonly PublicationEvent[], displayDays = 7): Publication & { _id: string } {
  const doc = publicationDoc(id, {
    village: VILLAGE_A,
    preparedMs: preparedAt,
    title,
    displayDays,
    columns: [
      { label: '户主姓名', role: 'name' },
      { label: '家庭人口', role: 'count' },
      { label: '金额（元）', role: 'amount' },
    ],
    rows: [
      ['张*', '3', '1260'],
      ['李*', '2', '840'],
      ['欧阳*', '1', '420'],
    ],
  });
  return { ...doc, events: [...doc.events, ...later] };
}

function appointment(
  code: string,
  date: string,
  start: string,
  channel: Appointment['channel'],
  name: string,
  cancelled = false,
): Appointment & { _id: string } {
  const end = `${String(Number(start.slice(0, 2)) + 1).padStart(2, '0')}:00`;
  return {
    _id: `appointment:${code}`,
    kind: 'cunban.appointment',
    schemaVersion: 1,
    village: VILLAGE_A,
    code,
    date: date as LocalDate,
    start,
    end,
    channel,
    itemCode: 'MZ-01',
    name,
    phoneMasked: '139****1103',
    bookedAt: '2026-11-20T01:00:00.000Z',
    events: cancelled ? [{ id: `cancel-${code}`, type: 'cancelled', at: '2026-11-21T01:00:00.000Z', by: { role: 'resident' } }] : [],
  };
}

/** Written on the hub's hall database, as the town's approval and residents' bookings are; the kiosk gets them by sync. */
async function onHub(t: TestHub, docs: readonly { _id: string }[]) {
  for (const doc of docs) {
    const written = await t.hub.store.putDoc(hallDb(VILLAGE_A), doc);
    if (!written.ok) throw new Error(written.error.reason);
  }
}

async function synced(data: KioskData, publications: number, appointmentsOn?: { date: LocalDate; count: number }) {
  await waitFor(
    async () => {
      expect((await firstValueFrom(data.publications.publications$())).length).toBe(publications);
      if (appointmentsOn) expect((await firstValueFrom(data.hall.appointmentsOn$(appointmentsOn.date))).length).toBe(appointmentsOn.count);
    },
    { timeout: 20_000 },
  );
}

const APPROVED = 'pub-00000000000000a1';
const AWAITING = 'pub-00000000000000a2';
const WITHDRAWN = 'pub-00000000000000a3';

describe('the hall’s public display', () => {
  it('locks the counter behind it, shows only what the town approved, and gives the counter back only for the PIN', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    const { user, data } = counter;
    const now = Date.now();
    await onHub(hub, [
      publication(APPROVED, '2026年11月低保对象公示', now - 3 * HOUR, [event('approved', now - 2 * HOUR)]),
      publication(AWAITING, '待镇里批准的补贴名单', now - HOUR, []),
      publication(WITHDRAWN, '村里撤回的财务公开', now - 5 * HOUR, [event('approved', now - 4 * HOUR), event('withdrawn', now - 3 * HOUR)]),
    ]);
    await synced(data, 3);

    // A clerk is half-way through an application when the display is put on, and the line goes down.
    await user.keyboard('{Alt>}n{/Alt}');
    await user.type(await screen.findByRole('searchbox'), 'db{Enter}');
    await user.type(screen.getByLabelText('申请人姓名'), '张三');
    await hub.close();
    hub = undefined;

    await user.keyboard('{Alt>}d{/Alt}');
    const display = await screen.findByRole('main', { name: '业州镇 雀儿笼村公示屏' });
    expect(screen.queryByRole('navigation', { name: '主菜单' })).toBeNull();
    expect(await within(display).findByRole('heading', { name: '2026年11月低保对象公示' })).toBeTruthy();
    expect(within(display).getByText('救助对象公示')).toBeTruthy();
    expect(within(display).getByText(/^公示期至\d{4}年\d{1,2}月\d{1,2}日 \d\d:\d\d$/)).toBeTruthy();
    const cells = [...display.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
    expect(cells).toEqual([
      ['1', '张*', '3', '1260'],
      ['2', '李*', '2', '840'],
      ['3', '欧阳*', '1', '420'],
    ]);
    // One slide only: nothing awaiting approval, nothing withdrawn, is ever in the rotation.
    expect([...display.querySelectorAll('[data-publication]')].map((shown) => shown.getAttribute('data-publication'))).toEqual([APPROVED]);
    expect(display.querySelector('.hall-display-count')).toBeNull();
    expect(display.textContent).not.toContain('待镇里批准的补贴名单');
    expect(display.textContent).not.toContain('村里撤回的财务公开');

    // The counter's shortcuts do nothing behind the display; a key shows the staff's way out.
    await user.keyboard('{Alt>}1{/Alt}');
    await user.keyboard('{Alt>}n{/Alt}');
    expect(screen.queryByRole('navigation', { name: '主菜单' })).toBeNull();
    expect(screen.getByRole('main', { name: '业州镇 雀儿笼村公示屏' })).toBe(display);
    expect(await within(display).findByRole('button', { name: '工作人员登录' })).toBeTruthy();

    // Escape: the PIN, not the counter; a wrong PIN stays out.
    await user.keyboard('{Escape}');
    expect(await screen.findByRole('heading', { name: '终端已锁定，请输入PIN码继续' })).toBeTruthy();
    expect(screen.queryByRole('main', { name: /公示屏$/ })).toBeNull();
    await user.type(screen.getByLabelText('PIN码'), '0000{Enter}');
    expect(await screen.findByText('PIN码不正确，还可以尝试4次')).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: '主菜单' })).toBeNull();
    await user.type(screen.getByLabelText('PIN码'), '2580{Enter}');
    await screen.findByRole('navigation', { name: '主菜单' });
    expect(screen.getByLabelText<HTMLInputElement>('申请人姓名').value).toBe('张三');

    // From the sign-in screen, with no PIN: a tap shows the way out, and it leads to the PIN again.
    await user.keyboard('{Alt>}l{/Alt}');
    await screen.findByRole('heading', { name: '终端已锁定，请输入PIN码继续' });
    await user.click(screen.getByRole('button', { name: '打开公示屏（公开信息，无需PIN码）' }));
    const again = await screen.findByRole('main', { name: '业州镇 雀儿笼村公示屏' });
    expect(within(again).queryByRole('button', { name: '工作人员登录' })).toBeNull();
    await user.click(again);
    await user.click(await within(again).findByRole('button', { name: '工作人员登录' }));
    expect(await screen.findByRole('heading', { name: '终端已锁定，请输入PIN码继续' })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: '主菜单' })).toBeNull();
  }, 90_000);

  it('counts the village’s cases and today’s appointments without a name, and takes a publication off the board when its period ends', async () => {
    hub = await startTestHub();
    // Two applications accepted on the 26th; one forwarded to the county and approved the same day.
    const kiosk = await hub.enroll(VILLAGE_A);
    const county = { id: 'county-reviewer-1', name: '张敏', level: 'county' as const };
    for (const doc of [
      caseFor(kiosk),
      caseFor(kiosk, {
        extra: [
          { id: 'fwd-figures-0001', at: '2026-11-26T01:05:00.000Z', actor: clerkOf(kiosk), type: 'forwarded', payload: { to: 'county' } },
          { id: 'ok-figures-0001', at: '2026-11-26T05:00:00.000Z', actor: county, type: 'approved', payload: {} },
        ],
      }),
    ]) {
      const put = await hub.hub.store.putDoc(villageDb(VILLAGE_A), doc);
      if (!put.ok) throw new Error(put.error.reason);
    }
    counter = await signedInCounter(hub);
    const { data } = counter;
    // A Thursday at 10:00 in China, a working day on the county's calendar: the kiosk's clock, as the test sets it.
    const day = '2026-11-26' as LocalDate;
    let clock = Date.parse('2026-11-26T02:00:00.000Z');
    const ENDING = 'pub-00000000000000b1';
    const LASTING = 'pub-00000000000000b2';
    await onHub(hub, [
      // Its seven days end an hour from now.
      publication(ENDING, '2026年第三季度村级财务公开', clock - 7 * DAY, [event('approved', clock - 7 * DAY + HOUR)]),
      publication(LASTING, '2026年11月低保对象公示', clock - 2 * HOUR, [event('approved', clock - HOUR)]),
      appointment('AAAA2345', day, '09:00', 'online', '赵六'),
      appointment('AAAA2346', day, '09:00', 'counter', '钱七'),
      appointment('AAAA2347', day, '10:00', 'online', '孙八', true),
      appointment('AAAA2348', '2026-11-27', '10:00', 'online', '周九'),
    ]);
    const set = await data.hall.setSchedule({ periods: [{ from: '09:00', to: '11:00' }], slotMinutes: 60, visitsPerSlot: 3, counterVisits: 1 });
    expect(set.ok).toBe(true);
    await synced(data, 2, { date: day, count: 3 });
    await waitFor(async () => {
      expect((await data.cases.all()).length).toBe(2);
    });
    await waitFor(async () => {
      expect((await firstValueFrom(data.county$)).calendar).toBeDefined();
    });
    await hub.close();
    hub = undefined;

    // What has been on screen, slide by slide.
    const seen: string[] = [];
    const view = render(<HallDisplay data={data} onLeave={() => undefined} now={() => new Date(clock)} slideMs={200} tickMs={100} />);
    const display = view.container;
    const observer = new MutationObserver(() => {
      const slide = display.querySelector('[data-slide]');
      const shown = slide?.querySelector('[data-publication]')?.getAttribute('data-publication') ?? slide?.getAttribute('data-slide') ?? '';
      if (seen.at(-1) !== shown) seen.push(shown);
    });
    observer.observe(display, { subtree: true, childList: true, attributes: true });
    try {
      await waitFor(
        () => {
          const slide = display.querySelector('[data-slide="appointments"]');
          if (!slide) throw new Error('not the appointments yet');
          expect(within(slide as HTMLElement).getByRole('heading').textContent).toBe('今日预约 2026年11月26日');
          const rows = [...slide.querySelectorAll('tbody tr')].map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
          expect(rows).toEqual([
            ['09:00–10:00', '2', '3'],
            ['10:00–11:00', '0', '3'],
          ]);
          expect(slide.textContent).toContain('今日已预约2人，共6个名额');
        },
        { timeout: 10_000, interval: 20 },
      );
      // This month's and last month's figures of the village: counts, the share decided in time, the median days.
      await waitFor(
        () => {
          const slide = display.querySelector('[data-slide="figures"]');
          if (!slide) throw new Error('not the figures yet');
          const rows = [...slide.querySelectorAll('tr')].map((row) => [...row.querySelectorAll('th, td')].map((cell) => cell.textContent));
          expect(rows).toEqual([
            ['', '2026年10月', '2026年11月'],
            ['受理件数', '0', '2'],
            ['办结件数', '0', '1'],
            ['按时办结率', '—', '100%'],
            ['办理天数（中位数）', '—', '0天'],
          ]);
        },
        { timeout: 10_000, interval: 20 },
      );
      // Numbers only: no one's name or phone, on any slide.
      await waitFor(
        () => {
          expect(seen).toEqual(expect.arrayContaining([ENDING, LASTING, 'figures', 'appointments']));
        },
        { timeout: 10_000 },
      );
      expect(display.textContent).not.toMatch(/赵六|钱七|孙八|周九|1103|刘德华/);

      // Its end time comes, with no hub: it is gone at the next look of the clock, and never comes round again.
      expect(display.querySelector('.hall-display-count')?.textContent).toMatch(/ \/ 4$/);
      clock += HOUR;
      await waitFor(() => {
        expect(display.querySelector('.hall-display-count')?.textContent).toMatch(/ \/ 3$/);
      });
      seen.length = 0;
      await waitFor(
        () => {
          expect(seen.filter((shown) => shown === LASTING).length).toBeGreaterThanOrEqual(2);
          expect(seen.filter((shown) => shown === 'appointments').length).toBeGreaterThanOrEqual(2);
        },
        { timeout: 10_000 },
      );
      expect(seen).not.toContain(ENDING);
    } finally {
      observer.disconnect();
      view.unmount();
    }
  }, 90_000);

  it('leaves at its end time by the kiosk’s own clock, not at the next regular look, and then says there is nothing', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    const { data } = counter;
    const SOON = 'pub-00000000000000c1';
    // Approved a day ago for one day, less a few seconds.
    const endsAt = Date.now() + 12_000;
    await onHub(hub, [publication(SOON, '临时停水通知名单', endsAt - DAY - HOUR, [event('approved', endsAt - DAY)], 1)]);
    await synced(data, 1);
    await hub.close();
    hub = undefined;

    // The clock's regular look is an hour away: only the end time itself can take it off.
    const view = render(<HallDisplay data={data} onLeave={() => undefined} tickMs={HOUR} slideMs={HOUR} />);
    try {
      const display = view.container;
      expect(await within(display).findByRole('heading', { name: '临时停水通知名单' })).toBeTruthy();
      expect(Date.now()).toBeLessThan(endsAt);
      await within(display).findByRole('heading', { name: '暂无公示' }, { timeout: 20_000 });
      expect(Date.now()).toBeGreaterThanOrEqual(endsAt);
      expect(within(display).queryByRole('heading', { name: '临时停水通知名单' })).toBeNull();
      expect(display.textContent).toContain('业州镇 雀儿笼村');
    } finally {
      view.unmount();
    }
  }, 90_000);

  it('shows on a television beside the counter, from the same data, whoever signs in or out, until the counter closes it', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    const { user, data } = counter;
    const now = Date.now();
    await onHub(hub, [publication(APPROVED, '2026年11月低保对象公示', now - 3 * HOUR, [event('approved', now - 2 * HOUR)])]);
    await synced(data, 1);

    // No second screen: the shell refuses the window, and the counter says so.
    const open = vi.spyOn(window, 'open').mockReturnValue(null);
    await user.click(screen.getByRole('button', { name: '电视公示' }));
    expect(await screen.findByText(/没有找到第二个显示器/)).toBeTruthy();
    expect(open).toHaveBeenCalledWith(HALL_DISPLAY_WINDOW_URL, HALL_DISPLAY_WINDOW_NAME, 'popup');

    // A television: the window the shell opens on it (here a frame's window) shows the display.
    const frame = document.createElement('iframe');
    document.body.append(frame);
    const television = frame.contentWindow as Window;
    const close = vi.spyOn(television, 'close').mockImplementation(() => undefined);
    open.mockReturnValue(television);
    await user.click(screen.getByRole('button', { name: '电视公示' }));
    const tv = television.document.body;
    expect(await within(tv).findByRole('heading', { name: '2026年11月低保对象公示' })).toBeTruthy();
    expect(screen.queryByText(/没有找到第二个显示器/)).toBeNull();
    // The counter works on, its keys its own: Escape on the counter does not touch the television.
    await user.keyboard('{Alt>}n{/Alt}');
    await screen.findByRole('searchbox');
    await user.keyboard('{Escape}');
    await user.keyboard('{Alt>}l{/Alt}');
    await screen.findByRole('heading', { name: '终端已锁定，请输入PIN码继续' });
    expect(within(tv).getByRole('heading', { name: '2026年11月低保对象公示' })).toBeTruthy();
    expect(within(tv).queryByRole('button', { name: '工作人员登录' })).toBeNull();
    expect(close).not.toHaveBeenCalled();

    await user.type(screen.getByLabelText('PIN码'), '2580{Enter}');
    await user.click(await screen.findByRole('button', { name: '关闭电视公示' }));
    await waitFor(() => {
      expect(close).toHaveBeenCalled();
    });
    expect(screen.getByRole('button', { name: '电视公示' })).toBeTruthy();
    frame.remove();
  }, 90_000);
});
