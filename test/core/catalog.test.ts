import { describe, expect, it } from 'vitest';
import { indexCatalog, parseCatalog } from '../../core/catalog/catalog.js';
import { describeDataError } from '../../core/i18n/describe.js';
import { demoCatalog } from '../../core/seed/demo-county.js';

describe('the demo county’s service catalog', () => {
  const catalog = demoCatalog();
  const index = indexCatalog(catalog);

  it('loads all 16 sectors and 76 service items', () => {
    expect(catalog.sectors).toHaveLength(16);
    expect(catalog.items).toHaveLength(76);
    const perSector = Object.fromEntries(catalog.sectors.map((s) => [s.code, index.itemsOfSector(s.code).length]));
    expect(perSector).toEqual({
      MZ: 9,
      RS: 9,
      YB: 5,
      GA: 7,
      WJ: 5,
      NY: 7,
      ZR: 3,
      ZJ: 2,
      TY: 5,
      CL: 4,
      JY: 4,
      SL: 3,
      LY: 4,
      SF: 3,
      SW: 2,
      XC: 4,
    });
  });

  it('carries each item’s deciding level, materials in both languages, time limit and fee flag', () => {
    const dibao = index.item('MZ-01');
    expect(dibao?.name.zh).toBe('最低生活保障（低保）申请');
    expect(dibao?.decidingLevel).toBe('county');
    expect(dibao?.timeLimitWorkingDays).toBe(30);
    expect(dibao?.fee).toBe(false);
    expect(dibao?.materials[1]).toEqual({ id: 'm2', name: { zh: '居民身份证', en: 'resident ID card' }, required: true });
    // "（如有）" and proxy paperwork are needed only sometimes: the clerk may mark them not applicable.
    expect(dibao?.materials.filter((m) => !m.required).map((m) => m.id)).toEqual(['m6', 'm8']);
    const levels = new Set(catalog.items.map((item) => item.decidingLevel));
    expect(levels).toEqual(new Set(['village', 'town', 'county']));
    expect(catalog.items.filter((item) => item.timeLimitWorkingDays === 0).length).toBeGreaterThan(0);
    expect(catalog.items.filter((item) => item.timeLimitWorkingDays === null).length).toBeGreaterThan(0);
  });

  it('is the demo county’s, versioned', () => {
    expect(catalog.county.code12).toBe('422822000000');
    expect(catalog.version).toBe(2); // 2: limits no forwarded case could meet taken out (issue 17)
    expect(catalog.kind).toBe('cunban.catalog');
  });
});

describe('a malformed catalog', () => {
  const broken = () =>
    structuredClone(demoCatalog()) as unknown as Record<string, unknown> & {
      items: Record<string, unknown>[];
    };

  function problemsOf(input: unknown, locale: 'zh-CN' | 'en' = 'en'): string {
    const result = parseCatalog(input, 'authored');
    expect(result.ok).toBe(false);
    return result.ok ? '' : describeDataError(result.error, locale).join('\n');
  }

  it('is refused with a message naming the item and the field', () => {
    const catalog = broken();
    (catalog.items[2] as { timeLimitWorkingDays: unknown }).timeLimitWorkingDays = -3;
    const message = problemsOf(catalog);
    expect(message).toContain('item MZ-03: field timeLimitWorkingDays is wrong');
    expect(problemsOf(catalog, 'zh-CN')).toContain('事项 MZ-03：字段 timeLimitWorkingDays 有误');
  });

  it('refuses a time limit no forwarded case can meet, and takes it as stored once synced', () => {
    const catalog = broken();
    const item = catalog.items.find((candidate) => candidate.code === 'MZ-01') as { timeLimitWorkingDays: unknown; decidingLevel: unknown };
    item.timeLimitWorkingDays = 0; // decided by the county: forwarded village → town → county first
    expect(problemsOf(catalog)).toContain(
      'item MZ-01: field timeLimitWorkingDays is wrong (0 working days cannot be met: the case is forwarded 2 level(s) up to the county; give at least 2, or null for no published limit)',
    );
    item.timeLimitWorkingDays = 1;
    expect(problemsOf(catalog)).toContain('give at least 2');
    item.timeLimitWorkingDays = 2;
    expect(parseCatalog(catalog, 'authored').ok).toBe(true);
    item.decidingLevel = 'village';
    item.timeLimitWorkingDays = 0; // on the spot at the counter: possible
    expect(parseCatalog(catalog, 'authored').ok).toBe(true);
    // A catalog a county published before the check still reaches its kiosks as it is.
    (item as { decidingLevel: unknown }).decidingLevel = 'county';
    expect(parseCatalog(catalog, 'synced').ok).toBe(true);
    expect(parseCatalog(demoCatalog(), 'authored').ok).toBe(true);
  });

  it('names nested fields: a material’s missing English name', () => {
    const catalog = broken();
    const item = catalog.items[10] as { code: string; materials: { name: { en: string } }[] };
    const material = item.materials[1];
    if (!material) throw new Error('fixture');
    material.name.en = '';
    expect(problemsOf(catalog)).toContain(`item ${item.code} › material m2: field name.en is wrong (English text is required)`);
  });

  it('names an item whose sector does not exist', () => {
    const catalog = broken();
    (catalog.items[5] as { sector: string }).sector = 'QQ';
    expect(problemsOf(catalog)).toContain('item MZ-06: field sector is wrong (unknown sector QQ)');
  });

  it('names a duplicated item code', () => {
    const catalog = broken();
    (catalog.items[1] as { code: string }).code = 'MZ-01';
    expect(problemsOf(catalog)).toContain('item MZ-01: field code is wrong (duplicate item code MZ-01)');
  });

  it('names an unknown field, a bad deciding level and a wrong type', () => {
    const catalog = broken();
    (catalog.items[0] as Record<string, unknown>).colour = 'red';
    (catalog.items[3] as Record<string, unknown>).decidingLevel = 'province';
    (catalog.items[4] as Record<string, unknown>).fee = 'no';
    const message = problemsOf(catalog);
    expect(message).toContain('item MZ-01 is wrong');
    expect(message).toContain('colour');
    expect(message).toContain('item MZ-04: field decidingLevel is wrong');
    expect(message).toContain('item MZ-05: field fee is wrong');
    expect(message).toContain('The service catalog has 3 problem(s)');
  });

  it('refuses something that is not a catalog at all', () => {
    expect(problemsOf({ hello: 'world' })).toContain('The service catalog has');
    expect(problemsOf(null)).toContain('/ is wrong');
  });
});
