import { describe, expect, it } from 'vitest';
import { itemSearch } from '../../core/catalog/search.js';
import { matchRank, searchForms } from '../../core/search/pinyin.js';
import { demoCatalog } from '../../core/seed/demo-county.js';

describe('finding service items', () => {
  const search = itemSearch(demoCatalog());
  const codes = (query: string) => search.find(query).map((item) => item.code);

  it('by pinyin initials, full pinyin, Chinese, English and code', () => {
    expect(codes('db')[0]).toBe('MZ-01');
    expect(codes('dibao')).toEqual(['MZ-01']);
    expect(codes('低保')).toEqual(['MZ-01']);
    expect(codes('mz-01')).toEqual(['MZ-01']);
    expect(codes('disability certificate')).toEqual(['CL-02', 'CL-01']); // a prefix match first
    expect(codes('certificate disability')).toEqual(['CL-01', 'CL-02']);
    expect(codes('jtys')).toEqual(['WJ-05']);
  });

  it('puts prefix matches first and finds nothing for an empty query', () => {
    expect(codes('')).toEqual([]);
    const hits = codes('yl');
    expect(hits.length).toBeGreaterThan(1);
    expect(search.find('yl')[0]?.name.zh.startsWith('养老')).toBe(true);
  });
});

describe('finding people by name', () => {
  it('reads surnames as surnames', () => {
    expect(searchForms('单小红', 'name')).toEqual(['单小红', 'shanxiaohong', 'sxh']);
    expect(matchRank(searchForms('张三', 'name'), 'z s')).toBe(0);
    expect(matchRank(searchForms('张三', 'name'), 'san')).toBe(1);
    expect(matchRank(searchForms('张三', 'name'), 'li')).toBeUndefined();
  });
});
