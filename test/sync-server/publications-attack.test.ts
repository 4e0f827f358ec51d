/**
 * Issue 19's disclosure board attacked on a real hub: what a kiosk may push into its hall database (personal
 * numbers in every spelling a helper could find — numbers beside numbers, capital numerals, keycaps, ×, split
 * across cells, a name column declared as text), what the town decides in the console (racing reviewers leave one
 * decision and one audit entry), what the public board, archive, objections and open data answer (odd input,
 * spoofed addresses, formula-like names in the CSV). Each test is a promise that held or was fixed.
 *
 * Two hubs, one after the other: the first behind a trusted proxy (loopback, as behind nginx on the same
 * machine), the second trusting no proxy and with a division table whose names are spreadsheet formulas.
 */
import Papa from 'papaparse';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicationDocIdOf, type Publication, type PublicationEvent } from '../../core/disclosure/publication.js';
import { publicationDoc } from '../support/publication-doc.js';
import { initCounty } from '../../sync-server/county-init.js';
import { DB, hallDb } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import {
  clerkOf,
  startTestHub,
  storeForwardedCase,
  testCountyData,
  VILLAGE_A,
  VILLAGE_B,
  VILLAGE_OTHER_TOWN,
  type EnrolledKiosk,
  type TestHub,
} from './hub-harness.js';
import { asReviewer, reviewerJson, signInReviewer, type ReviewerSession } from './reviewer-client.js';

const DAY = 24 * 60 * 60 * 1000;
const TOWN_A = '422822100000'; // 业州镇: villages A and B
const TOWN_OTHER = '422822101000'; // 高坪镇
type Doc = Publication & { _id: string; _rev?: string };
type Answer = { id?: string; ok?: boolean; rev?: string; error?: string; reason?: string };

/** Everything the attacks below need of one running hub. */
interface Bench {
  hub: TestHub;
  clock: number;
  kiosk: EnrolledKiosk;
  kioskB: EnrolledKiosk;
  town: ReviewerSession;
}

function publicationFor(bench: Bench, kiosk: EnrolledKiosk, id: string, overrides: Partial<Publication> = {}): Doc {
  return publicationDoc(id, { village: kiosk.village, preparedMs: bench.clock - 60_000, clerk: clerkOf(kiosk), ...overrides });
}

const pushTo = async (bench: Bench, kiosk: EnrolledKiosk, docs: unknown[], query = 'cunban_compat=1') =>
  (await bench.hub.call('POST', `/sync/${hallDb(kiosk.village)}/_bulk_docs?${query}`, { auth: kiosk.authorization, body: { docs } })).body as Answer[];

async function storedDoc(bench: Bench, id: string, village = VILLAGE_A): Promise<Doc | undefined> {
  const found = await bench.hub.hub.store.getDoc<Doc>(hallDb(village), publicationDocIdOf(id));
  return found.ok ? found.value : undefined;
}

let addressCount = 0;
/** A fresh client address for each public request, so limits are only met where a test means to meet them. */
const freshAddress = () => {
  addressCount += 1;
  return `198.18.${String(Math.floor(addressCount / 250))}.${String((addressCount % 250) + 1)}`;
};

const publicCall = (bench: Bench, method: string, path: string, body?: unknown, from = freshAddress()) =>
  bench.hub.call(method, path, { ...(body === undefined ? {} : { body }), headers: { 'x-forwarded-for': from } });

const boardIds = async (bench: Bench, village = VILLAGE_A, which: '' | '/archive' = '') =>
  ((await publicCall(bench, 'GET', `/api/resident/board/${village}${which}`)).body as { publications: { id: string }[] }).publications.map((p) => p.id);

const approve = (bench: Bench, id: string, session = bench.town, village = VILLAGE_A) =>
  reviewerJson<{ status: string; error?: string }>(bench.hub, session, 'POST', `/api/review/publications/${village}/${id}/approve`, {});

