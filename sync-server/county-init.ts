/**
 * `cunban-hub init` (and the demo's seeding): the county's key ring, then its databases. Local state
 * first, the store last, so a run that fails part-way leaves nothing only the store knows and a re-run
 * finishes what it began: the ring is made (or found) in the data directory before any database is
 * written, and recorded in the store once the store is provisioned.
 */
import { err, ok, type Result } from '../core/result.js';
import { abandonForeignKeyRing, keyRingFingerprint, prepareKeyRing, recordKeyRing, type KeyRingCheckError } from './keyring.js';
import { initStore, type CountyData, type InitError, type InitReport } from './provision.js';
import type { Store } from './store/store.js';

export interface CountyInitReport extends InitReport {
  /** The county key ring's fingerprint (keyring.ts), as recorded in the store. */
  readonly keyRingFingerprint: string;
  /** Whether this run made the key ring (the county's first `init`). */
  readonly keyRingCreated: boolean;
}

export type CountyInitError = InitError | KeyRingCheckError;

export async function initCounty(store: Store, dataDir: string, data?: CountyData, now: Date = new Date()): Promise<Result<CountyInitReport, CountyInitError>> {
  const prepared = await prepareKeyRing(store, dataDir, now);
  if (!prepared.ok) return prepared;
  const init = await initStore(store, data);
  if (!init.ok) {
    if (prepared.value.created) await abandonForeignKeyRing(store, dataDir);
    return init;
  }
  const recorded = await recordKeyRing(store, dataDir, prepared.value.created);
  if (!recorded.ok) return err(recorded.error);
  return ok({ ...init.value, keyRingFingerprint: keyRingFingerprint(recorded.value), keyRingCreated: prepared.value.created });
}

/** A failed `init` in plain words. */
export function describeCountyInitError(error: CountyInitError): string {
  if ('message' in error) return error.message;
  if (error.code === 'keyring.store') return `the store did not answer the key ring check: ${error.failure.reason}`;
  // Two `init`s at once (two machines): the loser's write met the winner's.
  return error.failure.status === 409
    ? `another \`init\` changed the store at the same moment (${error.failure.reason}): run init again.`
    : error.failure.reason;
}
