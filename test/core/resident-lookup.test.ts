/** The residents' lookup in core/: codes, answers as typed, masked names, and a view with nothing personal in it. */
import { describe, expect, it } from 'vitest';
import { hubBaseOf } from '../../core/api/enrollment.js';
import type { EventDraft } from '../../core/case/append.js';
import { caseDeadline } from '../../core/case/deadline.js';
import { formatLookupCode, LOOKUP_CODE_ALPHABET, lookupCodeFrom, lookupCodeSchema } from '../../core/case/lookup-code.js';
import { findPlaintextIdNumbers } from '../../core/case/sealed.js';
import { maskPersonName, parseLookupAnswer, phoneTailOf, residentCaseView, residentPageUrl } from '../../core/resident/lookup.js';
import { demoCalendar } from '../../core/seed/demo-county.js';
import { actors, CASE_NUMBER, createdDraft, historyOf, itemSnapshot, person, sealed, stateOf } from './fixtures.js';

const NAMES = { village: '雀儿笼村', town: '业州镇', county: '建始县' };

const stateAfter = (drafts: readonly EventDraft[]) => stateOf(historyOf(drafts));

const applicant = { ...person('欧阳秀英'), phone: sealed('13912345678'), phoneMasked: '139****5678', address: '雀儿笼村3组12号' };
const created = createdDraft(itemSnapshot('town'), '2026-11-26T01:00:00.000Z', { applicant, lookupCode: 'K7QX2M9P' });

describe('lookup codes', () => {
  it('spell 40 random bits in 8 characters of an alphabet without 0, O, 1 or I', () => {
    expect(LOOKUP_CODE_ALPHABET).toHaveLength(32);
    expect(LOOKUP_CODE_ALPHABET).not.toMatch(/[01OI]/);
    expect(lookupCodeFrom(new Uint8Array(5))).toBe('22222222');
    expect(lookupCodeFrom(new Uint8Array([255, 255, 255, 255, 255]))).toBe('ZZZZZZZZ');
    // Each 5-bit group is one character, most significant first: 0b00001 00010 …
    expect(lookupCodeFrom(new Uint8Array([0b00001000, 0b10000110, 0b01000010, 0b10011000, 0b11101000]))).toBe('3456789A');
    for (let i = 0; i < 200; i++) expect(lookupCodeSchema.safeParse(lookupCodeFrom(crypto.getRandomValues(new Uint8Array(5)))).success).toBe(true);
    expect(formatLookupCode('K7QX2M9P')).toBe('K7QX-2M9P');
    expect(() => lookupCodeFrom(new Uint8Array(4))).toThrow(RangeError);
  });
});

describe('answers as residents type them', () => {
  it('reads four digits as the phone’s tail and eight characters as a code, full-width, spaced or small', () => {
    expect(parseLookupAnswer('5678')).toEqual({ kind: 'phoneTail', digits: '5678' });
    expect(parseLookupAnswer('５６７８')).toEqual({ kind: 'phoneTail', digits: '5678' });
    expect(parseLookupAnswer(' k7qx-2m9p ')).toEqual({ kind: 'code', code: 'K7QX2M9P' });
    expect(parseLookupAnswer('Ｋ７ＱＸ ２Ｍ９Ｐ')).toEqual({ kind: 'code', code: 'K7QX2M9P' });
  });

  it('refuses what is neither, and never guesses O for 0', () => {
    for (const typed of ['', '567', '56789', 'K7QX2M9', 'K7QX2M9PP', 'K7QX2MOI', '422822198001010015']) expect(parseLookupAnswer(typed)).toBeUndefined();
  });

  it('takes a masked phone’s tail only when it shows four digits', () => {
    expect(phoneTailOf('139****5678')).toBe('5678');
    expect(phoneTailOf('******78')).toBeUndefined();
    expect(phoneTailOf(undefined)).toBeUndefined();
  });
});

