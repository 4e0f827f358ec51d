import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeError } from '../../core/i18n/describe.js';
import { mod11Check } from '../../core/iso7064.js';
import type { LocalDate } from '../../core/local-date.js';
import { maskResidentId, parseResidentId } from '../../core/resident-id.js';

const TODAY = '2026-11-26' as LocalDate;
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const parse = (id: string) => parseResidentId(id, TODAY);

describe('resident ID numbers (GB 11643-1999)', () => {
  it.each([
    ['422822198001010015', '1980-01-01', 'male'],
    ['422822199506150026', '1995-06-15', 'female'],
    ['42282219671130019X', '1967-11-30', 'male'],
    ['11010519491231002X', '1949-12-31', 'female'],
  ])('accepts the reference vector %s', (id, birthDate, sex) => {
    const result = parse(id);
    expect(result).toEqual({ ok: true, value: { idNumber: id, divisionCode6: id.slice(0, 6), birthDate, sex } });
  });

  it.each([
    ['422822198001010016', 'idNumber.checkCharacter'],
    ['422822201002290033', 'idNumber.birthDate'],
    ['422822198010010015', 'idNumber.checkCharacter'],
  ])('refuses the reference vector %s with %s', (id, code) => {
    const result = parse(id);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('says precisely what is wrong, for the clerk typing it', () => {
    expect(parse('')).toEqual({ ok: false, error: { code: 'idNumber.empty' } });
    expect(parse('42282219800101')).toEqual({ ok: false, error: { code: 'idNumber.length', length: 14 } });
    expect(parse('4228221980010100155')).toEqual({ ok: false, error: { code: 'idNumber.length', length: 19 } });
    expect(parse('42282219800A010015')).toEqual({ ok: false, error: { code: 'idNumber.character', position: 12 } });
    expect(parse('X22822198001010015')).toEqual({ ok: false, error: { code: 'idNumber.character', position: 1 } });
    expect(parse('422822198013010015')).toEqual({
      ok: false,
      error: { code: 'idNumber.birthDate', birthDate: '19801301' },
    });
    expect(parse('422822203001010015')).toEqual({
      ok: false,
      error: { code: 'idNumber.futureBirthDate', birthDate: '20300101' },
    });
  });

  it('accepts a lower-case x and surrounding spaces, and normalises them', () => {
    const result = parse(' 42282219671130019x ');
    expect(result.ok && result.value.idNumber).toBe('42282219671130019X');
  });

  it('never rejects a division prefix missing from today’s table', () => {
    // A prefix that is in no current table: cards issued under abolished codes stay valid for life.
    const body = '42999919700101001';
    const id = body + mod11Check(body);
    expect(parse(id).ok).toBe(true);
  });

  it('accepts a leap day in a leap year only', () => {
    const leap = '42282220000229003';
    expect(parse(leap + mod11Check(leap)).ok).toBe(true);
    const notLeap = '42282219000229003';
    expect(parse(notLeap + mod11Check(notLeap))).toMatchObject({ ok: false, error: { code: 'idNumber.birthDate' } });
  });

  it('explains each error in Chinese and English', () => {
    const error = { code: 'idNumber.length', length: 14 } as const;
    expect(describeError(error, 'zh-CN')).toBe('身份证号码应为18位，现在是14位');
    expect(describeError(error, 'en')).toBe('An ID number has 18 characters; this one has 14');
  });
});

describe('masking', () => {
  it('shows the first 6 and last 4 characters of an ID number', () => {
    expect(maskResidentId('422822198001010015')).toBe('422822********0015');
    expect(maskResidentId('42282219671130019X')).toBe('422822********019X');
  });

  it('never shows more than the first 6 and last 4 characters of anything', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...DIGITS, 'X'), maxLength: 40 }), (text) => {
        const masked = maskResidentId(text);
        expect(masked).toHaveLength(text.length);
        const shown = masked.replaceAll('*', '').length;
        expect(shown).toBeLessThanOrEqual(10);
        expect(shown).toBeLessThanOrEqual(Math.floor(text.length / 3) + Math.floor(text.length / 4));
        const hiddenMiddle = masked.slice(6, Math.max(6, masked.length - 4));
        expect(hiddenMiddle).toMatch(/^\**$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ISO 7064 MOD 11-2', () => {
  it('matches the GB 11643 weights 7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2', () => {
    const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...DIGITS), minLength: 17, maxLength: 17 }), (body) => {
        const sum = weights.reduce((acc, weight, i) => acc + Number(body[i]) * weight, 0);
        expect(mod11Check(body)).toBe('10X98765432'[sum % 11]);
      }),
    );
  });
});
