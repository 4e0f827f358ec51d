// @vitest-environment jsdom
/**
 * The village's notices on the residents' page against a real hub (issue 19 §1–2): a resident picks the town
 * and village and reads what the town approved and is on display — its kind, title, period, note and every
 * line as a card (never a table wider than the phone; the layout at 360 px is checked in real Chromium by
 * test/e2e/resident-board.e2e.test.ts) — never one still awaiting the town; the village's service figures by
 * month with the open data to download; the archive of what ended. Objecting to line 2 gives a code, shown
 * large, and an appeal to the town about that line, whose replies are read under "Raise a concern" with
 * the code handed over. An objection holding an ID number is refused at the text, in the resident's language.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ResidentAppealView } from '../../../core/appeal/appeal.js';
import type { Publication } from '../../../core/disclosure/publication.js';
import { publicationDoc } from '../../support/publication-doc.js';
import type { ServiceFigures } from '../../../core/disclosure/service-figures.js';
import { residentApi } from '../../../renderer/resident/api.js';
import { objectionErrorText } from '../../../renderer/resident/board.js';
import { ResidentRoot } from '../../../renderer/resident/resident-root.js';
import { makeI18n } from '../../../renderer/ui/i18n.js';
import { hallDb } from '../../../sync-server/store/names.js';
import { addReviewer } from '../../../sync-server/users.js';
import { startTestHub, storeForwardedCase, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { reviewerJson, signInReviewer } from '../../sync-server/reviewer-client.js';
import { memoryStorage } from '../kiosk/harness.js';

let hub: TestHub;
/** The hub's clock: 10:00 on 1 December 2026, China time. */
const NOW = Date.parse('2026-12-01T02:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;
/** What residents type in this file, never to be read back on the page. */
const TYPED = ['13900007777', '422822198001010015'];

/** A publication as the kiosk prepares it and the town decides it (a day before), written straight into the hall database. */
function publication(id: string, fields: Partial<Publication> & { approvedAt?: number }): Publication & { _id: string } {
  const { approvedAt, ...overrides } = fields;
  return publicationDoc(id, {
    village: VILLAGE_A,
    preparedMs: (approvedAt ?? NOW) - DAY,
    ...(approvedAt === undefined ? {} : { approvedMs: approvedAt }),
    rows: [
      ['张*', '3', '620'],
      ['李*', '2', '480'],
      ['欧阳*', '1', '310'],
    ],
    ...overrides,
  });
}

beforeAll(async () => {
  hub = await startTestHub({ config: { trustProxy: ['loopback'] }, now: () => new Date(NOW) });
  const put = async (doc: Publication & { _id: string }) => {
    const written = await hub.hub.store.putDoc(hallDb(VILLAGE_A), doc);
    if (!written.ok) throw new Error(written.error.reason);
  };
  // On display since yesterday for a week, with a note; still awaiting the town; shown in November and ended.
  await put(publication('pub-board-on-01', { approvedAt: NOW - DAY, note: '对名单有异议的，请在公示期内提出。\n联系村委会。' }));
  await put(publication('pub-board-wait-1', { title: '还在等镇里审核的名单' }));
  await put(publication('pub-board-old-01', { approvedAt: NOW - 20 * DAY, category: 'subsidiesPaid', title: '2026年10月临时救助公示' }));

  // Two cases accepted on 26 November; the county decides one today.
  const kiosk = await hub.enroll(VILLAGE_A);
  const now = new Date(NOW);
  await addReviewer(hub.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, now);
  await addReviewer(hub.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, now);
  const decided = await storeForwardedCase(hub, kiosk, '张三国');
  await storeForwardedCase(hub, kiosk, '李秀英');
  await hub.hub.queue.settled();
  const town = await signInReviewer(hub, 'yezhou', 'yezhou-secret-1');
  const county = await signInReviewer(hub, 'county-admin', 'county-secret-1');
  expect((await reviewerJson(hub, town, 'POST', `/api/review/cases/${decided}/events`, { type: 'forwarded', to: 'county' })).status).toBe(201);
  expect((await reviewerJson(hub, county, 'POST', `/api/review/cases/${decided}/events`, { type: 'approved', note: '符合条件' })).status).toBe(201);
  await hub.hub.queue.settled();
}, 60_000);
afterAll(async () => {
  await hub.close();
});
afterEach(cleanup);

const page = () => render(<ResidentRoot api={residentApi(`${hub.base}/r/`)} preferences={memoryStorage()} fragment="" />);

/** Leave the page, having read all of it but what is still being typed: no phone, no ID number, no one's name. */
function leave(view: ReturnType<typeof page>) {
  const copy = document.body.cloneNode(true) as HTMLElement;
  for (const typing of copy.querySelectorAll('textarea')) typing.remove();
  const text = copy.textContent;
  expect(text.length).toBeGreaterThan(100);
  for (const typed of TYPED) expect(text).not.toContain(typed);
  expect(text).not.toMatch(/1[3-9]\d{9}/);
  for (const person of ['王芳', '李强', '张三国', '李秀英']) expect(text).not.toContain(person);
  view.unmount();
}

/** What the page says about a field: its error or hint (and a text's count), as announced with it. */
const saidAbout = (field: HTMLElement) =>
  (field.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .map((id) => document.getElementById(id)?.textContent ?? '')
    .join(' ')
    .trim();

type User = ReturnType<typeof userEvent.setup>;

/** Open "village notices" and choose 业州镇 雀儿笼村: its board once read. */
async function openBoard(user: User) {
  await user.click(screen.getByRole('button', { name: '村务公开' }));
  await user.selectOptions(await screen.findByLabelText('乡镇'), '业州镇');
  await user.selectOptions(screen.getByLabelText('村（社区）'), VILLAGE_A);
  await screen.findByRole('heading', { name: '雀儿笼村正在公示' });
  const shown = screen.getAllByTestId('board-publication');
  expect(shown).toHaveLength(1);
  return shown[0] as HTMLElement;
}

/** Each line of a publication as shown: its number and its values. */
const linesOf = (publication: HTMLElement) =>
  within(publication)
    .getAllByRole('listitem')
    .map((line) => [line.querySelector('.board-line')?.textContent, ...[...line.querySelectorAll('dd')].map((cell) => cell.textContent)]);

async function hubView(code: string, phone?: string) {
  const answer = await hub.call('POST', '/api/resident/appeals/open', { body: { code: code.replace('-', ''), ...(phone ? { phone } : {}) } });
  expect(answer.status).toBe(200);
  return answer.body as ResidentAppealView;
}

describe('the village’s notices', () => {
  it('shows what the town approved, for its period, each line a card; never one awaiting the town', async () => {
    const user = userEvent.setup();
    const view = page();
    const shown = await openBoard(user);
    expect(within(shown).getByText('救助对象公示')).toBeTruthy();
    expect(within(shown).getByRole('heading', { name: '2026年11月低保对象公示' })).toBeTruthy();
    // Approved yesterday at 10:00 for seven days.
    expect(within(shown).getByTestId('board-period').textContent).toBe('公示期至2026年12月7日 10:00');
    expect(shown.querySelector('.board-note')?.textContent).toBe('对名单有异议的，请在公示期内提出。\n联系村委会。');
    expect(within(shown).getByText('共3行')).toBeTruthy();
    expect(linesOf(shown)).toEqual([
      ['第1行', '张*', '3', '620'],
      ['第2行', '李*', '2', '480'],
      ['第3行', '欧阳*', '1', '310'],
    ]);
    // Each value beside its heading: no table to overflow a phone.
    expect(within(within(shown).getAllByRole('listitem')[1] as HTMLElement).getByText('家庭人口').nextElementSibling?.textContent).toBe('2');
    expect(shown.querySelector('table')).toBeNull();
    expect(within(shown).getAllByRole('button', { name: /^对此提出异议/ })).toHaveLength(3);
    expect(document.body.textContent).not.toContain('还在等镇里审核的名单');
    expect(document.body.textContent).not.toContain('2026年10月临时救助公示');

    // In English: the same list, its kind and period in English.
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(within(shown).getByText('Recipients of assistance')).toBeTruthy();
    expect(within(shown).getByTestId('board-period').textContent).toBe('On display until 7 Dec 2026 10:00');
    expect(within(shown).getByRole('button', { name: 'Object to this line (line 2)' })).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'On display in 雀儿笼村' })).toBeTruthy();
    leave(view);
  });

  it('shows the village’s service figures by month, the latest first, and the county’s open data to download', async () => {
    const answer = (await hub.call('GET', `/api/resident/board/${VILLAGE_A}`)).body as { figures: ServiceFigures[] };
    const december = answer.figures.find((row) => row.month === '2026-12');
    expect(december).toMatchObject({ accepted: 0, decided: 1, medianDaysToDecision: 5 });
    const onTime = `${String(Math.round(((december?.decidedWithinTimeLimit ?? 0) / (december?.decidedWithTimeLimit ?? 1)) * 100))}%`;

    const user = userEvent.setup();
    const view = page();
    await openBoard(user);
    // One card a month, the latest first: each figure named beside its value.
    const months = within(screen.getByRole('list', { name: '办事情况' }))
      .getAllByRole('listitem')
      .map((month) => [month.querySelector('h4')?.textContent, ...[...month.querySelectorAll('dt, dd')].map((cell) => cell.textContent)]);
    expect(months).toEqual([
      ['2026年12月', '受理件数', '0', '办结件数', '1', '按时办结率', onTime, '办理天数（中位数）', '5天'],
      ['2026年11月', '受理件数', '2', '办结件数', '0', '按时办结率', '—', '办理天数（中位数）', '—'],
    ]);

    const csv = screen.getByRole('link', { name: 'CSV表格' });
    expect(csv.getAttribute('href')).toBe(`${hub.base}/api/open/service-figures.csv`);
    expect(screen.getByRole('link', { name: 'JSON数据' }).getAttribute('href')).toBe(`${hub.base}/api/open/service-figures.json`);
    const download = await fetch(csv.getAttribute('href') ?? '');
    expect(download.status).toBe(200);
    expect(await download.text()).toContain(`${VILLAGE_A},雀儿笼村,业州镇,2026-12,0,1,`);

    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(within(screen.getByRole('list', { name: 'Services in figures' })).getAllByRole('heading')[0]?.textContent).toBe('Dec 2026');
    leave(view);
  });

  it('lists what ended in the archive, folded, with its period, taking no objection', async () => {
    const user = userEvent.setup();
    const view = page();
    await openBoard(user);
    await user.click(screen.getByRole('button', { name: '查看往期公示' }));
    await screen.findByRole('heading', { name: '雀儿笼村往期公示' });
    const past = await screen.findAllByTestId('board-past');
    expect(past).toHaveLength(1);
    const ended = past[0] as HTMLElement;
    expect(ended.tagName).toBe('DETAILS');
    expect(ended.querySelector('summary')?.textContent).toBe('2026年10月临时救助公示 已结束');
    expect(within(ended).getByText('补贴发放公示')).toBeTruthy();
    // Approved 20 days ago at 10:00 for seven days.
    expect(within(ended).getByTestId('board-period').textContent).toBe('公示期：2026年11月11日至2026年11月18日');
    expect(linesOf(ended)).toHaveLength(3);
    expect(within(ended).queryByRole('button', { name: /对此提出异议/ })).toBeNull();
    expect(screen.queryAllByTestId('board-publication')).toEqual([]);
    expect(document.body.textContent).not.toContain('还在等镇里审核的名单');

    await user.click(screen.getByRole('button', { name: '返回正在公示的内容' }));
    expect(screen.getAllByTestId('board-publication')).toHaveLength(1);
    leave(view);
  });
});

