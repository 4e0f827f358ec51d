/**
 * `npm run compat:snapshot -- <version> [commit]`: keep a release's code for the compatibility tests.
 * Archives the release commit's kiosk data layer and hub (releases.ts names the paths)
 * into test/compat/releases/cunban-<version>.tar.gz; then add the version to RELEASES there.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { RELEASE_PATHS, tarballOf } from './releases.js';

const [version, commit = 'HEAD'] = process.argv.slice(2);
if (!version || !/^\d+\.\d+\.\d+$/.test(version)) {
  process.stderr.write('Usage: npm run compat:snapshot -- <version, e.g. 0.2.0> [commit, default HEAD]\n');
  process.exit(2);
}
const sha = execFileSync('git', ['rev-parse', '--verify', `${commit}^{commit}`], { encoding: 'utf8' }).trim();
const tar = execFileSync('git', ['archive', '--format=tar', sha, ...RELEASE_PATHS], { maxBuffer: 256 * 1024 * 1024 });
writeFileSync(tarballOf(version), gzipSync(tar, { level: 9 }));
process.stdout.write(`Wrote ${tarballOf(version)} from ${sha}.\nAdd { version: '${version}', commit: '${sha}' } to RELEASES in test/compat/releases.ts.\n`);
