/**
 * `npm run test:faults` — the faults suite (test/faults) at the full counts: the hub SIGKILLed
 * mid-push ×20, the link cut at random points ×50, the kiosk process killed mid-write ×20, kiosk clocks an
 * hour off, the storage quota exhausted, duplicated and reordered deliveries, a kiosk re-enrolled mid-outage,
 * the hub restored from an older backup. Prints what each scenario cost — cases lost, duplicated, mixed
 * (two residents in one case), mismatched between kiosk and hub — and fails unless all are 0.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startVitest } from 'vitest/node';
import { failedTestCount } from './failures.js';

const folder = mkdtempSync(join(tmpdir(), 'cunban-faults-report-'));
const report = join(folder, 'tallies.jsonl');
process.env.CUNBAN_FAULTS = 'full';
process.env.CUNBAN_FAULTS_REPORT = report;
// One scenario at a time: each kills processes, and the timings of a shared 2-core machine are part of the fault.
const vitest = await startVitest('test', ['test/faults/'], { run: true, fileParallelism: false });
await vitest.close();

interface Tally {
  scenario: string;
  rounds: number;
  cases: number;
  lost: number;
  duplicated: number;
  mixed: number;
  mismatched: number;
}
let tallies: Tally[] = [];
try {
  tallies = readFileSync(report, 'utf8')
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Tally);
} catch {
  // No scenario got as far as its tally: the failures above say why.
}
rmSync(folder, { recursive: true, force: true });
console.log('\nfaults suite: what each fault cost');
console.table(
  tallies.map((t) => ({
    scenario: t.scenario,
    rounds: t.rounds,
    'cases acknowledged': t.cases,
    lost: t.lost,
    duplicated: t.duplicated,
    mixed: t.mixed,
    mismatched: t.mismatched,
  })),
);
const failed = failedTestCount(vitest.state.getFiles());
const clean = tallies.length > 0 && tallies.every((t) => t.lost + t.duplicated + t.mixed + t.mismatched === 0);
console.log(failed === 0 && clean ? 'all zero: nothing lost, duplicated or mixed, no mismatch' : `NOT CLEAN: ${String(failed)} failed test(s)`);
process.exit(failed === 0 && clean ? 0 : 1);
