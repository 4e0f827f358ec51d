/**
 * The embedded store: express-pouchdb on LevelDB, run in its own process by the hub's supervisor so a
 * crash here never takes the hub down. It listens on loopback only, and every request must carry the
 * store's admin credentials: express-pouchdb does not enforce per-database `_security`, so without
 * this wall any local process could read residents' cases. CouchDB 3 is admin-only by default too.
 *
 * Environment: CUNBAN_STORE_DIR, CUNBAN_STORE_PORT (0 = any free port), CUNBAN_STORE_USER,
 * CUNBAN_STORE_PASSWORD. Reports `{ type: 'listening', port }` to the parent over IPC.
 */
import { timingSafeEqual } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { EventEmitter } from 'node:events';
import expressPouchDB from 'express-pouchdb';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import leveldb from 'pouchdb-adapter-leveldb';
import mapreduce from 'pouchdb-mapreduce';
import replication from 'pouchdb-replication';

const dir = process.env.CUNBAN_STORE_DIR ?? '';
const user = process.env.CUNBAN_STORE_USER ?? '';
const password = process.env.CUNBAN_STORE_PASSWORD ?? '';
const port = Number(process.env.CUNBAN_STORE_PORT ?? '0');
if (!dir || !user || !password) {
  process.stderr.write('embedded store: CUNBAN_STORE_DIR, CUNBAN_STORE_USER and CUNBAN_STORE_PASSWORD are required\n');
  process.exit(2);
}

mkdirSync(dir, { recursive: true, mode: 0o700 });
const configPath = join(dir, 'store-config.json');
// express-pouchdb hashes admin passwords it finds in plain text when it loads this file.
writeFileSync(configPath, JSON.stringify({ admins: { [user]: password }, log: { level: 'error' } }), { mode: 0o600 });

const Store = PouchDB.plugin(leveldb)
  .plugin(httpAdapter)
  .plugin(replication)
  .plugin(mapreduce)
  .defaults({
    prefix: `${dir}/`,
  });
// Every change feed a database serves listens on that database (PouchDB's design: 'destroyed' ends it), so
// ten kiosks pulling one village at once passed Node's default of ten and printed MaxListenersExceededWarning
// … PouchAlt, in this process of the store's own. The limit here is per feed served, with room for a county.
EventEmitter.defaultMaxListeners = 1000;
const app = expressPouchDB(Store, { configPath, logPath: join(dir, 'store-log.txt'), mode: 'fullCouchDB' });

/**
 * pouchdb-validation (express-pouchdb's validate_doc_update) overwrites each incoming document's
 * `_revisions` with the stored document's before validating (pouchdb/pouchdb-server#419, unfixed). With
 * `new_edits=false` — every replicator's push — that makes a new revision look like one already stored,
 * and CouchDB's bulk write skips it without an error: an edited case silently never arrived. Registered
 * after the validation wrapper, so it runs first: each document's own `_revisions` ignore that write.
 */
type BulkDocs = (body: unknown, ...rest: unknown[]) => unknown;
app.dbWrapper.registerWrapper((_name: string, db: { bulkDocs: BulkDocs }, next: () => void) => {
  const bulkDocs = db.bulkDocs.bind(db);
  db.bulkDocs = (body, ...rest) => {
    const docs: unknown = Array.isArray(body) ? body : (body as { docs?: unknown } | null)?.docs;
    for (const doc of Array.isArray(docs) ? (docs as Record<string, unknown>[]) : []) {
      const revisions = doc._revisions;
      if (revisions === undefined) continue;
      Object.defineProperty(doc, '_revisions', { get: () => revisions, set: () => undefined, enumerable: true, configurable: true });
    }
    return bulkDocs(body, ...rest);
  };
  next();
});

const expected = Buffer.from(`Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`);
function isAdmin(header: string | undefined): boolean {
  const given = Buffer.from(header ?? '');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const server = createServer((req, res) => {
  if (!isAdmin(req.headers.authorization)) {
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: 'unauthorized', reason: 'The embedded store serves the Cunban hub only.' }));
    return;
  }
  app(req, res);
});
server.listen(port, '127.0.0.1', () => {
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  process.send?.({ type: 'listening', port: actual });
});
process.on('disconnect', () => process.exit(0));