describe('objecting to a line', () => {
  it('raises an appeal to the town about line 2, gives the code to keep, and reads its replies under “raise a concern”', async () => {
    const user = userEvent.setup();
    const view = page();
    const shown = await openBoard(user);
    await user.click(within(shown).getByRole('button', { name: '对此提出异议（第2行）' }));
    const form = screen.getByRole('form', { name: '对第2行提出异议' });
    // Under the line it is about.
    expect(form.closest('li')?.querySelector('.board-line')?.textContent).toBe('第2行');
    expect(within(shown).getAllByRole('button', { name: /^对此提出异议/ })).toHaveLength(2);
    const text = within(form).getByLabelText('哪里不对');
    expect(saidAbout(text)).toBe('写清楚哪里不对、为什么。不要写身份证号码和电话号码。 已写0字，最多2000字');
    await user.type(text, '李*家里有两辆货车，不符合低保条件。');
    await user.type(within(form).getByLabelText('手机号码（可以不填）'), '13900007777');
    await user.click(within(form).getByRole('button', { name: '提交异议' }));

    const code = (await screen.findByTestId('objection-code')).textContent;
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
    expect(screen.getByRole('status').textContent).toBe('已经收到您对第2行的异议。');
    expect(screen.getByText('请记下编号，或截图保存。看答复要用编号和您留的手机号码。')).toBeTruthy();
    const held = await hubView(code, '13900007777');
    expect(held).toMatchObject({
      heldBy: 'town',
      category: 'villageAffairs',
      anonymous: false,
      text: '李*家里有两辆货车，不符合低保条件。',
      objection: { publication: 'pub-board-on-01', title: '2026年11月低保对象公示', row: 2 },
    });
    const [year, month, day] = held.firstReplyDue.split('-').map(Number);
    expect(screen.getByTestId('objection-answer').textContent).toBe(
      `业州镇会核查，在${String(year)}年${String(month)}月${String(day)}日前答复。看答复：打开“反映诉求”，在“查看答复”里填这个编号。`,
    );

    // The code handed to "raise a concern": the replies, and the line they are about.
    await user.click(screen.getByRole('button', { name: '去“反映诉求”查看答复' }));
    expect(screen.getByRole('button', { name: '反映诉求' }).getAttribute('aria-current')).toBe('true');
    expect(screen.getByLabelText('诉求编号')).toHaveProperty('value', code);
    await user.type(screen.getByLabelText('反映时留的手机号码'), '13900007777');
    await user.click(screen.getByRole('button', { name: '查看答复' }));
    expect((await screen.findByTestId('appeal-status')).textContent).toBe('正在办理，还没有答复');
    expect(screen.getByTestId('appeal-objection').textContent).toBe('“2026年11月低保对象公示”第2行');
    expect(screen.getByTestId('appeal-held-by').textContent).toBe('业州镇');

    // Back on the board, the same village is still chosen.
    await user.click(screen.getByRole('button', { name: '村务公开' }));
    await user.click(screen.getByRole('button', { name: '返回正在公示的内容' }));
    expect(screen.getAllByTestId('board-publication')).toHaveLength(1);
    leave(view);
  });

  it('says at the text that an ID number must come out, and what else is wrong, storing nothing', async () => {
    const user = userEvent.setup();
    const view = page();
    const shown = await openBoard(user);
    await user.click(within(shown).getByRole('button', { name: '对此提出异议（第1行）' }));
    const form = screen.getByRole('form', { name: '对第1行提出异议' });
    const text = within(form).getByLabelText('哪里不对');
    await user.click(within(form).getByRole('button', { name: '提交异议' }));
    expect(saidAbout(text)).toBe('请写下哪里不对，最多2000字。 已写0字，最多2000字');

    await user.type(text, '张*的身份证422822198001010015，他家不是3口人');
    await user.click(within(form).getByRole('button', { name: '提交异议' }));
    await within(form).findByText('内容里有身份证号码，请删掉。反映问题不需要身份证号码。');
    expect(text.getAttribute('aria-invalid')).toBe('true');

    await user.clear(text);
    await user.type(text, '张*家不是3口人');
    const phone = within(form).getByLabelText('手机号码（可以不填）');
    await user.type(phone, '1234');
    await user.click(within(form).getByRole('button', { name: '提交异议' }));
    await within(form).findByText('请填11位手机号码；不想留号码，这一栏不填。');
    expect(saidAbout(phone)).toBe('请填11位手机号码；不想留号码，这一栏不填。');

    // Thought better of it: the line offers the objection again.
    await user.click(within(form).getByRole('button', { name: '不提了' }));
    expect(screen.queryByRole('form')).toBeNull();
    expect(within(shown).getAllByRole('button', { name: /^对此提出异议/ })).toHaveLength(3);
    const stored = await hub.hub.store.docsWithPrefix(hallDb(VILLAGE_A), 'appeal:');
    expect(JSON.stringify(stored)).not.toContain('422822198001010015');
    expect(JSON.stringify(stored)).not.toContain('不是3口人');
    leave(view);
  });
});

describe('every refusal of an objection', () => {
  const CODES = [
    'board.row',
    'board.notOnDisplay',
    'appeal.text',
    'appeal.text.idNumber',
    'appeal.text.phone',
    'booking.phone',
    'appeal.tooMany',
    'hall.unknown',
    'offline',
  ];

  it.each(['zh-CN', 'en'] as const)('has a sentence of its own in %s', (locale) => {
    const { t } = makeI18n(locale);
    const texts = CODES.map((code) => objectionErrorText(t, { code, retryAfterSeconds: 120 }));
    const unavailable = objectionErrorText(t, { code: 'unavailable' });
    expect(new Set([...texts, unavailable]).size).toBe(CODES.length + 1);
    expect(objectionErrorText(t, { code: 'board.somethingNew' })).toBe(unavailable);
    expect(objectionErrorText(t, { code: 'appeal.tooMany', retryAfterSeconds: 120 })).toContain(locale === 'en' ? '2 min' : '2分钟');
  });
});
