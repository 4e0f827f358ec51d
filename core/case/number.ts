/**
 * Case numbers (受理编号), e.g. `422822100202-20261126-03-042-0`:
 * village code, acceptance date (CST), the kiosk's number within its village (assigned at enrollment),
 * the kiosk's sequence for that day, and an ISO 7064 MOD 11-2 check character over all the digits.
 * Unique without coordination (no two kiosks of a village share a number), printable, sortable,
 * and a mistyped number is caught before it is looked up.
 */
import { z } from 'zod';
import { parseDivisionCode } from '../divisions/code.js';
import { mod11Check } from '../iso7064.js';
import { parseLocalDate, type LocalDate } from '../local-date.js';
import { err, ok, type Result } from '../result.js';

export interface CaseNumberParts {
  readonly village: string;
  readonly date: LocalDate;
  /** 1–99, unique among the kiosks of one village. */
  readonly kioskNumber: number;
  /** 1–999, per kiosk per day. */
  readonly sequence: number;
}

export type CaseNumberError =
  | { readonly code: 'caseNumber.format' }
  | { readonly code: 'caseNumber.checkCharacter' }
  | { readonly code: 'caseNumber.village' }
  | { readonly code: 'caseNumber.date' }
  | { readonly code: 'caseNumber.sequenceExhausted'; readonly max: number };

export const MAX_KIOSK_NUMBER = 99;
export const MAX_DAILY_SEQUENCE = 999;

export function formatCaseNumber(parts: CaseNumberParts): Result<string, CaseNumberError> {
  if (parseDivisionCode(parts.village)?.level !== 'village') return err({ code: 'caseNumber.village' });
  if (!Number.isInteger(parts.kioskNumber) || parts.kioskNumber < 1 || parts.kioskNumber > MAX_KIOSK_NUMBER) {
    return err({ code: 'caseNumber.format' });
  }
  if (!Number.isInteger(parts.sequence) || parts.sequence < 1) return err({ code: 'caseNumber.format' });
  if (parts.sequence > MAX_DAILY_SEQUENCE) return err({ code: 'caseNumber.sequenceExhausted', max: MAX_DAILY_SEQUENCE });
  const date = parts.date.replaceAll('-', '');
  const kiosk = String(parts.kioskNumber).padStart(2, '0');
  const sequence = String(parts.sequence).padStart(3, '0');
  const check = mod11Check(`${parts.village}${date}${kiosk}${sequence}`);
  return ok(`${parts.village}-${date}-${kiosk}-${sequence}-${check}`);
}

const COMPACT = /^(\d{12})(\d{8})(\d{2})(\d{3})([\dX])$/;

/** Accepts what a clerk types or a scanner reads: dashes and spaces optional, `x` in either case. */
export function parseCaseNumber(input: string): Result<CaseNumberParts & { caseNumber: string }, CaseNumberError> {
  const compact = input.replace(/[\s-]/g, '').toUpperCase();
  const match = COMPACT.exec(compact);
  if (!match) return err({ code: 'caseNumber.format' });
  const [, village = '', ymd = '', kiosk = '', sequence = '', check = ''] = match;
  if (mod11Check(compact.slice(0, -1)) !== check) return err({ code: 'caseNumber.checkCharacter' });
  if (parseDivisionCode(village)?.level !== 'village') return err({ code: 'caseNumber.village' });
  const date = parseLocalDate(`${ymd.slice(0, 4)}-${ymd.slice(4, 6)}-${ymd.slice(6, 8)}`);
  if (!date) return err({ code: 'caseNumber.date' });
  const parts = { village, date, kioskNumber: Number(kiosk), sequence: Number(sequence) };
  if (parts.kioskNumber < 1 || parts.sequence < 1) return err({ code: 'caseNumber.format' });
  return ok({ ...parts, caseNumber: `${village}-${ymd}-${kiosk}-${sequence}-${check}` });
}

/** A stored case number is always in canonical form. */
export const caseNumberSchema = z.string().refine((text) => {
  const parsed = parseCaseNumber(text);
  return parsed.ok && parsed.value.caseNumber === text;
}, 'expected a case number like 422822100202-20261126-03-042-0');
