import { describe, expect, it } from 'vitest';
import { figureTable, sample } from './figures.js';

describe('benchmark figures', () => {
  it('reports median, spread and nearest-rank p95', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(sample(values)).toEqual({ median: 50.5, min: 1, max: 100, p95: 95, rounds: 100 });
    expect(sample([3, 1, 2])).toMatchObject({ median: 2, min: 1, max: 3, p95: 3 });
    expect(() => sample([])).toThrow(/at least one/);
  });

  it('prints a target that is not met as NOT MET, next to the baseline and the ratio', () => {
    const table = figureTable([
      {
        benchmark: 'b',
        measure: 'docs/s',
        value: sample([100, 120, 110]),
        baseline: { label: 'PouchDB', value: sample([90]) },
        ratio: 110 / 90,
        target: { text: '≥ 3×', met: false, unmet: 'the store is slow; a faster one would' },
        note: 'why',
      },
      { benchmark: 'b', measure: 'ms', statistic: 'p95', value: sample([10, 20]), target: { text: '< 30 ms', met: true } },
    ]);
    expect(table).toContain('110 [100–120]');
    expect(table).toContain('90.0 (PouchDB)');
    expect(table).toContain('1.22×');
    expect(table).toContain('≥ 3×: NOT MET');
    expect(table).toContain('p95 20.0 (median 15.0)');
    expect(table).toContain('< 30 ms: met');
    expect(table).toContain('b, docs/s: why');
    expect(table).toMatch(/NOT MET — why, and what would meet it:\n {2}· b, docs\/s: the store is slow; a faster one would/);
    expect(table).not.toContain('b, ms: no reason');
  });
});
