import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyringFile, loadKeyRing, rotateDataKey } from '../../sync-server/keyring.js';

const dir = mkdtempSync(join(tmpdir(), 'cunban-keys-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('the county key ring', () => {
  it('is created once, readable by the hub’s user only, and stable afterwards', () => {
    const first = loadKeyRing(dir, new Date('2026-11-26T00:00:00Z'));
    expect(first.current).toBe('county-2026-11-26-1');
    expect(statSync(keyringFile(dir)).mode & 0o777).toBe(0o600);
    expect(loadKeyRing(dir)).toEqual(first);
  });

  it('rotates by adding a key, keeping the old ones and the blind-index key', () => {
    const before = loadKeyRing(dir);
    const after = rotateDataKey(dir, new Date('2027-01-05T00:00:00Z'));
    expect(after.current).toBe('county-2027-01-05-2');
    expect(after.keys.slice(0, 1)).toEqual(before.keys);
    expect(after.blindIndexKey).toBe(before.blindIndexKey);
  });

  it('refuses a damaged file instead of silently making new keys', () => {
    const damaged = mkdtempSync(join(tmpdir(), 'cunban-keys-bad-'));
    writeFileSync(keyringFile(damaged), '{"current":"x","keys":[]}');
    expect(() => loadKeyRing(damaged)).toThrow(/damaged; restore it from the county's backup/);
    rmSync(damaged, { recursive: true, force: true });
  });
});
