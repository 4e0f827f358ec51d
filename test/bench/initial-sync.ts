/**
 * Benchmark 1, initial sync: a fresh kiosk pulls a village of 10,000 cases from the hub. Cunban's sync
 * (RxDB's CouchDB replication through the gateway, as the kiosk runs it) against PouchDB's own replication
 * from the same gateway, same documents, same run, rounds interleaved; docs/s and bytes on the wire
 * (counted by a link proxy), in Node and in Chromium.
 * Target: at least 3× PouchDB's docs/s with at most half its bytes.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { openChromium } from '../support/chromium.js';
import { startLinkProxy } from '../support/link-proxy.js';
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { enrollKiosk, seedVillage, startBenchHub, through } from './bench-hub.js';
import { pageBench, serveBenchPage } from './bench-page-server.js';
import { cunbanPull } from './cunban-sync.js';
import { localPouch, remotePouch, replicating } from './node-pouch.js';
import { againstPouchDb, measured, type Transfer, type TransferResult } from './against-pouchdb.js';
import type { Benchmark } from './figures.js';

const CASES = Number(process.env.BENCH_SYNC_CASES ?? 10_000);

async function pouchPullInNode(villageUrl: string, authorization: string, round: number): Promise<TransferResult> {
  const started = performance.now();
  const local = localPouch(`bench-pouch-${String(round)}`);
  await replicating(local.replicate.from(remotePouch(villageUrl, authorization)));
  const docs = (await local.info()).doc_count;
  const ms = performance.now() - started;
  await local.destroy();
  return { ms, docs };
}

export const initialSync: Benchmark = {
  name: 'initial-sync',
  title: `initial sync of a ${String(CASES)}-case village, Cunban vs PouchDB (Node and Chromium)`,
  async run({ rounds, log }) {
    const page = await serveBenchPage();
    const hub = await startBenchHub({ corsOrigins: ['app://cunban', page.origin] });
    const line = await startLinkProxy({ host: '127.0.0.1', port: hub.hub.port });
    const browser = await openChromium('bench-initial-sync');
    try {
      const enrollment = await enrollKiosk(hub, VILLAGE_A);
      await seedVillage(hub, enrollment, CASES);
      const viaLine = through(enrollment, hub.base, line.origin);
      const node = { cunban: [] as Transfer[], pouch: [] as Transfer[] };
      const chromium = { cunban: [] as Transfer[], pouch: [] as Transfer[] };
      const inPage = pageBench(browser.page);
      await inPage.open(page.url);
      // Interleaved, so a noisy moment of the machine does not fall on one side only.
      for (let round = 0; round < rounds; round++) {
        node.cunban.push(await measured(line, 'Cunban in Node', CASES, log, () => cunbanPull(viaLine, { indexedDB: new IDBFactory(), IDBKeyRange })));
        node.pouch.push(await measured(line, 'PouchDB in Node', CASES, log, () => pouchPullInNode(viaLine.villageSyncUrl, viaLine.authorization, round)));
        chromium.cunban.push(await measured(line, 'Cunban in Chromium', CASES, log, () => inPage.cunbanPull(viaLine)));
        chromium.pouch.push(await measured(line, 'PouchDB in Chromium', CASES, log, () => inPage.pouchPull(viaLine.villageSyncUrl, viaLine.authorization)));
      }
      const figures = (where: string, side: typeof node) => againstPouchDb(`1 initial sync, ${String(CASES)} cases · ${where}`, 'pull', 3, side.cunban, side.pouch);
      return [...figures('Node', node), ...figures('Chromium', chromium)];
    } finally {
      await browser.close();
      await line.close();
      await hub.close();
      await page.close();
    }
  },
};
