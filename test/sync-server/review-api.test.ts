/**
 * The review API against the embedded hub: sessions and CSRF, town scoping enforced by the hub,
 * decisions through core's rules, and reveals that always leave an audit entry.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { villageDb } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { caseFor, startTestHub, storeForwardedCase, VILLAGE_A, VILLAGE_OTHER_TOWN, type EnrolledKiosk, type TestHub } from './hub-harness.js';
import { asReviewer, signInReviewer, type ReviewerSession } from './reviewer-client.js';

const OTHER_TOWN_VILLAGE = VILLAGE_OTHER_TOWN;
let hub: TestHub;
let kioskA: EnrolledKiosk;
let kioskB: EnrolledKiosk;

type Session = ReviewerSession;
const signIn = (name: string, password: string) => signInReviewer(hub, name, password);
const call = (session: Session | undefined, method: string, path: string, body?: unknown, withCsrf = true) =>
  asReviewer(hub, session, method, path, body, withCsrf);

const storedCase = (kiosk: EnrolledKiosk) => storeForwardedCase(hub, kiosk);

beforeAll(async () => {
  hub = await startTestHub();
  kioskA = await hub.enroll(VILLAGE_A);
  kioskB = await hub.enroll(OTHER_TOWN_VILLAGE);
  await addReviewer(hub.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, new Date());
  await addReviewer(hub.hub.store, { name: 'yezhou', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, new Date());
  await addReviewer(hub.hub.store, { name: 'locked-out', role: 'town', town: '422822100000', password: 'locked-secret-1' }, new Date());
}, 60_000);
afterAll(async () => {
  await hub.close();
});

describe('review sessions', () => {
  it('set an HttpOnly, SameSite=Strict cookie, answer who is signed in, and end on sign-out', async () => {
    const response = await fetch(`${hub.base}/api/session`, { method: 'POST', body: JSON.stringify({ name: 'yezhou', password: 'yezhou-secret-1' }) });
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^cunban_session=[\w-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    const session = { cookie: cookie.split(';')[0] ?? '', csrf: ((await response.json()) as { csrf: string }).csrf };
    const me = await call(session, 'GET', '/api/session');
    expect(await me.json()).toEqual({ reviewer: { name: 'yezhou', role: 'town', town: '422822100000' }, csrf: session.csrf });
    expect((await call(session, 'DELETE', '/api/session')).status).toBe(204);
    expect((await call(session, 'GET', '/api/session')).status).toBe(204);
    expect((await call(undefined, 'GET', '/api/session')).status).toBe(204);
    expect((await call(session, 'GET', '/api/review/queue')).status).toBe(401);
  });

  it('lock a name after five failed sign-ins, even for the right password', async () => {
    for (let i = 0; i < 5; i++) {
      const wrong = await fetch(`${hub.base}/api/session`, { method: 'POST', body: JSON.stringify({ name: 'locked-out', password: `guess-${String(i)}` }) });
      expect(wrong.status).toBe(401);
    }
    const right = await fetch(`${hub.base}/api/session`, { method: 'POST', body: JSON.stringify({ name: 'locked-out', password: 'locked-secret-1' }) });
    expect(right.status).toBe(429);
    const unknown = await fetch(`${hub.base}/api/session`, { method: 'POST', body: JSON.stringify({ name: 'nobody', password: 'whatever-1' }) });
    expect(unknown.status).toBe(401);
  }, 60_000);

  it('refuse a write without the session’s CSRF token', async () => {
    const county = await signIn('county-admin', 'county-secret-1');
    const caseNumber = await storedCase(kioskA);
    const forged = await call(county, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'note', text: 'x' }, false);
    expect(forged.status).toBe(403);
    const wrongToken = await call({ ...county, csrf: 'not-the-token' }, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'note', text: 'x' });
    expect(wrongToken.status).toBe(403);
  });
});

describe('scope', () => {
  it('a town reviewer can neither read nor act on another town’s case; the county can', async () => {
    const town = await signIn('yezhou', 'yezhou-secret-1');
    const county = await signIn('county-admin', 'county-secret-1');
    const elsewhere = await storedCase(kioskB);
    expect((await call(town, 'GET', `/api/review/cases/${elsewhere}`)).status).toBe(404);
    expect((await call(town, 'POST', `/api/review/cases/${elsewhere}/events`, { type: 'note', text: '越权' })).status).toBe(404);
    expect((await call(town, 'POST', `/api/review/cases/${elsewhere}/reveal`, { reason: '核对身份信息' })).status).toBe(404);
    expect((await call(county, 'GET', `/api/review/cases/${elsewhere}`)).status).toBe(200);
  });
});

describe('decisions', () => {
  it('follow core’s rules: the town forwards a county item, the county approves; the view carries no sealed value', async () => {
    const town = await signIn('yezhou', 'yezhou-secret-1');
    const county = await signIn('county-admin', 'county-secret-1');
    const caseNumber = await storedCase(kioskA);
    const early = await call(county, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'approved' });
    expect(early.status).toBe(409);
    expect(((await early.json()) as { error: string }).error).toBe('case.notHeldByLevel');
    const noReason = await call(town, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'rejected', reason: ' ' });
    expect(noReason.status).toBe(400);
    expect((await call(town, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'forwarded', to: 'county' })).status).toBe(201);
    const approved = await call(county, 'POST', `/api/review/cases/${caseNumber}/events`, { type: 'approved', note: '符合条件' });
    expect(approved.status).toBe(201);
    const view = (await approved.json()) as { summary: { status: string }; events: { actor: { id: string; level: string } }[] };
    expect(view.summary.status).toBe('approved');
    expect(view.events.at(-1)?.actor).toEqual({ id: 'reviewer:county-admin', name: 'county-admin', level: 'county' });
    const text = JSON.stringify(view);
    expect(text).not.toContain('"ct"');
    expect(text).not.toContain('idNumberHash');
    expect(text).toContain('422822********0015');
  });
});

describe('reveals', () => {
  it('need a reason, write an audit entry every time, and are not cached', async () => {
    const town = await signIn('yezhou', 'yezhou-secret-1');
    const county = await signIn('county-admin', 'county-secret-1');
    const caseNumber = await storedCase(kioskA);
    expect((await call(town, 'POST', `/api/review/cases/${caseNumber}/reveal`, {})).status).toBe(400);
    const revealed = await call(town, 'POST', `/api/review/cases/${caseNumber}/reveal`, { reason: '核对户籍信息' });
    expect(revealed.status).toBe(200);
    expect(revealed.headers.get('cache-control')).toContain('no-store');
    expect(await revealed.json()).toEqual({ idNumber: '422822198001010015' });
    await call(county, 'POST', `/api/review/cases/${caseNumber}/reveal`, { reason: '复核身份信息' });

    expect((await call(town, 'GET', '/api/review/audit')).status).toBe(403);
    const log = (await (await call(county, 'GET', '/api/review/audit')).json()) as { reviewer: string; caseNumber: string; reason: string; at: string }[];
    const forCase = log.filter((entry) => entry.caseNumber === caseNumber);
    expect(forCase.map((entry) => [entry.reviewer, entry.reason]).sort()).toEqual([
      ['county-admin', '复核身份信息'],
      ['yezhou', '核对户籍信息'],
    ]);
    expect(forCase.every((entry) => !Number.isNaN(Date.parse(entry.at)))).toBe(true);
    expect(JSON.stringify(log)).not.toContain('422822198001010015');
  }, 60_000);
});

describe('the queue', () => {
  interface QueueAnswer {
    total: number;
    entries: { caseNumber: string; village: string; status: string; dueOn?: string; applicantIdMasked: string }[];
    countsByStatus: Record<string, number>;
  }
  const queue = async (session: Session, query = '') => {
    const response = await call(session, 'GET', `/api/review/queue${query}`);
    expect(response.status).toBe(200);
    return (await response.json()) as QueueAnswer;
  };

  it('follows a kiosk’s push through the gateway at once, within the reviewer’s area only', async () => {
    const town = await signIn('yezhou', 'yezhou-secret-1');
    const county = await signIn('county-admin', 'county-secret-1');
    const mine = caseFor(kioskA);
    const elsewhere = caseFor(kioskB);
    expect((await hub.call('POST', `/sync/${villageDb(VILLAGE_A)}/_bulk_docs`, { auth: kioskA.authorization, body: { docs: [mine] } })).status).toBe(201);
    expect(
      (await hub.call('POST', `/sync/${villageDb(OTHER_TOWN_VILLAGE)}/_bulk_docs`, { auth: kioskB.authorization, body: { docs: [elsewhere] } })).status,
    ).toBe(201);
    await hub.hub.queue.settled();
    const townQueue = await queue(town, '?pageSize=100');
    expect(townQueue.entries.map((entry) => entry.caseNumber)).toContain(mine._id);
    expect(townQueue.entries.map((entry) => entry.caseNumber)).not.toContain(elsewhere._id);
    expect(townQueue.entries.every((entry) => entry.village === VILLAGE_A)).toBe(true);
    const countyQueue = await queue(county, '?pageSize=100');
    expect(countyQueue.entries.map((entry) => entry.caseNumber)).toEqual(expect.arrayContaining([mine._id, elsewhere._id]));
    expect((await call(town, 'GET', '/api/review/queue?town=422822101000')).status).toBe(404);
    expect((await call(town, 'GET', '/api/review/queue?status=lost')).status).toBe(400);
    expect((await call(undefined, 'GET', '/api/review/queue')).status).toBe(401);
  });

  it('filters, sorts by due date, pages on the server, counts by status, and reflects decisions', async () => {
    const county = await signIn('county-admin', 'county-secret-1');
    for (let i = 0; i < 5; i++) await storedCase(kioskA);
    await hub.hub.queue.sweep();
    const all = await queue(county, `?village=${VILLAGE_A}&pageSize=100`);
    const dues = all.entries.map((entry) => entry.dueOn ?? '9999-12-31');
    expect(dues).toEqual([...dues].sort());
    expect(all.total).toBe(all.entries.length);
    const pageOne = await queue(county, `?village=${VILLAGE_A}&pageSize=2&page=1`);
    const pageTwo = await queue(county, `?village=${VILLAGE_A}&pageSize=2&page=2`);
    expect(pageOne.entries).toHaveLength(2);
    expect(pageTwo.entries.map((e) => e.caseNumber)).toEqual(all.entries.slice(2, 4).map((e) => e.caseNumber));
    expect(pageOne.total).toBe(all.total);
    expect(JSON.stringify(all)).not.toContain('"ct"');

    const forwarded = all.entries.filter((entry) => entry.status === 'forwarded');
    const target = forwarded[0]?.caseNumber ?? '';
    const town = await signIn('yezhou', 'yezhou-secret-1');
    const mineBefore = await queue(town, '?held=mine&pageSize=100');
    expect(mineBefore.entries.map((e) => e.caseNumber)).toContain(target);
    const returned = { type: 'returnedForMaterials', missing: ['m1'], reason: '申请书未签字' };
    expect((await call(town, 'POST', `/api/review/cases/${target}/events`, returned)).status).toBe(201);
    await hub.hub.queue.settled();
    const mineAfter = await queue(town, '?held=mine&pageSize=100');
    expect(mineAfter.entries.map((e) => e.caseNumber)).not.toContain(target);
    const waiting = await queue(county, '?status=awaitingMaterials&pageSize=100');
    expect(waiting.entries.map((e) => e.caseNumber)).toContain(target);
    // Waiting for the resident stops the clock: never listed as overdue.
    expect((await queue(county, '?overdue=true&status=awaitingMaterials')).total).toBe(0);
    const forwardedNow = await queue(county, '?status=forwarded&pageSize=100');
    expect(waiting.countsByStatus).toMatchObject({ awaitingMaterials: waiting.total, forwarded: forwardedNow.total });
  });
});

describe('export and dashboard', () => {
  it('export the filtered cases as CSV with masked ID numbers only, safe for spreadsheets', async () => {
    const town = await signIn('yezhou', 'yezhou-secret-1');
    await storedCase(kioskA);
    await hub.hub.queue.settled();
    const response = await call(town, 'GET', '/api/review/export.csv?state=open');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="cunban-cases-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await response.arrayBuffer());
    expect(text.startsWith('\ufeffcaseNumber,village,town,sector,itemCode,status,acceptedOn,dueOn,decidedOn,applicantName,applicantIdMasked\r\n')).toBe(true);
    expect(text).toContain('422822********0015');
    expect(text).not.toContain('422822198001010015');
    expect(text).not.toContain(OTHER_TOWN_VILLAGE);
    expect((await call(town, 'GET', '/api/review/export.csv?town=422822101000')).status).toBe(404);
  });

  it('computes the dashboard over the reviewer’s area', async () => {
    const town = await signIn('yezhou', 'yezhou-secret-1');
    const county = await signIn('county-admin', 'county-secret-1');
    const townBoard = (await (await call(town, 'GET', '/api/review/dashboard')).json()) as { total: number; byVillage: Record<string, number> };
    const countyBoard = (await (await call(county, 'GET', '/api/review/dashboard')).json()) as { total: number; byVillage: Record<string, number> };
    expect(Object.keys(townBoard.byVillage)).toEqual([VILLAGE_A]);
    expect(Object.keys(countyBoard.byVillage).sort()).toEqual([VILLAGE_A, OTHER_TOWN_VILLAGE].sort());
    expect(countyBoard.total).toBeGreaterThan(townBoard.total);
    expect((await call(county, 'GET', '/api/review/dashboard?town=nonsense')).status).toBe(400);
  });
});
