/**
 * Every document a kiosk writes is checked against core/'s schema and the kiosk's village; a refusal
 * comes back per document in CouchDB's `{id, error: "forbidden", reason}` shape and is kept in the
 * quarantine — never silently dropped, never stored in the village database.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDocument } from '../../core/case/document.js';
import { isEventOf } from '../../core/case/events.js';
import { gatewayRoutes } from '../../sync-server/gateway.js';
import { changeFeeds } from '../../sync-server/gateway/change-feeds.js';
import { router } from '../../sync-server/http/kit.js';
import { issueEnrollmentCode, listKiosks } from '../../sync-server/kiosks.js';
import { openRefusalCounts } from '../../sync-server/records.js';
import { DB } from '../../sync-server/store/names.js';
import type { Store } from '../../sync-server/store/store.js';
import { person } from '../core/fixtures.js';
import { caseFor, clerkOf, startTestHub, VILLAGE_A, VILLAGE_B, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let t: TestHub;
let kiosk: EnrolledKiosk;
let neighbour: EnrolledKiosk;
const dbA = `/sync/village_${VILLAGE_A}`;

beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
  neighbour = await t.enroll(VILLAGE_B);
});

afterAll(async () => {
  await t.close();
});

async function villageDocIds(village = VILLAGE_A): Promise<string[]> {
  const rows = await t.hub.store.request<{ rows: { id: string }[] }>({ db: t.hub.store.dbName(`village_${village}`), path: '_all_docs' });
  return rows.ok ? rows.value.rows.map((r) => r.id).filter((id) => !id.startsWith('_design/')) : [];
}

async function quarantined(): Promise<{ docId: string; reason: string; kioskId: string; doc: unknown; at: string }[]> {
  const rows = await t.hub.store.request<{ rows: { doc: never }[] }>({
    db: t.hub.store.dbName(DB.quarantine),
    path: '_all_docs',
    qs: { include_docs: true, startkey: `q:${kiosk.kioskId}:`, endkey: `q:${kiosk.kioskId}:\ufff0` },
  });
  return rows.ok ? rows.value.rows.map((r) => r.doc) : [];
}

const push = (docs: unknown[], auth = kiosk.authorization) => t.call('POST', `${dbA}/_bulk_docs`, { auth, body: { docs } });

describe('a valid case', () => {
  it('is stored, and the batch is audited', async () => {
    const doc = caseFor(kiosk);
    const response = await push([doc]);
    expect(response.status).toBe(201);
    expect(response.body).toEqual([{ ok: true, id: doc._id, rev: expect.stringMatching(/^1-/) as string }]);
    expect(await villageDocIds()).toContain(doc._id);
    const audit = await t.hub.store.request<{ rows: { doc: { kioskId: string; docIds: string[]; village: string } }[] }>({
      db: t.hub.store.dbName(DB.audit),
      path: '_all_docs',
      qs: { include_docs: true },
    });
    expect(audit.ok && audit.value.rows.map((r) => r.doc)).toContainEqual(
      expect.objectContaining({ kioskId: kiosk.kioskId, village: VILLAGE_A, docIds: [doc._id] }),
    );
  });

  it('can be written with a single PUT, and a stale revision is a conflict', async () => {
    const doc = caseFor(kiosk);
    const created = await t.call('PUT', `${dbA}/${doc._id}`, { auth: kiosk.authorization, body: doc });
    expect(created).toMatchObject({ status: 201, body: { ok: true, id: doc._id } });
    const stale = await t.call('PUT', `${dbA}/${doc._id}`, { auth: kiosk.authorization, body: doc });
    expect(stale).toMatchObject({ status: 409, body: { error: 'conflict' } });
  });
});

describe('a refused document', () => {
  const cases: [string, () => unknown, string][] = [
    ['of another village', () => caseFor(neighbour), 'belongs to village 422822100212; this kiosk is enrolled for 422822100202'],
    [
      'with a summary that lies',
      () => {
        const doc = caseFor(kiosk);
        return { ...doc, summary: { ...doc.summary, status: 'approved' } };
      },
      'field summary.status is wrong (does not match the events (expected accepted))',
    ],
    [
      'missing a required field',
      () => {
        const { summary: _summary, ...doc } = caseFor(kiosk);
        return doc;
      },
      'summary is wrong',
    ],
    [
      'holding a plaintext ID number',
      () => {
        const doc = caseFor(kiosk);
        const [created] = doc.events;
        if (!created || !isEventOf(created, 'created')) throw new Error('fixture');
        const leaked = { ...created, payload: { ...created.payload, applicant: { ...created.payload.applicant, address: '身份证 422822198001010015' } } };
        return { ...doc, events: [leaked] };
      },
      'contains a resident ID number in plain text',
    ],
    [
      'holding an ID number in full-width digits',
      () => ({ ...caseFor(kiosk), remark: '４２２８２２１９８００１０１００１５' }),
      'contains a resident ID number in plain text',
    ],
    [
      'holding an ID number as a field’s name',
      () => ({ ...caseFor(kiosk), lookup: { '422822198001010015': 1 } }),
      'contains a resident ID number in plain text',
    ],
    ['whose id is not its case number', () => ({ ...caseFor(kiosk), _id: 'case-1' }), 'The document id must be the case number'],
    ['numbered by another kiosk', () => caseFor({ ...kiosk, kioskNumber: 42, kioskId: kiosk.kioskId }), 'was not issued by this kiosk (its numbers: 1)'],
    [
      'with an event forged in a county reviewer’s name',
      () =>
        caseFor(kiosk, {
          extra: [
            {
              id: 'forged-county-note',
              at: '2026-11-26T03:00:00.000Z',
              actor: { id: 'county-reviewer-1', name: '张敏', level: 'county' },
              type: 'note',
              payload: { text: '已批准' },
            },
          ],
        }),
      'Event forged-county-note is not this kiosk’s to write',
    ],
    [
      'in another kiosk’s name',
      () => {
        const doc = caseFor(kiosk);
        const [created] = doc.events;
        if (!created) throw new Error('fixture');
        return { ...doc, events: [{ ...created, actor: clerkOf(neighbour) }] };
      },
      'is not this kiosk’s to write',
    ],
    [
      'with attachments',
      () => ({ ...caseFor(kiosk), _attachments: { 'scan.jpg': { content_type: 'image/jpeg', data: 'AAAA' } } }),
      'Attachments are not accepted',
    ],
    ['marked deleted', () => ({ ...caseFor(kiosk), _deleted: true }), 'Cases are never deleted'],
    ['that is a design document', () => ({ _id: '_design/evil', views: {} }), 'Design and system documents cannot be written'],
    ['that is not an object', () => 'hello', 'A document must be a JSON object.'],
    ['without an id', () => ({ kind: 'cunban.case' }), 'A document needs an _id.'],
    ['that is too large', () => ({ ...caseFor(kiosk), padding: 'x'.repeat(300 * 1024) }), 'at most 256 KB'],
  ];

  it.each(cases)('%s is refused per document, quarantined, and not stored', async (_name, make, reason) => {
    const doc = make();
    const before = await villageDocIds();
    const quarantineBefore = (await quarantined()).length;
    const response = await push([doc]);
    expect(response.status).toBe(201);
    const [result] = response.body as { id: string; error: string; reason: string }[];
    expect(result?.error).toBe('forbidden');
    expect(result?.reason).toContain(reason);
    expect(await villageDocIds()).toEqual(before);
    const entries = await quarantined();
    expect(entries).toHaveLength(quarantineBefore + 1);
    expect(entries.at(-1)).toMatchObject({ kioskId: kiosk.kioskId, reason: result?.reason });
  });

  it('is quarantined with ID numbers masked, so the quarantine is no back door', async () => {
    const entries = await quarantined();
    const leak = entries.find((e) => e.reason.includes('plain text'));
    expect(JSON.stringify(leak?.doc)).toContain('422822********0015');
    expect(JSON.stringify(entries)).not.toContain('422822198001010015');
    expect(JSON.stringify(entries)).not.toContain('４２２８２２１９８００１０１００１５');
  });

  it('masks an ID number in a refused document’s id too', async () => {
    const doc = { ...caseFor(kiosk), _id: 'case-422822198701010014' };
    expect((await push([doc])).body).toEqual([expect.objectContaining({ error: 'forbidden' })]);
    const entries = await quarantined();
    expect(JSON.stringify(entries)).not.toContain('422822198701010014');
  });

  it('does not stop the good documents of the same batch, and the answers keep their order', async () => {
    const good1 = caseFor(kiosk);
    const bad = caseFor(neighbour);
    const good2 = caseFor(kiosk);
    const response = await push([good1, bad, good2]);
    const results = response.body as { id: string; ok?: boolean; error?: string }[];
    expect(results.map((r) => [r.id, r.ok ?? r.error])).toEqual([
      [good1._id, true],
      [bad._id, 'forbidden'],
      [good2._id, true],
    ]);
    expect(await villageDocIds()).toEqual(expect.arrayContaining([good1._id, good2._id]));
    expect(await villageDocIds()).not.toContain(bad._id);
    expect(await villageDocIds(VILLAGE_B)).not.toContain(bad._id);
  });

  it('keeps each answer with its document even when the store answers out of order', async () => {
    // CouchDB keeps request order; nothing in the protocol makes every store do so. Reverse it to be sure.
    const real = t.hub.store;
    const reversing: Store = {
      ...real,
      async request<T>(request: Parameters<Store['request']>[0]) {
        const result = await real.request<T>(request);
        return request.path === '_bulk_docs' && result.ok && Array.isArray(result.value)
          ? { ok: true as const, value: [...(result.value as unknown[])].reverse() as T }
          : result;
      },
    };
    const feeds = changeFeeds(reversing);
    const server = createServer(
      router(gatewayRoutes({ store: reversing, now: () => new Date(), log: () => undefined, feeds }), { corsOrigins: [] }, () => undefined),
    );
    await new Promise<void>((listening) =>
      server.listen(0, '127.0.0.1', () => {
        listening();
      }),
    );
    try {
      const [good1, bad, good2] = [caseFor(kiosk), caseFor(neighbour), caseFor(kiosk)];
      const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}${dbA}/_bulk_docs`, {
        method: 'POST',
        headers: { authorization: kiosk.authorization, 'content-type': 'application/json' },
        body: JSON.stringify({ docs: [good1, bad, good2] }),
      });
      const results = (await response.json()) as { id: string; ok?: boolean; error?: string }[];
      expect(results.map((r) => [r.id, r.ok ?? r.error])).toEqual([
        [good1._id, true],
        [bad._id, 'forbidden'],
        [good2._id, true],
      ]);
    } finally {
      server.closeAllConnections();
      server.close();
      feeds.close();
    }
  });

  it('that would drop events the hub holds is refused', async () => {
    const doc = caseFor(kiosk, {
      extra: [{ id: `${kiosk.kioskId}-note-x`, at: '2026-11-26T02:00:00.000Z', actor: clerkOf(kiosk), type: 'note', payload: { text: '备注' } }],
    });
    const first = await push([doc]);
    const rev = (first.body as { rev: string }[])[0]?.rev;
    const shortened: CaseDocument = { ...doc, events: doc.events.slice(0, 1), summary: { ...doc.summary, eventCount: 1, updatedAt: doc.events[0]?.at ?? '' } };
    const second = await push([{ ...shortened, _id: doc._id, _rev: rev }]);
    expect((second.body as { error: string; reason: string }[])[0]).toMatchObject({
      error: 'forbidden',
      reason: expect.stringContaining('would drop 1 event') as string,
    });
  });
});

describe('a malformed request', () => {
  it.each([
    ['not JSON', '{"docs": [', 400, 'The request body is not valid JSON.'],
    ['empty', '', 400, 'The request body is empty; JSON was expected.'],
    ['docs not an array', '{"docs": {}}', 400, '`docs` must be an array.'],
    ['new_edits not a boolean', '{"docs": [], "new_edits": "no"}', 400, '`new_edits` must be true or false.'],
  ])('%s gets a specific error', async (_name, rawBody, status, reason) => {
    const response = await t.call('POST', `${dbA}/_bulk_docs`, { auth: kiosk.authorization, rawBody, headers: { 'content-type': 'application/json' } });
    expect(response).toMatchObject({ status, body: { error: 'bad_request', reason } });
  });

  it('over the size cap is refused before it is read', async () => {
    const huge = JSON.stringify({ docs: [{ _id: 'x', pad: 'y'.repeat(9 * 1024 * 1024) }] });
    const response = await t.call('POST', `${dbA}/_bulk_docs`, { auth: kiosk.authorization, rawBody: huge });
    expect(response).toMatchObject({ status: 413, body: { error: 'too_large' } });
  });

  it('with too many documents is refused whole', async () => {
    const response = await push(Array.from({ length: 1001 }, () => ({})));
    expect(response).toMatchObject({ status: 413, body: { error: 'too_large' } });
  });
});

describe('the fleet view’s data', () => {
  it('records when each kiosk was last seen, pushed and pulled, and counts its quarantined documents', async () => {
    await t.call('GET', `${dbA}/_changes?since=0`, { auth: kiosk.authorization });
    const deadline = Date.now() + 5000;
    let record: { lastSeenAt?: string; lastPushAt?: string; lastPullAt?: string } | undefined;
    while (Date.now() < deadline) {
      const kiosks = await listKiosks(t.hub.store);
      record = kiosks.ok ? kiosks.value.find((k) => k.kioskId === kiosk.kioskId) : undefined;
      if (record?.lastSeenAt && record.lastPushAt && record.lastPullAt) break;
      await new Promise((wait) => setTimeout(wait, 50));
    }
    expect(record).toMatchObject({
      lastSeenAt: expect.any(String) as string,
      lastPushAt: expect.any(String) as string,
      lastPullAt: expect.any(String) as string,
    });
    const open = await openRefusalCounts(t.hub.store);
    expect(open.ok && open.value.get(kiosk.kioskId)).toBe((await quarantined()).length);
    expect(open.ok && open.value.get(kiosk.kioskId)).toBeGreaterThan(10);
    expect(open.ok && open.value.get(neighbour.kioskId)).toBeUndefined();
  });
});

describe('what RxDB’s CouchDB replication sends', () => {
  it('gets documents from POST _all_docs when include_docs is in the body, as CouchDB allows', async () => {
    const doc = caseFor(kiosk);
    await push([doc]);
    const response = await t.call('POST', `${dbA}/_all_docs?`, {
      auth: kiosk.authorization,
      body: { keys: [doc._id, 'missing-id'], include_docs: true, deleted: 'ok' },
    });
    const rows = (response.body as { rows: { key: string; doc?: { caseNumber: string } }[] }).rows;
    expect(rows.find((r) => r.key === doc._id)?.doc?.caseNumber).toBe(doc.caseNumber);
    expect(rows.find((r) => r.key === 'missing-id')?.doc).toBeUndefined();
  });

  it('accepts a case carrying RxDB’s empty _attachments and _deleted: false', async () => {
    const doc = { ...caseFor(kiosk), _attachments: {}, _deleted: false };
    const response = await push([doc]);
    expect((response.body as { ok?: boolean }[])[0]?.ok).toBe(true);
  });
});

describe('a second registration under a case number the hub holds (issue 14: two residents in one case)', () => {
  /** Another application under the number of `doc`: its own created event, another resident. */
  const secondRegistration = (doc: CaseDocument & { _id: string }) => {
    const other = caseFor(kiosk, { applicant: person('李四') });
    const [created] = other.events;
    if (!created || !isEventOf(created, 'created')) throw new Error('fixture');
    const renamed = { ...created, id: `${created.id}-b`, payload: { ...created.payload, caseNumber: doc._id } };
    return { ...other, _id: doc._id, caseNumber: doc._id, events: [renamed], summary: { ...other.summary, applicantName: '李四' } };
  };

  it('is refused per document as a clash, kept in the quarantine, and never merged', async () => {
    const a = caseFor(kiosk);
    expect((await push([a])).status).toBe(201);
    const b = secondRegistration(a);
    const refused = await push([b]);
    expect(refused.body).toEqual([
      {
        id: a._id,
        error: 'forbidden',
        reason: expect.stringContaining('already registered on the county hub for another application') as string,
        cunban: { code: 'case.clash' },
      },
    ]);
    const stored = await t.hub.store.getDoc<CaseDocument>(`village_${VILLAGE_A}`, a._id);
    expect(stored.ok && stored.value.events.map((e) => e.id)).toEqual(a.events.map((e) => e.id));
    expect((await quarantined()).some((q) => q.docId === a._id && (q as { code?: string }).code === 'case.clash')).toBe(true);
  });

  it('is refused too when a 0.1.0 kiosk has merged both registrations into one document', async () => {
    const a = caseFor(kiosk);
    const written = await push([a]);
    const rev = (written.body as { rev: string }[])[0]?.rev;
    const b = secondRegistration(a);
    // 0.1.0's merge: the union of both histories, the second creation marked ignored.
    const merged = { ...a, _rev: rev, events: [...a.events, ...b.events], summary: { ...a.summary, eventCount: 2, ignoredEventCount: 1 } };
    const refused = await push([merged]);
    expect(refused.body).toMatchObject([{ id: a._id, error: 'forbidden', cunban: { code: 'case.clash' } }]);
  });
});

