/**
 * Benchmark 1, initial sync: a fresh kiosk pulls a village of 10,000 cases from the hub. Cunban's sync
 * (RxDB's CouchDB replication through the gateway, as the kiosk runs it) against PouchDB's own replication
 * from the same gateway, same documents, same run, rounds interleaved; docs/s and bytes on the wire
 * (counted by a link proxy), in Node and in Chromium.
 * Target: at least 3× PouchDB's docs/s with at most half its bytes.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import memory from 'pouchdb-adapter-memory';
import replication from 'pouchdb-replication';
import { openChromium } from '../support/chromium.js';
import { startLinkProxy, type LinkProxy } from '../support/link-proxy.js';
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { enrollKiosk, seedVillage, startBenchHub, through } from './bench-hub.js';
import { pageBench, serveBenchPage } from './bench-page-server.js';
import { cunbanPull, type PullResult } from './cunban-pull.js';
import { sample, type Benchmark, type Figure } from './figures.js';

const CASES = Number(process.env.BENCH_SYNC_CASES ?? 10_000);

interface NodePouch {
  replicate: { from(source: NodePouch): Promise<{ ok: boolean }> };
  info(): Promise<{ doc_count: number }>;
  destroy(): Promise<void>;
}
const Pouch = PouchDB.plugin(memory).plugin(httpAdapter).plugin(replication) as unknown as (new (name: string, options: object) => NodePouch) & {
  fetch(url: string, options: { headers: Headers }): Promise<Response>;
};

async function pouchPullInNode(villageUrl: string, authorization: string, round: number): Promise<PullResult> {
  const started = performance.now();
  const local = new Pouch(`bench-pouch-${String(round)}`, { adapter: 'memory' });
  const remote = new Pouch(villageUrl, {
    adapter: 'http',
    skip_setup: true,
    fetch: (url: string, options: { headers: Headers }) => {
      options.headers.set('authorization', authorization);
      return Pouch.fetch(url, options);
    },
  });
  try {
    await local.replicate.from(remote);
  } catch (error) {
    // PouchDB rejects with plain objects: say what it was.
    throw new Error(`PouchDB replication failed: ${JSON.stringify(error)}`, { cause: error });
  }
  const docs = (await local.info()).doc_count;
  const ms = performance.now() - started;
  await local.destroy();
  return { ms, docs };
}

/** One measured pull: its speed and what crossed the line. */
async function measured(line: LinkProxy, what: string, log: (line: string) => void, pull: () => Promise<PullResult>): Promise<{ docsPerSecond: number; megabytes: number }> {
  line.resetCounts();
  const result = await pull();
  if (result.docs < CASES) throw new Error(`${what}: pulled ${String(result.docs)} of ${String(CASES)} cases`);
  const figures = { docsPerSecond: result.docs / (result.ms / 1000), megabytes: (line.bytes.up + line.bytes.down) / 1e6 };
  log(`${what}: ${figures.docsPerSecond.toFixed(0)} docs/s, ${figures.megabytes.toFixed(1)} MB`);
  return figures;
}

function figuresFor(where: string, cunban: { docsPerSecond: number; megabytes: number }[], pouch: { docsPerSecond: number; megabytes: number }[]): Figure[] {
  const speed = sample(cunban.map((r) => r.docsPerSecond));
  const pouchSpeed = sample(pouch.map((r) => r.docsPerSecond));
  const bytes = sample(cunban.map((r) => r.megabytes));
  const pouchBytes = sample(pouch.map((r) => r.megabytes));
  const speedRatio = speed.median / pouchSpeed.median;
  const bytesRatio = bytes.median / pouchBytes.median;
  const benchmark = `1 initial sync, ${String(CASES)} cases · ${where}`;
  return [
    { benchmark, measure: 'pull, docs/s', value: speed, baseline: { label: 'PouchDB replication', value: pouchSpeed }, ratio: speedRatio, target: { text: '≥ 3×', met: speedRatio >= 3 } },
    { benchmark, measure: 'bytes on the wire, MB', value: bytes, baseline: { label: 'PouchDB replication', value: pouchBytes }, ratio: bytesRatio, target: { text: '≤ 0.3×', met: bytesRatio <= 0.3 } },
  ];
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
      const node = { cunban: [] as { docsPerSecond: number; megabytes: number }[], pouch: [] as { docsPerSecond: number; megabytes: number }[] };
      const chromium = { cunban: [] as { docsPerSecond: number; megabytes: number }[], pouch: [] as { docsPerSecond: number; megabytes: number }[] };
      const inPage = pageBench(browser.page);
      await inPage.open(page.url);
      // Interleaved, so a noisy moment of the machine does not fall on one side only.
      for (let round = 0; round < rounds; round++) {
        node.cunban.push(await measured(line, 'Cunban in Node', log, () => cunbanPull(viaLine, { indexedDB: new IDBFactory(), IDBKeyRange })));
        node.pouch.push(await measured(line, 'PouchDB in Node', log, () => pouchPullInNode(viaLine.villageSyncUrl, viaLine.authorization, round)));
        chromium.cunban.push(await measured(line, 'Cunban in Chromium', log, () => inPage.cunbanPull(viaLine)));
        chromium.pouch.push(await measured(line, 'PouchDB in Chromium', log, () => inPage.pouchPull(viaLine.villageSyncUrl, viaLine.authorization)));
      }
      return [...figuresFor('Node', node.cunban, node.pouch), ...figuresFor('Chromium', chromium.cunban, chromium.pouch)];
    } finally {
      await browser.close();
      await line.close();
      await hub.close();
      await page.close();
    }
  },
};
