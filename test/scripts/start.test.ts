/** The README's main command must keep working: run it for real. */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('npm start', () => {
  it('loads the demo county and says what is not built yet', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], { cwd: root });
    expect(stdout).toContain('demo county 建始县 (422822000000)');
    expect(stdout).toContain('10 towns, 179 villages');
    expect(stdout).toContain('16 sectors, 76 service items');
    expect(stdout).toContain('Not built yet');
  });

  it('stops with a message naming a misconfigured variable', async () => {
    const failure = await run(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
      cwd: root,
      env: { ...process.env, CUNBAN_HUB_PORT: 'eighty' },
    }).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain('CUNBAN_HUB_PORT');
  });
});
