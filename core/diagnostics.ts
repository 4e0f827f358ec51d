/**
 * The technician's diagnostic bundle: what a kiosk knows about its own health, as a JSON file the
 * technician carries back to the county (a USB stick), with no personal data in it. Built from an
 * allow-list of facts — counts, times, versions, error codes and reasons — never from case documents;
 * and every text in it is masked again for anything shaped like an ID or mobile number, in case a reason
 * ever quotes one.
 */
import { redactPlaintextIdNumbers } from './case/sealed.js';

export interface HubCheck {
  readonly reachable: boolean;
  readonly latencyMs?: number;
  /** The HTTP status, or 0 when the hub did not answer at all. */
  readonly status: number;
  readonly hubVersion?: string;
  readonly storeSchema?: number;
}

export interface SyncFacts {
  readonly status: string;
  readonly lastPushAt?: string;
  readonly lastPullAt?: string;
  readonly pendingCases: number;
  readonly pendingFiles: number;
  /** Refused documents by case number (not personal: village, date, kiosk and sequence), with the hub's reason. */
  readonly refused: readonly { readonly id: string; readonly reason: string; readonly at: string }[];
  readonly recentErrors: readonly { readonly status: number; readonly code: string; readonly reason: string; readonly at: string }[];
}

export interface DiagnosticFacts {
  readonly generatedAt: string;
  readonly kiosk: { readonly kioskId: string; readonly village: string; readonly villageName: string; readonly hub: string };
  readonly versions: {
    readonly app: string;
    readonly catalog?: number;
    readonly caseSchema: number;
    /** The county's minimum kiosk version, when one is set; and whether this kiosk is below it. */
    readonly minimum?: string;
    readonly updateRequired: boolean;
    /** Synced documents kept that only a newer version can read. */
    readonly unreadableDocuments: number;
  };
  readonly hub: HubCheck;
  readonly sync: SyncFacts;
  readonly storage: { readonly usageBytes?: number; readonly quotaBytes?: number; readonly level: string };
  /** Local cases by status: counts only. */
  readonly casesByStatus: Readonly<Record<string, number>>;
  readonly secretsProtectedAtRest: boolean;
}

/** Mobile numbers (11 digits starting 1) masked like ID numbers: the middle never leaves the kiosk. */
function maskPhones(text: string): string {
  return text.replace(
    /(^|[^0-9])(1[3-9][0-9])([0-9]{4})([0-9]{4})(?![0-9])/g,
    (_whole, before: string, head: string, _middle: string, tail: string) => `${before}${head}****${tail}`,
  );
}

function scrub(value: unknown): unknown {
  const masked = redactPlaintextIdNumbers(value);
  if (typeof masked === 'string') return maskPhones(masked);
  if (Array.isArray(masked)) return masked.map(scrub);
  if (typeof masked === 'object' && masked !== null) return Object.fromEntries(Object.entries(masked).map(([key, item]) => [key, scrub(item)]));
  return masked;
}

export function diagnosticBundle(facts: DiagnosticFacts): { readonly fileName: string; readonly content: string } {
  const stamp = facts.generatedAt.replace(/[^0-9]/g, '').slice(0, 14);
  return {
    fileName: `cunban-diagnostics-${facts.kiosk.kioskId}-${stamp}.json`,
    content: `${JSON.stringify({ kind: 'cunban.diagnostics', version: 1, ...(scrub(facts) as object) }, null, 2)}\n`,
  };
}
