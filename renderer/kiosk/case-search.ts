/**
 * Finding a case at the counter from whatever the resident brings: the receipt's case number (typed or
 * scanned), their name (characters or pinyin, full or initials), or their full ID number — matched
 * through the blind index, since the kiosk stores no ID number in the clear.
 */
import type { CaseDocument } from '../../core/case/document.js';
import { parseCaseNumber } from '../../core/case/number.js';
import type { LocalDate } from '../../core/local-date.js';
import { parseResidentId } from '../../core/resident-id.js';
import { matchRank, searchForms } from '../../core/search/pinyin.js';

const nameForms = new Map<string, string[]>();
function formsOfName(name: string): string[] {
  let forms = nameForms.get(name);
  if (!forms) {
    forms = searchForms(name, 'name');
    nameForms.set(name, forms);
  }
  return forms;
}

export async function searchCases(
  cases: readonly CaseDocument[],
  query: string,
  findByIdNumber: (idNumber: string) => Promise<readonly CaseDocument[]>,
  today: LocalDate,
): Promise<CaseDocument[]> {
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
  return cases.filter(
    (doc) =>
      (/^\d{3,}$/.test(digits) && doc.caseNumber.replaceAll('-', '').includes(digits)) ||
      matchRank(formsOfName(doc.summary.applicantName), text) !== undefined,
  );
}
