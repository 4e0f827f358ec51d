/**
 * 12-digit statistical division codes (统计用区划代码): 6-digit county code (GB/T 2260),
 * 3-digit town, 3-digit village. A town's code ends in 000; a county's in 000000.
 *
 * Parsing checks the shape only. Whether a code is in today's table is a separate question:
 * codes change between editions and a historic code on an existing record is never an error.
 */
import { z } from 'zod';

export type DivisionLevel = 'province' | 'prefecture' | 'county' | 'town' | 'village';

export interface DivisionCode {
  readonly code12: string;
  readonly level: DivisionLevel;
  /** The 6-digit county code (GB/T 2260) this division belongs to. */
  readonly countyCode6: string;
  /** The 12-digit code of the enclosing town, for villages and towns. */
  readonly townCode12?: string;
}

const CODE12 = /^\d{12}$/;

export function parseDivisionCode(code: string): DivisionCode | undefined {
  if (!CODE12.test(code) || code.startsWith('00')) return undefined;
  const province = code.slice(0, 2);
  const prefecture = code.slice(2, 4);
  const county = code.slice(4, 6);
  const town = code.slice(6, 9);
  const village = code.slice(9, 12);
  const countyCode6 = code.slice(0, 6);
  const townCode12 = `${code.slice(0, 9)}000`;
  if (village !== '000') {
    return town === '000' ? undefined : { code12: code, level: 'village', countyCode6, townCode12 };
  }
  if (town !== '000') return { code12: code, level: 'town', countyCode6, townCode12 };
  if (county !== '00') return { code12: code, level: 'county', countyCode6 };
  if (prefecture !== '00') return { code12: code, level: 'prefecture', countyCode6 };
  return province === '00' ? undefined : { code12: code, level: 'province', countyCode6 };
}

function codeOfLevel(level: DivisionLevel) {
  return z.string().refine((code) => parseDivisionCode(code)?.level === level, `expected a 12-digit ${level} code`);
}

export const villageCodeSchema = codeOfLevel('village');
export const townCodeSchema = codeOfLevel('town');
export const countyCodeSchema = codeOfLevel('county');
