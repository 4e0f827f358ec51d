/**
 * Deliveries the network gets wrong: every push delivered twice, old pushes delivered again after newer
 * ones (reordered), and replies lost after the hub committed — while the county decides on the same cases.
 * Nothing is lost, nothing is stored twice, and kiosk and hub end in the same state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { startKillableHub, type KillableHub } from '../sync-server/hub-process.js';
import { COUNTY_REVIEWER, faultRounds, faultyKiosk, tallyKiosk, urlOf, type Fetch } from './fault-harness.js';

let hub: KillableHub;
beforeAll(async () => {
  hub = await startKillableHub();
}, 60_000);
afterAll(async () => {
  await hub.close();
});

/** What the network did, so the test can show each fault really happened. */
const delivered = { twice: 0, stale: 0, repliesLost: 0 };

/**
 * A network that delivers each push twice, sends an earlier push again after a later one, and loses
 * every third push's reply after the hub has answered.
 */
function unreliable(real: Fetch): Fetch {
  const earlier: { url: string; init: RequestInit }[] = [];
  let pushes = 0;
  return async (input, init) => {
    const url = urlOf(input);
    // A push, plain or gzipped (either can be sent again as it is).
    if (!url.includes('/_bulk_docs') || !(typeof init?.body === 'string' || init?.body instanceof Uint8Array)) return real(input, init);
    pushes += 1;
    const response = await real(input, init);
    const reply = await response.text();
    // The same request again, as a retrying middlebox would send it; its answer goes nowhere.
    await (await real(url, init)).text();
    delivered.twice += 1;
    const stale = earlier[Math.floor(Math.random() * earlier.length)];
    if (stale) {
      await (await real(stale.url, stale.init)).text();
      delivered.stale += 1;
    }
    earlier.push({ url, init: { ...init } });
    if (pushes % 3 === 0) {
      delivered.repliesLost += 1;
      throw new TypeError('fetch failed: connection reset before the reply arrived');
    }
    return new Response(reply, { status: response.status, statusText: response.statusText, headers: response.headers });
  };
}

describe('duplicated and reordered deliveries', () => {
  const rounds = faultRounds(20, 4);
  it(`lose and duplicate nothing over ${String(rounds)} rounds`, async () => {
    const kiosk = await faultyKiosk(hub, { network: unreliable });
    try {
      for (let round = 0; round < rounds; round++) {
        const registered = await kiosk.register();
        await kiosk.append(registered.caseNumber, { type: 'forwarded', payload: { to: 'county' } });
        await kiosk.syncUntilOk();
        // The county and the counter act on the same case at once; each side's write crosses the other's.
        const decision = hub.withAdmin((admin) =>
          appendCaseEventOnHub(admin.store, VILLAGE_A, registered.caseNumber, {
            id: `hub-return-${String(round)}`,
            at: new Date().toISOString(),
            actor: COUNTY_REVIEWER,
            type: 'returnedForMaterials',
            payload: { missing: ['m2'], reason: '身份证复印件不清晰' },
          }),
        );
        await kiosk.append(registered.caseNumber, { type: 'note', payload: { text: `第${String(round)}次来电补充说明` } });
        expect((await decision).ok).toBe(true);
      }
      await kiosk.syncUntilOk();
      // Settled once the kiosk's live pull has brought every decision back.
      await expect
        .poll(async () => (await kiosk.cases.all()).filter((doc) => doc.summary.status === 'awaitingMaterials').length, { timeout: 60_000 })
        .toBe(rounds);
      const tally = await tallyKiosk(kiosk, hub, 'duplicated and reordered deliveries', rounds);
      expect(tally).toMatchObject({ cases: rounds, lost: 0, duplicated: 0, mixed: 0, mismatched: 0 });
      expect(delivered.twice).toBeGreaterThanOrEqual(rounds);
      expect(delivered.stale).toBeGreaterThan(0);
      expect(delivered.repliesLost).toBeGreaterThan(0);
      expect(kiosk.sync.state().refused).toEqual([]);
    } finally {
      await kiosk.close();
    }
  }, 600_000);
});
