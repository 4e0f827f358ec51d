/**
 * Finding a case at the counter from whatever the resident brings: the receipt's case number (typed or
 * scanned), their name (characters or pinyin, full or initials), or their full ID number — matched
 * through the blind index, since the kiosk stores no ID number in the clear.
 */
import type { CaseDocument } from '../../core/case/document.js';
import { parseCaseNumber } from '../../core/case/number.js';
import type { LocalDate } from '../../core/local-date.js';
import { parseResidentId } from '../../core/resident-id.js';
import { textIndex } from '../../core/search/text-index.js';

/** Applicants' names by their search forms, for the whole page's life (text-index.ts). */
const names = textIndex('name');
const indexed = new WeakSet<readonly CaseDocument[]>();

/**
 * Index the applicants' names of these cases: done when the case list loads or changes (case-list.tsx), so a
 * search is a lookup. Each name is indexed once; a list seen already costs nothing.
 */
export function indexCases(cases: readonly CaseDocument[]): void {
  if (indexed.has(cases)) return;
  for (const doc of cases) names.add(doc.summary.applicantName);
  indexed.add(cases);
}

export async function searchCases(
  cases: readonly CaseDocument[],
  query: string,
  findByIdNumber: (idNumber: string) => Promise<readonly CaseDocument[]>,
  today: LocalDate,
): Promise<CaseDocument[]> {
  // The list's first, empty search indexes its cases: the first typed one is then a lookup.
  indexCases(cases);
  const text = query.trim();
  if (text === '') return [...cases];
  const id = parseResidentId(text, today);
  if (id.ok) {
    const numbers = new Set((await findByIdNumber(id.value.idNumber)).map((doc) => doc.caseNumber));
    return cases.filter((doc) => numbers.has(doc.caseNumber));
  }
  const number = parseCaseNumber(text);
  if (number.ok) return cases.filter((doc) => doc.caseNumber === number.value.caseNumber);
  const digits = text.replace(/[\s-]/g, '');
  const named = names.matching(text);
  return cases.filter((doc) => named.has(doc.summary.applicantName) || (/^\d{3,}$/.test(digits) && doc.caseNumber.replaceAll('-', '').includes(digits)));
}
