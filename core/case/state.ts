import type { Level } from '../level.js';
import type { LocalDate } from '../local-date.js';
import type { CaseEvent, ForeignEvent, ItemSnapshot, Person } from './events.js';

export const CASE_STATUSES = [
  'accepted', // 已受理: at the village counter
  'awaitingMaterials', // 待补材料: the resident must bring something; the time-limit clock is stopped
  'forwarded', // 审核中: at the town or county (see currentLevel)
  'approved', // 已批准: decided, result not yet handed over
  'rejected', // 未予批准: decided, result not yet handed over
  'completed', // 已办结: result handed to the resident
  'withdrawn', // 已撤回
] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];

export const OPEN_STATUSES: ReadonlySet<CaseStatus> = new Set(['accepted', 'awaitingMaterials', 'forwarded']);

export type MaterialState = 'unchecked' | 'received' | 'missing' | 'notApplicable';

export interface Decision {
  readonly outcome: 'approved' | 'rejected';
  readonly level: Level;
  readonly at: string;
  readonly actorName: string;
  readonly reason?: string;
}

/** The town's or county's latest return of a case for materials: who, when, why and what. */
export interface Return {
  readonly level: Level;
  readonly at: string;
  readonly actorName: string;
  readonly reason: string;
  readonly missing: readonly string[];
}

/** Everything about a case that is derived from its events. */
export interface CaseState {
  readonly caseNumber: string;
  readonly village: string;
  readonly item: ItemSnapshot;
  readonly applicant: Person;
  readonly proxy?: Person & { readonly relation: string };
  /** The receipt's lookup code for the public page (lookup-code.ts), on cases registered since kiosks make one. */
  readonly lookupCode?: string;
  readonly status: CaseStatus;
  /** Who holds the case now. A case waiting for materials is held by the village. */
  readonly currentLevel: Level;
  readonly acceptedAt: string;
  readonly acceptedOn: LocalDate;
  /** The time limit counts from here: acceptance, or the day missing materials were all supplied. */
  readonly clockStartOn: LocalDate;
  readonly materials: Readonly<Record<string, MaterialState>>;
  /** While awaiting materials: what is still outstanding, and which level asked for it. */
  readonly outstandingMaterials: readonly string[];
  readonly awaitingFor?: Level;
  /** While the case waits for materials a higher level asked for: that return. */
  readonly returned?: Return;
  readonly decision?: Decision;
  readonly closedAt?: string;
  readonly updatedAt: string;
}

export type TransitionError =
  | { readonly code: 'case.notCreated' }
  | { readonly code: 'case.alreadyCreated' }
  | { readonly code: 'case.levelNotAllowed'; readonly eventType: CaseEvent['type']; readonly level: Level }
  | { readonly code: 'case.statusNotAllowed'; readonly eventType: CaseEvent['type']; readonly status: CaseStatus }
  | {
      readonly code: 'case.notHeldByLevel';
      readonly eventType: CaseEvent['type'];
      readonly level: Level;
      readonly currentLevel: Level;
    }
  | { readonly code: 'case.notDecidingLevel'; readonly level: Level; readonly decidingLevel: Level }
  | { readonly code: 'case.forwardTarget'; readonly level: Level; readonly to: Level; readonly decidingLevel: Level }
  | { readonly code: 'case.unknownMaterial'; readonly materialId: string }
  | { readonly code: 'case.materialRequired'; readonly materialId: string }
  | { readonly code: 'case.materialListedTwice'; readonly materialId: string };

/** One entry of the case's timeline: every event is kept, including those that had no effect. */
export type TimelineEntry =
  | {
      readonly event: CaseEvent;
      /**
       * Set when the event could not take effect in the merged order — e.g. a withdrawal made offline
       * at the counter while the county approved. It stays in the history for people to resolve.
       */
      readonly ignored?: TransitionError;
      readonly foreign?: undefined;
    }
  /** An event of a type a newer version wrote: kept in its place, not applied (core/compat.ts). */
  | { readonly event: ForeignEvent; readonly foreign: true; readonly ignored?: undefined };
