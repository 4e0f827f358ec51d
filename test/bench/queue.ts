/**
 * The review queue at county scale on the embedded store (issue 6: under 300 ms at 100,000 cases; part of
 * `npm run bench`, alone as `npm run bench:queue`). Writes BENCH_QUEUE_CASES queue entries (default 100,000)
 * spread over Jianshi's 179 villages straight into the queue database, loads them into the hub's memory,
 * then times the queries a reviewer makes. The baseline is the same query over a tenth of the cases.
 */
import { silentLogger } from '../../sync-server/observe/request-log.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CASE_STATUSES } from '../../core/case/state.js';
import { demoCalendarData, demoCatalog, demoDivisions } from '../../core/seed/demo-county.js';
import { loadHubConfig } from '../../sync-server/config.js';
import { startHub } from '../../sync-server/hub.js';
import { initCounty } from '../../sync-server/county-init.js';
import { DB } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { sample, type Benchmark, type Figure } from './figures.js';

const CASES = Number(process.env.BENCH_QUEUE_CASES ?? 100_000);
const QUERIES_PER_ROUND = 7;
const TARGET_MS = 300;

/** Each reviewer query's times (ms) on a hub holding `cases` queue entries. */
async function queueTimes(cases: number, rounds: number, log: (line: string) => void): Promise<Map<string, number[]>> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cunban-bench-queue-'));
  const config = loadHubConfig({ CUNBAN_DATA_DIR: dataDir, CUNBAN_HUB_PORT: '0', CUNBAN_HUB_HOST: '127.0.0.1' });
  if (!config.ok) throw new Error(config.error.message);
  const hub = await startHub(config.value, { logger: silentLogger() });
  try {
    const divisions = demoDivisions();
    await initCounty(hub.store, config.value.dataDir, { catalog: demoCatalog(), divisions, calendar: demoCalendarData() });
    await addReviewer(hub.store, { name: 'county-bench', role: 'county', password: 'bench-secret-1' }, new Date());
    await addReviewer(hub.store, { name: 'town-bench', role: 'town', town: divisions.towns[0]?.code12 ?? '', password: 'bench-secret-1' }, new Date());
    const villages = divisions.towns.flatMap((town) => town.villages.map((village) => ({ village: village.code12, town: town.code12 })));
    const items = demoCatalog().items;

    const started = Date.now();
    for (let start = 0; start < cases; start += 2000) {
      const docs = [];
      for (let i = start; i < Math.min(cases, start + 2000); i++) {
        const place = villages[i % villages.length] ?? { village: '', town: '' };
        const item = items[i % items.length];
        const status = CASE_STATUSES[i % CASE_STATUSES.length] ?? 'accepted';
        const day = String(1 + (i % 28)).padStart(2, '0');
        docs.push({
          _id: `${place.village}-202611${day}-01-${String(i).padStart(6, '0')}`,
          type: 'queueEntry',
          caseNumber: `${place.village}-${String(i)}`,
          village: place.village,
          town: place.town,
          sector: item?.sector ?? 'MZ',
          itemCode: item?.code ?? 'MZ-01',
          itemName: item?.name ?? { zh: '', en: '' },
          status,
          open: ['accepted', 'awaitingMaterials', 'forwarded'].includes(status),
          currentLevel: status === 'forwarded' ? (i % 2 ? 'town' : 'county') : 'village',
          acceptedOn: `2026-11-${day}`,
          dueOn: `2026-12-${day}`,
          applicantName: '张三',
          applicantIdMasked: '422822********0015',
          updatedAt: '2026-11-26T01:00:00.000Z',
          eventCount: 3,
        });
      }
      const written = await hub.store.request({ db: hub.store.dbName(DB.queue), path: '_bulk_docs', method: 'POST', body: { docs } });
      if (!written.ok) throw new Error(written.error.reason);
    }
    log(`wrote ${String(cases)} queue entries in ${String(Math.round((Date.now() - started) / 1000))} s`);

    const signIn = async (name: string) => {
      const response = await fetch(`${hub.url}api/session`, { method: 'POST', body: JSON.stringify({ name, password: 'bench-secret-1' }) });
      return (response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    };
    const county = await signIn('county-bench');
    const town = await signIn('town-bench');
    const heapBefore = process.memoryUsage().heapUsed;
    const indexStart = Date.now();
    await fetch(`${hub.url}api/review/queue`, { headers: { cookie: county } });
    log(
      `first query (loads the queue into memory) ${((Date.now() - indexStart) / 1000).toFixed(1)} s, ` +
        `heap +${String(Math.round((process.memoryUsage().heapUsed - heapBefore) / 1e6))} MB`,
    );

    const queries: [string, string, string][] = [
      ['county, open, first page', county, 'api/review/queue'],
      ['county, held at county, overdue', county, 'api/review/queue?held=mine&overdue=true'],
      ['county, one village, page 3', county, `api/review/queue?village=${villages[5]?.village ?? ''}&page=3`],
      ['town, open, first page', town, 'api/review/queue'],
      ['town, status forwarded, held by town', town, 'api/review/queue?status=forwarded&held=mine'],
    ];
    const times = new Map<string, number[]>();
    for (const [name, cookie, path] of queries) {
      const measured: number[] = [];
      for (let query = 0; query < rounds * QUERIES_PER_ROUND; query++) {
        const t0 = performance.now();
        const response = await fetch(`${hub.url}${path}`, { headers: { cookie } });
        await response.text();
        measured.push(performance.now() - t0);
      }
      times.set(name, measured);
    }
    return times;
  } finally {
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const reviewQueue: Benchmark = {
  name: 'queue',
  title: `the review queue with ${String(CASES)} cases over 179 villages (baseline: ${String(CASES / 10)})`,
  async run({ rounds, log }) {
    const large = await queueTimes(CASES, rounds, log);
    const small = await queueTimes(CASES / 10, rounds, log);
    return [...large].map(([query, times]): Figure => {
      const value = sample(times);
      const baseline = sample(small.get(query) ?? []);
      return {
        benchmark: `queue, ${String(CASES)} cases · one hub process`,
        measure: `${query}, ms`,
        value,
        baseline: { label: `${String(CASES / 10)} cases`, value: baseline },
        ratio: value.median / baseline.median,
        target: { text: `< ${String(TARGET_MS)} ms`, met: value.median < TARGET_MS },
      };
    });
  },
};
