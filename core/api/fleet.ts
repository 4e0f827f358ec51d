/** The console's fleet and quarantine routes: bodies checked at the hub, types shared with the console. */
import { z } from 'zod';
import { villageCodeSchema } from '../divisions/code.js';

export const issueCodeRequestSchema = z.strictObject({ village: villageCodeSchema });
export const resolveQuarantineRequestSchema = z.strictObject({ note: z.string().trim().min(1, 'say what was done').max(500) });

export interface AreaVillage {
  readonly code12: string;
  readonly name: string;
  readonly townName: string;
}

/** What `GET /api/review/area` answers: the reviewer's villages, and the catalog's sectors by name. */
export interface Area {
  readonly villages: readonly AreaVillage[];
  readonly sectors: readonly { readonly code: string; readonly name: { readonly zh: string; readonly en: string } }[];
}

export interface KioskView {
  readonly kioskId: string;
  readonly village: string;
  readonly kioskNumber: number;
  readonly enrolledAt: string;
  readonly appVersion?: string;
  readonly revokedAt?: string;
  readonly lastSeenAt?: string;
  readonly lastPushAt?: string;
  readonly lastPullAt?: string;
  /** Documents of this kiosk's the gateway refused and nobody has resolved yet. */
  readonly refused: number;
}

export interface QuarantineView {
  readonly id: string;
  readonly kioskId: string;
  readonly village: string;
  readonly docId: string;
  readonly reason: string;
  readonly at: string;
  readonly resolvedAt?: string;
  readonly resolvedBy?: string;
  readonly note?: string;
}
