/** The faults suite's verdict counts failed tests as a person does: one failing test in a describe is one, not three. */
import type { RunnerTask } from 'vitest';
import { describe, expect, it } from 'vitest';
import { failedTestCount } from '../../scripts/faults/failures.js';

type State = 'pass' | 'fail';
// The shape vitest reports (files holding suites holding tests), only the fields the count reads.
const test = (state: State) => ({ type: 'test', result: { state } });
const suite = (state: State, tasks: unknown[]) => ({ type: 'suite', result: { state }, tasks });
const file = (state: State, tasks: unknown[]) => suite(state, tasks) as unknown as RunnerTask;

describe('the faults suite’s count of failures', () => {
  it('counts a failing test once, not with its suite and file', () => {
    const run = [file('fail', [suite('fail', [test('fail'), test('pass')])]), file('pass', [test('pass')])];
    expect(failedTestCount(run)).toBe(1);
  });

  it('counts a file that failed before its tests (a hook, an import) once', () => {
    expect(failedTestCount([file('fail', [suite('fail', [])]), file('fail', [test('fail'), test('fail')])])).toBe(3);
    expect(failedTestCount([file('pass', [test('pass')])])).toBe(0);
  });
});
