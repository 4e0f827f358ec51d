/**
 * "Sync now": push and pull at once, then the files, then the proof that the hub holds what it
 * confirmed (reconcile.ts) — and resolve with what really happened: never "success" when a direction
 * failed. It waits on the outcomes the hub fetch reports, not on a timer.
 */
import { filter, firstValueFrom, type Observable } from 'rxjs';
import { err, ok, type Result } from '../../core/result.js';
import type { HubEvent } from './hub-fetch.js';
import type { ProofReport } from './reconcile.js';

export type SyncOutcome = Result<{ readonly at: string }, { readonly status: number; readonly code: string; readonly reason: string }>;

export interface SyncNowParts {
  readonly replications: readonly { reSync(): void; awaitInSync(): Promise<unknown> }[];
  readonly events$: Observable<HubEvent>;
  readonly uploadFiles: () => Promise<unknown>;
  readonly prove: () => Promise<Result<ProofReport, { status: number; code: string; reason: string }>>;
  readonly now: () => Date;
}

export async function syncNow(parts: SyncNowParts, timeoutMs: number): Promise<SyncOutcome> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => {
      resolve('timeout');
    }, timeoutMs);
  });
  // The first failure reported from now on ends the wait with that failure.
  const failure = firstValueFrom(parts.events$.pipe(filter((event): event is Extract<HubEvent, { kind: 'failed' }> => event.kind === 'failed'))).catch(
    () => undefined,
  );
  const replicate = async () => {
    for (const replication of parts.replications) replication.reSync();
    await Promise.all(parts.replications.map((replication) => replication.awaitInSync()));
  };
  const work = async (): Promise<SyncOutcome> => {
    await replicate();
    await parts.uploadFiles();
    const proof = await parts.prove();
    if (!proof.ok) return err(proof.error);
    // What the hub had lost goes up again now, and is confirmed before sync now says it is done.
    if (proof.value.resentCases.length > 0 || proof.value.resentFiles > 0) {
      await replicate();
      await parts.uploadFiles();
    }
    return ok({ at: parts.now().toISOString() });
  };
  try {
    const outcome = await Promise.race([work(), failure.then((event) => event), timeout]);
    if (outcome === 'timeout') return err({ status: 0, code: 'timeout', reason: `No answer from the county hub within ${String(timeoutMs / 1000)} s.` });
    if (outcome === undefined) return err({ status: 0, code: 'stopped', reason: 'Sync stopped.' });
    if ('kind' in outcome) return err({ status: outcome.error.status, code: outcome.error.code, reason: outcome.error.reason });
    return outcome;
  } finally {
    clearTimeout(timer);
  }
}
