import { defineConfig } from 'vitest/config';

/** The 3-node Apache CouchDB cluster tests (test/cluster/), run by `npm run test:couchdb` with COUCHDB_CLUSTER_URL. */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.cluster.ts'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
  },
});
