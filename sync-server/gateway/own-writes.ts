/**
 * The revisions each kiosk has just written through this hub process, so that its own feed does not send
 * them back: a kiosk pushing its day's work was pulling every case straight back down its live feed, doubling
 * its work and its bytes (npm run bench, push). Only a revision stored exactly as the kiosk sent it counts (a
 * current kiosk's edit, not a replicator's branch, which the hub may merge); the kiosk holds it already, and
 * its write's answer gave it the revision. Anything else — another kiosk's write, a decision, a merge, a write
 * through another hub process — reaches it as before. Each revision is left out once, and only from the live
 * feed (long polls): a kiosk reading from a checkpoint (restarted, or restored from an older disk) gets every row.
 */

/** At most this many revisions are remembered per kiosk (a kiosk that writes and never reads its feed). */
const PER_KIOSK = 2000;

export interface OwnWrites {
  /** `kioskId` wrote these revisions, stored as it sent them. */
  record(kioskId: string, written: readonly { readonly id: string; readonly rev: string }[]): void;
  /** Whether a feed row of `kioskId` is its own write coming back; if so it is forgotten (answered once). */
  isEcho(kioskId: string, id: string, rev: string): boolean;
}

export function ownWrites(perKiosk = PER_KIOSK): OwnWrites {
  const byKiosk = new Map<string, Map<string, string>>();
  return {
    record(kioskId, written) {
      const revs = byKiosk.get(kioskId) ?? new Map<string, string>();
      byKiosk.set(kioskId, revs);
      for (const { id, rev } of written) {
        revs.delete(id);
        revs.set(id, rev);
      }
      // Oldest first out: a Map keeps insertion order.
      for (const id of revs.keys()) {
        if (revs.size <= perKiosk) break;
        revs.delete(id);
      }
    },
    isEcho(kioskId, id, rev) {
      const revs = byKiosk.get(kioskId);
      if (revs?.get(id) !== rev) return false;
      revs.delete(id);
      if (revs.size === 0) byKiosk.delete(kioskId);
      return true;
    },
  };
}
