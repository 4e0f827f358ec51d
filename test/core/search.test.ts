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

  it('finds ü typed as v or u, as input methods and people type it', () => {
    expect(codes('falvyuanzhu')).toEqual(['SF-02']);
    expect(codes('falüyuanzhu')).toEqual(['SF-02']);
    expect(codes('falu')).toContain('SF-02');
    expect(codes('flyz')).toContain('SF-02');
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

  const finds = (name: string, query: string) => matchRank(searchForms(name, 'name'), query) !== undefined;

  it('finds ü as v and as u: 吕芳 by lvfang, lufang, lüfang and lf', () => {
    for (const query of ['lvfang', 'lufang', 'lüfang', 'lf', '吕', 'fang']) expect(finds('吕芳', query), query).toBe(true);
    expect(finds('吕芳', 'lfang')).toBe(false); // ü is a letter, not nothing
  });

  it('gives a variant character its pinyin and its usual form: 𠮷田 by jitian, jt and 吉田', () => {
    for (const query of ['jitian', 'jt', '吉田', '𠮷田', 'tian']) expect(finds('𠮷田', query), query).toBe(true);
  });

  it('keeps a character with no pinyin searchable, and the rest of the name by its initials', () => {
    const forms = searchForms('王\u{2EBF0}明', 'name');
    expect(forms).toContain('wang\u{2EBF0}ming');
    expect(forms).toContain('w\u{2EBF0}m');
    expect(finds('王\u{2EBF0}明', '\u{2EBF0}')).toBe(true);
    expect(finds('王\u{2EBF0}明', 'ming')).toBe(true);
  });

  it('matches text pasted decomposed (NFD) and compatibility ideographs to their usual forms', () => {
    expect(finds('李令', '李\uF9A8')).toBe(true); // U+F9A8 is 令 (U+4EE4) as a compatibility ideograph
    expect(finds('李\uF9A8', 'liling')).toBe(true);
    expect(finds('Zoë Müller', 'Zoe\u0308'.normalize('NFD'))).toBe(true);
    expect(finds('Zoe\u0308', 'zoë')).toBe(true);
  });
});