/** `count` requests, at most `parallel` at a time; their statuses. */
async function statuses(count: number, parallel: number, call: (i: number) => Promise<{ status: number }>): Promise<number[]> {
  const out: number[] = [];
  for (let start = 0; start < count; start += parallel) {
    const batch = await Promise.all(Array.from({ length: Math.min(parallel, count - start) }, (_, k) => call(start + k)));
    out.push(...batch.map((answer) => answer.status));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// What must never be published, however spelled. Checksum-invalid numbers on purpose (a mistyped number is
// still a person's number). Each goes into a 'text' cell, and again into the note, of its own publication.
// ---------------------------------------------------------------------------------------------------------
const ID = '422822198001010016';
const PHONE = '13912345678';
const digitsIn = (zero: number, text: string) => Array.from(text, (d) => String.fromCodePoint(zero + Number(d))).join('');
const SPELLINGS: readonly (readonly [string, string])[] = [
  ['id: plain', ID],
  ['id: full-width', '４２２８２２１９８００１０１００１６'],
  ['id: zero-width spaces', '4228\u200b2219800101\u200b0016'],
  ['id: Chinese numerals', '四二二八二二一九八〇〇一〇一〇〇一六'],
  ['id: circled digits', '④②②⑧②②①⑨⑧⓪⓪①⓪①⓪⓪①⑥'],
  ['id: check character X', '42282219800101001X'],
  ['id: check character as roman numeral Ⅹ', '42282219800101001Ⅹ'],
  ['id: check character as multiplication sign ×', '42282219800101001×'],
  ['id: first generation, 15 digits', '422822800101001'],
  ['id: grouped with commas', '422822,19800101,0016'],
  ['id: grouped with 、', '422822、19800101、0016'],
  ['id: grouped with em dashes', '422822—19800101—0016'],
  ['id: grouped 4-4-4-4-2, a number after it', '4228 2219 8001 0100 16 2'],
  ['id: 15 digits, a number after it', '422822800101001 2'],
  ['id: Chinese numerals, a number after it', '四二二八二二一九八〇〇一〇一〇〇一六 2'],
  ['id: capital numerals (大写)', '肆贰贰捌贰贰壹玖捌零零壹零壹零零壹陆'],
  ['id: Tibetan digits', digitsIn(0x0f20, ID)],
  ['id: Mongolian digits', digitsIn(0x1810, ID)],
  ['id: Hangul filler between groups', '4228\u31642219800101\u31640016'],
  ['id: keycap digits', Array.from(ID, (d) => `${d}\ufe0f\u20e3`).join('')],
  ['phone: plain', PHONE],
  ['phone: full-width', '１３９１２３４５６７８'],
  ['phone: +86 and spaces', '+86 139 1234 5678'],
  ['phone: dots', '139.1234.5678'],
  ['phone: brackets and dash', '(139)1234-5678'],
  ['phone: zero-width joiner and space', '139\u200b1234\u200d5678'],
  ['phone: soft hyphens', '139\u00ad1234\u00ad5678'],
  ['phone: Devanagari digits', digitsIn(0x0966, PHONE)],
  ['phone: Chinese numerals', '一三九一二三四五六七八'],
  ['phone: a date after it', '联系 13912345678 12月7日前'],
  ['phone: a count after it', '13912345678 3人'],
  ['phone: a number before it', '第3户 13912345678'],
  ['phone: slash and a number', '13912345678/2'],
  ['phone: trunk prefix 0', '0139 1234 5678'],
  ['phone: commas', '139,1234,5678'],
  ['phone: full-width commas', '139，1234，5678'],
  ['phone: em dashes', '139—1234—5678'],
  ['phone: 幺 for one', '幺三九一二三四五六七八'],
  ['phone: capital numerals (大写)', '壹叁玖壹贰叁肆伍陆柒捌'],
  ['phone: Hangul filler', '139\u31641234\u31645678'],
  ['phone: Tibetan digits', digitsIn(0x0f20, PHONE)],
  ['bank card: 19 digits', '6222020200000000006'],
  ['bank card: grouped', '6222 0202 0000 0000 006'],
  ['bank card: 16 digits', '4111111111111111'],
  ['bank card: full-width commas', '4111，1111，1111，1111'],
  ['bank card: em dashes', '4111—1111—1111—1111'],
  ['address: 号', '雀儿笼村三组12号'],
  ['address: Chinese numerals', '雀儿笼村三组十二号'],
  ['address: full-width digits', '三组１２号'],
  ['address: 幢 单元 室', '幸福小区3幢2单元501室'],
  ['address: zero-width space before 号', '雀儿笼村三组12\u200b号'],
  ['address: Hangul filler before 号', '雀儿笼村三组12\u3164号'],
  ['address: capital numerals (大写)', '雀儿笼村三组拾贰号'],
  ['address: 3#楼', '幸福小区3#楼201'],
  ['address: building-unit-room as 3-2-501', '幸福小区3-2-501'],
  ['address: 门牌号 before the number', '雀儿笼村门牌号：12'],
];

describe('on a hub behind a trusted proxy', () => {
  const bench = {} as Bench;
  let county: ReviewerSession;
  let otherTown: ReviewerSession;
  let townB: ReviewerSession;
  /** The kiosk's answer for each spelling's publication: [in a cell, in the note]. */
  const spelled = new Map<string, [Answer | undefined, Answer | undefined]>();

  beforeAll(async () => {
    bench.clock = Date.parse('2026-11-30T02:00:00.000Z');
    bench.hub = await startTestHub({ config: { trustProxy: ['loopback'] }, now: () => new Date(bench.clock) });
    bench.kiosk = await bench.hub.enroll(VILLAGE_A);
    bench.kioskB = await bench.hub.enroll(VILLAGE_B);
    const now = new Date(bench.clock);
    await addReviewer(bench.hub.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: TOWN_A, password: 'yezhou-secret-1' }, now);
    await addReviewer(bench.hub.hub.store, { name: 'yezhou-2', displayName: '周敏', role: 'town', town: TOWN_A, password: 'yezhou-secret-2' }, now);
    await addReviewer(bench.hub.hub.store, { name: 'county-admin', role: 'county', password: 'county-secret-1' }, now);
    await addReviewer(bench.hub.hub.store, { name: 'gaoping', role: 'town', town: TOWN_OTHER, password: 'gaoping-secret-1' }, now);
    bench.town = await signInReviewer(bench.hub, 'yezhou', 'yezhou-secret-1');
    townB = await signInReviewer(bench.hub, 'yezhou-2', 'yezhou-secret-2');
    county = await signInReviewer(bench.hub, 'county-admin', 'county-secret-1');
    otherTown = await signInReviewer(bench.hub, 'gaoping', 'gaoping-secret-1');

    // Every spelling at once, in one push: each in a text cell, and each in the note.
    const docs = SPELLINGS.flatMap(([, text], i) => [
      publicationFor(bench, bench.kiosk, `pub-spell-c${String(i).padStart(3, '0')}`, {
        columns: [
          { label: '姓名', role: 'name' },
          { label: '备注', role: 'text' },
        ],
        rows: [['张*', text]],
      }),
      publicationFor(bench, bench.kiosk, `pub-spell-n${String(i).padStart(3, '0')}`, { note: `说明：${text}` }),
    ]);
    const answers = await pushTo(bench, bench.kiosk, docs);
    SPELLINGS.forEach(([name], i) => {
      const id = (kind: string) => publicationDocIdOf(`pub-spell-${kind}${String(i).padStart(3, '0')}`);
      spelled.set(name, [answers.find((a) => a.id === id('c')), answers.find((a) => a.id === id('n'))]);
    });
  }, 120_000);

  afterAll(async () => {
    await bench.hub.close();
  });

  describe('promise 2: nothing published carries a personal number or a door-level address', () => {
    it.each(SPELLINGS.map(([name]) => name))('%s is refused in a cell and in the note', (name) => {
      const [cell, note] = spelled.get(name) ?? [];
      expect({ cell: cell?.error, note: note?.error }).toEqual({ cell: 'forbidden', note: 'forbidden' });
    });

    it('even when the town approves everything the hub took, none of it reaches the board', async () => {
      const taken = [...spelled.entries()].flatMap(([name, answers], i) =>
        answers.flatMap((answer, k) => (answer?.ok ? [{ name, id: `pub-spell-${k === 0 ? 'c' : 'n'}${String(i).padStart(3, '0')}` }] : [])),
      );
      for (const { id } of taken) expect((await approve(bench, id)).status).toBe(200);
      const shown = new Set(await boardIds(bench));
      expect(taken.filter(({ id }) => shown.has(id)).map(({ name, id }) => `${name} (${id})`)).toEqual([]);
    });

    it('refuses a number in a heading or the title', async () => {
      const answers = await pushTo(bench, bench.kiosk, [
        publicationFor(bench, bench.kiosk, 'pub-head-0001', {
          columns: [
            { label: '姓名', role: 'name' },
            { label: `联系${PHONE}`, role: 'text' },
          ],
          rows: [['张*', '']],
        }),
        publicationFor(bench, bench.kiosk, 'pub-title-001', { title: `低保公示 ${ID}` }),
        publicationFor(bench, bench.kiosk, 'pub-title-002', { title: '低保公示 三组12号' }),
      ]);
      expect(answers.map((a) => a.error)).toEqual(['forbidden', 'forbidden', 'forbidden']);
    });

    it('refuses names in a name column unless masked as surname and one star, however disguised', async () => {
      const names = ['张三国', '张三*', '张**', '张\u200b*', '张*\u200b', '张＊', ' 张*', '张\u200d三*', 'Zhang*', '张三\u0301*'];
      const answers = await pushTo(
        bench,
        bench.kiosk,
        names.map((name, i) => publicationFor(bench, bench.kiosk, `pub-name-${String(i).padStart(4, '0')}`, { rows: [[name, '3', '620']] })),
      );
      expect(answers.map((a, i) => `${names[i] ?? ''}: ${a.error ?? 'taken'}`)).toEqual(names.map((name) => `${name}: forbidden`));
    });

    it('refuses full names under a name heading declared as a text column (role trick)', async () => {
      const answers = await pushTo(bench, bench.kiosk, [
        publicationFor(bench, bench.kiosk, 'pub-role-0001', {
          columns: [
            { label: '姓名', role: 'text' },
            { label: '金额（元）', role: 'amount' },
          ],
          rows: [['张三国', '620']],
        }),
        publicationFor(bench, bench.kiosk, 'pub-role-0002', {
          columns: [
            { label: '户主', role: 'text' },
            { label: '金额（元）', role: 'amount' },
          ],
          rows: [['李秀英', '480']],
        }),
      ]);
      expect(answers.map((a) => a.error)).toEqual(['forbidden', 'forbidden']);
    });

    it('refuses a number split across two cells of one line', async () => {
      const twoText = [
        { label: '姓名', role: 'name' as const },
        { label: '备注一', role: 'text' as const },
        { label: '备注二', role: 'text' as const },
      ];
      const answers = await pushTo(bench, bench.kiosk, [
        publicationFor(bench, bench.kiosk, 'pub-split-001', { columns: twoText, rows: [['张*', '139', '00001111']] }),
        publicationFor(bench, bench.kiosk, 'pub-split-002', { columns: twoText, rows: [['张*', '422822198', '001010016']] }),
      ]);
      expect(answers.map((a) => a.error)).toEqual(['forbidden', 'forbidden']);
    });
  });

  describe('promise 1: nothing reaches the board without the approval of the village’s town', () => {
    it('refuses an approval or a return in any form from a kiosk, including one copied from an approved publication', async () => {
      const at = new Date(bench.clock - 30_000).toISOString();
      const townBy = { id: 'yezhou', name: '李强', level: 'town' as const };
      const submittedAt = new Date(bench.clock - 60_000).toISOString();
      const withEvents = (id: string, extra: PublicationEvent[]) =>
        publicationFor(bench, bench.kiosk, id, {
          events: [{ id: `submit-${id}`, type: 'submitted', at: submittedAt, by: clerkOf(bench.kiosk) }, ...extra],
        });
      // A real approval, whose event a kiosk learns by sync.
      expect(await pushTo(bench, bench.kiosk, [publicationFor(bench, bench.kiosk, 'pub-real-0001')])).toMatchObject([{ ok: true }]);
      expect((await approve(bench, 'pub-real-0001')).status).toBe(200);
      const real = await storedDoc(bench, 'pub-real-0001');
      const approval = real?.events.find((event) => event.type === 'approved');
      expect(approval).toBeDefined();
      if (!approval) return;

      const answers = await pushTo(bench, bench.kiosk, [
        withEvents('pub-forge-0001', [{ id: 'a-0001', type: 'approved', at, by: townBy }]),
        withEvents('pub-forge-0002', [{ id: 'a-0002', type: 'approved', at, by: clerkOf(bench.kiosk) }]),
        withEvents('pub-forge-0003', [{ id: 'a-0003', type: 'returned', at, by: townBy }]),
        // The town's own approval, copied into another publication (a merge that smuggles it).
        withEvents('pub-forge-0004', [approval]),
        // The approved publication's events, under another id (a "second publication" reusing the approval).
        { ...publicationFor(bench, bench.kiosk, 'pub-forge-0005'), events: real?.events ?? [] },
        // A submission dated by the town.
        publicationFor(bench, bench.kiosk, 'pub-forge-0006', { events: [{ id: 's-0006', type: 'submitted', at: submittedAt, by: townBy }] }),
      ]);
      expect(answers.map((a) => a.error)).toEqual(Array(6).fill('forbidden'));

      // Into one already stored and awaiting the town: the copied approval, or a forged one, is refused too.
      expect(await pushTo(bench, bench.kiosk, [publicationFor(bench, bench.kiosk, 'pub-await-0001')])).toMatchObject([{ ok: true }]);
      const waiting = await storedDoc(bench, 'pub-await-0001');
      const again = await pushTo(bench, bench.kiosk, [
        { ...waiting, events: [...(waiting?.events ?? []), approval] },
        { ...waiting, events: [...(waiting?.events ?? []), { id: 'a-0007', type: 'approved', at, by: townBy }] },
      ]);
      expect(again.map((a) => a.error)).toEqual(['forbidden', 'forbidden']);
      // Both in one PUT, too.
      const put = await bench.hub.call('PUT', `/sync/${hallDb(VILLAGE_A)}/${publicationDocIdOf('pub-await-0001')}?cunban_compat=1`, {
        auth: bench.kiosk.authorization,
        body: { ...waiting, events: [...(waiting?.events ?? []), approval] },
      });
      expect(put.status).toBe(403);
      expect(await boardIds(bench)).not.toContain('pub-await-0001');
      expect((await storedDoc(bench, 'pub-await-0001'))?.events.map((event) => event.type)).toEqual(['submitted']);
    });

    it('never lets an approved publication change, nor be replaced, deleted or shadowed under its id', async () => {
      const current = await storedDoc(bench, 'pub-real-0001');
      if (!current) throw new Error('approved above');
      const changes: Partial<Doc>[] = [
        { rows: [['张三国', '3', '620']] },
        { rows: [['王*', '3', '620']] },
        { title: '另一份名单' },
        { note: '追加说明' },
        { displayDays: 60 },
        { category: 'decisions' },
        {
          columns: [
            { label: '姓名', role: 'text' },
            { label: '家庭人口', role: 'count' },
            { label: '金额（元）', role: 'amount' },
          ],
        },
        { preparedAt: new Date(bench.clock).toISOString() },
      ];
      const answers = await pushTo(
        bench,
        bench.kiosk,
        changes.map((change) => ({ ...current, ...change })),
      );
      expect(answers.map((a) => a.error)).toEqual(Array(changes.length).fill('forbidden'));
      // Without its revision: a new document under the approved one's id is a conflict, never a replacement.
      const fresh = await pushTo(bench, bench.kiosk, [publicationFor(bench, bench.kiosk, 'pub-real-0001', { rows: [['王*', '1', '9999']] })]);
      expect(fresh[0]?.ok).not.toBe(true);
      // Deleted, plainly or with a truthy non-boolean, then recreated.
      const deleted = await pushTo(bench, bench.kiosk, [
        { _id: current._id, _rev: current._rev, _deleted: true },
        { ...current, _deleted: 1 },
        { ...current, _deleted: 'true' },
      ]);
      expect(deleted.map((a) => a.ok === true)).toEqual([false, false, false]);
      const del = await bench.hub.call('DELETE', `/sync/${hallDb(VILLAGE_A)}/${current._id}?rev=${current._rev ?? ''}&cunban_compat=1`, {
        auth: bench.kiosk.authorization,
      });
      expect(del.status).toBe(403);
      // Another document naming the approved publication's id, or an id not its own.
      const shadow = await pushTo(bench, bench.kiosk, [
        { ...publicationFor(bench, bench.kiosk, 'pub-shadow-001'), publicationId: 'pub-real-0001', rows: [['王*', '1', '9999']] },
        { ...publicationFor(bench, bench.kiosk, 'pub-real-0001'), _id: 'publication:pub-real-0001-b' },
        { ...publicationFor(bench, bench.kiosk, 'pub-real-0001'), _id: 'publication:PUB-REAL-0001' },
        { ...publicationFor(bench, bench.kiosk, 'pub-real-0001'), _id: 'publication:pub-real-0001 ' },
      ]);
      expect(shadow.map((a) => a.error)).toEqual(Array(4).fill('forbidden'));
      // Another village's kiosk may number its own publication the same: it is a different one, not approved.
      expect(await pushTo(bench, bench.kioskB, [publicationFor(bench, bench.kioskB, 'pub-real-0001', { rows: [['王*', '1', '9999']] })])).toMatchObject([
        { ok: true },
      ]);
      expect(await boardIds(bench, VILLAGE_B)).toEqual([]);
      // And into village A's hall, kiosk B writes nothing.
      expect(
        (await bench.hub.call('POST', `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`, { auth: bench.kioskB.authorization, body: { docs: [] } }))
          .status,
      ).toBe(403);

      const after = await storedDoc(bench, 'pub-real-0001');
      expect(after?._rev).toBe(current._rev);
      const board = (await publicCall(bench, 'GET', `/api/resident/board/${VILLAGE_A}`)).body as { publications: { id: string; rows: string[][] }[] };
      expect(board.publications.filter((p) => p.id === 'pub-real-0001')).toEqual([
        expect.objectContaining({
          rows: [
            ['张*', '3', '620'],
            ['李*', '2', '480'],
          ],
        }),
      ]);
    });

    it('takes no replicator writes (new_edits=false), and _revs_diff, _local and duplicate ids in one push write nothing', async () => {
      const base = publicationFor(bench, bench.kiosk, 'pub-repl-0001');
      const townEvent: PublicationEvent = {
        id: 'town-forged',
        type: 'approved',
        at: new Date(bench.clock - 1000).toISOString(),
        by: { id: 'yezhou', name: '李强', level: 'town' },
      };
      const replicated = { ...base, _rev: '1-0123456789abcdef0123456789abcdef', events: [...base.events, townEvent] };
      const bulk = await bench.hub.call('POST', `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`, {
        auth: bench.kiosk.authorization,
        body: { docs: [replicated, { ...base, _rev: '1-0123456789abcdef0123456789abcdef' }], new_edits: false },
      });
      expect(bulk.status).toBeLessThan(500);
      const put = await bench.hub.call('PUT', `/sync/${hallDb(VILLAGE_A)}/${base._id}?new_edits=false&cunban_compat=1`, {
        auth: bench.kiosk.authorization,
        body: replicated,
      });
      expect(put.status).toBe(403);
      const diff = await bench.hub.call('POST', `/sync/${hallDb(VILLAGE_A)}/_revs_diff?cunban_compat=1`, {
        auth: bench.kiosk.authorization,
        body: { [base._id]: ['1-0123456789abcdef0123456789abcdef'] },
      });
      expect(diff.status).toBe(200);
      const local = await bench.hub.call('PUT', `/sync/${hallDb(VILLAGE_A)}/_local/${base._id}?cunban_compat=1`, {
        auth: bench.kiosk.authorization,
        body: replicated,
      });
      expect(local.status).toBeLessThan(500);
      expect(await storedDoc(bench, 'pub-repl-0001')).toBeUndefined();

      // The same id twice in one push: judged against nothing stored, both pass; the store keeps only the first.
      const twice = await pushTo(bench, bench.kiosk, [
        publicationFor(bench, bench.kiosk, 'pub-twice-001'),
        publicationFor(bench, bench.kiosk, 'pub-twice-001', { rows: [['王*', '1', '9999']] }),
      ]);
      expect(twice.filter((a) => a.ok).length).toBe(1);
      expect((await storedDoc(bench, 'pub-twice-001'))?.events.map((event) => event.type)).toEqual(['submitted']);
      const shown = await boardIds(bench);
      expect(shown).not.toContain('pub-repl-0001');
      expect(shown).not.toContain('pub-twice-001');
    });
  });

  describe('promise 6: the town decides, with CSRF, in its own area, audited, once', () => {
    it('needs the session’s CSRF token for approve and return; another town sees a 404; the county may not decide', async () => {
      expect(await pushTo(bench, bench.kiosk, [publicationFor(bench, bench.kiosk, 'pub-csrf-0001')])).toMatchObject([{ ok: true }]);
      const path = `/api/review/publications/${VILLAGE_A}/pub-csrf-0001`;
      expect((await asReviewer(bench.hub, bench.town, 'POST', `${path}/approve`, {}, false)).status).toBe(403);
      expect((await asReviewer(bench.hub, bench.town, 'POST', `${path}/return`, { reason: '请核对金额' }, false)).status).toBe(403);
      // Another session's token with this session's cookie.
      const crossed = await fetch(`${bench.hub.base}${path}/approve`, {
        method: 'POST',
        headers: { cookie: bench.town.cookie, 'x-cunban-csrf': county.csrf },
        body: '{}',
      });
      expect(crossed.status).toBe(403);
      expect((await asReviewer(bench.hub, undefined, 'POST', `${path}/approve`, {})).status).toBe(401);
      for (const action of ['approve', 'return']) {
        expect((await reviewerJson(bench.hub, otherTown, 'POST', `${path}/${action}`, { reason: '请核对金额' })).status).toBe(404);
        expect((await reviewerJson(bench.hub, county, 'POST', `${path}/${action}`, { reason: '请核对金额' })).status).toBe(403);
      }
      expect((await reviewerJson(bench.hub, otherTown, 'GET', path)).status).toBe(404);
      const listed = await reviewerJson<{ publications: { id: string }[] }>(bench.hub, otherTown, 'GET', '/api/review/publications?status=all');
      expect(listed.body.publications).toEqual([]);
      // A village of the reviewer's town, but not the one that holds the publication.
      expect((await approve(bench, 'pub-csrf-0001', bench.town, VILLAGE_B)).status).toBe(404);
      expect((await storedDoc(bench, 'pub-csrf-0001'))?.events.map((event) => event.type)).toEqual(['submitted']);
    });

    it('makes no decision it could not audit', async () => {
      expect(await pushTo(bench, bench.kiosk, [publicationFor(bench, bench.kiosk, 'pub-audit-001')])).toMatchObject([{ ok: true }]);
      const store = bench.hub.hub.store;
      const putDoc = store.putDoc.bind(store);
      store.putDoc = (db, doc) =>
        db === DB.audit ? Promise.resolve({ ok: false, error: { status: 503, error: 'unavailable', reason: 'audit down (test)' } }) : putDoc(db, doc);
      try {
        expect((await approve(bench, 'pub-audit-001')).status).toBe(503);
        expect(
          (await reviewerJson(bench.hub, bench.town, 'POST', `/api/review/publications/${VILLAGE_A}/pub-audit-001/return`, { reason: '请核对' })).status,
        ).toBe(503);
      } finally {
        store.putDoc = putDoc;
      }
      expect((await storedDoc(bench, 'pub-audit-001'))?.events.map((event) => event.type)).toEqual(['submitted']);
      expect(await boardIds(bench)).not.toContain('pub-audit-001');
    });

    it('leaves exactly one decision when two reviewers approve and return at once, and every decision made is audited', async () => {
      expect(await pushTo(bench, bench.kiosk, [publicationFor(bench, bench.kiosk, 'pub-race-0001')])).toMatchObject([{ ok: true }]);
      const path = `/api/review/publications/${VILLAGE_A}/pub-race-0001`;
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          i % 2 === 0
            ? reviewerJson(bench.hub, i % 4 === 0 ? bench.town : townB, 'POST', `${path}/approve`, {})
            : reviewerJson(bench.hub, i % 4 === 1 ? bench.town : townB, 'POST', `${path}/return`, { reason: '金额请核对' }),
        ),
      );
      expect(answers.filter((a) => a.status === 200).length).toBe(1);
      expect(answers.filter((a) => a.status !== 200 && a.status !== 409)).toEqual([]);
      const decisions = (await storedDoc(bench, 'pub-race-0001'))?.events.filter((event) => event.type === 'approved' || event.type === 'returned') ?? [];
      expect(decisions.length).toBe(1);
      const audit = await bench.hub.hub.store.docsWithPrefix<{ publication?: string; action?: string; at?: string }>(DB.audit, 'publication:');
      const entries = audit.ok ? audit.value.filter((entry) => entry.publication === 'pub-race-0001') : [];
      expect(entries).toContainEqual(expect.objectContaining({ action: decisions[0]?.type, at: decisions[0]?.at }));
    });

    it('leaves an audit that names only the decision made, not the ones refused in the race', async () => {
      const decision = (await storedDoc(bench, 'pub-race-0001'))?.events.find((event) => event.type === 'approved' || event.type === 'returned');
      const audit = await bench.hub.hub.store.docsWithPrefix<{ publication?: string; action?: string; reviewer?: string }>(DB.audit, 'publication:');
      const entries = audit.ok ? audit.value.filter((entry) => entry.publication === 'pub-race-0001') : [];
      expect(entries.map((entry) => `${entry.action ?? ''} by ${entry.reviewer ?? ''}`)).toEqual([`${decision?.type ?? ''} by ${decision?.by.id ?? ''}`]);
    });
  });

  describe('promise 3: shown from the approval for its days, objections only then; a withdrawn one never', () => {
    it('leaves the board at the end of its days, into the archive, and takes objections only until then', async () => {
      expect(await pushTo(bench, bench.kiosk, [publicationFor(bench, bench.kiosk, 'pub-life-0001', { displayDays: 3 })])).toMatchObject([{ ok: true }]);
      const approvedAt = bench.clock;
      expect((await approve(bench, 'pub-life-0001')).status).toBe(200);
      const objection = (row = 1) =>
        publicCall(bench, 'POST', `/api/resident/board/${VILLAGE_A}/pub-life-0001/objections`, { row, text: '这一户情况需要核实' });
      expect(await boardIds(bench)).toContain('pub-life-0001');
      bench.clock = approvedAt + 3 * DAY - 1;
      expect(await boardIds(bench)).toContain('pub-life-0001');
      expect((await objection()).status).toBe(201);
      bench.clock = approvedAt + 3 * DAY;
      expect(await boardIds(bench)).not.toContain('pub-life-0001');
      expect(await boardIds(bench, VILLAGE_A, '/archive')).toContain('pub-life-0001');
      expect((await objection()).body).toMatchObject({ error: 'board.notOnDisplay' });
    });

    it('never shows a withdrawn one: withdrawn before or after the approval, the withdrawal arriving late', async () => {
      const withdraw = async (id: string, at: string) => {
        const current = await storedDoc(bench, id);
        if (!current) throw new Error(`${id} is stored`);
        const event: PublicationEvent = { id: `withdraw-${id}`, type: 'withdrawn', at, by: clerkOf(bench.kiosk), reason: '名单有误' };
        return pushTo(bench, bench.kiosk, [{ ...current, events: [...current.events, event] }]);
      };
      // The clock moved days on: a session idles out after two hours.
      bench.town = await signInReviewer(bench.hub, 'yezhou', 'yezhou-secret-1');
      expect(
        await pushTo(bench, bench.kiosk, [publicationFor(bench, bench.kiosk, 'pub-wd-000001'), publicationFor(bench, bench.kiosk, 'pub-wd-000002')]),
      ).toMatchObject([{ ok: true }, { ok: true }]);
      // Withdrawn offline before the town approved; the withdrawal reaches the hub after.
      const offlineAt = new Date(bench.clock - 10_000).toISOString();
      expect((await approve(bench, 'pub-wd-000001')).status).toBe(200);
      expect(await boardIds(bench)).toContain('pub-wd-000001');
      expect(await withdraw('pub-wd-000001', offlineAt)).toMatchObject([{ ok: true }]);
      expect(await boardIds(bench)).not.toContain('pub-wd-000001');
      expect((await publicCall(bench, 'POST', `/api/resident/board/${VILLAGE_A}/pub-wd-000001/objections`, { row: 1, text: '核实' })).status).toBe(404);
      // Withdrawn first: the town cannot approve it after.
      expect(await withdraw('pub-wd-000002', new Date(bench.clock - 5_000).toISOString())).toMatchObject([{ ok: true }]);
      expect((await approve(bench, 'pub-wd-000002')).status).toBe(409);
      // Nor, later, the archive.
      const saved = bench.clock;
      bench.clock += 30 * DAY;
      const archived = await boardIds(bench, VILLAGE_A, '/archive');
      bench.clock = saved;
      expect(archived).not.toContain('pub-wd-000001');
      expect(archived).not.toContain('pub-wd-000002');
    });
  });

  describe('promise 4: the public routes', () => {
    const SECRETS = ['张三国', '13900001111', '13900002222', '422822198001010015', '尚未审批的名单', '赵*', '王芳', 'yezhou', '李强', '这户人家开了两辆车'];

    beforeAll(async () => {
      bench.town = await signInReviewer(bench.hub, 'yezhou', 'yezhou-secret-1');
      await storeForwardedCase(bench.hub, bench.kiosk, '张三国');
      await bench.hub.hub.queue.settled();
      expect(
        await pushTo(bench, bench.kiosk, [
          publicationFor(bench, bench.kiosk, 'pub-public-01'),
          publicationFor(bench, bench.kiosk, 'pub-secret-01', { title: '尚未审批的名单', rows: [['赵*', '3', '620']] }),
        ]),
      ).toMatchObject([{ ok: true }, { ok: true }]);
      expect((await approve(bench, 'pub-public-01')).status).toBe(200);
    });

    it('never answer 5xx for odd input', async () => {
      const url = `/api/resident/board/${VILLAGE_A}/pub-public-01/objections`;
      const raw = (method: string, path: string, body?: string, type = 'application/json') =>
        fetch(`${bench.hub.base}${path}`, {
          method,
          headers: { 'x-forwarded-for': freshAddress(), ...(body === undefined ? {} : { 'content-type': type }) },
          ...(body === undefined ? {} : { body }),
        });
      const requests: [string, string, string?, string?][] = [
        ['GET', `/api/resident/board/${VILLAGE_A}/`],
        ['GET', `/api/resident/board/${VILLAGE_A}?x=%ff%fe`],
        ['GET', '/api/resident/board/000000000000'],
        ['GET', `/api/resident/board/${TOWN_A}`],
        ['GET', '/api/resident/board/4228221002020'],
        ['GET', `/api/resident/board/${VILLAGE_OTHER_TOWN}`],
        ['GET', `/api/resident/board/${VILLAGE_OTHER_TOWN}/archive`],
        ['GET', '/api/resident/board/%34%32%32%38%32%32%31%30%30%32%30%32'],
        ['HEAD', `/api/resident/board/${VILLAGE_A}`],
        ['DELETE', `/api/resident/board/${VILLAGE_A}`],
        ['PUT', url, '{}'],
        ['GET', url],
        ['POST', url, 'not json'],
        ['POST', url, 'null'],
        ['POST', url, '[]'],
        ['POST', url, '"text"'],
        ['POST', url, '{"row":1e400,"text":"x"}'],
        ['POST', url, '{"row":-1,"text":"x"}'],
        ['POST', url, '{"row":0,"text":"x"}'],
        ['POST', url, '{"row":1.5,"text":"x"}'],
        ['POST', url, '{"row":"1","text":"x"}'],
        ['POST', url, '{"row":3,"text":"x"}'],
        ['POST', url, '{"row":1,"text":""}'],
        ['POST', url, '{"row":1,"text":"   "}'],
        ['POST', url, JSON.stringify({ row: 1, text: 'x'.repeat(4001) })],
        ['POST', url, JSON.stringify({ row: 1, text: '字'.repeat(2500) })],
        ['POST', url, JSON.stringify({ row: 1, text: 'x', phone: '1'.repeat(65) })],
        ['POST', url, JSON.stringify({ row: 1, text: 'x', phone: 'not a phone' })],
        ['POST', url, JSON.stringify({ row: 1, text: 'x', phone: 12345 })],
        ['POST', url, '{"row":1,"text":"lone \\ud800 surrogate"}'],
        ['POST', url, '{"row":1,"text":"nul \\u0000 char"}'],
        ['POST', url, '{"row":1,"text":"x","__proto__":{"admin":true}}'],
        ['POST', url, JSON.stringify({ row: 1, text: 'x'.repeat(20_000) })],
        ['POST', url, '{"row":1,"text":"x"}', 'text/plain'],
        ['POST', url, '{"row":1,"text":"x"}', 'application/x-www-form-urlencoded'],
        ['POST', url, '\xff\xfe{'],
        ['POST', `/api/resident/board/${VILLAGE_A}/PUB-PUBLIC-01/objections`, '{"row":1,"text":"x"}'],
        ['POST', `/api/resident/board/${VILLAGE_A}/pub-nonexist-1/objections`, '{"row":1,"text":"x"}'],
        ['POST', `/api/resident/board/${VILLAGE_A}/pub-secret-01/objections`, '{"row":1,"text":"x"}'],
        ['GET', '/api/open/service-figures.json?format=../../etc/passwd'],
        ['GET', '/api/open/service-figures.csv/'],
        ['POST', '/api/open/service-figures.csv', '{}'],
      ];
      const answered: string[] = [];
      for (const [method, path, body, type] of requests) {
        const response = await raw(method, path, body, type);
        answered.push(`${String(response.status)} ${method} ${path} ${body?.slice(0, 40) ?? ''}`);
      }
      expect(answered.filter((line) => line.startsWith('5'))).toEqual([]);
    });

    it('leak no name, phone or ID number of cases, objections or unapproved publications', async () => {
      expect(
        (
          await publicCall(bench, 'POST', `/api/resident/board/${VILLAGE_A}/pub-public-01/objections`, {
            row: 1,
            text: '这户人家开了两辆车',
            phone: '13900002222',
          })
        ).status,
      ).toBe(201);
      const bodies: string[] = [];
      for (const path of [
        `/api/resident/board/${VILLAGE_A}`,
        `/api/resident/board/${VILLAGE_A}/archive`,
        `/api/resident/board/${VILLAGE_B}`,
        '/api/open/service-figures.json',
      ]) {
        bodies.push(JSON.stringify((await publicCall(bench, 'GET', path)).body));
      }
      const csv = await fetch(`${bench.hub.base}/api/open/service-figures.csv`, { headers: { 'x-forwarded-for': freshAddress() } });
      bodies.push(await csv.text());
      const text = bodies.join('\n');
      expect(SECRETS.filter((secret) => text.includes(secret))).toEqual([]);
      expect(text).toContain('pub-public-01');
      expect(text).not.toContain('pub-secret-01');
    });

    it('take an objection only for a publication of the village named', async () => {
      const body = { row: 1, text: '核实一下' };
      for (const village of [VILLAGE_B, VILLAGE_OTHER_TOWN, '999999999999']) {
        expect((await publicCall(bench, 'POST', `/api/resident/board/${village}/pub-public-01/objections`, body)).status).toBe(404);
      }
      // Village B's own publication of that number (kiosk B, never approved) is no way in either.
      expect((await publicCall(bench, 'POST', `/api/resident/board/${VILLAGE_B}/pub-real-0001/objections`, body)).status).toBe(404);
    });

    it('limit reads per address; spoofing the left of X-Forwarded-For or rotating within an IPv6 /64 does not help', async () => {
      const viaProxy = await statuses(70, 35, (i) =>
        bench.hub.call('GET', `/api/resident/board/${VILLAGE_A}`, { headers: { 'x-forwarded-for': `10.${String(i)}.0.1, 203.0.113.77` } }),
      );
      expect(viaProxy.filter((status) => status === 429).length).toBeGreaterThanOrEqual(10);
      const v6 = await statuses(70, 35, (i) =>
        bench.hub.call('GET', '/api/open/service-figures.json', { headers: { 'x-forwarded-for': `2001:db8:77:1::${i.toString(16)}` } }),
      );
      expect(v6.filter((status) => status === 429).length).toBeGreaterThanOrEqual(10);
      const archive = await bench.hub.call('GET', `/api/resident/board/${VILLAGE_A}/archive`, { headers: { 'x-forwarded-for': '203.0.113.77' } });
      expect(archive.status).toBe(429);
      expect(archive.headers.get('retry-after')).toMatch(/^\d+$/);
    });

    it('take five objections a day from one address, however the forwarded header is dressed', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        const from = i % 2 === 0 ? `192.0.2.${String(i)}, 2001:db8:88:1::${String(i + 1)}` : `2001:db8:88:1:${String(i)}::1`;
        answers.push(
          (await publicCall(bench, 'POST', `/api/resident/board/${VILLAGE_A}/pub-public-01/objections`, { row: 2, text: `第${String(i)}次：请核实` }, from))
            .status,
        );
      }
      expect(answers).toEqual([201, 201, 201, 201, 201, 429, 429]);
    });
  });
});

