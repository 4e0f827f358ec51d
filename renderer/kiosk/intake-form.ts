/**
 * The new-case form's data and its checks, apart from the screen: what the clerk has typed (kept
 * whole through errors, navigation and the idle lock) and what is wrong with it, field by field.
 */
import type { ServiceItem } from '../../core/catalog/schema.js';
import { unmarkedMaterials, type ChecklistMark, type IntakeOutcome } from '../../core/case/intake.js';
import type { LocalDate } from '../../core/local-date.js';
import { parseResidentId } from '../../core/resident-id.js';

export interface PersonDraft {
  readonly name: string;
  readonly idNumber: string;
  readonly phone: string;
  readonly address: string;
}

export interface AttachedScan {
  readonly name: string;
  readonly bytes: Uint8Array<ArrayBuffer>;
}

export interface IntakeDraft {
  readonly query: string;
  readonly sector: string;
  readonly itemCode?: string;
  readonly applicant: PersonDraft;
  readonly hasProxy: boolean;
  readonly proxy: PersonDraft & { readonly relation: string };
  readonly checklist: Readonly<Record<string, ChecklistMark>>;
  readonly scans: Readonly<Record<string, readonly AttachedScan[]>>;
  readonly outcome?: IntakeOutcome;
  readonly note: string;
  /** The appointment this intake began from: recorded as attended, with the case, once registered. */
  readonly appointmentCode?: string;
}

const emptyPerson: PersonDraft = { name: '', idNumber: '', phone: '', address: '' };

export const emptyDraft: IntakeDraft = {
  query: '',
  sector: '',
  applicant: emptyPerson,
  hasProxy: false,
  proxy: { ...emptyPerson, relation: '' },
  checklist: {},
  scans: {},
  note: '',
};

/** Where a problem is, so the screen can put its message under the right field and focus it. */
export type DraftField =
  'item' | 'applicant.name' | 'applicant.idNumber' | 'applicant.phone' | 'proxy.name' | 'proxy.idNumber' | 'proxy.phone' | 'proxy.relation' | 'checklist';

/** A problem as a message key and its parameters, for `describe`. */
export interface FormProblem {
  readonly code: string;
  readonly [param: string]: string | number;
}

export type DraftProblems = Partial<Record<DraftField, FormProblem>>;

/** Landlines and mobiles as people write them: 7–12 digits, spaces and dashes allowed. */
export function phoneProblem(phone: string): FormProblem | undefined {
  if (phone.trim() === '') return undefined;
  return /^[\d\s-]{7,16}$/.test(phone.trim()) && /^\d{7,12}$/.test(phone.replace(/[\s-]/g, '')) ? undefined : { code: 'form.phone' };
}

function personProblems(prefix: 'applicant' | 'proxy', person: PersonDraft, today: LocalDate): DraftProblems {
  const problems: DraftProblems = {};
  if (person.name.trim() === '') problems[`${prefix}.name`] = { code: 'form.nameRequired' };
  const id = parseResidentId(person.idNumber, today);
  if (!id.ok) problems[`${prefix}.idNumber`] = id.error;
  const phone = phoneProblem(person.phone);
  if (phone) problems[`${prefix}.phone`] = phone;
  return problems;
}

export function draftProblems(draft: IntakeDraft, item: ServiceItem | undefined, today: LocalDate): DraftProblems {
  if (!item) return { item: { code: 'form.itemRequired' } };
  const problems: DraftProblems = { ...personProblems('applicant', draft.applicant, today) };
  if (draft.hasProxy) {
    Object.assign(problems, personProblems('proxy', draft.proxy, today));
    if (draft.proxy.relation.trim() === '') problems['proxy.relation'] = { code: 'form.relationRequired' };
  }
  const unmarked = unmarkedMaterials(item, draft.checklist);
  if (unmarked.length > 0) problems.checklist = { code: 'form.materialsUnmarked', count: unmarked.length };
  return problems;
}

/**
 * The ID number's problem while it is being typed: nothing until it could be complete, so the clerk
 * is not told "too short" at the third digit; a wrong character is reported at once.
 */
export function idNumberWhileTyping(text: string, today: LocalDate): FormProblem | undefined {
  const parsed = parseResidentId(text, today);
  if (parsed.ok || text.trim() === '') return undefined;
  if (parsed.error.code === 'idNumber.length' && parsed.error.length < 18) return undefined;
  return parsed.error;
}
