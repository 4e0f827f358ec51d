// @vitest-environment jsdom
/**
 * Raising a concern on the residents' page against a real hub (issue 18 §4): a resident picks the town and
 * village, what it is about and writes it, with a mobile number or anonymously, and keeps the code; the
 * village's own affairs go to the village, a 民政 matter to the county. Text holding an ID number is refused
 * at the text field. The replies — written by the town and the county through the review API, as the console
 * does — are read back with the code and phone, each with who answered; a wrong phone finds nothing. English
 * works, and the page never shows a phone number typed.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_APPEAL_TEXT, type ResidentAppealView } from '../../../core/appeal/appeal.js';
import { residentApi } from '../../../renderer/resident/api.js';
import { APPEAL_TEXT_MAX, appealErrorText } from '../../../renderer/resident/appeal.js';
import { ResidentRoot } from '../../../renderer/resident/resident-root.js';
import { makeI18n } from '../../../renderer/ui/i18n.js';
import { hallDb } from '../../../sync-server/store/names.js';
import { addReviewer } from '../../../sync-server/users.js';
import { startTestHub, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { reviewerJson, signInReviewer, type ReviewerSession } from '../../sync-server/reviewer-client.js';
import { memoryStorage } from '../kiosk/harness.js';

let hub: TestHub;
let town: ReviewerSession;
let county: ReviewerSession;
/** What residents type in this file, never to be read back on the page. */
const TYPED = ['13900002222', '139 0000 2222', '13900004444', '13900006666', '13900009999', '13700001111', '422822198001010015'];

beforeAll(async () => {
  hub = await startTestHub({ config: { trustProxy: ['loopback'] } });
  const now = new Date();
  await addReviewer(hub.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, now);
  await addReviewer(hub.hub.store, { name: 'county-admin', displayName: '张敏', role: 'county', password: 'county-secret-1' }, now);
  town = await signInReviewer(hub, 'yezhou', 'yezhou-secret-1');
  county = await signInReviewer(hub, 'county-admin', 'county-secret-1');
}, 60_000);
afterAll(async () => {
  await hub.close();
});
// A test that failed half-way leaves no page behind for the next.
afterEach(cleanup);

const page = (base = hub.base) => render(<ResidentRoot api={residentApi(`${base}/r/`)} preferences={memoryStorage()} fragment="" />);

/**
 * Leave the page, having read all of it: no phone number, no ID number. What the resident is still typing in
 * the text area is theirs, on their own screen (a text area's content is its text): that is left out.
 */
function leave(view: ReturnType<typeof page>) {
  const copy = document.body.cloneNode(true) as HTMLElement;
  for (const typing of copy.querySelectorAll('textarea')) typing.remove();
  const text = copy.textContent;
  expect(text.length).toBeGreaterThan(100);
  for (const typed of TYPED) expect(text).not.toContain(typed);
  expect(text).not.toMatch(/1[3-9]\d{9}/);
  expect(text).not.toMatch(/\d{17}[\dX]/);
  view.unmount();
}