describe('on a hub that trusts no proxy, its division table written as spreadsheet formulas', () => {
  const bench = {} as Bench;

  beforeAll(async () => {
    bench.clock = Date.parse('2026-11-30T02:00:00.000Z');
    bench.hub = await startTestHub({ seed: false, now: () => new Date(bench.clock) });
    const data = testCountyData();
    const names = ['=HYPERLINK("http://attacker.example/","雀儿笼村")', '=1+2\n杉木村'];
    const towns = data.divisions.towns.map((town, t) =>
      t === 0
        ? {
            ...town,
            name: '@SUM(1+1)*cmd|" /C calc"!A0',
            villages: town.villages.map((village) =>
              village.code12 === VILLAGE_A
                ? { ...village, name: names[0] ?? '' }
                : village.code12 === VILLAGE_B
                  ? { ...village, name: names[1] ?? '' }
                  : village,
            ),
          }
        : { ...town, name: '-2+3+cmd|" /C calc"!A0' },
    );
    const seeded = await initCounty(bench.hub.hub.store, bench.hub.config.dataDir, { ...data, divisions: { ...data.divisions, towns } });
    if (!seeded.ok) throw new Error(JSON.stringify(seeded.error));
    bench.kiosk = await bench.hub.enroll(VILLAGE_A);
    bench.kioskB = await bench.hub.enroll(VILLAGE_B);
    await storeForwardedCase(bench.hub, bench.kiosk, '张三国');
    await storeForwardedCase(bench.hub, bench.kioskB, '李秀英');
    await bench.hub.hub.queue.settled();
    await addReviewer(bench.hub.hub.store, { name: 'yezhou', role: 'town', town: TOWN_A, password: 'yezhou-secret-1' }, new Date(bench.clock));
    bench.town = await signInReviewer(bench.hub, 'yezhou', 'yezhou-secret-1');
    expect(await pushTo(bench, bench.kiosk, [publicationFor(bench, bench.kiosk, 'pub-public-02')])).toMatchObject([{ ok: true }]);
    expect((await approve(bench, 'pub-public-02')).status).toBe(200);
  }, 120_000);

  afterAll(async () => {
    await bench.hub.close();
  });

  describe('promise 5: the open data', () => {
    it('serves the documented schema as JSON and CSV', async () => {
      const json = await fetch(`${bench.hub.base}/api/open/service-figures.json`);
      expect(json.headers.get('cache-control')).toBe('public, max-age=60');
      const body = (await json.json()) as { schema: string; county: string; generatedAt: string; rows: Record<string, unknown>[] };
      expect(Object.keys(body).sort()).toEqual(['county', 'generatedAt', 'rows', 'schema']);
      expect(body.schema).toBe('cunban.serviceFigures/1');
      const columns = [
        'village',
        'villageName',
        'townName',
        'month',
        'accepted',
        'decided',
        'decidedWithTimeLimit',
        'decidedWithinTimeLimit',
        'medianDaysToDecision',
      ];
      expect(body.rows.length).toBeGreaterThanOrEqual(2);
      for (const row of body.rows) expect(Object.keys(row).sort()).toEqual([...columns].sort());
      expect(body.rows.map((row) => `${String(row.village)}/${String(row.month)}`)).toEqual(
        [...body.rows].map((row) => `${String(row.village)}/${String(row.month)}`).sort(),
      );
      const csv = await fetch(`${bench.hub.base}/api/open/service-figures.csv`);
      expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      const bytes = Buffer.from(await csv.arrayBuffer());
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const text = bytes.subarray(3).toString('utf8');
      expect(text.split('\r\n')[0]).toBe(columns.join(','));
      expect(text.endsWith('\r\n')).toBe(true);
      expect(text.split('\r\n').length - 2).toBe(body.rows.length);
    });

    it('labels the JSON as docs/OPEN-DATA.md says: application/json; charset=utf-8', async () => {
      const json = await fetch(`${bench.hub.base}/api/open/service-figures.json`);
      expect(json.headers.get('content-type')).toBe('application/json; charset=utf-8');
    });

    it('prefixes every cell a spreadsheet would read as a formula with a quote, a line break in the name or not', async () => {
      const csv = await fetch(`${bench.hub.base}/api/open/service-figures.csv`);
      const parsed = Papa.parse<string[]>((await csv.text()).replace(/^\ufeff/, ''), { skipEmptyLines: true });
      const formulas = parsed.data.flat().filter((cell) => /^[=+\-@\t\r]/.test(cell));
      expect(formulas).toEqual([]);
    });
  });

  describe('promise 4: X-Forwarded-For from an untrusted peer is ignored', () => {
    it('takes five objections a day from the one real address, however many the header claims', async () => {
      const answers: number[] = [];
      for (let i = 0; i < 7; i += 1) {
        const answer = await bench.hub.call('POST', `/api/resident/board/${VILLAGE_A}/pub-public-02/objections`, {
          body: { row: 1, text: `请核实（${String(i)}）` },
          headers: { 'x-forwarded-for': `198.51.100.${String(i + 1)}` },
        });
        answers.push(answer.status);
      }
      expect(answers).toEqual([201, 201, 201, 201, 201, 429, 429]);
    });
    it('limits board and open data reads whatever address the header claims', async () => {
      const board = await statuses(70, 35, (i) =>
        bench.hub.call('GET', `/api/resident/board/${VILLAGE_A}`, { headers: { 'x-forwarded-for': `203.0.113.${String(i + 1)}` } }),
      );
      expect(board.filter((status) => status === 429).length).toBeGreaterThanOrEqual(10);
      const open = await statuses(70, 35, (i) =>
        bench.hub.call('GET', '/api/open/service-figures.json', { headers: { 'x-forwarded-for': `203.0.113.${String(i + 1)}` } }),
      );
      expect(open.filter((status) => status === 429).length).toBeGreaterThanOrEqual(10);
    });
  });
});
