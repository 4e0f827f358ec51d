/**
 * A resident follows their case on the public page (issue 18 §2) with the receipt's case number and one
 * of two answers: the last four digits of a phone given at intake, or the receipt's lookup code (for
 * residents without a phone). What the page answers is `ResidentCaseView`: status, next step, who holds
 * the case, the due date and the materials still missing — with the applicant's name masked and nothing
 * else personal. No typed free text (a reviewer's reason, a note) is ever in it: such text is where an ID
 * or phone number would slip out.
 * The lookup code is core/case/lookup-code.ts's; the hub compares answers in constant time behind
 * per-case and per-address limits.
 */
import { z } from 'zod';
import { lookupCodeSchema } from '../case/lookup-code.js';
import type { Deadline } from '../calendar.js';
import type { Level } from '../level.js';
import type { LocalizedText } from '../localized.js';
import type { CaseState, CaseStatus } from '../case/state.js';

/** What the resident typed as the answer: a phone's last four digits, or a lookup code. */
export type LookupAnswer = { readonly kind: 'phoneTail'; readonly digits: string } | { readonly kind: 'code'; readonly code: string };

/**
 * Reads an answer as typed on a phone: full-width forms folded (NFKC), spaces and dashes dropped, letters
 * upper-cased. Undefined when it is neither four digits nor a well-formed code (an O or I is never in a
 * code, so one typed is refused, not guessed at).
 */
export function parseLookupAnswer(typed: string): LookupAnswer | undefined {
  const compact = typed.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
  if (/^\d{4}$/.test(compact)) return { kind: 'phoneTail', digits: compact };
  return lookupCodeSchema.safeParse(compact).success ? { kind: 'code', code: compact } : undefined;
}

export const residentLookupRequestSchema = z.object({
  caseNumber: z.string().min(1).max(40),
  answer: z.string().min(1).max(32),
});
export type ResidentLookupRequest = z.infer<typeof residentLookupRequestSchema>;

/** The trailing four digits a masked phone shows (`138****5678`), or none when it shows fewer. */
export const phoneTailOf = (phoneMasked: string | undefined): string | undefined => /(\d{4})$/.exec(phoneMasked ?? '')?.[1];

/**
 * A name as a public page may show it: the surname and the last character, the rest starred (张*国, 张*,
 * 欧*华 for 欧阳华 — a compound surname loses its second character rather than risk the given name).
 * Latin names keep their first letter and last letter.
 */
const GRAPHEMES = new Intl.Segmenter('zh', { granularity: 'grapheme' });

export function maskPersonName(name: string): string {
  // By grapheme: a rare character outside the BMP, or one with a variation selector, is one character.
  const chars = Array.from(GRAPHEMES.segment(name.trim()), (part) => part.segment);
  if (chars.length <= 1) return '*';
  if (chars.length === 2) return `${chars[0] ?? ''}*`;
  return `${chars[0] ?? ''}${'*'.repeat(chars.length - 2)}${chars[chars.length - 1] ?? ''}`;
}

/** What the resident should do or expect next. */
export type ResidentNextStep =
  /** Bring the missing materials to the village hall. */
  | 'bringMaterials'
  /** Nothing: the case is being handled at the level that holds it. */
  | 'wait'
  /** The decision is made: collect the result at the village hall. */
  | 'collectResult'
  /** Nothing more: the result was handed over, or the application withdrawn. */
  | 'none';

export interface ResidentPlace {
  readonly level: Level;
  /** 龙坪村, 业州镇, 建始县. */
  readonly name: string;
}

/** The one answer the public page gives about a case. Nothing personal beyond `applicant` (masked). */
export interface ResidentCaseView {
  readonly caseNumber: string;
  readonly item: { readonly code: string; readonly name: LocalizedText };
  /** 张*国 */
  readonly applicant: string;
  readonly status: CaseStatus;
  readonly nextStep: ResidentNextStep;
  /** Who holds the case now; a case waiting for materials is held by the village. */
  readonly heldBy: ResidentPlace;
  /** Where materials are brought and results collected: the village's service hall. */
  readonly hall: { readonly town: string; readonly village: string };
  readonly acceptedOn: string;
  /** While a decision is awaited and the item has a limit; `provisional` when the calendar does not reach it. */
  readonly due?: { readonly on: string; readonly provisional: boolean };
  /** Materials still to bring, by name. */
  readonly missing: readonly LocalizedText[];
  /** When decided: the outcome and which level decided. */
  readonly decision?: { readonly outcome: 'approved' | 'rejected'; readonly level: Level };
}

const NEXT_STEP: Readonly<Record<CaseStatus, ResidentNextStep>> = {
  accepted: 'wait',
  awaitingMaterials: 'bringMaterials',
  forwarded: 'wait',
  approved: 'collectResult',
  rejected: 'collectResult',
  completed: 'none',
  withdrawn: 'none',
};

/** The names the view needs, from the county's division table. */
export interface ResidentPlaceNames {
  readonly village: string;
  readonly town: string;
  readonly county: string;
}

/** The public view of a case: from its state, its due date (if any) and its place's names. */
export function residentCaseView(state: CaseState, due: Deadline | undefined, names: ResidentPlaceNames): ResidentCaseView {
  const awaitingDecision = state.status === 'accepted' || state.status === 'forwarded';
  const missingIds = new Set(state.outstandingMaterials);
  return {
    caseNumber: state.caseNumber,
    item: { code: state.item.code, name: state.item.name },
    applicant: maskPersonName(state.applicant.name),
    status: state.status,
    nextStep: NEXT_STEP[state.status],
    heldBy: { level: state.currentLevel, name: names[state.currentLevel] },
    hall: { town: names.town, village: names.village },
    acceptedOn: state.acceptedOn,
    ...(awaitingDecision && due ? { due: { on: due.dueOn, provisional: due.provisional } } : {}),
    missing: state.status === 'awaitingMaterials' ? state.item.materials.filter((m) => missingIds.has(m.id)).map((m) => m.name) : [],
    ...(state.decision ? { decision: { outcome: state.decision.outcome, level: state.decision.level } } : {}),
  };
}

/** The residents' page opened at a case (a receipt's QR code): `<hub>/r/#<case number>`, the number in the fragment, never sent to a server. */
export const residentPageUrl = (hubBase: string, caseNumber: string): string => `${hubBase.replace(/\/?$/, '/')}r/#${caseNumber}`;
