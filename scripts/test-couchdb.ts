/**
 * `npm run test:couchdb` (the last step of `npm test`): the hub's suites on Apache CouchDB, the
 * production store, as well as on the embedded one —
 * 1. one node: the hub suite (the fuzz test in it), the compatibility tests and the faults suite's short
 *    form, unchanged, under a database prefix of their own;
 * 2. a 3-node cluster (n=3, q=2): two hub processes in front of it (test/cluster/).
 *
 * CouchDB comes from `COUCHDB_URL` (one node, already running: the cluster pass then needs
 * `COUCHDB_CLUSTER_URL` too), or is started from `../shared/couchdb` (or `CUNBAN_COUCHDB_DIR`) and stopped
 * after. Without either, the pass says so and is not run — unless `CUNBAN_REQUIRE_COUCHDB=1` (CI), when
 * that is a failure.
 */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { canStartCouchDb, couchDir, startCouchDb } from './local-couchdb.js';

const root = resolve(import.meta.dirname, '..');
const required = process.env.CUNBAN_REQUIRE_COUCHDB === '1';

function vitest(args: readonly string[], env: Record<string, string>): boolean {
  const run = spawnSync(process.execPath, [join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...args], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: 'inherit',
  });
  return run.status === 0;
}

const given = process.env.COUCHDB_URL;
if (!given && !canStartCouchDb()) {
  const message = `Apache CouchDB pass not run: no COUCHDB_URL, and no CouchDB at ${couchDir} (set CUNBAN_COUCHDB_DIR).`;
  console.log(required ? `FAILED: ${message}` : `${message} The suites above ran on the embedded store only.`);
  process.exit(required ? 1 : 0);
}

const single = given ? { url: given, stop: () => undefined } : await startCouchDb(1);
let ok: boolean;
try {
  console.log(`\nApache CouchDB, one node (${new URL(single.url).host}): the hub suite, the compatibility tests, the faults suite's short form`);
  ok = vitest(['test/sync-server', 'test/compat', 'test/faults'], { COUCHDB_URL: single.url });
} finally {
  single.stop();
}

const clusterGiven = process.env.COUCHDB_CLUSTER_URL;
if (given && !clusterGiven) {
  console.log('The 3-node cluster pass needs COUCHDB_CLUSTER_URL when COUCHDB_URL is given: not run.');
  process.exit(ok && !required ? 0 : 1);
}
const cluster = clusterGiven ? { url: clusterGiven, dir: process.env.COUCHDB_CLUSTER_DIR ?? '', stop: () => undefined } : await startCouchDb(3);
try {
  console.log(`\nApache CouchDB, a 3-node cluster (${new URL(cluster.url).host}): two hub processes`);
  ok = vitest(['--config', 'vitest.cluster.config.ts'], { COUCHDB_CLUSTER_URL: cluster.url, COUCHDB_CLUSTER_DIR: cluster.dir }) && ok;
} finally {
  cluster.stop();
}
process.exit(ok ? 0 : 1);
