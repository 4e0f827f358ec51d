/**
 * What the two replication benchmarks (a first pull, a push of offline work) share: one transfer measured
 * on a link proxy — docs/s and the bytes both ways — and the figures against PouchDB's own replication
 * from the same run, with the targets issue 16 sets.
 */
import { openChromium } from '../support/chromium.js';
import { startLinkProxy, type LinkProxy } from '../support/link-proxy.js';
import type { TestHub } from '../sync-server/hub-harness.js';
import { startBenchHub } from './bench-hub.js';
import { pageBench, serveBenchPage } from './bench-page-server.js';
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
export async function measured(
  line: LinkProxy,
  what: string,
  expected: number,
  log: (line: string) => void,
  transfer: () => Promise<TransferResult>,
): Promise<Transfer> {
  line.resetCounts();
  const result = await transfer();
  if (result.docs < expected) throw new Error(`${what}: moved ${String(result.docs)} of ${String(expected)} cases`);
  const figures = { docsPerSecond: result.docs / (result.ms / 1000), megabytes: (line.bytes.up + line.bytes.down) / 1e6 };
  log(`${what}: ${figures.docsPerSecond.toFixed(0)} docs/s, ${figures.megabytes.toFixed(2)} MB`);
  return figures;
}

/** Why a target may not be met here, and what would meet it (printed beside NOT MET). */
export interface Unmet {
  readonly speed: string;
  readonly bytes: string;
}

/** Docs/s and bytes against PouchDB's: at least `speedTarget` times its speed, at most 0.3× its bytes. */
export function againstPouchDb(
  benchmark: string,
  direction: string,
  speedTarget: number,
  cunban: readonly Transfer[],
  pouch: readonly Transfer[],
  unmet: Unmet,
): Figure[] {
  const speed = sample(cunban.map((r) => r.docsPerSecond));
  const pouchSpeed = sample(pouch.map((r) => r.docsPerSecond));
  const bytes = sample(cunban.map((r) => r.megabytes));
  const pouchBytes = sample(pouch.map((r) => r.megabytes));
  const speedRatio = speed.median / pouchSpeed.median;
  const bytesRatio = bytes.median / pouchBytes.median;
  const baseline = (value: typeof speed) => ({ label: 'PouchDB replication', value });
  return [
    {
      benchmark,
      measure: `${direction}, docs/s`,
      value: speed,
      baseline: baseline(pouchSpeed),
      ratio: speedRatio,
      target: { text: `≥ ${String(speedTarget)}×`, met: speedRatio >= speedTarget, unmet: unmet.speed },
    },
    {
      benchmark,
      measure: 'bytes on the wire, MB',
      value: bytes,
      baseline: baseline(pouchBytes),
      ratio: bytesRatio,
      target: { text: '≤ 0.3×', met: bytesRatio <= 0.3, unmet: unmet.bytes },
    },
  ];
}

/** The bench hub (the whole demo county), a link proxy counting the bytes, and the Chromium bench page. */
export interface Rig {
  readonly hub: TestHub;
  readonly line: LinkProxy;
  readonly inPage: ReturnType<typeof pageBench>;
}

/** Run `use` on a rig, closed after. */
export async function withRig<T>(suite: string, use: (rig: Rig) => Promise<T>): Promise<T> {
  const page = await serveBenchPage();
  const hub = await startBenchHub({ corsOrigins: ['app://cunban', page.origin] });
  const line = await startLinkProxy({ host: '127.0.0.1', port: hub.hub.port });
  const browser = await openChromium(suite);
  try {
    const inPage = pageBench(browser.page);
    await inPage.open(page.url);
    return await use({ hub, line, inPage });
  } finally {
    await browser.close();
    await line.close();
    await hub.close();
    await page.close();
  }
}

type Side = (round: number) => Promise<Transfer>;

/**
 * Cunban and PouchDB, in Node and in Chromium, `rounds` times — interleaved, so a noisy moment of the machine
 * does not fall on one side only — as figures against PouchDB in each.
 */
export async function fourWays(
  rounds: number,
  sides: { readonly node: { readonly cunban: Side; readonly pouch: Side }; readonly chromium: { readonly cunban: Side; readonly pouch: Side } },
  figures: (where: string, cunban: readonly Transfer[], pouch: readonly Transfer[]) => Figure[],
): Promise<Figure[]> {
  const node = { cunban: [] as Transfer[], pouch: [] as Transfer[] };
  const chromium = { cunban: [] as Transfer[], pouch: [] as Transfer[] };
  for (let round = 0; round < rounds; round++) {
    node.cunban.push(await sides.node.cunban(round));
    node.pouch.push(await sides.node.pouch(round));
    chromium.cunban.push(await sides.chromium.cunban(round));
    chromium.pouch.push(await sides.chromium.pouch(round));
  }
  return [...figures('Node', node.cunban, node.pouch), ...figures('Chromium', chromium.cunban, chromium.pouch)];
}
