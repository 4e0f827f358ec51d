/**
 * Notices from the review console: the county publishes to every village or one town, a town only to its
 * own villages; each withdraws only what is theirs; a full ID number is never published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NoticeView } from '../../core/api/notices.js';
import { noticesFor } from '../../core/notice.js';
import { localDateOf } from '../../core/local-date.js';
import { DB } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { startTestHub, VILLAGE_A, VILLAGE_OTHER_TOWN, type TestHub } from './hub-harness.js';
import { reviewerJson, signInReviewer, type ReviewerSession } from './reviewer-client.js';

const YEZHOU = '422822100000';
const OTHER_TOWN = `${VILLAGE_OTHER_TOWN.slice(0, 9)}000`;
let hub: TestHub;
let county: ReviewerSession;
let town: ReviewerSession;

// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
const call = <T>(session: ReviewerSession | undefined, method: string, path: string, body?: unknown) => reviewerJson<T>(hub, session, method, path, body);
const publish = (session: ReviewerSession, body: object) =>
  call<NoticeView & { error?: string; reason?: string }>(session, 'POST', '/api/review/notices', body);
const notice = (zh: string, extra: object = {}) => ({ title: { zh }, body: { zh: `${zh}的内容` }, ...extra });
const list = async (session: ReviewerSession) => (await call<NoticeView[]>(session, 'GET', '/api/review/notices')).body.map((n) => n.title.zh);

beforeAll(async () => {
  hub = await startTestHub();
  await addReviewer(hub.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, new Date());
  await addReviewer(hub.hub.store, { name: 'yezhou', role: 'town', town: YEZHOU, password: 'yezhou-secret-1' }, new Date());
  county = await signInReviewer(hub, 'county-admin', 'county-secret-1');
  town = await signInReviewer(hub, 'yezhou', 'yezhou-secret-1');
}, 60_000);
afterAll(async () => {
  await hub.close();
});

describe('publishing notices', () => {
  it('the county to every village or one town, a town to its own villages only', async () => {
    const everywhere = await publish(county, notice('医保缴费提醒', { title: { zh: '医保缴费提醒', en: 'Health insurance reminder' } }));
    expect(everywhere).toMatchObject({ status: 201, body: { kind: 'cunban.notice', publishedBy: 'county-admin', title: { en: 'Health insurance reminder' } } });
    expect(everywhere.body.id).toMatch(/^notice:\d{4}-\d{2}-\d{2}-[0-9a-f]{8}$/);
    expect(everywhere.body.town).toBeUndefined();
    const forOtherTown = await publish(county, notice('另一镇的通知', { town: OTHER_TOWN }));
    expect(forOtherTown.body.town).toBe(OTHER_TOWN);
    const mine = await publish(town, notice('业州镇低保年审'));
    // A town's notice is always for its own villages; Chinese-only text is shown on English screens too.
    expect(mine.body).toMatchObject({ town: YEZHOU, title: { zh: '业州镇低保年审', en: '业州镇低保年审' } });
    expect(await publish(town, notice('越权', { town: OTHER_TOWN }))).toMatchObject({ status: 404 });

    expect(await list(town)).toEqual(expect.arrayContaining(['医保缴费提醒', '业州镇低保年审']));
    expect(await list(town)).not.toContain('另一镇的通知');
    expect(await list(county)).toEqual(expect.arrayContaining(['医保缴费提醒', '业州镇低保年审', '另一镇的通知']));

    // What each village's counter shows: core's rule over what the kiosks pull from the catalog database.
    const stored = await hub.hub.store.docsWithPrefix<NoticeView>(DB.catalog, 'notice:');
    const today = localDateOf(new Date().toISOString());
    const shown = (village: string) => noticesFor(stored.ok ? stored.value : [], village, today).map((n) => n.title.zh);
    expect(shown(VILLAGE_A)).toEqual(expect.arrayContaining(['医保缴费提醒', '业州镇低保年审']));
    expect(shown(VILLAGE_A)).not.toContain('另一镇的通知');
    expect(shown(VILLAGE_OTHER_TOWN)).toEqual(expect.arrayContaining(['医保缴费提醒', '另一镇的通知']));
    expect(shown(VILLAGE_OTHER_TOWN)).not.toContain('业州镇低保年审');
  });

  it('refuses a full ID number, an empty title and a past expiry, each with its own reason; nothing is written', async () => {
    const before = await hub.hub.store.idsWithPrefix(DB.catalog, 'notice:');
    expect(await publish(county, notice('公示', { body: { zh: '申请人张三 422822198001010015 已通过审核' } }))).toMatchObject({
      status: 400,
      body: { error: 'notice.idNumber' },
    });
    expect(await publish(county, notice('公示', { body: { zh: '身份证 422822 19800101 0015' } }))).toMatchObject({
      status: 400,
      body: { error: 'notice.idNumber' },
    });
    expect(await publish(county, { title: { zh: ' ' }, body: { zh: '内容' } })).toMatchObject({
      status: 400,
      body: { error: 'bad_request', reason: 'title.zh: required' },
    });
    expect(await publish(county, notice('过期', { expiresOn: '2020-01-01' }))).toMatchObject({ status: 400, body: { error: 'notice.expired' } });
    expect(await publish(county, notice('多余字段', { audience: 'all' }))).toMatchObject({ status: 400 });
    expect(await hub.hub.store.idsWithPrefix(DB.catalog, 'notice:')).toEqual(before);
    // A masked number is what disclosure may show.
    expect(await publish(county, notice('公示', { body: { zh: '申请人张三 422822********0015 已通过审核' } }))).toMatchObject({ status: 201 });
  });

  it('withdraws: the county any notice, a town only its own; withdrawn notices leave every counter', async () => {
    const countyWide = (await publish(county, notice('县级通知'))).body.id;
    const townOwn = (await publish(town, notice('镇级通知'))).body.id;
    const withdraw = (session: ReviewerSession, id: string) => call(session, 'DELETE', `/api/review/notices/${encodeURIComponent(id)}`);
    expect((await withdraw(town, countyWide)).status).toBe(404);
    expect((await withdraw(town, 'catalog')).status).toBe(404);
    expect((await withdraw(town, townOwn)).status).toBe(204);
    expect((await withdraw(county, countyWide)).status).toBe(204);
    expect(await list(county)).not.toEqual(expect.arrayContaining(['县级通知']));
    expect(await hub.hub.store.getDoc(DB.catalog, townOwn)).toMatchObject({ ok: false, error: { status: 404 } });
    expect((await call(undefined, 'GET', '/api/review/notices')).status).toBe(401);
  });
});
