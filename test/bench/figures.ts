/**
 * What a benchmark reports: each figure measured over several rounds (median and spread, since these
 * machines are shared and noisy), next to its baseline measured in the same run, the ratio, and the target
 * printed as met or NOT MET — never hidden.
 */

export interface Sample {
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly p95: number;
  readonly rounds: number;
}

export function sample(values: readonly number[]): Sample {
  if (values.length === 0) throw new Error('a figure needs at least one measurement');
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? Number.NaN;
  const middle = sorted.length / 2;
  const median = sorted.length % 2 ? at(0.5) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted.at(-1) ?? Number.NaN, p95: at(0.95), rounds: values.length };
}

export interface Figure {
  /** Which benchmark, e.g. "1 initial sync · Node". */
  readonly benchmark: string;
  /** What is measured, with its unit, e.g. "pull, docs/s". */
  readonly measure: string;
  readonly value: Sample;
  /** Which statistic of `value` the figure is (p95 for latencies under load, the median otherwise). */
  readonly statistic?: 'median' | 'p95';
  readonly baseline?: { readonly label: string; readonly value: Sample };
  /** Cunban's figure over the baseline's (medians). */
  readonly ratio?: number;
  /** `unmet`: why a target is not met here, and what would meet it (printed only when it is not). */
  readonly target?: { readonly text: string; readonly met: boolean; readonly unmet?: string };
  readonly note?: string;
}

const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n).toLocaleString('en-US') : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2));
const statOf = (figure: Figure) => figure.statistic ?? 'median';

export function formatSample(value: Sample, statistic: 'median' | 'p95' = 'median'): string {
  const main = statistic === 'p95' ? `p95 ${round(value.p95)} (median ${round(value.median)})` : round(value.median);
  return value.rounds > 1 && statistic === 'median' ? `${main} [${round(value.min)}–${round(value.max)}]` : main;
}

/** The table `npm run bench` prints: one line per figure. */
export function figureTable(figures: readonly Figure[]): string {
  const rows = figures.map((figure) => [
    figure.benchmark,
    figure.measure,
    formatSample(figure.value, statOf(figure)),
    figure.baseline ? `${formatSample(figure.baseline.value, statOf(figure))} (${figure.baseline.label})` : '—',
    figure.ratio === undefined ? '—' : `${figure.ratio.toFixed(2)}×`,
    figure.target ? `${figure.target.text}: ${figure.target.met ? 'met' : 'NOT MET'}` : '—',
  ]);
  const header = ['benchmark', 'measure', 'Cunban [spread]', 'baseline', 'ratio', 'target'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' │ ');
  const notes = figures.filter((figure) => figure.note).map((figure) => `  · ${figure.benchmark}, ${figure.measure}: ${figure.note ?? ''}`);
  const unmet = figures
    .filter((figure) => figure.target && !figure.target.met)
    .map((figure) => `  · ${figure.benchmark}, ${figure.measure}: ${figure.target?.unmet ?? 'no reason known yet'}`);
  return [
    line(header),
    widths.map((w) => '─'.repeat(w)).join('─┼─'),
    ...rows.map(line),
    ...(notes.length ? ['', 'notes:', ...notes] : []),
    ...(unmet.length ? ['', 'NOT MET — why, and what would meet it:', ...unmet] : []),
  ].join('\n');
}

/** A benchmark: given how many rounds to run, measures and returns its figures. */
export interface Benchmark {
  readonly name: string;
  readonly title: string;
  /** Rounds when `--rounds` is not given (a long benchmark runs fewer). */
  readonly defaultRounds?: number;
  run(options: { readonly rounds: number; readonly log: (line: string) => void }): Promise<Figure[]>;
}
