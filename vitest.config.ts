import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    exclude: ['**/node_modules/**', 'test/compat/.releases/**'],
    environment: 'node',
    // Tests start real things (hub, databases, Chromium) in later suites; keep them isolated per file.
    pool: 'forks',
    testTimeout: 30_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
