/** Files written whole or not at all (the key ring, the demo passwords, an enrollment QR image). */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stageFile, writeFileWhole } from '../../sync-server/whole-file.js';

const folder = mkdtempSync(join(tmpdir(), 'cunban-whole-'));
afterAll(() => {
  rmSync(folder, { recursive: true, force: true });
});

describe('a file written whole', () => {
  it('replaces the old one by a rename, 0600, leaving nothing beside it', () => {
    const file = join(folder, 'ring.json');
    writeFileSync(file, 'old', { mode: 0o644 });
    writeFileWhole(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(folder)).toEqual(['ring.json']);
  });

  it('is written through the descriptor that made it: a temporary name turned into a link writes nothing through it', () => {
    const victim = join(folder, 'victim');
    writeFileSync(victim, 'someone else’s');
    const file = join(folder, 'image.png');
    const staged = stageFile(file);
    // Another user of a shared folder swaps the temporary name for a link to their target.
    rmSync(staged.temporary);
    symlinkSync(victim, staged.temporary);
    staged.write('the image');
    expect(readFileSync(victim, 'utf8')).toBe('someone else’s');
    expect(() => {
      staged.place();
    }).toThrow(/replaced by another process/);
    expect(existsSync(file)).toBe(false);
    rmSync(staged.temporary);
  });

  it('placed only where no file is, when asked so: the file there is kept and the temporary one goes', () => {
    const file = join(folder, 'first.json');
    writeFileSync(file, 'first');
    const staged = stageFile(file);
    staged.write('second');
    expect(() => {
      staged.placeIfAbsent();
    }).toThrow(expect.objectContaining({ code: 'EEXIST' }) as Error);
    expect(readFileSync(file, 'utf8')).toBe('first');
    expect(readdirSync(folder).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('refused where its folder does not exist, before anything is written', () => {
    expect(() => stageFile(join(folder, 'missing', 'x.json'))).toThrow(expect.objectContaining({ code: 'ENOENT' }) as Error);
  });
});
