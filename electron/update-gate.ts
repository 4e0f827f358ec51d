/**
 * Updates come from the county hub (`<hub>/updates/`, electron-updater's generic provider), so a kiosk
 * updates over the county network without the internet. A downloaded update installs only when the clerk
 * is idle and no sync write is in flight — never under a clerk's hands, never mid-write.
 */
import type { EnrollResponse } from '../core/api/enrollment.js';
import type { Activity } from '../core/api/shell.js';

/** The hub's update folder, from the sync URL the kiosk enrolled with (`…/sync/village_…/` → `…/updates/`). */
export function updateFeedUrl(enrollment: Pick<EnrollResponse, 'villageSyncUrl'>): string {
  return new URL('../../updates/', enrollment.villageSyncUrl).href;
}

export interface UpdateGate {
  /** electron-updater finished downloading `version`, and its signature verified. */
  downloaded(version: string): void;
  /** A new download began replacing the pending one: nothing may install until it is verified. */
  withdraw(): void;
  /** The renderer's latest report; returns true when the update should install now. */
  activity(activity: Activity): boolean;
  readonly pending: string | undefined;
}

export function updateGate(): UpdateGate {
  let pending: string | undefined;
  let last: Activity = { clerkIdle: false, syncWriting: true };
  const ready = () => pending !== undefined && last.clerkIdle && !last.syncWriting;
  return {
    downloaded(version) {
      pending = version;
    },
    withdraw() {
      pending = undefined;
    },
    activity(activity) {
      last = activity;
      return ready();
    },
    get pending() {
      return pending;
    },
  };
}