/** What the page says about a field: its error (or hint) and, for the text, its count, as announced with it. */
const saidAbout = (field: HTMLElement) =>
  (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** A date as the page writes it: `2026年12月3日`, `3 Dec 2026`. */
function dateText(date: string, locale: 'zh' | 'en') {
  const [year = 0, month = 0, day = 0] = date.split('-').map(Number);
  return locale === 'zh' ? `${String(year)}年${String(month)}月${String(day)}日` : `${String(day)} ${MONTHS_EN[month - 1] ?? ''} ${String(year)}`;
}

/** The hub's own view of an appeal, opened as the resident would. */
async function hubView(code: string, phone?: string) {
  const answer = await hub.call('POST', '/api/resident/appeals/open', { body: { code: code.replace('-', ''), ...(phone ? { phone } : {}) } });
  expect(answer.status).toBe(200);
  return answer.body as ResidentAppealView;
}

type User = ReturnType<typeof userEvent.setup>;

/** Open "raise a concern" and choose 业州镇 雀儿笼村: the form on the screen when it returns. */
async function openForm(user: User) {
  await user.click(screen.getByRole('button', { name: '反映诉求' }));
  await user.selectOptions(await screen.findByLabelText('乡镇'), '业州镇');
  await user.selectOptions(screen.getByLabelText('村（社区）'), VILLAGE_A);
  return screen.findByLabelText('反映哪方面的事');
}

describe('raising a concern', () => {
  it('raises the village’s own affairs with a phone: the code to keep, the village answering first, the due date', async () => {
    const user = userEvent.setup();
    const view = page();
    const about = await openForm(user);
    const options = within(about)
      .getAllByRole('option')
      .map((option) => option.textContent);
    expect(options.slice(0, 3)).toEqual(['请选择', '村务（村里的路、水、电、账目等）', '民政（含救灾救助）']);
    expect(options.at(-1)).toBe('其他');
    await user.selectOptions(about, 'villageAffairs');
    const text = screen.getByLabelText('想反映的事');
    await user.type(text, '三组的水井坏了一个星期。没有水喝。');
    expect(saidAbout(text)).toContain('已写17字，最多2000字');
    expect(screen.getByRole('radio', { name: '留手机号码' })).toHaveProperty('checked', true);
    expect(saidAbout(screen.getByLabelText('手机号码'))).toBe('看答复要用编号和这个手机号码；需要时，工作人员会打电话给您。');
    await user.type(screen.getByLabelText('手机号码'), '139 0000 2222');
    await user.click(screen.getByRole('button', { name: '提交' }));

    const code = (await screen.findByTestId('appeal-code')).textContent;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(screen.getByText('已经收到您反映的事。')).toBeTruthy();
    expect(screen.getByText('请记下编号，或截图保存。看答复要用编号和您留的手机号码。')).toBeTruthy();
    const held = await hubView(code, '13900002222');
    expect(held).toMatchObject({ category: 'villageAffairs', heldBy: 'village', status: 'open', anonymous: false, text: '三组的水井坏了一个星期。没有水喝。' });
    expect(screen.getByTestId('appeal-held-by').textContent).toBe('雀儿笼村');
    expect(screen.getByTestId('appeal-reply-due').textContent).toBe(`在${dateText(held.firstReplyDue, 'zh')}前答复`);
    expect(screen.getByTestId('appeal-category').textContent).toBe('村务（村里的路、水、电、账目等）');
    expect(screen.getByText('业州镇雀儿笼村')).toBeTruthy();

    // The code just given is filled in below, to read the replies with the phone.
    const codeField = screen.getByLabelText('诉求编号');
    expect(codeField).toHaveProperty('value', code);
    await user.type(screen.getByLabelText('反映时留的手机号码'), '13900002222');
    await user.click(screen.getByRole('button', { name: '查看答复' }));
    expect((await screen.findByTestId('appeal-status')).textContent).toBe('正在办理，还没有答复');
    expect(screen.getByTestId('appeal-text').textContent).toBe(held.text);
    expect(screen.getByText(`还没有答复。雀儿笼村会在${dateText(held.firstReplyDue, 'zh')}前答复。`)).toBeTruthy();
    leave(view);
  });

  it('raises a 民政 matter anonymously: the county answers it, and its code alone opens it', async () => {
    const user = userEvent.setup();
    const view = page();
    await user.selectOptions(await openForm(user), 'MZ');
    await user.type(screen.getByLabelText('想反映的事'), '低保金这个月还没有到账。');
    await user.click(screen.getByRole('radio', { name: '不留号码（匿名）' }));
    expect(screen.queryByLabelText('手机号码')).toBeNull();
    expect(screen.getByText('不留号码，就一定要记好编号：只凭编号就能看答复，谁拿到编号都能看到，请不要给别人。')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '提交' }));

    const code = (await screen.findByTestId('appeal-code')).textContent;
    expect(screen.getByText('请记下编号，或截图保存。看答复只要编号，谁拿到编号都能看到答复，请不要给别人。')).toBeTruthy();
    expect(screen.getByTestId('appeal-held-by').textContent).toBe('县里');
    expect(screen.getByTestId('appeal-category').textContent).toBe('民政（含救灾救助）');
    expect(await hubView(code)).toMatchObject({ category: 'MZ', heldBy: 'county', anonymous: true });

    // The phone field left empty: the code alone.
    await user.click(screen.getByRole('button', { name: '查看答复' }));
    expect((await screen.findByTestId('appeal-status')).textContent).toBe('正在办理，还没有答复');
    // As raised above, and as read again below.
    expect(screen.getAllByTestId('appeal-held-by').map((held) => held.textContent)).toEqual(['县里', '县里']);
    leave(view);
  });

  it('says at the text field that an ID or phone number must come out, and what is missing, storing nothing', async () => {
    const user = userEvent.setup();
    const view = page();
    await openForm(user);
    await user.click(screen.getByRole('button', { name: '提交' }));
    expect(saidAbout(screen.getByLabelText('反映哪方面的事'))).toBe('请选择反映哪方面的事。');
    expect(saidAbout(screen.getByLabelText('想反映的事'))).toBe('请写下想反映的事，最多2000字。 已写0字，最多2000字');
    expect(saidAbout(screen.getByLabelText('手机号码'))).toBe('请填11位手机号码；不想留号码，请选“不留号码（匿名）”。');

    await user.selectOptions(screen.getByLabelText('反映哪方面的事'), 'other');
    const text = screen.getByLabelText('想反映的事');
    await user.type(text, '我的身份证422822198001010015办不了社保卡');
    await user.type(screen.getByLabelText('手机号码'), '13700001111');
    await user.click(screen.getByRole('button', { name: '提交' }));
    await screen.findByText('内容里有身份证号码，请删掉。反映问题不需要身份证号码。');
    expect(saidAbout(text)).toContain('内容里有身份证号码，请删掉。反映问题不需要身份证号码。');
    expect(text.getAttribute('aria-invalid')).toBe('true');
    expect(saidAbout(screen.getByLabelText('手机号码'))).toBe('看答复要用编号和这个手机号码；需要时，工作人员会打电话给您。');

    await user.clear(text);
    await user.type(text, '路灯坏了，请打 13700001111 找我');
    await user.click(screen.getByRole('button', { name: '提交' }));
    await screen.findByText(/^内容里有电话号码，请删掉。/);
    expect(saidAbout(text)).toContain('想让工作人员打电话，请把手机号码填在下面的“手机号码”一栏。');

    const stored = await hub.hub.store.docsWithPrefix(hallDb(VILLAGE_A), 'appeal:');
    expect(JSON.stringify(stored)).not.toContain('422822198001010015');
    expect(JSON.stringify(stored)).not.toContain('路灯坏了');
    leave(view);
  });

  it('tells a phone without a connection so, and offers to try again', async () => {
    const user = userEvent.setup();
    const view = page('http://127.0.0.1:9');
    await user.click(screen.getByRole('button', { name: '反映诉求' }));
    expect((await screen.findByRole('alert')).textContent).toBe('手机没有连上网络，请连网后再试。');
    expect(screen.getByRole('button', { name: '再试一次' })).toBeTruthy();
    leave(view);
  });
});

