/**
 * Publications of village affairs on a real hub (issue 19): a kiosk submits one through its hall database's
 * sync, guarded as at the counter; nothing reaches the board before a town reviewer approves it (both acts
 * recorded, the decision audited); it is shown for its days, then only in the archive; a resident objects to a
 * line while it is shown, and the objection is an appeal the town answers; the service figures are open data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ResidentAppealView } from '../../core/appeal/appeal.js';
import { publicationDocIdOf, type Publication } from '../../core/disclosure/publication.js';
import { publicationDoc } from '../support/publication-doc.js';
import { DB, hallDb } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { clerkOf, startTestHub, storeForwardedCase, VILLAGE_A, VILLAGE_B, type EnrolledKiosk, type TestHub } from './hub-harness.js';
import { asReviewer, reviewerJson, signInReviewer, type ReviewerSession } from './reviewer-client.js';

let hub: TestHub;
let kiosk: EnrolledKiosk;
let town: ReviewerSession;
let county: ReviewerSession;
let otherTown: ReviewerSession;
let clock = Date.parse('2026-11-30T02:00:00.000Z');
const DAY = 24 * 60 * 60 * 1000;

function publication(id: string, overrides: Partial<Publication> = {}): Publication & { _id: string } {
  return publicationDoc(id, { village: VILLAGE_A, preparedMs: clock - 60_000, clerk: clerkOf(kiosk), ...overrides });
}

const push = (docs: unknown[]) => hub.call('POST', `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`, { auth: kiosk.authorization, body: { docs } });
const board = async (village = VILLAGE_A) =>
  (await hub.call('GET', `/api/resident/board/${village}`)).body as { publications: { id: string; rows: string[][] }[] };
const stored = async (id: string) => {
  const found = await hub.hub.store.getDoc<Publication>(hallDb(VILLAGE_A), publicationDocIdOf(id));
  if (!found.ok) throw new Error(found.error.reason);
  return found.value;
};

beforeAll(async () => {
  hub = await startTestHub({ config: { trustProxy: ['loopback'] }, now: () => new Date(clock) });
  kiosk = await hub.enroll(VILLAGE_A);
  const now = new Date(clock);
  await addReviewer(hub.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, now);
  await addReviewer(hub.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, now);
  await addReviewer(hub.hub.store, { name: 'other-town', role: 'town', town: '422822101000', password: 'other-secret-1' }, now);
  town = await signInReviewer(hub, 'yezhou', 'yezhou-secret-1');
  county = await signInReviewer(hub, 'county-admin', 'county-secret-1');
  otherTown = await signInReviewer(hub, 'other-town', 'other-secret-1');
}, 60_000);

afterAll(async () => {
  await hub.close();
});

describe('what a kiosk may send', () => {
  it('takes a submitted publication, and refuses one that would leak or skip the town', async () => {
    expect((await push([publication('pub-accepted-01')])).body).toMatchObject([{ ok: true }]);
    const refused = await push([
      publication('pub-idnumber-01', { rows: [['张*', '3', '422822198001010016']] }),
      publication('pub-unmasked-1', { rows: [['张三国', '3', '620']] }),
      publication('pub-bankcard-1', { note: '发放至 6222 0202 0000 0000 006' }),
      publication('pub-address-01', { columns: [{ label: '住址', role: 'text' }], rows: [['雀儿笼村三组12号']] }),
      publication('pub-approved-1', {
        events: [
          { id: 'submit-x-0001', type: 'submitted', at: new Date(clock - 60_000).toISOString(), by: clerkOf(kiosk) },
          { id: 'approve-x-001', type: 'approved', at: new Date(clock - 30_000).toISOString(), by: { id: 'yezhou', name: '李强', level: 'town' } },
        ],
      }),
      publication('pub-nosubmit-1', { events: [] }),
      publication('pub-othervil-1', { village: VILLAGE_B }),
    ]);
    const answers = refused.body as { error?: string; reason?: string }[];
    expect(answers.map((answer) => answer.error)).toEqual(Array(7).fill('forbidden'));
    expect(answers[0]?.reason).toMatch(/idNumber|ID number/);
    expect(answers[1]?.reason).toMatch(/unmaskedName/);
    expect(answers[2]?.reason).toMatch(/bankCard/);
    expect(answers[3]?.reason).toMatch(/address/);
    expect(answers[4]?.reason).toMatch(/town approves/);
    expect(answers[5]?.reason).toMatch(/submission/);
    const all = await hub.hub.store.docsWithPrefix(hallDb(VILLAGE_A), 'publication:');
    expect(all.ok && all.value.map((doc) => doc._id)).toEqual([publicationDocIdOf('pub-accepted-01')]);
  });

  it('never lets what was published change, nor a recorded event be dropped or rewritten', async () => {
    const current = await stored('pub-accepted-01');
    const changed = await push([{ ...current, rows: [['王*', '1', '9999']] }]);
    expect((changed.body as { reason: string }[])[0]?.reason).toMatch(/never changed/);
    const dropped = await push([{ ...current, events: [] }]);
    expect((dropped.body as { reason: string }[])[0]?.reason).toMatch(/lose what was recorded/);
  });
});

describe('the town’s approval', () => {
  it('is needed before the board shows anything; a county or other town cannot give it; it is audited', async () => {
    expect((await board()).publications).toEqual([]);
    const path = `/api/review/publications/${VILLAGE_A}/pub-accepted-01`;
    expect((await reviewerJson(hub, otherTown, 'GET', path)).status).toBe(404);
    expect((await reviewerJson(hub, otherTown, 'POST', `${path}/approve`, {})).status).toBe(404);
    expect((await reviewerJson(hub, county, 'POST', `${path}/approve`, {})).body).toMatchObject({ error: 'publication.townDecides' });
    expect((await asReviewer(hub, town, 'POST', `${path}/approve`, {}, false)).status).toBe(403);
    expect((await board()).publications).toEqual([]);

    const list = await reviewerJson<{ publications: { id: string; status: string }[] }>(hub, town, 'GET', '/api/review/publications?status=awaitingApproval');
    expect(list.body.publications.map((row) => row.id)).toEqual(['pub-accepted-01']);
    const approved = await reviewerJson<{ status: string; displayUntil: string }>(hub, town, 'POST', `${path}/approve`, {});
    expect(approved.body).toMatchObject({ status: 'onDisplay', displayUntil: new Date(clock + 7 * DAY).toISOString() });
    expect((await reviewerJson(hub, town, 'POST', `${path}/approve`, {})).status).toBe(409);
    const audit = await hub.hub.store.docsWithPrefix<Record<string, unknown>>(DB.audit, 'publication:');
    expect(audit.ok && audit.value).toEqual([
      expect.objectContaining({ action: 'approved', reviewer: 'yezhou', publication: 'pub-accepted-01', village: VILLAGE_A }),
    ]);
    // The county reads it in the audit log, beside the reveals of full numbers.
    const log = await reviewerJson<{ type?: string; action?: string; title?: string }[]>(hub, county, 'GET', '/api/review/audit');
    expect(log.body).toContainEqual(expect.objectContaining({ type: 'publication', action: 'approved', title: '2026年11月低保对象公示' }));
    // The kiosk cannot take the approval back out of it, nor rewrite it as its own.
    const current = await stored('pub-accepted-01');
    expect(((await push([{ ...current, events: current.events.slice(0, 1) }])).body as { error?: string }[])[0]?.error).toBe('forbidden');
  });

  it('shows it on the board and the phone page with exactly what was approved; no board for a returned one', async () => {
    const shown = await board();
    expect(shown.publications).toEqual([
      expect.objectContaining({
        id: 'pub-accepted-01',
        rows: [
          ['张*', '3', '620'],
          ['李*', '2', '480'],
        ],
      }),
    ]);
    expect(JSON.stringify(shown)).not.toMatch(/yezhou|李强|clerk|kiosk/);
    expect((await push([publication('pub-returned-01')])).body).toMatchObject([{ ok: true }]);
    const path = `/api/review/publications/${VILLAGE_A}/pub-returned-01`;
    expect((await reviewerJson(hub, town, 'POST', `${path}/return`, { reason: ' ' })).body).toMatchObject({ error: 'publication.reasonRequired' });
    expect((await reviewerJson(hub, town, 'POST', `${path}/return`, { reason: '金额请与镇民政办核对' })).body).toMatchObject({
      status: 'returned',
      returnedReason: '金额请与镇民政办核对',
    });
    expect((await board()).publications.map((item) => item.id)).toEqual(['pub-accepted-01']);
  });
});

describe('objections', () => {
  it('become an appeal the town answers, while the list is shown, about the line chosen', async () => {
    const url = `/api/resident/board/${VILLAGE_A}/pub-accepted-01/objections`;
    const raised = await hub.call('POST', url, { body: { row: 2, text: '李*家里有车，不应享受低保。' }, headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(raised.status).toBe(201);
    const appeal = raised.body as ResidentAppealView;
    expect(appeal).toMatchObject({ heldBy: 'town', anonymous: true, objection: { publication: 'pub-accepted-01', row: 2, title: '2026年11月低保对象公示' } });
    const listed = await reviewerJson<{ appeals: { code: string; heldBy: string }[] }>(hub, town, 'GET', '/api/review/appeals');
    expect(listed.body.appeals).toContainEqual(expect.objectContaining({ code: appeal.code, heldBy: 'town' }));
    const answered = await reviewerJson(hub, town, 'POST', `/api/review/appeals/${VILLAGE_A}/${appeal.code}/events`, {
      type: 'closed',
      text: '经核查，该户车辆为营运用，符合条件。',
    });
    expect(answered.status).toBe(200);

    expect((await hub.call('POST', url, { body: { row: 3, text: '不对' } })).body).toMatchObject({ error: 'board.row' });
    expect((await hub.call('POST', url, { body: { row: 1, text: '张*的身份证 422822198001010015 不对' } })).body).toMatchObject({
      error: 'appeal.text.idNumber',
    });
    expect((await hub.call('POST', `/api/resident/board/${VILLAGE_A}/pub-returned-01/objections`, { body: { row: 1, text: '不对' } })).body).toMatchObject({
      error: 'board.notOnDisplay',
    });
  });
});

describe('the end of the period', () => {
  it('takes it off the board at its end, into the archive, where no objection is taken', async () => {
    clock += 7 * DAY - 1000;
    expect((await board()).publications.map((item) => item.id)).toEqual(['pub-accepted-01']);
    clock += 1000;
    expect((await board()).publications).toEqual([]);
    const archive = (await hub.call('GET', `/api/resident/board/${VILLAGE_A}/archive`)).body as { publications: { id: string }[] };
    expect(archive.publications.map((item) => item.id)).toEqual(['pub-accepted-01']);
    const late = await hub.call('POST', `/api/resident/board/${VILLAGE_A}/pub-accepted-01/objections`, { body: { row: 1, text: '不对' } });
    expect(late.body).toMatchObject({ error: 'board.notOnDisplay' });
    expect((await hub.call('GET', '/api/resident/board/999999999999')).status).toBe(404);
  });
});

describe('open service figures', () => {
  it('count the village’s cases per month, as JSON and as CSV, naming no one', async () => {
    await storeForwardedCase(hub, kiosk, '张三国');
    await hub.hub.queue.settled();
    const json = await hub.call('GET', '/api/open/service-figures.json');
    expect(json.status).toBe(200);
    const body = json.body as { schema: string; rows: { village: string; villageName: string; month: string; accepted: number }[] };
    expect(body.schema).toBe('cunban.serviceFigures/1');
    expect(body.rows).toContainEqual(expect.objectContaining({ village: VILLAGE_A, villageName: '雀儿笼村', month: '2026-11', accepted: 1 }));
    const csv = await fetch(`${hub.base}/api/open/service-figures.csv`);
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const text = await csv.text();
    expect(text.split('\r\n')[0]).toBe('village,villageName,townName,month,accepted,decided,decidedWithTimeLimit,decidedWithinTimeLimit,medianDaysToDecision');
    expect(text).toContain(`${VILLAGE_A},雀儿笼村,业州镇,2026-11,1,0,0,0,`);
    expect(text + JSON.stringify(body)).not.toMatch(/张三国|4228221980|13900001111/);
  });
});
