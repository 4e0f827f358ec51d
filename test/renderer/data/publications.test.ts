/**
 * Publications on a real kiosk database against a real hub (issue 19 §1): the clerk submits a list offline,
 * guarded before it is stored; it reaches the town with the next sync; the town's approval comes back down and
 * the board shows it; a withdrawal made at the kiosk while the town approves takes it off the board. And a
 * county's spreadsheet read as UTF-8 or GB 18030.
 */
import { IDBKeyRange, indexedDB } from 'fake-indexeddb';
import { filter, firstValueFrom } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../../core/api/enrollment.js';
import { publicationDocIdOf, publicationState, tableFromSheet, type PreparedPublication, type Publication } from '../../../core/disclosure/publication.js';
import { readSheet } from '../../../renderer/data/csv-table.js';
import { openKioskData, type KioskData } from '../../../renderer/data/kiosk-data.js';
import { issueEnrollmentCode } from '../../../sync-server/kiosks.js';
import { hallDb } from '../../../sync-server/store/names.js';
import { addReviewer } from '../../../sync-server/users.js';
import { startTestHub, TEST_APP_VERSION, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { reviewerJson, signInReviewer, type ReviewerSession } from '../../sync-server/reviewer-client.js';
import { eventually } from '../../support/eventually.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

let t: TestHub;
let data: KioskData;
let town: ReviewerSession;
const line = { up: true };
const clerk = { id: 'kiosk/clerk-1', name: '王芳' };

const prepared = (title: string, rows: string[][] = [['张*', '3', '620']]): PreparedPublication => ({
  category: 'allowanceRecipients',
  title,
  displayDays: 7,
  source: { from: 'typed' },
  columns: [
    { label: '姓名', role: 'name' },
    { label: '家庭人口', role: 'count' },
    { label: '金额（元）', role: 'amount' },
  ],
  rows,
});

beforeAll(async () => {
  t = await startTestHub({ config: { trustProxy: ['loopback'] } });
  const issued = await issueEnrollmentCode(t.hub.store, VILLAGE_A, new Date());
  if (!issued.ok) throw new Error(issued.error.reason);
  const enrollment = enrollResponseSchema.parse((await t.call('POST', '/api/enroll', { body: { code: issued.value.code } })).body);
  data = await openKioskData({
    enrollment,
    storageKey: TEST_STORAGE_KEY,
    appVersion: TEST_APP_VERSION,
    indexedDB,
    IDBKeyRange,
    fetch: (input, init) => (line.up ? fetch(input, init) : Promise.reject(new TypeError('fetch failed: the line is down'))),
  });
  await addReviewer(t.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, new Date());
  town = await signInReviewer(t, 'yezhou', 'yezhou-secret-1');
}, 60_000);

afterAll(async () => {
  await data.close();
  await t.close();
});

const onHub = async (id: string) => {
  const found = await t.hub.store.getDoc<Publication>(hallDb(VILLAGE_A), publicationDocIdOf(id));
  return found.ok ? found.value : undefined;
};
const boardIds = async () =>
  ((await t.call('GET', `/api/resident/board/${VILLAGE_A}`)).body as { publications: { id: string }[] }).publications.map((p) => p.id);

describe('a publication prepared at the counter', () => {
  it('is offered because this hub says it reads publications (an older hub does not say so, and is not sent any)', async () => {
    const reads = await firstValueFrom(data.sync.hubReads$.pipe(filter((kinds) => kinds !== undefined)));
    expect(reads).toContain('cunban.publication');
  });

  it('is refused with every problem, by row and column, and nothing is stored', async () => {
    const refused = await data.publications.submit(
      prepared('低保公示', [
        ['张三国', '3', '620'],
        ['李*', '2', '422822198001010015'],
      ]),
      clerk,
    );
    expect(refused).toEqual({
      ok: false,
      error: {
        code: 'publication.problems',
        problems: [
          { code: 'publication.unmaskedName', row: 1, column: 1 },
          { code: 'publication.cell', row: 2, column: 3, problem: 'idNumber' },
        ],
      },
    });
    expect(await firstValueFrom(data.publications.publications$())).toEqual([]);
  });

  it('is submitted offline, reaches the town with the next sync, and comes back approved', async () => {
    line.up = false;
    const submitted = await data.publications.submit(prepared('2026年11月低保对象公示'), clerk);
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
    const id = submitted.value.publicationId;
    expect(publicationState(submitted.value, new Date()).status).toBe('awaitingApproval');
    line.up = true;
    await data.sync.syncNow();
    await eventually(() => onHub(id), 'the publication on the hub');
    expect(await boardIds()).toEqual([]);

    expect((await reviewerJson(t, town, 'POST', `/api/review/publications/${VILLAGE_A}/${id}/approve`, {})).status).toBe(200);
    await data.sync.syncNow();
    const approved = await eventually(async () => {
      const list = await firstValueFrom(data.publications.publications$());
      const found = list.find((p) => p.publicationId === id);
      return found && publicationState(found, new Date()).status === 'onDisplay' ? found : undefined;
    }, 'the approval on the kiosk');
    expect(publicationState(approved, new Date()).approvedBy).toMatchObject({ name: '李强', level: 'town' });
    expect(await boardIds()).toEqual([id]);
  });

  it('is taken off the board by a withdrawal made offline while the town approves another copy', async () => {
    const submitted = await data.publications.submit(prepared('12月低保对象公示'), clerk);
    if (!submitted.ok) throw new Error(JSON.stringify(submitted.error));
    const id = submitted.value.publicationId;
    await data.sync.syncNow();
    await eventually(() => onHub(id), 'the second publication on the hub');
    line.up = false;
    expect((await data.publications.withdraw(id, clerk, '金额有误')).ok).toBe(true);
    expect((await reviewerJson(t, town, 'POST', `/api/review/publications/${VILLAGE_A}/${id}/approve`, {})).status).toBe(200);
    expect(await boardIds()).toContain(id);
    line.up = true;
    await data.sync.syncNow();
    // Both survive the merge; the withdrawal wins, on the hub and on the kiosk.
    const merged = await eventually(async () => {
      const hub = await onHub(id);
      return hub?.events.some((event) => event.type === 'withdrawn') && hub.events.some((event) => event.type === 'approved') ? hub : undefined;
    }, 'both events on the hub');
    expect(publicationState(merged, new Date()).status).toBe('withdrawn');
    expect(await boardIds()).not.toContain(id);
    expect((await data.publications.withdraw(id, clerk)).ok).toBe(false);
  });
});

describe('a county spreadsheet', () => {
  const fromHex = (hex: string) => Uint8Array.from(hex.match(/../g) ?? [], (byte) => parseInt(byte, 16));
  it('is read as GB 18030 when it is not UTF-8, quotes and all, and its names masked on the way in', () => {
    // 户主姓名,家庭人口,金额（元）\r\n张三国,3,620\r\n"李,秀英",2,480\r\n — as Excel saves "CSV" on a Chinese Windows.
    const gb = fromHex('bba7d6f7d0d5c3fb2cbcd2cda5c8cbbfda2cbdf0b6eea3a8d4aaa3a90d0ad5c5c8fdb9fa2c332c3632300d0a22c0ee2cd0e3d3a2222c322c3438300d0a');
    const sheet = readSheet(gb);
    if (!sheet.ok) throw new Error(sheet.error.code);
    expect(sheet.value.encoding).toBe('gb18030');
    expect(tableFromSheet(sheet.value.rows).rows).toEqual([
      ['张*', '3', '620'],
      ['李*', '2', '480'],
    ]);
  });

  it('is read as UTF-8, with or without its byte-order mark', () => {
    const text = '姓名,金额\n王五,300\n';
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(text)]);
    for (const bytes of [new TextEncoder().encode(text), withBom]) {
      const sheet = readSheet(bytes);
      expect(sheet.ok && sheet.value).toEqual({
        encoding: 'utf-8',
        rows: [
          ['姓名', '金额'],
          ['王五', '300'],
        ],
      });
    }
    expect(readSheet(new Uint8Array())).toEqual({ ok: false, error: { code: 'sheet.empty' } });
  });
});
