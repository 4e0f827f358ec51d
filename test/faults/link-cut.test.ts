/**
 * The village's line cut at random points — inside a push, a pull, a reply — while the counter keeps
 * registering and the county decides on the hub: nothing lost, nothing twice, the same state on both
 * sides at the end (50 cuts under `npm run test:faults`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { startLinkProxy, type LinkProxy } from '../support/link-proxy.js';
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { startKillableHub, type KillableHub } from '../sync-server/hub-process.js';
import { COUNTY_REVIEWER, faultRounds, faultyKiosk, hubCases, tallyKiosk, urlOf } from './fault-harness.js';

let hub: KillableHub;
let line: LinkProxy;
beforeAll(async () => {
  hub = await startKillableHub();
  line = await startLinkProxy({ host: '127.0.0.1', port: hub.port });
}, 60_000);
afterAll(async () => {
  await line.close();
  await hub.close();
});

describe('the link cut at random points', () => {
  const rounds = faultRounds(50, 5);
  it(`loses and duplicates nothing over ${String(rounds)} cuts`, async () => {
    // Every request of the kiosk goes through the line.
    const kiosk = await faultyKiosk(hub, { network: (real) => (input, init) => real(urlOf(input).replace(hub.origin, line.origin), init) });
    try {
      let decided = 0;
      let forwarded: { caseNumber: string } | undefined;
      for (let round = 0; round < rounds; round++) {
        // Somewhere in the next 3,000 bytes: a request, a reply, a live pull.
        line.armCut(1 + Math.floor(Math.random() * 3000));
        // A county decision on a case forwarded earlier, so the cut may fall in the pull that brings it back.
        const held = forwarded;
        if (held) {
          const appended = await hub.withAdmin((admin) =>
            appendCaseEventOnHub(admin.store, VILLAGE_A, held.caseNumber, {
              id: `hub-decision-${String(round)}`,
              at: new Date().toISOString(),
              actor: COUNTY_REVIEWER,
              type: 'approved',
              payload: { note: '同意' },
            }),
          );
          if (appended.ok) decided += 1;
        }
        const registered = await kiosk.register();
        await kiosk.append(registered.caseNumber, { type: 'forwarded', payload: { to: 'county' } });
        await expect.poll(() => line.cutPending(), { timeout: 30_000 }).toBe(false);
        // Back in sync after the cut: the forward is on the hub.
        await expect.poll(async () => (await hubCases(hub)).get(registered.caseNumber)?.summary.status, { timeout: 60_000, interval: 200 }).toBe('forwarded');
        forwarded = registered;
      }
      await kiosk.syncUntilOk();
      const tally = await tallyKiosk(kiosk, hub, 'link cut at random points', rounds);
      expect(tally).toMatchObject({ cases: rounds, lost: 0, duplicated: 0, mixed: 0, mismatched: 0 });
      expect(line.cuts()).toBe(rounds);
      expect(decided).toBe(rounds - 1);
    } finally {
      await kiosk.close();
    }
  }, 600_000);
});