describe('reading the replies', () => {
  it('shows every answer in order, with the level that gave it, and who holds it now', async () => {
    // Raised by another resident from an address of its own: 公安（户政） is the town's.
    const raised = await hub.call('POST', '/api/resident/appeals', {
      body: { village: VILLAGE_A, category: 'GA', text: '户口迁移办了一个月还没有消息。', phone: '13900004444' },
      headers: { 'x-forwarded-for': '198.51.100.20' },
    });
    expect(raised.status).toBe(201);
    const { code, heldBy } = raised.body as ResidentAppealView;
    expect(heldBy).toBe('town');
    const events = `/api/review/appeals/${VILLAGE_A}/${code}/events`;
    expect((await reviewerJson(hub, town, 'POST', events, { type: 'replied', text: '已经催办。下周可以办好。' })).status).toBe(200);
    expect((await reviewerJson(hub, town, 'POST', events, { type: 'passedOn', to: 'county', text: '需要县公安局审批。' })).status).toBe(200);
    expect((await reviewerJson(hub, county, 'POST', events, { type: 'replied', text: '县公安局已审批。请到派出所领取。' })).status).toBe(200);

    const user = userEvent.setup();
    const view = page();
    await user.click(screen.getByRole('button', { name: '反映诉求' }));
    await user.type(screen.getByLabelText('诉求编号'), code.toLowerCase());
    await user.type(screen.getByLabelText('反映时留的手机号码'), '13900004444');
    await user.click(screen.getByRole('button', { name: '查看答复' }));

    expect((await screen.findByTestId('appeal-status')).textContent).toBe('已经答复');
    expect(screen.getByTestId('appeal-held-by').textContent).toBe('县里');
    expect(screen.getByText('现在由谁办理')).toBeTruthy();
    expect(screen.getByTestId('appeal-text').textContent).toBe('户口迁移办了一个月还没有消息。');
    // The sector by its name, read from the village's hall.
    expect((await screen.findByTestId('appeal-category')).textContent).toBe('公安（户政）');
    const answers = within(screen.getByTestId('appeal-answers')).getAllByRole('listitem');
    expect(answers.map((answer) => [answer.dataset.level, answer.dataset.type])).toEqual([
      ['town', 'replied'],
      ['town', 'passedOn'],
      ['county', 'replied'],
    ]);
    expect(answers.map((answer) => answer.querySelector('.answer-head')?.textContent.split(' · ')[0])).toEqual([
      '业州镇答复',
      '业州镇转交县里办理',
      '县里答复',
    ]);
    expect(answers.map((answer) => answer.querySelector('.appeal-text')?.textContent)).toEqual([
      '已经催办。下周可以办好。',
      '需要县公安局审批。',
      '县公安局已审批。请到派出所领取。',
    ]);
    // Answered by level, never by the person's name.
    expect(document.body.textContent).not.toContain('李强');
    expect(document.body.textContent).not.toContain('张敏');

    // Closed by the county: settled, nothing more due.
    expect((await reviewerJson(hub, county, 'POST', events, { type: 'closed', text: '已办结。' })).status).toBe(200);
    await user.click(screen.getByRole('button', { name: '查看另一件' }));
    await user.type(screen.getByLabelText('诉求编号'), code);
    await user.type(screen.getByLabelText('反映时留的手机号码'), '13900004444');
    await user.click(screen.getByRole('button', { name: '查看答复' }));
    expect((await screen.findByTestId('appeal-status')).textContent).toBe('已经办结');
    expect(screen.queryByTestId('appeal-held-by')).toBeNull();
    expect(within(screen.getByTestId('appeal-answers')).getAllByRole('listitem').at(-1)?.textContent).toContain('县里办结');
    leave(view);
  });

  it('answers a wrong phone as nothing found, and a malformed code or phone at its field', async () => {
    const raised = await hub.call('POST', '/api/resident/appeals', {
      body: { village: VILLAGE_A, category: 'other', text: '村口路灯不亮。', phone: '13900004444' },
      headers: { 'x-forwarded-for': '198.51.100.21' },
    });
    const { code } = raised.body as ResidentAppealView;
    const user = userEvent.setup();
    const view = page();
    await user.click(screen.getByRole('button', { name: '反映诉求' }));
    const codeField = screen.getByLabelText('诉求编号');
    const phone = screen.getByLabelText('反映时留的手机号码');
    await user.type(codeField, code);
    await user.type(phone, '13900009999');
    await user.click(screen.getByRole('button', { name: '查看答复' }));
    expect((await screen.findByRole('alert')).textContent).toBe('没有找到：请核对编号和手机号码。匿名反映的，手机号码一栏不填。');

    await user.clear(phone);
    await user.type(phone, '1234');
    await user.click(screen.getByRole('button', { name: '查看答复' }));
    await screen.findByText('请填11位手机号码；匿名反映的，这一栏不填。');
    expect(saidAbout(phone)).toBe('请填11位手机号码；匿名反映的，这一栏不填。');

    await user.clear(codeField);
    await user.type(codeField, 'ABC1');
    await user.click(screen.getByRole('button', { name: '查看答复' }));
    await screen.findByText('编号是8位字母和数字，请照提交时显示的核对。');
    expect(saidAbout(codeField)).toBe('编号是8位字母和数字，请照提交时显示的核对。');
    leave(view);
  });
});

