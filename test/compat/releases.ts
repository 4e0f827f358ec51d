/**
 * Earlier releases of Cunban, as real code for the compatibility tests (docs/COMPATIBILITY.md): each
 * release's `core/`, `renderer/data/` and `sync-server/`, exactly as `git archive` gives them at its
 * release commit, kept as a tarball in `releases/` (`npm run compat:snapshot` makes one) and unpacked
 * on first use into `test/compat/.releases/<version>/` — inside the project, so that the old code's
 * imports of rxdb, zod and nano resolve to this project's node_modules. A tarball, not a git tag: CI
 * may clone without tags or history.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Release {
  readonly version: string;
  /** The commit the tarball was archived from. */
  readonly commit: string;
}

/** What a release's tarball holds: the kiosk's data layer, the hub, and what both are built on. */
export const RELEASE_PATHS = ['core', 'renderer/data', 'sync-server', 'tsconfig.base.json'] as const;

/** Oldest first. Add each release here with its tarball; the compatibility tests run against every one. */
export const RELEASES: readonly Release[] = [
  { version: '0.1.0', commit: '607c44d0a216becf7eaac0d2a711fff7f9c09a29' },
  { version: '0.2.0', commit: 'b761f2c2fa848724e3f9f3d9f32609e5b3c50e16' },
];

/** Whether a release follows the compatibility rule (docs/COMPATIBILITY.md): tolerant readers, leases, fleet policy. Rule-following began with 0.2.0. */
export const followsCompatRule = (version: string) => version !== '0.1.0';

const here = dirname(fileURLToPath(import.meta.url));
export const tarballOf = (version: string) => join(here, 'releases', `cunban-${version}.tar.gz`);

/** The folder holding the release's code, unpacked once; several test files may ask at the same time. */
export function releaseDir(version: string): string {
  const dir = join(here, '.releases', version);
  if (existsSync(join(dir, 'core'))) return dir;
  mkdirSync(join(here, '.releases'), { recursive: true });
  const unpacking = mkdtempSync(join(here, '.releases', `.${version}-`));
  execFileSync('tar', ['-xzf', tarballOf(version), '-C', unpacking]);
  try {
    renameSync(unpacking, dir);
  } catch (error) {
    // Another test file unpacked it first: use theirs.
    rmSync(unpacking, { recursive: true, force: true });
    if (!existsSync(join(dir, 'core'))) throw error;
  }
  return dir;
}

/** A module of the release, e.g. `renderer/data/kiosk-data.ts`, typed by what the test says it uses. */
export async function importRelease<T>(version: string, path: string): Promise<T> {
  return (await import(join(releaseDir(version), path))) as T;
}
