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
  /** The county's name, as its division table gives it (建始县). */
  readonly countyName: string;
  readonly villages: readonly AreaVillage[];
  readonly sectors: readonly { readonly code: string; readonly name: { readonly zh: string; readonly en: string } }[];
}

/** What a kiosk reports of itself (`PUT /api/kiosk/status`): what only it knows, for the fleet view. */
export const kioskStatusReportSchema = z.object({
  appVersion: z.string().min(1).max(32),
  /** Local cases holding events the hub has not confirmed. */
  pendingCases: z.number().int().min(0).max(1_000_000),
  /** Materials files not yet uploaded whole. */
  pendingFiles: z.number().int().min(0).max(1_000_000),
  /** Documents the hub refused that the kiosk still shows. */
  refused: z.number().int().min(0).max(1_000_000),
});
export type KioskStatusReport = z.infer<typeof kioskStatusReportSchema>;

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
  /** The kiosk's latest report of itself, and when the hub received it. */
  readonly reported?: Omit<KioskStatusReport, 'appVersion'> & { readonly at: string };
  /** Set when the kiosk's version is below the county's minimum (core/fleet-policy.ts): it must be updated. */
  readonly updateRequired?: { readonly minimum: string };
}

export interface QuarantineView {
  readonly id: string;
  readonly kioskId: string;
  readonly village: string;
  readonly docId: string;
  readonly reason: string;
  /** `case.clash`: a second application under a case number the hub holds for another. */
  readonly code?: string;
  readonly at: string;
  readonly resolvedAt?: string;
  readonly resolvedBy?: string;
  readonly note?: string;
}
