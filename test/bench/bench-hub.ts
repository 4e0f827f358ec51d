/**
 * The benchmarks' county: the embedded hub (the same one `npm start` runs) with a village seeded with cases,
 * an enrolled kiosk, and its enrollment re-addressed through a link proxy so the bytes on the wire are counted.
 */
import { enrollResponseSchema, type EnrollResponse } from '../../core/api/enrollment.js';
import { demoCalendarData, demoCatalog, demoDivisions } from '../../core/seed/demo-county.js';
import { initCounty } from '../../sync-server/county-init.js';
import { villageDb } from '../../sync-server/store/names.js';
import { startTestHub, type TestHub } from '../sync-server/hub-harness.js';
import { benchCase } from './bench-cases.js';

/** The embedded hub with the whole demo county: Jianshi's 179 villages, the 76-item catalog, the calendar. */
export async function startBenchHub(options: { corsOrigins?: readonly string[]; appsDir?: string } = {}): Promise<TestHub> {
  const hub = await startTestHub({
    seed: false,
    config: {
      // PouchDB's replication, the baseline, asks more often than a county lets one kiosk by default (it
      // gave up on a 429 at 6,800 of 10,000 cases): here no side is held back.
      kioskRequestsPerMinute: 1_000_000,
      ...(options.corsOrigins ? { corsOrigins: options.corsOrigins } : {}),
      ...(options.appsDir ? { appsDir: options.appsDir } : {}),
    },
  });
  const seeded = await initCounty(hub.hub.store, hub.config.dataDir, { catalog: demoCatalog(), divisions: demoDivisions(), calendar: demoCalendarData() });
  if (!seeded.ok) throw new Error(JSON.stringify(seeded.error));
  return hub;
}

/** A kiosk enrolled in `village` through the hub's enrollment route, as its full enrollment. */
export async function enrollKiosk(hub: TestHub, village: string): Promise<EnrollResponse> {
  return enrollResponseSchema.parse(await hub.enroll(village));
}

/** Write `count` cases of `kiosk` straight into its village's database, as if it had pushed them before. */
export async function seedVillage(hub: TestHub, kiosk: EnrollResponse, count: number): Promise<void> {
  for (let start = 0; start < count; start += 1000) {
    const docs = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const doc = benchCase(kiosk, i);
      docs.push({ _id: doc.caseNumber, ...doc });
    }
    const written = await hub.hub.store.request<{ error?: string }[]>({
      db: hub.hub.store.dbName(villageDb(kiosk.village)),
      path: '_bulk_docs',
      method: 'POST',
      body: { docs },
    });
    if (!written.ok) throw new Error(written.error.reason);
    const failed = written.value.find((row) => row.error);
    if (failed) throw new Error(`seeding refused: ${JSON.stringify(failed)}`);
  }
  // The hub projects new cases into the review queue; measure nothing while it is still at it.
  hub.hub.queue.kick(kiosk.village);
  await hub.hub.queue.settled();
}

/** The enrollment with its sync addresses pointing at `origin` (a link proxy in front of the hub). */
export function through(enrollment: EnrollResponse, hubOrigin: string, origin: string): EnrollResponse {
  return {
    ...enrollment,
    villageSyncUrl: enrollment.villageSyncUrl.replace(hubOrigin, origin),
    catalogSyncUrl: enrollment.catalogSyncUrl.replace(hubOrigin, origin),
  };
}
