/**
 * What waits to go up: cases holding more events here than the hub has confirmed (sync-ledger.ts), and
 * materials files not yet uploaded whole. Event counts are kept from the collection's change events:
 * an initial pull brings thousands of cases, and reading every case on each change made a 10,000-case
 * first pull quadratic. The counts are published once for the changes of a busy moment.
 */
import type { KioskDatabase } from './kiosk-database.js';
import type { SyncLedger } from './sync-ledger.js';

export interface PendingCounts {
  readonly pendingOutbound: number;
  readonly pendingFiles: number;
}

export interface PendingTracker {
  /** Cases with events the hub has not confirmed. */
  cases(): string[];
  /** Count again soon (the ledger changed). */
  schedule(): void;
  /** Count again now and publish; resolves when published. */
  recount(): Promise<void>;
  stop(): Promise<void>;
}

// The village database may hold kinds a newer version wrote, with no events: never pending here (compat.ts).
const eventCount = (doc: { readonly events?: unknown }) => (Array.isArray(doc.events) ? doc.events.length : 0);

export async function trackPending(db: KioskDatabase, ledger: SyncLedger, publish: (counts: PendingCounts) => void): Promise<PendingTracker> {
  const localEvents = new Map<string, number>();
  for (const doc of await db.cases.find().exec()) localEvents.set(doc.id, eventCount(doc));
  const cases = () => [...localEvents].filter(([id, events]) => events > ledger.confirmedEvents(id)).map(([id]) => id);

  let last: PendingCounts | undefined;
  const recount = async () => {
    const pendingFiles = (await db.files.find({ selector: { uploaded: false } }).exec()).length;
    const counts = { pendingOutbound: cases().length, pendingFiles };
    if (last?.pendingOutbound === counts.pendingOutbound && last.pendingFiles === counts.pendingFiles) return;
    last = counts;
    publish(counts);
  };

  let timer: ReturnType<typeof setTimeout> | undefined;
  let counting: Promise<void> = Promise.resolve();
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer ??= setTimeout(() => {
      timer = undefined;
      counting = counting.then(recount);
    }, 100);
  };
  const subscriptions = [
    db.cases.$.subscribe((change) => {
      if (change.operation === 'DELETE') localEvents.delete(change.documentId);
      else localEvents.set(change.documentId, eventCount(change.documentData));
      schedule();
    }),
    db.files.$.subscribe(schedule),
  ];
  await recount();

  return {
    cases,
    schedule,
    recount: () => (counting = counting.then(recount)),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      for (const subscription of subscriptions) subscription.unsubscribe();
      await counting.catch(() => undefined);
    },
  };
}
