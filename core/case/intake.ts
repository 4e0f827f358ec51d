/**
 * Registering a case at the counter (受理) in one step: the events a clerk's form adds up to.
 * Pure: the kiosk passes in the sealed applicant, the clock and fresh event ids, and writes the result
 * as one document, so a case is never left half-registered.
 */
import type { Material, ServiceItem } from '../catalog/schema.js';
import type { EventDraft } from './append.js';
import type { Actor, CreatedPayload, EventPayload, ItemSnapshot } from './events.js';

export type ChecklistMark = 'received' | 'missing' | 'notApplicable';

/** What happens to the case once registered. */
export type IntakeOutcome =
  /** Items the village decides: approve and hand over the result now (即办). */
  | 'completeNow'
  /** Stay at the village counter (a village item that takes time, e.g. mediation). */
  | 'keepAtVillage'
  /** Send to the town (which forwards county items on). */
  | 'forward';

export interface IntakeInput {
  readonly caseNumber: string;
  readonly village: string;
  readonly item: ServiceItem;
  readonly catalogVersion: number;
  readonly applicant: CreatedPayload['applicant'];
  readonly proxy?: CreatedPayload['proxy'];
  /** The receipt's lookup code (lookup-code.ts), made by the kiosk. */
  readonly lookupCode?: string;
  readonly checklist: Readonly<Record<string, ChecklistMark>>;
  readonly files?: EventPayload<'materialsChecked'>['files'];
  readonly outcome: IntakeOutcome;
  readonly note?: string;
  readonly actor: Actor;
  readonly at: string;
  /** Fresh unique ids, one per event this may write (at most 5). */
  readonly newEventId: () => string;
}

export function itemSnapshot(item: ServiceItem, catalogVersion: number): ItemSnapshot {
  return {
    code: item.code,
    sector: item.sector,
    name: item.name,
    decidingLevel: item.decidingLevel,
    timeLimitWorkingDays: item.timeLimitWorkingDays,
    catalogVersion,
    materials: item.materials.map(({ id, name, required }) => ({ id, name, required })),
  };
}

/** Materials still unmarked, so the form can say which ones before the clerk submits. */
export function unmarkedMaterials(item: ServiceItem, checklist: Readonly<Record<string, ChecklistMark>>): Material[] {
  return item.materials.filter((material) => !Object.hasOwn(checklist, material.id));
}

/** Outcomes the form offers for an item, given what is missing; the first is the default. */
export function intakeOutcomes(item: ServiceItem, anyMissing: boolean): IntakeOutcome[] {
  // Missing materials: the resident is told once, in full, and the case waits at the village (一次性告知).
  if (anyMissing) return ['keepAtVillage'];
  return item.decidingLevel === 'village' ? ['completeNow', 'keepAtVillage'] : ['forward'];
}

export function intakeEvents(input: IntakeInput): EventDraft[] {
  const { actor, at, newEventId } = input;
  const marked = (mark: ChecklistMark) => input.item.materials.filter((m) => input.checklist[m.id] === mark).map((m) => m.id);
  const missing = marked('missing');
  const drafts: EventDraft[] = [
    {
      id: newEventId(),
      at,
      actor,
      type: 'created',
      payload: {
        caseNumber: input.caseNumber,
        village: input.village,
        item: itemSnapshot(input.item, input.catalogVersion),
        applicant: input.applicant,
        ...(input.proxy ? { proxy: input.proxy } : {}),
        ...(input.lookupCode ? { lookupCode: input.lookupCode } : {}),
      },
    },
    {
      id: newEventId(),
      at,
      actor,
      type: 'materialsChecked',
      payload: {
        received: marked('received'),
        missing,
        notApplicable: marked('notApplicable'),
        ...(input.files && input.files.length > 0 ? { files: input.files } : {}),
      },
    },
  ];
  const note = input.note?.trim();
  if (note) drafts.push({ id: newEventId(), at, actor, type: 'note', payload: { text: note } });
  if (missing.length > 0) {
    drafts.push({ id: newEventId(), at, actor, type: 'materialsMissing', payload: { missing } });
  } else if (input.outcome === 'forward') {
    drafts.push({ id: newEventId(), at, actor, type: 'forwarded', payload: { to: 'town' } });
  } else if (input.outcome === 'completeNow') {
    drafts.push({ id: newEventId(), at, actor, type: 'approved', payload: {} });
    drafts.push({ id: newEventId(), at, actor, type: 'resultHandedOver', payload: {} });
  }
  return drafts;
}
