/**
 * Appeals and suggestions on a real hub (issue 18 §4): raised on the residents' page with a phone or
 * anonymously, and at the counter through the kiosk's sync; routed by category; answered, passed on and
 * closed by the level holding them in the console (a town reviewer sees only its villages); read back by the
 * resident with code and phone; the phone revealed only with an audit entry; a spike in one village warned;
 * and no public answer carrying a phone or ID number.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appealIdOf, type Appeal, type ResidentAppealView } from '../../core/appeal/appeal.js';
import { findPlaintextIdNumbers } from '../../core/case/sealed.js';
import { DB, hallDb } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { startTestHub, VILLAGE_A, VILLAGE_B, type EnrolledKiosk, type TestHub } from './hub-harness.js';
import { reviewerJson, signInReviewer, type ReviewerSession } from './reviewer-client.js';

let hub: TestHub;
let kiosk: EnrolledKiosk;
let town: ReviewerSession;
let county: ReviewerSession;
let otherTown: ReviewerSession;
const publicAnswers: unknown[] = [];
const TYPED = ['13900002222', '13900003333', '422822198001010015'];

async function resident(path: string, body: unknown, from = '203.0.113.1') {
  const answer = await hub.call('POST', path, { body, headers: { 'x-forwarded-for': from } });
  publicAnswers.push(answer.body);
  return answer;
}
const raise = (body: Record<string, unknown>, from?: string) => resident('/api/resident/appeals', { village: VILLAGE_A, ...body }, from);

interface Row {
  village: string;
  code: string;
  status: string;
  heldBy: string;
  overdue: boolean;
}

beforeAll(async () => {
  hub = await startTestHub({ config: { trustProxy: ['loopback'] } });
  kiosk = await hub.enroll(VILLAGE_A);
  const now = new Date();
  await addReviewer(hub.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, now);
  await addReviewer(hub.hub.store, { name: 'county-admin', displayName: '张敏', role: 'county', password: 'county-secret-1' }, now);
  await addReviewer(hub.hub.store, { name: 'other-town', role: 'town', town: '422822101000', password: 'other-secret-1' }, now);
  town = await signInReviewer(hub, 'yezhou', 'yezhou-secret-1');
  county = await signInReviewer(hub, 'county-admin', 'county-secret-1');
  otherTown = await signInReviewer(hub, 'other-town', 'other-secret-1');
}, 60_000);

afterAll(async () => {
  await hub.close();
});

describe('appeals from the residents’ page', () => {
  let withPhone: ResidentAppealView;

  it('raises one with a phone, routed by its category, sealed, and opened again only with that phone', async () => {
    const raised = await raise({ category: 'villageAffairs', text: '三组的水井坏了一个星期，没有水喝。', phone: '139 0000 2222' });
    expect(raised.status).toBe(201);
    withPhone = raised.body as ResidentAppealView;
    expect(withPhone).toMatchObject({ village: '雀儿笼村', town: '业州镇', status: 'open', heldBy: 'village', anonymous: false, answers: [] });
    expect(withPhone.code).toMatch(/^[2-9A-HJ-NP-Z]{8}$/);
    const stored = await hub.hub.store.getDoc<Appeal>(hallDb(VILLAGE_A), appealIdOf(withPhone.code));
    expect(stored.ok && stored.value).toMatchObject({ channel: 'online', phoneMasked: '139****2222' });
    expect(JSON.stringify(stored)).not.toContain('13900002222');

    expect((await resident('/api/resident/appeals/open', { code: withPhone.code.toLowerCase(), phone: '13900002222' })).body).toMatchObject({
      code: withPhone.code,
      status: 'open',
    });
    const wrong = await resident('/api/resident/appeals/open', { code: withPhone.code, phone: '13900009999' });
    const none = await resident('/api/resident/appeals/open', { code: withPhone.code });
    expect(wrong.status).toBe(404);
    expect(none.body).toEqual(wrong.body);
  });

  it('raises one anonymously, opened with its code alone, and sends a 民政 matter to the county', async () => {
    const raised = (await raise({ category: 'MZ', text: '低保金这个月还没有到账。' }, '203.0.113.2')).body as ResidentAppealView;
    expect(raised).toMatchObject({ anonymous: true, heldBy: 'county' });
    expect((await resident('/api/resident/appeals/open', { code: raised.code }, '203.0.113.2')).body).toMatchObject({ code: raised.code, anonymous: true });
    // A phone where none was given opens nothing: the same miss.
    expect((await resident('/api/resident/appeals/open', { code: raised.code, phone: '13900002222' }, '203.0.113.2')).status).toBe(404);
  });

  it('refuses text holding an ID or phone number, an unknown category and a bad phone, storing nothing', async () => {
    expect((await raise({ category: 'other', text: '我的身份证422822198001010015办不了', phone: '13900002222' })).body).toMatchObject({
      error: 'appeal.text.idNumber',
    });
    expect((await raise({ category: 'other', text: '请打电话 13900003333 给我' })).body).toMatchObject({ error: 'appeal.text.phone' });
    expect((await raise({ category: 'XX', text: '路灯坏了' })).body).toMatchObject({ error: 'appeal.category' });
    expect((await raise({ category: 'other', text: '路灯坏了', phone: '1234' })).body).toMatchObject({ error: 'booking.phone' });
    expect((await raise({ category: 'other', text: '   ' })).body).toMatchObject({ error: 'appeal.text' });
    const plain = await hub.call('POST', '/api/resident/appeals', {
      rawBody: JSON.stringify({ village: VILLAGE_A }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(plain.status).toBe(415);
    const all = await hub.hub.store.docsWithPrefix(hallDb(VILLAGE_A), 'appeal:');
    expect(JSON.stringify(all)).not.toContain('422822198001010015');
    expect(JSON.stringify(all)).not.toContain('13900003333');
  });

  it('passes through the village, the town and the county, each answering in turn, and the resident reads every answer', async () => {
    // The village passes it on at the counter (through the kiosk's sync): a kiosk answers as the village only.
    const path = `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`;
    const stored = await hub.hub.store.getDoc<Appeal>(hallDb(VILLAGE_A), appealIdOf(withPhone.code));
    if (!stored.ok) throw new Error('stored above');
    const passOn = {
      id: 'village-pass-1',
      type: 'passedOn',
      at: new Date().toISOString(),
      by: { level: 'village', name: '王芳' },
      text: '水井需要镇里安排维修。',
      to: 'town',
    };
    const asTown = { ...passOn, id: 'forged-town-1', type: 'replied', by: { level: 'town', name: '李强' } };
    expect((await hub.call('POST', path, { auth: kiosk.authorization, body: { docs: [{ ...stored.value, events: [asTown] }] } })).body).toMatchObject([
      { error: 'forbidden' },
    ]);
    expect((await hub.call('POST', path, { auth: kiosk.authorization, body: { docs: [{ ...stored.value, events: [passOn] }] } })).body).toMatchObject([
      { ok: true },
    ]);

    const base = `/api/review/appeals/${VILLAGE_A}/${withPhone.code}`;
    // Another town's reviewer: as if it did not exist.
    expect((await reviewerJson(hub, otherTown, 'GET', base)).status).toBe(404);
    const listed = await reviewerJson<{ appeals: Row[] }>(hub, town, 'GET', '/api/review/appeals?status=open');
    expect(listed.body.appeals.map((row) => row.code)).toContain(withPhone.code);
    expect((await reviewerJson<{ appeals: Row[] }>(hub, otherTown, 'GET', '/api/review/appeals')).body.appeals).toEqual([]);

    expect((await reviewerJson(hub, town, 'POST', `${base}/events`, { type: 'replied', text: '请拨打 13900003333 联系我' })).body).toMatchObject({
      error: 'appeal.text.phone',
    });
    expect((await reviewerJson(hub, county, 'POST', `${base}/events`, { type: 'replied', text: '县里已知悉。' })).body).toMatchObject({
      error: 'appeal.refused',
    });
    expect((await reviewerJson(hub, town, 'POST', `${base}/events`, { type: 'replied', text: '已安排维修队，本周内修好。' })).status).toBe(200);
    expect((await reviewerJson(hub, town, 'POST', `${base}/events`, { type: 'passedOn', to: 'county', text: '需要县水利局的专项资金。' })).status).toBe(200);
    expect((await reviewerJson(hub, county, 'POST', `${base}/events`, { type: 'closed', text: '专项资金已下达，水井已修复。' })).status).toBe(200);

    const read = (await resident('/api/resident/appeals/open', { code: withPhone.code, phone: '13900002222' })).body as ResidentAppealView;
    expect(read).toMatchObject({ status: 'closed', heldBy: 'county' });
    expect(read.answers.map((answer) => [answer.level, answer.type])).toEqual([
      ['village', 'passedOn'],
      ['town', 'replied'],
      ['town', 'passedOn'],
      ['county', 'closed'],
    ]);
    // Answered by level, never by the person's name.
    expect(JSON.stringify(read)).not.toContain('李强');
    // The kiosk receives the answers by sync.
    const pulled = await hub.call('GET', `/sync/${hallDb(VILLAGE_A)}/${encodeURIComponent(appealIdOf(withPhone.code))}?cunban_compat=1`, {
      auth: kiosk.authorization,
    });
    const synced = pulled.body as Appeal & { _rev: string };
    expect(synced.events).toHaveLength(4);
    // A kiosk cannot rewrite what the town or county said under the same id (an attacker once made the town's
    // answer the county's "not admissible").
    const rewritten = synced.events.map((event) =>
      event.by.level === 'town' ? { ...event, type: 'closed' as const, by: { level: 'county' as const, name: '张敏' }, text: '反映不实，不予受理。' } : event,
    );
    expect((await hub.call('POST', path, { auth: kiosk.authorization, body: { docs: [{ ...synced, events: rewritten }] } })).body).toMatchObject([
      { error: 'forbidden' },
    ]);
  });

  it('reveals the phone to a reviewer only with a reason, and audits it first', async () => {
    const base = `/api/review/appeals/${VILLAGE_A}/${withPhone.code}`;
    expect((await reviewerJson(hub, town, 'POST', `${base}/reveal`, {})).body).toMatchObject({ error: 'reveal.reasonRequired' });
    expect((await reviewerJson(hub, town, 'GET', base)).body).toMatchObject({ phoneMasked: '139****2222' });
    expect(JSON.stringify((await reviewerJson(hub, town, 'GET', base)).body)).not.toContain('13900002222');
    const revealed = await reviewerJson<{ phone: string }>(hub, town, 'POST', `${base}/reveal`, { reason: '回访维修情况' });
    expect(revealed.body.phone).toBe('13900002222');
    const audit = await hub.hub.store.docsWithPrefix<{ appeal?: string; field?: string; reviewer?: string }>(DB.audit, 'reveal:');
    expect(audit.ok && audit.value.find((entry) => entry.appeal === withPhone.code)).toMatchObject({
      field: 'phone',
      reviewer: 'yezhou',
      reason: '回访维修情况',
    });
  });
});

describe('appeals raised at the counter', () => {
  it('go where their category sends them, are never dated ahead, and are answered by the village only while it holds them', async () => {
    const path = `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`;
    const base = {
      kind: 'cunban.appeal',
      schemaVersion: 1,
      village: VILLAGE_A,
      category: 'villageAffairs',
      text: '村口的桥有裂缝。',
      channel: 'counter',
      raisedAt: new Date().toISOString(),
      level: 'village',
      events: [],
    };
    const writes = await hub.call('POST', path, {
      auth: kiosk.authorization,
      body: {
        docs: [
          { _id: appealIdOf('R2UT2345'), ...base, code: 'R2UT2345', level: 'county' },
          { _id: appealIdOf('LATE2345'), ...base, code: 'LATE2345', raisedAt: '2999-01-01T00:00:00.000Z' },
          { _id: appealIdOf('CATX2345'), ...base, code: 'CATX2345', category: 'QQ' },
          { _id: appealIdOf('HELD2345'), ...base, code: 'HELD2345' },
        ],
      },
    });
    expect((writes.body as { error?: string }[]).map((row) => row.error ?? 'ok')).toEqual(['forbidden', 'forbidden', 'forbidden', 'ok']);
    const stored = await hub.hub.store.getDoc<Appeal>(hallDb(VILLAGE_A), appealIdOf('HELD2345'));
    if (!stored.ok) throw new Error('stored above');
    const passOn = {
      id: 'village-pass-9',
      type: 'passedOn',
      at: new Date().toISOString(),
      by: { level: 'village', name: '王芳' },
      text: '请镇里看看桥。',
      to: 'town',
    };
    const closeAfter = {
      id: 'village-close-9',
      type: 'closed',
      at: new Date(Date.now() + 1000).toISOString(),
      by: { level: 'village', name: '王芳' },
      text: '已处理。',
    };
    const backdated = { id: 'village-early-9', type: 'replied', at: '2020-01-01T00:00:00.000Z', by: { level: 'village', name: '王芳' }, text: '已处理。' };
    // Passed on to the town, the village cannot then close it; nor answer before it was raised.
    expect(
      (await hub.call('POST', path, { auth: kiosk.authorization, body: { docs: [{ ...stored.value, events: [passOn, closeAfter] }] } })).body,
    ).toMatchObject([{ error: 'forbidden', reason: expect.stringMatching(/town/) as unknown }]);
    expect((await hub.call('POST', path, { auth: kiosk.authorization, body: { docs: [{ ...stored.value, events: [backdated] }] } })).body).toMatchObject([
      { error: 'forbidden' },
    ]);
  });

  it('reach the hub by the kiosk’s sync, and the resident reads them on the page by code and phone', async () => {
    const raisedAt = new Date().toISOString();
    const sealedPhone = { alg: 'A256GCM', kid: 'x', iv: 'AAAAAAAAAAAAAAAA', ct: 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' };
    const counter: Appeal = {
      kind: 'cunban.appeal',
      schemaVersion: 1,
      village: VILLAGE_A,
      code: 'CNTR2345',
      category: 'other',
      text: '村口路灯不亮。',
      channel: 'counter',
      raisedAt,
      level: 'village',
      events: [],
    };
    const path = `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`;
    expect((await hub.call('POST', path, { auth: kiosk.authorization, body: { docs: [{ _id: appealIdOf('CNTR2345'), ...counter }] } })).body).toMatchObject([
      { ok: true },
    ]);
    // An unmasked phone in the mask is refused; so is an appeal raised "online" by a kiosk.
    const refused = await hub.call('POST', path, {
      auth: kiosk.authorization,
      body: {
        docs: [
          { _id: appealIdOf('CNTR2346'), ...counter, code: 'CNTR2346', phone: sealedPhone, phoneMasked: '13900002222' },
          { _id: appealIdOf('CNTR2347'), ...counter, code: 'CNTR2347', channel: 'online' },
        ],
      },
    });
    expect(refused.body).toMatchObject([{ error: 'forbidden' }, { error: 'forbidden' }]);
    // Anonymous at the counter: its code alone opens it on the page.
    expect((await resident('/api/resident/appeals/open', { code: 'CNTR2345' }, '203.0.113.30')).body).toMatchObject({
      code: 'CNTR2345',
      status: 'open',
      heldBy: 'village',
    });
  });
});

describe('the early warning', () => {
  it('warns of a village raising many appeals of one category this week', async () => {
    for (let i = 0; i < 3; i++) {
      expect(
        (
          await resident(
            '/api/resident/appeals',
            { village: VILLAGE_B, category: 'villageAffairs', text: `村里停水第${String(i + 1)}天了` },
            `198.51.100.${String(40 + i)}`,
          )
        ).status,
      ).toBe(201);
    }
    const listed = await reviewerJson<{ warnings: { village: string; category: string; count: number }[] }>(hub, county, 'GET', '/api/review/appeals');
    expect(listed.body.warnings).toContainEqual(expect.objectContaining({ village: VILLAGE_B, category: 'villageAffairs', count: 3 }));
    expect((await reviewerJson<{ warnings: unknown[] }>(hub, otherTown, 'GET', '/api/review/appeals')).body.warnings).toEqual([]);
  });
});

describe('privacy of the public answers', () => {
  it('never carries a phone number or an ID number', () => {
    const text = JSON.stringify(publicAnswers);
    for (const typed of TYPED) expect(text).not.toContain(typed);
    expect(text).not.toMatch(/1[3-9]\d{9}/);
    expect(findPlaintextIdNumbers(publicAnswers)).toEqual([]);
  });
});
