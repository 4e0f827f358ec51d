/** How many tests of a run failed, as a person counts them. */
import type { RunnerTask } from 'vitest';

const testsOf = (tasks: readonly RunnerTask[]): RunnerTask[] =>
  tasks.flatMap((task) => (task.type === 'test' ? [task] : 'tasks' in task ? testsOf(task.tasks) : []));
const failedIn = (tasks: readonly RunnerTask[]) => testsOf(tasks).filter((task) => task.result?.state === 'fail').length;

/**
 * Failed tests, plus each file that failed before any of its tests could (a hook, an import) once.
 * Not vitest's `getCountOfFailedTests`, which counts every failed task — a failing test's suite and file
 * too — so that one failure read "3 failed test(s)".
 */
export function failedTestCount(files: readonly RunnerTask[]): number {
  return files.reduce((sum, file) => {
    const failed = failedIn([file]);
    return sum + (failed > 0 ? failed : file.result?.state === 'fail' ? 1 : 0);
  }, 0);
}
