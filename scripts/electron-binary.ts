/**
 * Where the Electron binary is, if it has been downloaded — found without `require('electron')`, which
 * would try to download it (impossible on machines without the internet, such as CI here).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export function electronBinary(
  packageDir = resolve(import.meta.dirname, '../node_modules/electron'),
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  const pathFile = join(packageDir, 'path.txt');
  const executable = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  const dist = env.ELECTRON_OVERRIDE_DIST_PATH ?? join(packageDir, 'dist');
  const candidate = join(dist, executable ?? 'electron');
  return executable !== undefined || env.ELECTRON_OVERRIDE_DIST_PATH ? (existsSync(candidate) ? candidate : undefined) : undefined;
}

/** A desktop to show a window on: always on Windows and macOS; on Linux, an X or Wayland display. */
export function hasDisplay(platform: NodeJS.Platform = process.platform, env: NodeJS.ProcessEnv = process.env): boolean {
  return platform !== 'linux' || Boolean(env.DISPLAY ?? env.WAYLAND_DISPLAY);
}
