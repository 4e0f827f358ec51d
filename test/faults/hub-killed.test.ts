/**
 * The hub process SIGKILLed while a kiosk's push is in flight, again and again, while the counter keeps
 * registering cases: nothing the kiosk acknowledged is lost, nothing is stored twice, and kiosk and hub
 * end with the same cases in the same state (20 kills under `npm run test:faults`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startKillableHub, type KillableHub } from '../sync-server/hub-process.js';
import { faultRounds, faultyKiosk, tallyKiosk, urlOf } from './fault-harness.js';

let hub: KillableHub;
beforeAll(async () => {
  hub = await startKillableHub();
}, 60_000);
afterAll(async () => {
  await hub.close();
});

describe('the hub SIGKILLed mid-push', () => {
  const rounds = faultRounds(20, 3);
  it(`loses and duplicates nothing over ${String(rounds)} kills`, async () => {
    let killing: Promise<void> | undefined;
    let armed = false;
    const kiosk = await faultyKiosk(hub, {
      network: (real) => (input, init) => {
        const pushing = urlOf(input).includes('/_bulk_docs');
        const sent = real(input, init);
        // Kill while this push is on its way: before, during or after the hub's write.
        if (pushing && armed) {
          armed = false;
          killing = new Promise((wait) => setTimeout(wait, Math.random() * 40)).then(() => hub.kill());
        }
        return sent;
      },
    });
    try {
      for (let round = 0; round < rounds; round++) {
        armed = true;
        await Promise.all(Array.from({ length: 3 }, () => kiosk.register()));
        await expect.poll(() => killing !== undefined, { timeout: 20_000 }).toBe(true);
        await killing;
        killing = undefined;
        // The counter carries on while the hub is down.
        await kiosk.register();
        await hub.start();
      }
      await kiosk.syncUntilOk();
      const tally = await tallyKiosk(kiosk, hub, 'hub SIGKILLed mid-push', rounds);
      expect(tally).toMatchObject({ cases: rounds * 4, lost: 0, duplicated: 0, mixed: 0, mismatched: 0 });
    } finally {
      await kiosk.close();
    }
  }, 300_000);
});
