/**
 * A kiosk's own writes do not come back down its feed: pushing its day's work, a kiosk was pulling every case
 * straight back (npm run bench, push). Everyone else's writes, and any later change to the case, still reach
 * it; a 0.1.0 kiosk (whose edits the hub completes with what it does not know) still gets its echo. Runs
 * against the embedded store, or against Apache CouchDB given COUCHDB_URL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseDocument } from '../../core/case/document.js';
import { COMPAT_LEVEL, COMPAT_PARAM } from '../../core/compat.js';
import { caseFor, startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let t: TestHub;
let kiosk: EnrolledKiosk;
let neighbour: EnrolledKiosk;
const db = `/sync/village_${VILLAGE_A}`;
const current = `${COMPAT_PARAM}=${String(COMPAT_LEVEL)}`;

beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
  neighbour = await t.enroll(VILLAGE_A);
});

afterAll(async () => {
  await t.close();
});

/** The ids a kiosk's live feed (a long poll, answered at once when there is news) gives since `since`, and where it ended. */
async function feed(who: EnrolledKiosk, since: string, compat = current, mode = 'feed=longpoll&timeout=1500'): Promise<{ ids: string[]; last: string }> {
  const answer = await t.call('GET', `${db}/_changes?${mode}&since=${encodeURIComponent(since)}&include_docs=true&style=all_docs&${compat}`, { auth: who.authorization });
  const body = answer.body as { results: { id: string }[]; last_seq: string | number };
  return { ids: body.results.map((row) => row.id), last: String(body.last_seq) };
}

async function push(who: EnrolledKiosk, doc: object, compat = current): Promise<{ id: string; rev: string }> {
  const answer = await t.call('POST', `${db}/_bulk_docs?${compat}`, { auth: who.authorization, body: { docs: [doc] } });
  expect(answer.status).toBe(201);
  return (answer.body as { id: string; rev: string }[])[0] ?? { id: '', rev: '' };
}

describe('a kiosk’s own pushes', () => {
  it('are not sent back down its feed, and reach every other kiosk of the village', async () => {
    const start = (await feed(kiosk, 'now')).last;
    const doc = caseFor(kiosk);
    await push(kiosk, doc);
    expect((await feed(kiosk, start)).ids).not.toContain(doc._id);
    expect((await feed(neighbour, start)).ids).toContain(doc._id);
  });

  it('come back once the case has a newer revision on the hub, and a long poll does not wake for them alone', async () => {
    const start = (await feed(kiosk, 'now')).last;
    const doc = caseFor(kiosk);
    await push(kiosk, doc);
    const poll = await t.call('GET', `${db}/_changes?feed=longpoll&timeout=1500&since=${encodeURIComponent(start)}&${current}`, { auth: kiosk.authorization });
    expect((poll.body as { results: unknown[] }).results).toEqual([]);
    const stored = await t.hub.store.getDoc<CaseDocument>(`village_${VILLAGE_A}`, doc._id);
    if (!stored.ok) throw new Error('not on the hub');
    // Any later revision on the hub (here the case written again as it is, as a repair would) is news to the kiosk.
    expect((await t.hub.store.putDoc(`village_${VILLAGE_A}`, stored.value)).ok).toBe(true);
    expect((await feed(kiosk, start)).ids).toContain(doc._id);
  });

  it('are all there when the kiosk reads its feed from a checkpoint (restarted, or restored from an older disk)', async () => {
    const start = (await feed(kiosk, 'now')).last;
    const doc = caseFor(kiosk);
    await push(kiosk, doc);
    expect((await feed(kiosk, start, current, 'feed=normal')).ids).toContain(doc._id);
  });

  it('of a 0.1.0 kiosk, which the hub completes with fields it does not know, still come back to it', async () => {
    const start = (await feed(kiosk, 'now', '')).last;
    const doc = caseFor(kiosk);
    await push(kiosk, doc, '');
    expect((await feed(kiosk, start, '')).ids).toContain(doc._id);
  });
});
