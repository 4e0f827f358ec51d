// @vitest-environment jsdom
/**
 * The counter's appointments screen (issue 18 §3) against a real hub: the clerk sets the hall's hours,
 * books a caller within the counter's share (the full slot then cannot be chosen), sees the day's bookings,
 * begins a case from one — item and name filled in — and the booking is recorded as attended with its case.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { appointmentStatus } from '../../../core/appointment/appointment.js';
import type { LocalDate } from '../../../core/local-date.js';
import { startTestHub, type TestHub } from '../../sync-server/hub-harness.js';
import { signedInCounter, type Counter } from './harness.js';

let hub: TestHub | undefined;
let counter: Counter | undefined;

afterEach(async () => {
  await counter?.close();
  await hub?.close();
  counter = undefined;
  hub = undefined;
});

const replaceText = async (user: Counter['user'], label: string, text: string) => {
  const field = screen.getByLabelText(label);
  await user.clear(field);
  await user.type(field, text);
};

describe('the counter’s appointments', () => {
  it('sets the hours, books a caller within the counter’s share, and begins the case from the booking', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    const { user, data } = counter;
    await user.keyboard('{Alt>}a{/Alt}');
    await screen.findByRole('heading', { name: '预约办事' });
    expect(screen.getByText(/本村还没有设置预约时段/)).toBeTruthy();

    await replaceText(user, '办理时间段', '09:00-11:00');
    await replaceText(user, '每个时段多少分钟', '60');
    await replaceText(user, '每个时段可约人数', '3');
    await replaceText(user, '其中留给窗口的名额', '1');
    await user.click(screen.getByRole('button', { name: '保存时段设置' }));
    expect(await screen.findByText(/已保存/)).toBeTruthy();

    const form = (await screen.findByRole('heading', { name: '为来电或来访群众预约' })).closest('form') as HTMLFormElement;
    const booking = within(form);
    const day = booking.getByLabelText<HTMLSelectElement>('预约日期').value as LocalDate;
    await booking.findByRole('option', { name: /^09:00–10:00/ });
    await user.selectOptions(booking.getByLabelText('时段'), '09:00');
    await user.selectOptions(booking.getByLabelText('办理事项'), 'MZ-01');
    await user.type(booking.getByLabelText('姓名'), '赵六');
    // A phone that is not a mobile number is said so at its field, and nothing is booked.
    await user.type(booking.getByLabelText('手机号（可不填）'), '123');
    await user.click(booking.getByRole('button', { name: '预约' }));
    expect(await booking.findByText('请输入11位手机号，或不填')).toBeTruthy();
    await user.clear(booking.getByLabelText('手机号（可不填）'));
    await user.type(booking.getByLabelText('手机号（可不填）'), '139 0000 1103');
    await user.click(booking.getByRole('button', { name: '预约' }));
    expect((await booking.findByText(/已预约：.*预约码 [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/)).textContent).toContain('09:00');
    // The counter's one place at 09:00 is taken: that time can no longer be chosen.
    await waitFor(() => {
      expect(booking.getByRole<HTMLOptionElement>('option', { name: /^09:00–10:00/ }).disabled).toBe(true);
    });

    await user.selectOptions(screen.getByLabelText('查看哪一天的预约'), day);
    const row = await waitFor(() => {
      const found = document.querySelector('tr[data-appointment]');
      if (!found) throw new Error('no booking listed yet');
      return found as HTMLElement;
    });
    expect(row.textContent).toContain('赵六');
    expect(row.textContent).toContain('139****1103');
    expect(row.textContent).toContain('窗口预约');
    expect(row.textContent).not.toContain('13900001103');

    await user.click(within(row).getByRole('button', { name: '开始办理' }));
    expect((await screen.findByTestId('chosen-item')).textContent).toContain('最低生活保障');
    expect(screen.getByLabelText<HTMLInputElement>('申请人姓名').value).toBe('赵六');
    await user.type(screen.getAllByLabelText('身份证号码')[0] as HTMLElement, '422822198001010015');
    await user.click(screen.getByRole('button', { name: '必交材料全部已收' }));
    for (const choice of screen.queryAllByLabelText('不适用')) await user.click(choice);
    await user.keyboard('{Control>}{Enter}{/Control}');
    const caseNumber = (await screen.findByTestId('receipt-case-number')).textContent;
    const attended = await waitFor(async () => {
      const list = await firstValueFrom(data.hall.appointmentsOn$(day));
      const found = list.find((appointment) => appointmentStatus(appointment) === 'attended');
      if (!found) throw new Error('not recorded yet');
      return found;
    });
    expect(attended.events[0]).toMatchObject({ type: 'attended', caseNumber, by: { role: 'clerk', name: '王芳' } });
  }, 90_000);
});
