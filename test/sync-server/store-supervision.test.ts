/** The embedded store runs in its own supervised process: if it dies, the hub says so and brings it back. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseFor, startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let t: TestHub;
let kiosk: EnrolledKiosk;

beforeAll(async () => {
  t = await startTestHub();
  kiosk = await t.enroll(VILLAGE_A);
});

afterAll(async () => {
  await t.close();
});

describe.skipIf(process.env.COUCHDB_URL !== undefined)('the embedded store (not used when COUCHDB_URL is set)', () => {
  it('is restarted after SIGKILL; the hub reports it down meanwhile, and no acknowledged write is lost', async () => {
    const doc = caseFor(kiosk);
    const pushed = await t.call('POST', `/sync/village_${VILLAGE_A}/_bulk_docs`, { auth: kiosk.authorization, body: { docs: [doc] } });
    expect(pushed.status).toBe(201);

    const embedded = t.hub.embedded;
    if (!embedded) throw new Error('expected the embedded store');
    const pid = embedded.pid();
    process.kill(pid ?? 0, 'SIGKILL');
    // Until the supervisor has a new process, requests that need the store get a clear 503.
    const deadline = Date.now() + 5000;
    let sawDown = false;
    while (Date.now() < deadline && embedded.pid() === pid) {
      const health = await t.call('GET', '/api/health');
      if (health.status === 503) {
        expect(health.body).toMatchObject({ ok: false, store: { status: 'down' } });
        sawDown = true;
        break;
      }
    }
    expect(sawDown).toBe(true);
    const during = await t.call('GET', `/sync/village_${VILLAGE_A}/${doc._id}`, { auth: kiosk.authorization });
    expect([200, 503]).toContain(during.status);

    await embedded.whenUp();
    expect(embedded.pid()).not.toBe(pid);
    const health = await t.call('GET', '/api/health');
    expect(health).toMatchObject({ status: 200, body: { ok: true, store: { kind: 'embedded', status: 'up' } } });
    const after = await t.call('GET', `/sync/village_${VILLAGE_A}/${doc._id}`, { auth: kiosk.authorization });
    expect(after).toMatchObject({ status: 200, body: { caseNumber: doc.caseNumber } });
  });
});
