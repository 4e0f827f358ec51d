/**
 * `npm run fuzz [count] [seed]` — the hub fuzzing scenario of `npm test` (test/sync-server/fuzz.test.ts) at
 * full size: 10,000 malformed requests by default. Prints the answers by status; fails on any finding.
 */
import { startVitest } from 'vitest/node';

process.env.FUZZ_REQUESTS = process.argv[2] ?? '10000';
process.env.FUZZ_SEED = process.argv[3] ?? String(Date.now() % 2_147_483_647);
console.log(`fuzzing the hub with ${process.env.FUZZ_REQUESTS} requests, seed ${process.env.FUZZ_SEED} (pass it again to replay)`);
const vitest = await startVitest('test', ['test/sync-server/fuzz.test.ts'], { run: true, silent: false });
await vitest.close();
process.exit(vitest.state.getCountOfFailedTests() > 0 ? 1 : 0);
