/**
 * Case documents for benchmarks: valid cases (the hub's validator and the kiosk's schema accept them) of
 * one kiosk over many days, with realistic names so name and pinyin searches have something to find.
 * Pure, so the same generator runs in Node (seeding the hub) and in the Chromium bench page.
 */
import { appendEvent } from '../../core/case/append.js';
import type { CaseDocument } from '../../core/case/document.js';
import { toCaseDocument } from '../../core/case/document.js';
import type { Person } from '../../core/case/events.js';
import { formatCaseNumber } from '../../core/case/number.js';
import { mod11Check } from '../../core/iso7064.js';
import type { LocalDate } from '../../core/local-date.js';
import { createdDraft, itemSnapshot, person } from '../core/fixtures.js';

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周', '徐', '孙', '马', '朱', '胡', '郭', '何', '林', '罗', '高'];
const GIVEN = ['秀', '兰', '建', '国', '春', '梅', '德', '华', '玉', '珍', '明', '红', '文', '军', '英', '芳', '平', '志', '强', '丽'];
const PER_DAY = 900;

/** The i-th resident's name: 20 surnames × 400 given names, so a name prefix matches a realistic share. */
export const benchName = (i: number): string =>
  `${SURNAMES[i % SURNAMES.length] ?? ''}${GIVEN[Math.floor(i / SURNAMES.length) % GIVEN.length] ?? ''}${GIVEN[Math.floor(i / (SURNAMES.length * GIVEN.length)) % GIVEN.length] ?? ''}`;

/** The i-th resident's ID number: valid (birth date, check character), distinct for every i. */
export function benchIdNumber(i: number): string {
  const birth = new Date(Date.UTC(1940, 0, 1) + (i % 20_000) * 86_400_000).toISOString().slice(0, 10).replaceAll('-', '');
  const body = `422822${birth}${String(Math.floor(i / 20_000) * 2 + 1).padStart(3, '0')}`;
  return `${body}${mod11Check(body)}`;
}

export interface BenchKiosk {
  readonly village: string;
  readonly kioskId: string;
  readonly kioskNumber: number;
}

/** The i-th case of `kiosk`: 900 a day from 2026-01-01, so case numbers stay within a day's sequence. */
export function benchCase(kiosk: BenchKiosk, i: number, applicant: Person = person(benchName(i))): CaseDocument {
  const day = new Date(Date.UTC(2026, 0, 1) + Math.floor(i / PER_DAY) * 86_400_000).toISOString().slice(0, 10);
  const number = formatCaseNumber({ village: kiosk.village, date: day as LocalDate, kioskNumber: kiosk.kioskNumber, sequence: (i % PER_DAY) + 1 });
  if (!number.ok) throw new Error(number.error.code);
  const draft = createdDraft(itemSnapshot('county'), `${day}T01:00:00.000Z`, { caseNumber: number.value, village: kiosk.village, applicant });
  const events = appendEvent([], { ...draft, id: `${kiosk.kioskId}-b${String(i)}`, actor: { id: `${kiosk.kioskId}/clerk-1`, name: '王芳', level: 'village' } });
  if (!events.ok) throw new Error(JSON.stringify(events.error));
  const doc = toCaseDocument(events.value);
  if (!doc.ok) throw new Error(doc.error.code);
  return doc.value;
}
