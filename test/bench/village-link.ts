/**
 * Benchmark 2, a day's work over a village link: 200 cases registered offline at the counter (the real
 * registration path), each with one 200 KB scan, then pushed when broadband comes back through a shaping
 * proxy at 1 Mbit/s each way with 300 ms round trips. Measured: from the first byte on the line to
 * "sync now" reporting everything on the hub, against the physical limit — the day's essential bytes (the
 * scans and the case documents) ÷ bandwidth + one round trip. Target: within 1.2× of the limit (issue 16).
 */
import { randomBytes } from 'node:crypto';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import type { Actor } from '../../core/case/events.js';
import { demoCatalog } from '../../core/seed/demo-county.js';
import { openKioskData } from '../../renderer/data/kiosk-data.js';
import type { IntakeDraft } from '../../renderer/kiosk/intake-form.js';
import { emptyDraft } from '../../renderer/kiosk/intake-form.js';
import { registerCase } from '../../renderer/kiosk/register.js';
import { villageDb } from '../../sync-server/store/names.js';
import { startLinkProxy, type LinkProxy } from '../support/link-proxy.js';
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { benchIdNumber, benchName } from './bench-cases.js';
import { enrollKiosk, startBenchHub } from './bench-hub.js';
import { sample, type Benchmark } from './figures.js';
import { TEST_STORAGE_KEY } from '../support/storage-key.js';

const CASES = Number(process.env.BENCH_DAY_CASES ?? 200);
const SCAN_BYTES = 200 * 1024;
const LINK = { bitsPerSecond: 1_000_000, roundTripMs: 300 };

/** A 200 KB JPEG as far as the kiosk can tell: the JPEG signature, then incompressible bytes, as a photo is. */
function scan(): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(SCAN_BYTES));
  bytes.set(randomBytes(SCAN_BYTES));
  bytes.set([0xff, 0xd8, 0xff, 0xe0], 0);
  bytes.set([0xff, 0xd9], SCAN_BYTES - 2);
  return bytes;
}

type Route = 'setup' | 'offline' | 'village';

export const villageLink: Benchmark = {
  name: 'village-link',
  title: `a day's work (${String(CASES)} cases, one 200 KB scan each) pushed over 1 Mbit/s with 300 ms round trips`,
  defaultRounds: 2,
  async run({ rounds, log }) {
    const hub = await startBenchHub();
    const setupLine = await startLinkProxy({ host: '127.0.0.1', port: hub.hub.port });
    const villageLine: LinkProxy = await startLinkProxy({ host: '127.0.0.1', port: hub.hub.port }, LINK);
    const catalog = demoCatalog();
    // A town item with a required material to scan.
    const item = catalog.items.find((candidate) => candidate.decidingLevel === 'town' && candidate.materials.some((m) => m.required));
    if (!item) throw new Error('the demo catalog has no town item with a required material');
    const material = item.materials.find((m) => m.required)?.id ?? '';
    const ratios: number[] = [];
    const seconds: number[] = [];
    const limits: number[] = [];
    const overheads: number[] = [];
    try {
      for (let round = 0; round < rounds; round++) {
        const enrollment = await enrollKiosk(hub, VILLAGE_A);
        let route: Route = 'setup';
        const data = await openKioskData({
          enrollment,
          storageKey: TEST_STORAGE_KEY,
          appVersion: 'bench',
          indexedDB: new IDBFactory(),
          IDBKeyRange,
          fetch: (input, init) => {
            if (route === 'offline') return Promise.reject(new TypeError('fetch failed: no broadband'));
            const line = route === 'setup' ? setupLine : villageLine;
            const url = input instanceof Request ? input.url : String(input);
            return fetch(url.replace(hub.base, line.origin), init);
          },
        });
        try {
          // The kiosk as it stands in the morning: enrolled, catalog pulled, nothing pending.
          const first = await data.sync.syncNow(120_000);
          if (!first.ok) throw new Error(`setup sync failed: ${first.error.reason}`);
          route = 'offline';
          const actor: Actor = { id: `${enrollment.kioskId}/c1`, name: '王芳', level: 'village' };
          let caseBytes = 0;
          for (let i = 0; i < CASES; i++) {
            const draft: IntakeDraft = {
              ...emptyDraft,
              itemCode: item.code,
              sector: item.sector,
              applicant: { name: benchName(i), idNumber: benchIdNumber(i), phone: '', address: '' },
              checklist: Object.fromEntries(item.materials.map((m) => [m.id, 'received'])),
              scans: { [material]: [{ name: 'scan.jpg', bytes: scan() }] },
            };
            const registered = await registerCase({ data, actor }, catalog, item, draft, 'forward');
            if (!registered.ok) throw new Error(`registration refused: ${JSON.stringify(registered.error)}`);
            const doc = await data.cases.get(registered.value);
            caseBytes += Buffer.byteLength(JSON.stringify(doc));
          }
          // Broadband is back.
          villageLine.resetCounts();
          route = 'village';
          const synced = await data.sync.syncNow(3_600_000);
          const done = performance.now();
          if (!synced.ok) throw new Error(`the day's push failed: ${synced.error.reason}`);
          const onHub = await hub.hub.store.request<{ rows: unknown[] }>({ db: hub.hub.store.dbName(villageDb(VILLAGE_A)), path: '_all_docs' });
          if (!onHub.ok || onHub.value.rows.length < CASES * (round + 1)) throw new Error('the hub does not hold the day’s cases');
          const essential = CASES * SCAN_BYTES + caseBytes;
          const limit = (essential * 8) / LINK.bitsPerSecond + LINK.roundTripMs / 1000;
          const took = (done - (villageLine.firstByteAt() ?? done)) / 1000;
          seconds.push(took);
          limits.push(limit);
          ratios.push(took / limit);
          overheads.push(villageLine.bytes.up / essential);
          log(
            `round ${String(round + 1)}: ${took.toFixed(0)} s against a limit of ${limit.toFixed(0)} s (${(took / limit).toFixed(2)}×); ${(villageLine.bytes.up / 1e6).toFixed(1)} MB up for ${(essential / 1e6).toFixed(1)} MB of cases and scans`,
          );
        } finally {
          await data.close();
        }
      }
    } finally {
      await villageLine.close();
      await setupLine.close();
      await hub.close();
    }
    const ratio = sample(ratios);
    const benchmark = `2 a day's work, ${String(CASES)} cases + 200 KB scans, 1 Mbit/s, 300 ms RTT`;
    return [
      {
        benchmark,
        measure: 'push time, s',
        value: sample(seconds),
        baseline: { label: 'physical limit', value: sample(limits) },
        ratio: ratio.median,
        target: { text: '≤ 1.2× the limit', met: ratio.median <= 1.2 },
        note: 'limit = (scans + case documents) × 8 ÷ 1 Mbit/s + one round trip; time from the first byte on the line to "sync now" done',
      },
      { benchmark, measure: 'bytes up ÷ essential bytes', value: sample(overheads) },
    ];
  },
};
