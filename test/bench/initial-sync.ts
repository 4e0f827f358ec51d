/**
 * Benchmark 1, initial sync: a fresh kiosk pulls a village of 10,000 cases from the hub. Cunban's sync
 * (RxDB's CouchDB replication through the gateway, as the kiosk runs it) against PouchDB's own replication
 * from the same gateway, same documents, same run, rounds interleaved; docs/s and bytes on the wire
 * (counted by a link proxy), in Node and in Chromium.
 * Target: at least 3× PouchDB's docs/s with at most half its bytes.
 */
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { enrollKiosk, seedVillage, through } from './bench-hub.js';
import { cunbanPull } from './cunban-sync.js';
import { localPouch, remotePouch, replicating } from './node-pouch.js';
import { againstPouchDb, fourWays, measured, withRig, type TransferResult } from './against-pouchdb.js';
import type { Benchmark } from './figures.js';

const CASES = Number(process.env.BENCH_SYNC_CASES ?? 10_000);

const UNMET = {
  speed:
    'the kiosk’s writes bound it, not the line: Chromium’s main thread waits on IndexedDB about half the time; each case is sealed at rest and written twice (the case and RxDB’s record of the hub’s copy). In Node (both sides in memory) the kiosk’s one thread seals each case and keeps RxDB’s books. Would meet it: a storage that writes a batch in one transaction without the second copy (RxDB’s premium IndexedDB or OPFS storage), measured here first.',
  bytes:
    'the pulled cases themselves, gzipped, are about 0.4× PouchDB’s bytes; the proof that follows a pull adds its revisions. Would meet it: brotli on responses (Chromium offers it only over HTTPS, as a county’s TLS proxy serves), and a proof that does not ask again for what the hub sent in the same connection.',
};

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
  run: ({ rounds, log }) =>
    withRig('bench-initial-sync', async ({ hub, line, inPage }) => {
      const enrollment = await enrollKiosk(hub, VILLAGE_A);
      await seedVillage(hub, enrollment, CASES);
      const viaLine = through(enrollment, hub.base, line.origin);
      const pull = (what: string, transfer: () => Promise<TransferResult>) => measured(line, what, CASES, log, transfer);
      return fourWays(
        rounds,
        {
          node: {
            cunban: () => pull('Cunban in Node', () => cunbanPull(viaLine, { storage: getRxStorageMemory() })),
            pouch: (round) => pull('PouchDB in Node', () => pouchPullInNode(viaLine.villageSyncUrl, viaLine.authorization, round)),
          },
          chromium: {
            cunban: () => pull('Cunban in Chromium', () => inPage.cunbanPull(viaLine)),
            pouch: () => pull('PouchDB in Chromium', () => inPage.pouchPull(viaLine.villageSyncUrl, viaLine.authorization)),
          },
        },
        (where, cunban, pouch) => againstPouchDb(`1 initial sync, ${String(CASES)} cases · ${where}`, 'pull', 3, cunban, pouch, UNMET),
      );
    }),
};
