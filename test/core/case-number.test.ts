import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCaseNumber, parseCaseNumber } from '../../core/case/number.js';
import type { LocalDate } from '../../core/local-date.js';

const parts = { village: '422822100202', date: '2026-11-26' as LocalDate, kioskNumber: 3, sequence: 42 };

describe('case numbers', () => {
  it('are village, date, kiosk, sequence and a check character', () => {
    expect(formatCaseNumber(parts)).toEqual({ ok: true, value: '422822100202-20261126-03-042-0' });
  });

  it('parse back from what a clerk types or a scanner reads', () => {
    for (const typed of ['422822100202-20261126-03-042-0', ' 4228221002022026112603042 0 ', '422822100202202611260304 20']) {
      expect(parseCaseNumber(typed)).toEqual({ ok: true, value: { ...parts, caseNumber: '422822100202-20261126-03-042-0' } });
    }
  });

  it('catch every single mistyped digit and every swap of two different neighbouring digits', () => {
    const good = '4228221002022026112603042';
    for (let i = 0; i < good.length; i++) {
      for (const digit of '0123456789') {
        if (digit === good[i]) continue;
        const typo = `${good.slice(0, i)}${digit}${good.slice(i + 1)}0`;
        expect(parseCaseNumber(typo).ok).toBe(false);
      }
      const [a, b] = [good[i], good[i + 1]];
      if (b !== undefined && a !== b) {
        const swapped = `${good.slice(0, i)}${b}${a}${good.slice(i + 2)}0`;
        expect(parseCaseNumber(swapped).ok).toBe(false);
      }
    }
  });

  it('say what is wrong', () => {
    expect(parseCaseNumber('12345')).toEqual({ ok: false, error: { code: 'caseNumber.format' } });
    expect(parseCaseNumber('422822100202-20261126-03-042-1')).toEqual({ ok: false, error: { code: 'caseNumber.checkCharacter' } });
    expect(formatCaseNumber({ ...parts, sequence: 1000 })).toEqual({
      ok: false,
      error: { code: 'caseNumber.sequenceExhausted', max: 999 },
    });
    expect(formatCaseNumber({ ...parts, village: '422822100000' })).toEqual({ ok: false, error: { code: 'caseNumber.village' } });
    expect(formatCaseNumber({ ...parts, kioskNumber: 0 })).toEqual({ ok: false, error: { code: 'caseNumber.format' } });
  });

  it('round-trip and never collide for different kiosks, days or sequences', () => {
    const arbitraryParts = fc.record({
      village: fc.constantFrom('422822100202', '422822203014', '110105001001'),
      date: fc
        .date({ min: new Date('2020-01-01'), max: new Date('2039-12-31'), noInvalidDate: true })
        .map((date) => date.toISOString().slice(0, 10) as LocalDate),
      kioskNumber: fc.integer({ min: 1, max: 99 }),
      sequence: fc.integer({ min: 1, max: 999 }),
    });
    fc.assert(
      fc.property(arbitraryParts, arbitraryParts, (a, b) => {
        const [na, nb] = [formatCaseNumber(a), formatCaseNumber(b)];
        if (!na.ok || !nb.ok) throw new Error('valid parts must format');
        expect(parseCaseNumber(na.value)).toEqual({ ok: true, value: { ...a, caseNumber: na.value } });
        const same = JSON.stringify(a) === JSON.stringify(b);
        expect(na.value === nb.value).toBe(same);
      }),
      { numRuns: 1000 },
    );
  });
});
