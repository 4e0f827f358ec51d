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
import { DB } from '../../sync-server/store/names.js';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { startKillableHub, type KillableHub } from '../sync-server/hub-process.js';
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { COUNTY_REVIEWER, faultRounds, faultyKiosk, hubCases, tallyKiosk } from './fault-harness.js';

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
        // The disk dies; the technician re-enrolls the kiosk on a new one; the line drops at once. A kiosk holds
        // ten numbers at most: every fifth replacement is enrolled as a new kiosk, as the hub then asks.
        const line = { up: true };
        kiosk = await faultyKiosk(hub, {
          ...(round % 5 === 4 ? {} : { reEnroll: kiosk.enrollment.kioskId }),
          network: (real) => (input, init) => (line.up ? real(input, init) : Promise.reject(new TypeError('fetch failed: the line is down'))),
        });
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
        const decided = await hub.withAdmin((admin) =>
          appendCaseEventOnHub(admin.store, VILLAGE_A, first.caseNumber, {
            id: `county-note-${String(round)}`,
            at: new Date().toISOString(),
            actor: COUNTY_REVIEWER,
            type: 'note',
            payload: { text: '已核实' },
          }),
        );
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

describe('the hub restored from a backup taken before a kiosk was re-enrolled', () => {
  /**
   * Back the hub up now, into a new file; returns a function that restores it (hub stopped meanwhile, as the
   * README says) — with `diskLost`, onto a store that lost its kiosks database, so it cannot know what it granted.
   */
  async function backupNow(name: string, numberMargin?: number, diskLost = false): Promise<() => Promise<void>> {
    const file = join(folder, `${name}.jsonl.gz`);
    await hub.kill();
    expect(await hub.withAdmin((admin) => backupHub(admin.store, file, new Date()))).toMatchObject({ ok: true });
    await hub.start();
    return async () => {
      await hub.kill();
      if (diskLost) await hub.withAdmin((admin) => admin.store.request({ db: admin.store.dbName(DB.kiosks), method: 'DELETE' }));
      expect(await hub.withAdmin((admin) => restoreHub(admin.store, file, numberMargin === undefined ? {} : { numberMargin }))).toMatchObject({ ok: true });
      await hub.start();
    };
  }

  it('grants the forgotten number to no other kiosk, and the replacement, re-enrolled in place, sends its cases again', async () => {
    const first = await faultyKiosk(hub);
    await first.register();
    await first.syncUntilOk();
    const restore = await backupNow('before-re-enrollment');
    await first.close();
    // After the backup the disk dies: the replacement is re-enrolled, registers and sends.
    let replacement = await faultyKiosk(hub, { reEnroll: first.enrollment.kioskId });
    const forgotten = replacement.enrollment.kioskNumber;
    await replacement.register();
    await replacement.syncUntilOk();
    await restore();

    // The restored hub knows neither the replacement's credential nor its number.
    expect(await replacement.sync.syncNow(15_000)).toMatchObject({ ok: false });
    expect(replacement.sync.state().status).toBe('credentialRevoked');
    // A kiosk enrolled now never gets the forgotten number (the restore knew the hub had granted it).
    const newcomer = await faultyKiosk(hub);
    expect(newcomer.enrollment.kioskNumber).not.toBe(forgotten);
    await newcomer.register();
    await newcomer.syncUntilOk();

    // The technician re-enrolls the replacement in place: its database and its numbers are its own again.
    replacement = await replacement.reEnrollInPlace();
    expect(replacement.enrollment.kioskId).toBe(first.enrollment.kioskId);
    await replacement.register();
    await replacement.syncUntilOk();
    // Its case numbered under the forgotten number, sent again by its proof, is accepted as its own.
    expect(replacement.sync.state().refused).toEqual([]);
    for (const id of first.acknowledged) replacement.acknowledged.add(id);
    try {
      expect(await tallyKiosk(replacement, hub, 'hub restored from a backup before a re-enrollment', 1)).toMatchObject({
        cases: 3,
        lost: 0,
        duplicated: 0,
        mixed: 0,
        mismatched: 0,
      });
      expect(await tallyKiosk(newcomer, hub, 'a kiosk enrolled after that restore', 1)).toMatchObject({ cases: 1, lost: 0, duplicated: 0, mixed: 0 });
    } finally {
      await replacement.close();
      await newcomer.close();
    }
  }, 300_000);

  it('restored twice from one backup, grants no number given between the two restores', async () => {
    const restore = await backupNow('restored-twice');
    await restore();
    const between = await faultyKiosk(hub);
    await between.register();
    await between.syncUntilOk();
    await restore();
    const newcomer = await faultyKiosk(hub);
    try {
      expect(newcomer.enrollment.kioskNumber).toBeGreaterThan(between.enrollment.kioskNumber);
      // The kiosk enrolled between the restores, forgotten by the second, re-enrolled in place: its case is its own.
      const again = await between.reEnrollInPlace();
      await again.register();
      await again.syncUntilOk();
      expect(again.sync.state().refused).toEqual([]);
      expect(await tallyKiosk(again, hub, 'hub restored twice from one backup', 1)).toMatchObject({ cases: 2, lost: 0, duplicated: 0, mixed: 0 });
      await again.close();
    } finally {
      await newcomer.close();
    }
  }, 300_000);

  it('restored onto a store that lost its own record, still grants no number a kiosk enrolled after the backup holds', async () => {
    const restore = await backupNow('record-lost', undefined, true);
    const forgotten = await faultyKiosk(hub);
    await forgotten.register();
    await forgotten.syncUntilOk();
    await restore();
    // Set aside are the lowest numbers free in the backup: those enrollments after it were given.
    const newcomer = await faultyKiosk(hub);
    const again = await forgotten.reEnrollInPlace();
    try {
      expect(newcomer.enrollment.kioskNumber).not.toBe(forgotten.enrollment.kioskNumber);
      await again.syncUntilOk();
      expect(again.sync.state().refused).toEqual([]);
      expect(await tallyKiosk(again, hub, 'hub restored onto a store that lost its record', 1)).toMatchObject({ cases: 1, lost: 0, duplicated: 0, mixed: 0 });
    } finally {
      await again.close();
      await newcomer.close();
    }
  }, 300_000);

  it('with no numbers set aside and the hub’s own record lost, the number granted again is caught: the second registration is refused as a clash and kept, never merged', async () => {
    const restore = await backupNow('no-margin', 0, true);
    // Enrolled after the backup: the restored hub forgets it and its number.
    const forgotten = await faultyKiosk(hub);
    const theirs = await forgotten.register();
    await forgotten.syncUntilOk();
    await restore();
    // Same village, same day, and — with nothing set aside — the same number, so the same first case number.
    const newcomer = await faultyKiosk(hub);
    expect(newcomer.enrollment.kioskNumber).toBe(forgotten.enrollment.kioskNumber);
    const ours = await newcomer.register();
    expect(ours.caseNumber).toBe(theirs.caseNumber);
    await newcomer.syncUntilOk();
    // The forgotten kiosk, re-enrolled in place, sends its registration again: refused as a clash, kept whole.
    const again = await forgotten.reEnrollInPlace();
    try {
      await again.syncUntilOk();
      // Kept apart on the kiosk with the hub's reason, for the clerk to register again under a new number (clash.ts).
      expect(again.sync.state().refused).toEqual([expect.objectContaining({ id: theirs.caseNumber, code: 'case.clash' })]);
      const onHub = (await hubCases(hub)).get(theirs.caseNumber);
      expect(onHub?.events.filter((e) => e.type === 'created').map((e) => e.id)).toEqual([...newcomer.acknowledged]);
    } finally {
      await again.close();
      await newcomer.close();
    }
  }, 300_000);
});
