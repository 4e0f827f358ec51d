// @vitest-environment jsdom
/**
 * The residents' page against a real hub: the case number from the QR code's fragment, an answer, the
 * progress in plain words with the name masked; each refusal said in the resident's language, and a phone
 * without a connection told so.
 */
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { residentApi } from '../../../renderer/resident/api.js';
import { ResidentRoot } from '../../../renderer/resident/resident-root.js';
import { startTestHub, storeForwardedCase, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { memoryStorage } from '../kiosk/harness.js';

let hub: TestHub;
let caseNumber: string;

beforeAll(async () => {
  hub = await startTestHub();
  caseNumber = await storeForwardedCase(hub, await hub.enroll(VILLAGE_A), '张三国', [], { lookupCode: 'K7QX2M9P' });
}, 60_000);
afterAll(async () => {
  await hub.close();
});

const page = (base: string, fragment: string) => render(<ResidentRoot api={residentApi(`${base}/r/`)} preferences={memoryStorage()} fragment={fragment} />);

describe('the residents’ page', () => {
  it('fills the case number from the QR code, and shows the progress with the name masked', async () => {
    const user = userEvent.setup();
    const view = page(hub.base, `#${caseNumber}`);
    expect(screen.getByLabelText('受理编号')).toHaveProperty('value', caseNumber);
    await user.type(screen.getByLabelText('手机号后四位或查询码'), '1111');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect((await screen.findByTestId('resident-status')).textContent).toBe('审核中');
    expect(screen.getByTestId('resident-next-step').textContent).toBe('正在由业州镇办理，不需要您做什么。');
    expect(screen.getByTestId('resident-applicant').textContent).toBe('张*国');
    expect(document.body.textContent).not.toContain('张三国');
    view.unmount();
  });

  it('says what is wrong in the resident’s language: the answer, a miss, and in English too', async () => {
    const user = userEvent.setup();
    const view = page(hub.base, `#${caseNumber}`);
    const answer = screen.getByLabelText('手机号后四位或查询码');
    await user.type(answer, '12');
    await user.click(screen.getByRole('button', { name: '查询' }));
    expect((await screen.findByRole('alert')).textContent).toBe('请填手机号后四位（4位数字），或回执上的8位查询码。');
    await user.clear(answer);
    await user.type(answer, '9999');
    await user.click(screen.getByRole('button', { name: '查询' }));
    await screen.findByText('没有找到：请核对受理编号和手机号后四位（或查询码）。');
    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.click(screen.getByRole('button', { name: 'Look it up' }));
    await screen.findByText('Nothing found: check the case number and the phone digits (or the lookup code).');
    // What was typed stays: nothing to type again after a miss.
    expect(screen.getByLabelText('Last four digits of your phone, or the lookup code')).toHaveProperty('value', '9999');
    view.unmount();
  });

  it('tells a phone without a connection so, rather than "not found"', async () => {
    const user = userEvent.setup();
    const view = page('http://127.0.0.1:9', `#${caseNumber}`);
    await user.type(screen.getByLabelText('手机号后四位或查询码'), '1111');
    await user.click(screen.getByRole('button', { name: '查询' }));
    await screen.findByText('手机没有连上网络，请连网后再试。');
    view.unmount();
  });
});