describe('in English', () => {
  it('raises and reads a concern in English', async () => {
    const user = userEvent.setup();
    const view = page();
    await user.click(screen.getByRole('button', { name: 'English' }));
    await user.click(screen.getByRole('button', { name: 'Raise a concern' }));
    await user.selectOptions(await screen.findByLabelText('Town'), '业州镇');
    await user.selectOptions(screen.getByLabelText('Village'), VILLAGE_A);
    const about = await screen.findByLabelText('What is it about');
    expect(within(about).getByRole('option', { name: 'Civil affairs (social assistance, incl. disaster relief)' })).toBeTruthy();
    await user.selectOptions(about, 'villageAffairs');
    await user.type(screen.getByLabelText('What would you like to tell us'), 'The road to group three is broken.');
    await user.type(screen.getByLabelText('Mobile number'), '13900006666');
    await user.click(screen.getByRole('button', { name: 'Send' }));

    const code = (await screen.findByTestId('appeal-code')).textContent;
    const held = await hubView(code, '13900006666');
    expect(screen.getByText('We have received it.')).toBeTruthy();
    expect(screen.getByText('Answered first by')).toBeTruthy();
    expect(screen.getByTestId('appeal-held-by').textContent).toBe('雀儿笼村 (village)');
    expect(screen.getByTestId('appeal-reply-due').textContent).toBe(`By ${dateText(held.firstReplyDue, 'en')}`);
    expect(screen.getByTestId('appeal-category').textContent).toBe('Village affairs (roads, water, power, the accounts…)');

    await user.type(screen.getByLabelText('The mobile number you gave'), '13900006667');
    await user.click(screen.getByRole('button', { name: 'Show the replies' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Nothing found: check the code and the mobile number. If you stayed anonymous, leave the number empty.',
    );
    leave(view);
  });
});

describe('every refusal of the hub', () => {
  const CODES = [
    'appeal.text',
    'appeal.text.idNumber',
    'appeal.text.phone',
    'appeal.category',
    'appeal.tooMany',
    'appeal.notFound',
    'appeal.code',
    'appeal.tooManyTries',
    'booking.phone',
    'hall.unknown',
    'offline',
  ];

  it.each(['zh-CN', 'en'] as const)('has a sentence of its own in %s, and a wait in minutes or hours', (locale) => {
    const { t } = makeI18n(locale);
    const texts = CODES.map((code) => appealErrorText(t, { code, retryAfterSeconds: 120 }));
    const unavailable = appealErrorText(t, { code: 'unavailable' });
    expect(new Set([...texts, unavailable]).size).toBe(CODES.length + 1);
    expect(appealErrorText(t, { code: 'store_unavailable' })).toBe(unavailable);
    expect(appealErrorText(t, { code: 'booking.phone' }, 'read')).not.toBe(appealErrorText(t, { code: 'booking.phone' }));
    expect(appealErrorText(t, { code: 'appeal.tooMany', retryAfterSeconds: 120 })).toContain(locale === 'en' ? '2 min' : '2分钟');
    expect(appealErrorText(t, { code: 'appeal.tooManyTries', retryAfterSeconds: 20 * 3600 })).toContain(locale === 'en' ? '20 h' : '20小时');
  });

  it('holds the page’s text limit to the hub’s', () => {
    expect(APPEAL_TEXT_MAX).toBe(MAX_APPEAL_TEXT);
  });
});
