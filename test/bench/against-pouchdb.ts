/**
 * What the two replication benchmarks (a first pull, a push of offline work) share: one transfer measured
 * on a link proxy — docs/s and the bytes both ways — and the figures against PouchDB's own replication
 * from the same run, with the targets issue 16 sets.
 */
import type { LinkProxy } from '../support/link-proxy.js';
import { sample, type Figure } from './figures.js';

/** A transfer as timed by the side that made it. */
export interface TransferResult {
  readonly ms: number;
  readonly docs: number;
}

export interface Transfer {
  readonly docsPerSecond: number;
  readonly megabytes: number;
}

/** One transfer of `expected` documents: its speed and what crossed the line. */
export async function measured(line: LinkProxy, what: string, expected: number, log: (line: string) => void, transfer: () => Promise<TransferResult>): Promise<Transfer> {
  line.resetCounts();
  const result = await transfer();
  if (result.docs < expected) throw new Error(`${what}: moved ${String(result.docs)} of ${String(expected)} cases`);
  const figures = { docsPerSecond: result.docs / (result.ms / 1000), megabytes: (line.bytes.up + line.bytes.down) / 1e6 };
  log(`${what}: ${figures.docsPerSecond.toFixed(0)} docs/s, ${figures.megabytes.toFixed(2)} MB`);
  return figures;
}

/** Docs/s and bytes against PouchDB's: at least `speedTarget` times its speed, at most 0.3× its bytes. */
export function againstPouchDb(benchmark: string, direction: string, speedTarget: number, cunban: readonly Transfer[], pouch: readonly Transfer[]): Figure[] {
  const speed = sample(cunban.map((r) => r.docsPerSecond));
  const pouchSpeed = sample(pouch.map((r) => r.docsPerSecond));
  const bytes = sample(cunban.map((r) => r.megabytes));
  const pouchBytes = sample(pouch.map((r) => r.megabytes));
  const speedRatio = speed.median / pouchSpeed.median;
  const bytesRatio = bytes.median / pouchBytes.median;
  const baseline = (value: typeof speed) => ({ label: 'PouchDB replication', value });
  return [
    { benchmark, measure: `${direction}, docs/s`, value: speed, baseline: baseline(pouchSpeed), ratio: speedRatio, target: { text: `≥ ${String(speedTarget)}×`, met: speedRatio >= speedTarget } },
    { benchmark, measure: 'bytes on the wire, MB', value: bytes, baseline: baseline(pouchBytes), ratio: bytesRatio, target: { text: '≤ 0.3×', met: bytesRatio <= 0.3 } },
  ];
}