describe('masked names', () => {
  it('keep the first and last character and star the rest', () => {
    expect(maskPersonName('张三国')).toBe('张*国');
    expect(maskPersonName('张三')).toBe('张*');
    expect(maskPersonName('欧阳秀英')).toBe('欧**英');
    expect(maskPersonName('王')).toBe('*');
    // Characters outside the BMP count as one.
    expect(maskPersonName('𠮷田花')).toBe('𠮷*花');
  });
});

describe('the resident’s view of a case', () => {
  it('says what happens next and who holds it, with the due date — and nothing personal', () => {
    const forwarded = stateAfter([
      created,
      { id: 'evt-fwd-0001', at: '2026-11-26T02:00:00.000Z', actor: actors.clerk, type: 'forwarded', payload: { to: 'town' } },
    ]);
    const calendar = demoCalendar();
    const view = residentCaseView(forwarded, caseDeadline(forwarded, calendar), NAMES);
    expect(view).toMatchObject({
      caseNumber: CASE_NUMBER,
      applicant: '欧**英',
      status: 'forwarded',
      nextStep: 'wait',
      heldBy: { level: 'town', name: '业州镇' },
      hall: { town: '业州镇', village: '雀儿笼村' },
      acceptedOn: '2026-11-26',
      due: { on: caseDeadline(forwarded, calendar)?.dueOn, provisional: false },
      missing: [],
    });
    const text = JSON.stringify(view);
    for (const personal of ['欧阳秀英', '139****5678', '5678', '雀儿笼村3组12号', 'K7QX2M9P', '422822********0015', 'A256GCM'])
      expect(text).not.toContain(personal);
    expect(findPlaintextIdNumbers(view)).toEqual([]);
  });

  it('lists what to bring while materials are missing, and has no due date while the clock is stopped', () => {
    const waiting = stateAfter([
      created,
      { id: 'evt-miss-0001', at: '2026-11-26T02:00:00.000Z', actor: actors.clerk, type: 'materialsMissing', payload: { missing: ['m2'] } },
    ]);
    const view = residentCaseView(waiting, caseDeadline(waiting, demoCalendar()), NAMES);
    expect(view).toMatchObject({ status: 'awaitingMaterials', nextStep: 'bringMaterials', heldBy: { level: 'village', name: '雀儿笼村' } });
    expect(view.missing).toEqual([{ zh: '居民身份证', en: 'resident ID card' }]);
    expect(view.due).toBeUndefined();
  });

  it('after a decision: collect the result, who decided — never the reviewer’s reason', () => {
    const rejected = stateAfter([
      created,
      { id: 'evt-fwd-0001', at: '2026-11-26T02:00:00.000Z', actor: actors.clerk, type: 'forwarded', payload: { to: 'town' } },
      { id: 'evt-rej-0001', at: '2026-11-27T02:00:00.000Z', actor: actors.town, type: 'rejected', payload: { reason: '申请人422822198001010015收入超标' } },
    ]);
    const view = residentCaseView(rejected, undefined, NAMES);
    expect(view).toMatchObject({ status: 'rejected', nextStep: 'collectResult', decision: { outcome: 'rejected', level: 'town' } });
    expect(JSON.stringify(view)).not.toContain('收入超标');
    expect(view.due).toBeUndefined();
  });
});

describe('the receipt’s link', () => {
  it('opens the residents’ page at the case, the number in the fragment', () => {
    expect(residentPageUrl('https://hub.jianshi.example/', CASE_NUMBER)).toBe(`https://hub.jianshi.example/r/#${CASE_NUMBER}`);
    expect(residentPageUrl('http://localhost:8080/county/', CASE_NUMBER)).toBe(`http://localhost:8080/county/r/#${CASE_NUMBER}`);
    // From what the kiosk knows: its village's sync address, wherever the hub is mounted.
    expect(hubBaseOf('https://hub.jianshi.example/sync/village_422822100202/')).toBe('https://hub.jianshi.example/');
    expect(hubBaseOf('http://localhost:8080/county/sync/village_422822100202/')).toBe('http://localhost:8080/county/');
  });
});
