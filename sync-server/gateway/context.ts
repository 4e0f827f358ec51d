/**
 * What the sync gateway's endpoints share (gateway.ts wires them): the store, the clock and log, the fleet
 * view's record of activity, and what is told of writes.
 */
import { failure } from '../http/kit.js';
import type { KioskDoc } from '../kiosks.js';
import type { HubMetrics } from '../observe/metrics.js';
import type { Store } from '../store/store.js';

export interface GatewayContext {
  readonly store: Store;
  readonly now: () => Date;
  readonly log: (message: string) => void;
  /** Record a kiosk's activity for the fleet view (at most once a minute per kind: gateway.ts). */
  readonly touch: (kiosk: KioskDoc, field: 'lastPushAt' | 'lastPullAt' | 'lastSeenAt') => void;
  readonly metrics?: Pick<HubMetrics, 'longPolls' | 'pushedDocuments'>;
  /** Called after a kiosk's cases were written, so the review queue follows at once. */
  readonly onVillageWritten?: (village: string) => void;
}

/** A write to the catalog, which kiosks only read. */
export const readOnly = () => failure(403, 'forbidden', 'The catalog is read-only for kiosks.');
