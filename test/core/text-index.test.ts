/**
 * The name index (core/search/text-index.ts) finds exactly the names `matchRank` finds on each name's own
 * forms — characters, full pinyin, initials; prefixes, inner parts, several words — for names that share
 * parts and queries that cross their boundaries; and a name added later is found at once.
 */
import { describe, expect, it } from 'vitest';
import { matchRank, searchForms } from '../../core/search/pinyin.js';
import { textIndex } from '../../core/search/text-index.js';

const NAMES = ['张三', '张三丰', '单小红', '吕芳', '欧阳翠蓉', '覃桂芝', '王芳', '李秀英', '张建国', '王桂兰', '刘德华', 'Anna Li', '阿依古丽·买买提'];
const QUERIES = [
  'z',
  'zs',
  'zhang',
  'zhangsan',
  'san',
  'sanf',
  'shan',
  'sxh',
  'fang',
  'wf',
  'oycr',
  'ouyang',
  'yangcui',
  'gui',
  'qgz',
  '张',
  '三丰',
  '芳',
  'ng',
  'anna',
  'annali',
  'z s',
  'wang fang',
  'li',
  'x',
  'nothing',
  '阿依',
  'ayglmmt',
  'gzw',
  'ganghua',
];

const expected = (query: string) => new Set(NAMES.filter((name) => matchRank(searchForms(name, 'name'), query) !== undefined));

describe('the name index', () => {
  it('finds exactly what matching each name’s forms finds', () => {
    const index = textIndex('name');
    for (const name of NAMES) index.add(name);
    for (const query of QUERIES) expect(index.matching(query), query).toEqual(expected(query));
  });

  it('finds a name added after the first search, and indexes each name once', () => {
    const index = textIndex('name');
    index.add('张三');
    expect(index.matching('zs')).toEqual(new Set(['张三']));
    index.add('周舒');
    index.add('张三');
    expect(index.matching('zs')).toEqual(new Set(['张三', '周舒']));
    expect(index.size).toBe(2);
  });

  it('matches no query across two names', () => {
    const index = textIndex('name');
    index.add('王芳');
    index.add('李四');
    // The forms of 王芳 end in "fang", "wf"; those of 李四 begin "李", "lisi": nothing spans them.
    expect(index.matching('wfli')).toEqual(new Set());
    expect(index.matching('fangli')).toEqual(new Set());
  });
});
