/**
 * Operations a county really runs (issue 14), while the counter keeps registering:
 * - a kiosk replaced after its disk died, re-enrolled as the README says, the line dropping before the
 *   new kiosk's first pull: no number issued twice, no two residents in one case;
 * - the hub restored from an older backup: what came after the backup is proven missing and sent again
 *   by the kiosks, and a county decision made on the restored hub reaches the kiosk.
 * Each tallies lost, duplicated, mixed and mismatched cases: all 0.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupHub, restoreHub } from '../../sync-server/backup.js';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { startKillableHub, type KillableHub } from '../sync-server/hub-process.js';
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { COUNTY_REVIEWER, faultRounds, faultyKiosk, tallyKiosk } from './fault-harness.js';

let hub: KillableHub;
const folder = mkdtempSync(join(tmpdir(), 'cunban-backup-'));
beforeAll(async () => {
  hub = await startKillableHub();
}, 60_000);
afterAll(async () => {
  await hub.close();
  rmSync(folder, { recursive: true, force: true });
});

describe('a kiosk re-enrolled mid-outage', () => {
  const rounds = faultRounds(10, 2);
  it(`issues no number twice and mixes no two residents over ${String(rounds)} replacements`, async () => {
    let kiosk = await faultyKiosk(hub);
    const acknowledged = new Set<string>();
    try {
      for (let round = 0; round < rounds; round++) {
        await kiosk.register();
        await kiosk.syncUntilOk();
        for (const id of kiosk.acknowledged) acknowledged.add(id);
        await kiosk.close();
        // The disk dies; the technician re-enrolls the kiosk on a new one; the line drops at once.
        const line = { up: true };
        kiosk = await faultyKiosk(hub, { reEnroll: kiosk.enrollment.kioskId, network: (real) => (input, init) => (line.up ? real(input, init) : Promise.reject(new TypeError('fetch failed: the line is down'))) });
        line.up = false;
        await kiosk.register();
        await kiosk.register();
        line.up = true;
        await kiosk.syncUntilOk();
      }
      for (const id of acknowledged) kiosk.acknowledged.add(id);
      // The last replacement has pulled its predecessors' cases: it answers for them all.
      const tally = await tallyKiosk(kiosk, hub, 'kiosk re-enrolled mid-outage', rounds);
      expect(tally).toMatchObject({ cases: rounds * 3, lost: 0, duplicated: 0, mixed: 0, mismatched: 0 });
    } finally {
      await kiosk.close();
    }
  }, 300_000);
});

describe('the hub restored from an older backup while a kiosk worked', () => {
  const rounds = faultRounds(10, 2);
  it(`loses nothing over ${String(rounds)} restores: the kiosk proves what the hub lost and sends it again`, async () => {
    const kiosk = await faultyKiosk(hub);
    try {
      for (let round = 0; round < rounds; round++) {
        const first = await kiosk.register();
        await kiosk.syncUntilOk();
        const file = join(folder, `round-${String(round)}.jsonl.gz`);
        await hub.kill();
        const backedUp = await hub.withAdmin((admin) => backupHub(admin.store, file, new Date()));
        expect(backedUp.ok).toBe(true);
        await hub.start();

        // After the backup: two more cases, sent and confirmed.
        await kiosk.register();
        await kiosk.register();
        await kiosk.syncUntilOk();

        await hub.kill();
        const restored = await hub.withAdmin((admin) => restoreHub(admin.store, file));
        expect(restored.ok).toBe(true);
        await hub.start();
        // The county decides on the first case, on the restored hub.
        const decided = await hub.withAdmin((admin) => appendCaseEventOnHub(admin.store, VILLAGE_A, first.caseNumber, { id: `county-note-${String(round)}`, at: new Date().toISOString(), actor: COUNTY_REVIEWER, type: 'note', payload: { text: '已核实' } }));
        expect(decided.ok).toBe(true);
        await kiosk.syncUntilOk();
        // Sync now has proven the hub holds everything again, and brought the decision.
        expect((await kiosk.cases.get(first.caseNumber))?.events.map((e) => e.id)).toContain(`county-note-${String(round)}`);
      }
      const tally = await tallyKiosk(kiosk, hub, 'hub restored from an older backup', rounds);
      expect(tally).toMatchObject({ cases: rounds * 3, lost: 0, duplicated: 0, mixed: 0, mismatched: 0 });
    } finally {
      await kiosk.close();
    }
  }, 300_000);
});
