/**
 * A recipients' list made from the village's cases (issue 19 §1): one line per approved case of the chosen
 * service item decided in the chosen period — the name masked (张*), the household's size and the amount left for
 * the clerk to fill in from the decision, and the village. Nothing else of a case is read: never the ID number,
 * phone, address or bank account.
 */
import type { CaseDocument } from '../case/document.js';
import { lastDecisionOf } from '../case/queue-entry.js';
import type { LocalDate } from '../local-date.js';
import { localDateOf } from '../local-date.js';
import { maskPublishedName, type PublicationColumn } from './publication.js';

export interface RecipientsChoice {
  readonly itemCode: string;
  readonly fromDate: LocalDate;
  readonly toDate: LocalDate;
}

/** The headings, in the clerk's language: the list is published as prepared. */
export interface RecipientHeadings {
  readonly name: string;
  readonly householdSize: string;
  readonly amount: string;
  readonly village: string;
}

/** What a list reads of a case: its number, item, the applicant's name (masked at once) and the decision. */
export interface RecipientCase {
  readonly caseNumber: string;
  readonly itemCode: string;
  readonly applicantName: string;
  readonly decision?: { readonly outcome: 'approved' | 'rejected'; readonly at: string };
}

/** A stored case as a list reads it: the last decision recorded on it, if any. */
export function recipientCaseOf(doc: CaseDocument): RecipientCase {
  const decision = lastDecisionOf(doc);
  return {
    caseNumber: doc.caseNumber,
    itemCode: doc.summary.itemCode,
    applicantName: doc.summary.applicantName,
    ...(decision ? { decision: { outcome: decision.type === 'approved' ? 'approved' : 'rejected', at: decision.at } } : {}),
  };
}

/** The approved cases a list would hold, oldest decision first. */
export function approvedCasesFor(cases: readonly RecipientCase[], choice: RecipientsChoice): RecipientCase[] {
  return cases
    .filter((found) => found.itemCode === choice.itemCode && found.decision?.outcome === 'approved')
    .filter((found) => {
      const on = localDateOf(found.decision?.at ?? '');
      return on >= choice.fromDate && on <= choice.toDate;
    })
    .sort((a, b) => (a.decision?.at ?? '').localeCompare(b.decision?.at ?? '') || a.caseNumber.localeCompare(b.caseNumber));
}

export function recipientsTable(
  cases: readonly RecipientCase[],
  choice: RecipientsChoice,
  villageName: string,
  headings: RecipientHeadings,
): { columns: PublicationColumn[]; rows: string[][] } {
  return {
    columns: [
      { label: headings.name, role: 'name' },
      { label: headings.householdSize, role: 'count' },
      { label: headings.amount, role: 'amount' },
      { label: headings.village, role: 'text' },
    ],
    rows: approvedCasesFor(cases, choice).map((found) => [maskPublishedName(found.applicantName), '', '', villageName]),
  };
}
