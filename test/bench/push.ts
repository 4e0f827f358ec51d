/**
 * Benchmark 5, a push of offline work: a kiosk that registered 10,000 cases with the line down comes back
 * online and sends them. Cunban's sync (RxDB's CouchDB replication through the kiosk's hub fetch: parts
 * within the hub's limits, gzipped, the conflict check done on the hub in the same write) against PouchDB's
 * own replication of the same documents to the same gateway, in Node and in Chromium; docs/s and bytes on
 * the wire (counted by a link proxy). Each push goes to a village of its own, empty.
 * Target: at least 2× PouchDB's docs/s, at most 0.3× its bytes.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { EnrollResponse } from '../../core/api/enrollment.js';
import { demoDivisions } from '../../core/seed/demo-county.js';
import { villageDb } from '../../sync-server/store/names.js';
import { openChromium } from '../support/chromium.js';
import { startLinkProxy } from '../support/link-proxy.js';
import type { TestHub } from '../sync-server/hub-harness.js';
import { againstPouchDb, measured, type Transfer, type TransferResult } from './against-pouchdb.js';
import { benchCase } from './bench-cases.js';
import { enrollKiosk, startBenchHub, through } from './bench-hub.js';
import { pageBench, serveBenchPage } from './bench-page-server.js';
import { localPouch, remotePouch, replicating } from './node-pouch.js';
import { cunbanPush } from './cunban-sync.js';
import type { Benchmark } from './figures.js';

const CASES = Number(process.env.BENCH_PUSH_CASES ?? 10_000);

async function pouchPushInNode(kiosk: EnrollResponse): Promise<TransferResult> {
  const local = localPouch(`bench-pouch-push-${String(Date.now())}`);
  for (let start = 0; start < CASES; start += 1000) {
    await local.bulkDocs(Array.from({ length: Math.min(1000, CASES - start) }, (_, i) => {
      const doc = benchCase(kiosk, start + i);
      return { _id: doc.caseNumber, ...doc };
    }));
  }
  const started = performance.now();
  const pushed = await replicating(local.replicate.to(remotePouch(kiosk.villageSyncUrl, kiosk.authorization)));
  const ms = performance.now() - started;
  await local.destroy();
  return { ms, docs: pushed.docs_written };
}

/** How many cases the hub holds in `village`: a push counts only what arrived. */
async function casesOnHub(hub: TestHub, village: string): Promise<number> {
  const info = await hub.hub.store.request<{ doc_count: number }>({ db: hub.hub.store.dbName(villageDb(village)) });
  if (!info.ok) throw new Error(info.error.reason);
  return info.value.doc_count;
}

export const push: Benchmark = {
  name: 'push',
  title: `a kiosk pushes ${String(CASES)} cases registered offline, Cunban vs PouchDB (Node and Chromium)`,
  async run({ rounds, log }) {
    const page = await serveBenchPage();
    const hub = await startBenchHub({ corsOrigins: ['app://cunban', page.origin] });
    const line = await startLinkProxy({ host: '127.0.0.1', port: hub.hub.port });
    const browser = await openChromium('bench-push');
    const villages = demoDivisions().towns.flatMap((town) => town.villages.map((village) => village.code12));
    try {
      const inPage = pageBench(browser.page);
      await inPage.open(page.url);
      /** A kiosk in a village nobody has pushed to yet, reached through the line. */
      const freshKiosk = async () => {
        const village = villages.shift();
        if (!village) throw new Error('out of villages');
        return through(await enrollKiosk(hub, village), hub.base, line.origin);
      };
      /** A push, its figures counting only the cases the hub holds afterwards. */
      const pushOf = async (what: string, send: (kiosk: EnrollResponse) => Promise<TransferResult>) => {
        const kiosk = await freshKiosk();
        return measured(line, what, CASES, log, async () => {
          const result = await send(kiosk);
          return { ms: result.ms, docs: Math.min(result.docs, await casesOnHub(hub, kiosk.village)) };
        });
      };
      const node = { cunban: [] as Transfer[], pouch: [] as Transfer[] };
      const chromium = { cunban: [] as Transfer[], pouch: [] as Transfer[] };
      for (let round = 0; round < rounds; round++) {
        node.cunban.push(await pushOf('Cunban in Node', (kiosk) => cunbanPush(kiosk, CASES, { indexedDB: new IDBFactory(), IDBKeyRange })));
        node.pouch.push(await pushOf('PouchDB in Node', pouchPushInNode));
        chromium.cunban.push(await pushOf('Cunban in Chromium', (kiosk) => inPage.cunbanPush(kiosk, CASES)));
        chromium.pouch.push(await pushOf('PouchDB in Chromium', (kiosk) => inPage.pouchPush(kiosk, CASES)));
      }
      const figures = (where: string, side: typeof node) => againstPouchDb(`5 push of offline work, ${String(CASES)} cases · ${where}`, 'push', 2, side.cunban, side.pouch);
      return [...figures('Node', node), ...figures('Chromium', chromium)];
    } finally {
      await browser.close();
      await line.close();
      await hub.close();
      await page.close();
    }
  },
};
