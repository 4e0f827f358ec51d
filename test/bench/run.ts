/**
 * `npm run bench [-- --only=<name,…>] [--rounds=<n>]` — Cunban's speed and scale claims, measured: each
 * figure next to its baseline from the same run, median and spread over several rounds, the ratio, and the
 * target printed as met or NOT MET. Writes every figure to test-results/bench/bench-<time>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { CUNBAN_VERSION } from '../../core/version.js';
import { figureTable, type Benchmark, type Figure } from './figures.js';
import { initialSync } from './initial-sync.js';
import { counter } from './counter.js';
import { county, countyCluster } from './county.js';
import { localSearch } from './local-search.js';
import { push } from './push.js';
import { reviewQueue } from './queue.js';
import { villageLink } from './village-link.js';

const BENCHMARKS: readonly Benchmark[] = [initialSync, push, villageLink, localSearch, county, countyCluster, counter, reviewQueue];

const option = (name: string) => process.argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1];
const only = option('only')?.split(',');
const unknown = only?.filter((name) => !BENCHMARKS.some((bench) => bench.name === name)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${BENCHMARKS.map((bench) => bench.name).join(', ')}`);
  process.exit(2);
}
const roundsOption = option('rounds');
const roundsOf = (bench: Benchmark) => Number(roundsOption ?? bench.defaultRounds ?? 3);
const selected = BENCHMARKS.filter((bench) => !only || only.includes(bench.name));

const figures: Figure[] = [];
const failures: { benchmark: string; error: string }[] = [];
const started = new Date();
for (const bench of selected) {
  const rounds = roundsOf(bench);
  console.log(`\n▶ ${bench.name}: ${bench.title} (${String(rounds)} rounds)`);
  const benchStarted = Date.now();
  try {
    const measured = await bench.run({
      rounds,
      log: (line) => {
        console.log(`  ${line}`);
      },
    });
    figures.push(...measured);
    console.log(`${figureTable(measured)}\n  (${String(Math.round((Date.now() - benchStarted) / 1000))} s)`);
  } catch (error) {
    // One benchmark failing must not hide the others' figures; it is reported and fails the run.
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    failures.push({ benchmark: bench.name, error: message });
    console.error(`  ✗ ${bench.name} failed: ${message}`);
  }
}

const machine = { cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGB: Math.round(totalmem() / 1e9), node: process.version };
const folder = resolve(import.meta.dirname, '../../test-results/bench');
mkdirSync(folder, { recursive: true });
const file = join(folder, `bench-${started.toISOString().replaceAll(':', '-').slice(0, 19)}.json`);
writeFileSync(file, `${JSON.stringify({ version: CUNBAN_VERSION, startedAt: started.toISOString(), machine, figures, failures }, null, 2)}\n`);
console.log(`\n══ Cunban ${CUNBAN_VERSION} · ${String(machine.cpus)} cores · Node ${machine.node} ══\n${figureTable(figures)}`);
const notMet = figures.filter((figure) => figure.target && !figure.target.met).length;
console.log(`\n${String(figures.length)} figures, ${String(notMet)} target(s) not met, ${String(failures.length)} benchmark(s) failed · ${file}`);
process.exit(failures.length > 0 ? 1 : 0);