describe('kiosk numbers', () => {
  it('a re-enrolled kiosk numbers under a new number, and its cases under the earlier one are still its own', async () => {
    const before = await t.enroll(VILLAGE_A);
    const code = await issueEnrollmentCode(t.hub.store, VILLAGE_A, new Date(), undefined, before.kioskId);
    if (!code.ok) throw new Error('fixture');
    const after = (await t.call('POST', '/api/enroll', { body: { code: code.value.code } })).body as EnrolledKiosk;
    expect(after.kioskId).toBe(before.kioskId);
    expect(after.kioskNumber).not.toBe(before.kioskNumber);
    // A case it numbered before, sent with its new credential; and one under its new number.
    expect((await push([caseFor({ ...before, authorization: after.authorization })], after.authorization)).body).toMatchObject([{ ok: true }]);
    expect((await push([caseFor(after)], after.authorization)).body).toMatchObject([{ ok: true }]);
    // Another kiosk's number is still refused.
    const stranger = caseFor({ ...kiosk, authorization: after.authorization });
    expect((await push([stranger], after.authorization)).body).toMatchObject([
      { error: 'forbidden', reason: expect.stringContaining('was not issued by this kiosk') as string },
    ]);
  });

  it('a lease asked for by a kiosk is a number never granted before, up to ten a kiosk', async () => {
    const asker = await t.enroll(VILLAGE_A);
    const seen = new Set<number>([asker.kioskNumber, kiosk.kioskNumber]);
    for (let i = 1; i < 10; i++) {
      const lease = await t.call('POST', '/api/kiosk/number', { auth: asker.authorization });
      expect(lease.status).toBe(201);
      const number = (lease.body as { kioskNumber: number }).kioskNumber;
      expect(seen.has(number)).toBe(false);
      seen.add(number);
    }
    expect(await t.call('POST', '/api/kiosk/number', { auth: asker.authorization })).toMatchObject({ status: 409, body: { error: 'enroll.numbersExhausted' } });
    expect((await t.call('POST', '/api/kiosk/number', { auth: 'Basic bm9ib2R5Om5vdGhpbmc=' })).status).toBe(401);
  });
});
