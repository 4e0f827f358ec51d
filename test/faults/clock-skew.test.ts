/**
 * A kiosk whose clock is an hour fast, and one an hour slow, working on the same village as the hub (on
 * true time) decides their cases: history is ordered by cause, not by clocks, so both converge with the
 * hub — nothing lost, nothing twice, the same events and status on both sides.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { startKillableHub, type KillableHub } from '../sync-server/hub-process.js';
import { COUNTY_REVIEWER, faultRounds, faultyKiosk, hubCases, tallyKiosk } from './fault-harness.js';

let hub: KillableHub;
beforeAll(async () => {
  hub = await startKillableHub();
}, 60_000);
afterAll(async () => {
  await hub.close();
});

const HOUR = 60 * 60 * 1000;

describe.each([
  ['an hour fast', HOUR],
  ['an hour slow', -HOUR],
])('a kiosk clock %s', (label, offset) => {
  const rounds = faultRounds(10, 2);
  it(`converges with the hub over ${String(rounds)} cases decided on true time`, async () => {
    const kiosk = await faultyKiosk(hub, { now: () => new Date(Date.now() + offset) });
    try {
      for (let round = 0; round < rounds; round++) {
        const registered = await kiosk.register();
        await kiosk.append(registered.caseNumber, { type: 'forwarded', payload: { to: 'county' } });
        await kiosk.syncUntilOk();
        const approved = await hub.withAdmin((admin) =>
          appendCaseEventOnHub(admin.store, VILLAGE_A, registered.caseNumber, {
            id: `hub-approve-${String(offset)}-${String(round)}`,
            at: new Date().toISOString(),
            actor: COUNTY_REVIEWER,
            type: 'approved',
            payload: {},
          }),
        );
        expect(approved.ok).toBe(true);
        await expect.poll(async () => (await kiosk.cases.get(registered.caseNumber))?.summary.status, { timeout: 30_000 }).toBe('approved');
        // The clerk hands over the result; on a fast clock it is stamped before the approval it follows.
        await kiosk.append(registered.caseNumber, { type: 'resultHandedOver', payload: {} });
      }
      await kiosk.syncUntilOk();
      const onHub = await hubCases(hub);
      const mine = (await kiosk.cases.all()).map((doc) => doc.caseNumber);
      expect(mine.map((number) => onHub.get(number)?.summary.status)).toEqual(mine.map(() => 'completed'));
      const tally = await tallyKiosk(kiosk, hub, `kiosk clock ${label}`, rounds);
      expect(tally).toMatchObject({ cases: rounds, lost: 0, duplicated: 0, mixed: 0, mismatched: 0 });
      expect(kiosk.sync.state().refused).toEqual([]);
    } finally {
      await kiosk.close();
    }
  }, 300_000);
});
