/**
 * Resident ID numbers (公民身份号码, GB 11643-1999): 6-digit division code, birth date YYYYMMDD,
 * 3-digit sequence (odd = male, even = female), ISO 7064 MOD 11-2 check character.
 *
 * The division prefix is deliberately NOT checked against any table: abolished and renamed
 * counties stay on valid cards for life.
 */
import { mod11Check } from './iso7064.js';
import { compareDates, isRealDate, type LocalDate } from './local-date.js';
import { err, ok, type Result } from './result.js';

export type Sex = 'male' | 'female';

export interface ResidentIdFacts {
  /** Normalised: 18 characters, a trailing check `x` upper-cased. */
  readonly idNumber: string;
  readonly divisionCode6: string;
  readonly birthDate: LocalDate;
  readonly sex: Sex;
}

/** Why a typed ID number is wrong, precise enough to tell the clerk what to fix. */
export type ResidentIdError =
  | { readonly code: 'idNumber.empty' }
  | { readonly code: 'idNumber.length'; readonly length: number }
  | { readonly code: 'idNumber.character'; readonly position: number }
  | { readonly code: 'idNumber.birthDate'; readonly birthDate: string }
  | { readonly code: 'idNumber.futureBirthDate'; readonly birthDate: string }
  | { readonly code: 'idNumber.checkCharacter' };

export const RESIDENT_ID_LENGTH = 18;
const EARLIEST_BIRTH_YEAR = 1850;

/**
 * Validate an ID number as typed. `today` (a CST date) bounds the birth date; it is passed in so
 * this stays a pure function. Surrounding spaces are ignored and a lower-case `x` is accepted.
 */
export function parseResidentId(input: string, today: LocalDate): Result<ResidentIdFacts, ResidentIdError> {
  const text = input.trim().toUpperCase();
  if (text.length === 0) return err({ code: 'idNumber.empty' });
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    const isDigit = ch >= '0' && ch <= '9';
    const isFinalX = ch === 'X' && i === RESIDENT_ID_LENGTH - 1;
    if (!isDigit && !isFinalX) return err({ code: 'idNumber.character', position: i + 1 });
  }
  if (text.length !== RESIDENT_ID_LENGTH) return err({ code: 'idNumber.length', length: text.length });

  const birth = text.slice(6, 14);
  const [year, month, day] = [Number(birth.slice(0, 4)), Number(birth.slice(4, 6)), Number(birth.slice(6, 8))];
  if (year < EARLIEST_BIRTH_YEAR || !isRealDate(year, month, day)) {
    return err({ code: 'idNumber.birthDate', birthDate: birth });
  }
  const birthDate = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}` as LocalDate;
  if (compareDates(birthDate, today) > 0) return err({ code: 'idNumber.futureBirthDate', birthDate: birth });

  if (mod11Check(text.slice(0, 17)) !== text[17]) return err({ code: 'idNumber.checkCharacter' });

  return ok({
    idNumber: text,
    divisionCode6: text.slice(0, 6),
    birthDate,
    sex: Number(text[16]) % 2 === 1 ? 'male' : 'female',
  });
}

/**
 * Mask for screens, receipts, exports and logs: at most the first 6 and last 4 characters are shown
 * (`422822********0015`), and fewer when the input is short, so a fragment never shows more than a
 * third of itself. Works on any string, valid or not, because it is also used on bad input.
 */
export function maskResidentId(input: string): string {
  const text = input.trim();
  const n = text.length;
  const head = Math.min(6, Math.floor(n / 3));
  const tail = Math.min(4, Math.floor(n / 4));
  return text.slice(0, head) + '*'.repeat(n - head - tail) + text.slice(n - tail);
}

/** Mobile numbers shown as `139****5678`; anything else keeps at most its last 4 characters. */
export function maskPhone(input: string): string {
  const digits = input.replace(/[\s-]/g, '');
  if (/^1\d{10}$/.test(digits)) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  const tail = Math.min(4, Math.floor(digits.length / 3));
  return '*'.repeat(digits.length - tail) + digits.slice(digits.length - tail);
}
