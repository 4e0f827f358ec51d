/**
 * Hub fuzzing: malformed requests against every route give no 5xx and no hang, change no case, kiosk or
 * account, and a normal kiosk syncs afterwards. `npm test` sends 1,500; `npm run fuzz [count] [seed]` the
 * same scenario with 10,000 or more (FUZZ_REQUESTS, FUZZ_SEED).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fuzzHub } from '../../scripts/fuzz/hub-fuzz.js';
import { CONTROL_DBS, DB } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { caseFor, startTestHub, storeForwardedCase, VILLAGE_A, type TestHub } from './hub-harness.js';
import { signInReviewer } from './reviewer-client.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(async () => {
  await hub.close();
});

/**
 * What must not change: every case, kiosk, account, county document and file. Quarantine and audit may grow
 * (refusals are kept), sessions come and go, failed sign-ins are counted (the lockout), and a kiosk's
 * last-contact times move with its requests.
 */
async function snapshot(): Promise<Record<string, unknown>> {
  const watched = [`village_${VILLAGE_A}`, DB.catalog, ...CONTROL_DBS.filter((db) => db !== DB.quarantine && db !== DB.audit && db !== DB.meta)];
  const entries = await Promise.all(
    watched.map(async (db) => {
      const all = await hub.hub.store.request<{ rows: { id: string; doc: Record<string, unknown> & { _id: string } }[] }>({
        db: hub.hub.store.dbName(db),
        path: '_all_docs',
        qs: { include_docs: true },
      });
      if (!all.ok) return [db, all.error] as const;
      const docs = all.value.rows
        .filter((row) => !/^(session|signin|enroll):/.test(row.id))
        .map(({ doc }) => {
          const { _rev, lastSeenAt: _seen, lastPushAt: _push, lastPullAt: _pull, ...content } = doc;
          return doc._id.startsWith('kiosk:') ? content : { ...content, _rev };
        });
      return [db, docs] as const;
    }),
  );
  return Object.fromEntries(entries) as Record<string, unknown>;
}

describe('hub fuzzing', () => {
  const requests = Number(process.env.FUZZ_REQUESTS ?? 1500);
  const seed = Number(process.env.FUZZ_SEED ?? 20261126);

  it(`${requests.toLocaleString('en')} malformed requests (seed ${String(seed)}): no 5xx, nothing changed, and a normal kiosk still syncs`, async () => {
    const kiosk = await hub.enroll(VILLAGE_A);
    const caseNumber = await storeForwardedCase(hub, kiosk, '张三');
    await addReviewer(hub.hub.store, { name: 'county-fuzz', role: 'county', password: 'county-secret-1' }, new Date());
    const reviewer = await signInReviewer(hub, 'county-fuzz', 'county-secret-1');
    await hub.hub.queue.settled();
    const before = await snapshot();

    const report = await fuzzHub({ base: hub.base, village: VILLAGE_A, caseNumber, kioskAuthorization: kiosk.authorization, reviewer }, requests, { seed });
    console.log(`fuzz: ${String(report.requests)} requests, answers by status ${JSON.stringify(report.byStatus)}, findings ${String(report.findings.length)}`);
    expect(report.findings).toEqual([]);
    expect(report.requests).toBe(requests);
    expect(Object.keys(report.byStatus).every((status) => Number(status) >= 200 && Number(status) < 500)).toBe(true);

    expect(await snapshot()).toEqual(before);
    expect((await hub.call('GET', '/api/health')).status).toBe(200);
    const fresh = await hub.enroll(VILLAGE_A);
    const doc = caseFor(fresh);
    const pushed = await hub.call('POST', `/sync/village_${VILLAGE_A}/_bulk_docs`, { auth: fresh.authorization, body: { docs: [doc] } });
    expect(pushed).toMatchObject({ status: 201, body: [{ id: doc._id, ok: true }] });
    const pulled = await hub.call('GET', `/sync/village_${VILLAGE_A}/_changes?since=0`, { auth: fresh.authorization });
    expect(JSON.stringify(pulled.body)).toContain(doc._id);
  }, 1_800_000);
});
