import { describe, expect, it } from 'vitest';
import { parseDivisionCode } from '../../core/divisions/code.js';
import { indexDivisions, parseDivisionTable } from '../../core/divisions/table.js';
import { describeDataError } from '../../core/i18n/describe.js';
import { demoDivisions } from '../../core/seed/demo-county.js';

describe('division codes', () => {
  it('knows the level of each 12-digit code and its town and county', () => {
    expect(parseDivisionCode('422822100202')).toEqual({
      code12: '422822100202',
      level: 'village',
      countyCode6: '422822',
      townCode12: '422822100000',
    });
    expect(parseDivisionCode('422822100000')?.level).toBe('town');
    expect(parseDivisionCode('422822000000')?.level).toBe('county');
    expect(parseDivisionCode('422800000000')?.level).toBe('prefecture');
    expect(parseDivisionCode('420000000000')?.level).toBe('province');
  });

  it.each(['42282210020', '4228221002021', '42282210020a', '422822000202', '000000000000', ''])('refuses the malformed code "%s"', (code) => {
    expect(parseDivisionCode(code)).toBeUndefined();
  });

  it('accepts a well-formed code that is not in today’s table (historic codes stay valid)', () => {
    expect(parseDivisionCode('422822999999')?.level).toBe('village');
    expect(indexDivisions(demoDivisions()).village('422822999999')).toBeUndefined();
  });
});

describe('Jianshi County’s division table', () => {
  const table = demoDivisions();
  const index = indexDivisions(table);

  it('has the county’s 10 towns and 179 villages', () => {
    expect(table.county).toEqual({ code12: '422822000000', name: '建始县' });
    expect(table.towns).toHaveLength(10);
    expect(index.villages).toHaveLength(179);
    expect(index.villagesUnder('422822000000')).toHaveLength(179);
    expect(index.villagesUnder('422822100000')).toHaveLength(26);
  });

  it('finds a village’s town and county', () => {
    const place = index.village('422822100202');
    expect(place?.village.name).toBe('雀儿笼村');
    expect(place?.town.name).toBe('业州镇');
    expect(place?.county.name).toBe('建始县');
    expect(index.town('422822203000')?.name).toBe('三里乡');
  });

  it('refuses a village filed under the wrong town, naming it', () => {
    const broken = structuredClone(table);
    const misfiled = broken.towns[1]?.villages[0];
    if (!misfiled) throw new Error('fixture');
    misfiled.code12 = '422822100999';
    const result = parseDivisionTable(broken);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const lines = describeDataError(result.error, 'en');
    expect(lines.join('\n')).toContain('village 422822100999: field code12 is wrong (village is not in town 422822101000)');
  });

  it('refuses duplicate codes', () => {
    const broken = structuredClone(table);
    const [first, second] = broken.towns[0]?.villages ?? [];
    if (!first || !second) throw new Error('fixture');
    second.code12 = first.code12;
    const result = parseDivisionTable(broken);
    expect(!result.ok && result.error.problems.map((p) => p.detail)).toContain('duplicate code');
  });
});
