import { describe, expect, it } from 'vitest';
import type { LocalDate } from '../../core/local-date.js';
import { noticesFor, parseNotice, type Notice } from '../../core/notice.js';

const notice = (overrides: Partial<Notice> = {}): Notice => ({
  kind: 'cunban.notice',
  title: { zh: '低保年审通知', en: 'Annual review' },
  body: { zh: '请于12月10日前办理。', en: 'Before 10 December.' },
  publishedOn: '2026-11-20' as LocalDate,
  ...overrides,
});

describe('notices', () => {
  it('are accepted with masked numbers and refused with a full ID number anywhere', () => {
    expect(parseNotice(notice({ body: { zh: '张三 422822********0015', en: 'x' } })).ok).toBe(true);
    const refused = parseNotice(notice({ body: { zh: '张三 422822198001010015', en: 'x' } }));
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.problems[0]?.detail).toContain('resident ID number');
  });

  it("a village's counter shows the county's and its own town's, unexpired, newest first", () => {
    const all = [
      { ...notice({ title: { zh: '县', en: 'county' } }), id: 'a' },
      { ...notice({ title: { zh: '本镇', en: 'town' }, town: '422822100000', publishedOn: '2026-11-25' as LocalDate }), id: 'b' },
      { ...notice({ title: { zh: '他镇', en: 'other' }, town: '422822101000' }), id: 'c' },
      { ...notice({ title: { zh: '过期', en: 'old' }, expiresOn: '2026-11-25' as LocalDate }), id: 'd' },
      { ...notice({ title: { zh: '今天到期', en: 'last day' }, expiresOn: '2026-11-26' as LocalDate, publishedOn: '2026-11-01' as LocalDate }), id: 'e' },
    ];
    expect(noticesFor(all, '422822100202', '2026-11-26' as LocalDate).map((n) => n.id)).toEqual(['b', 'a', 'e']);
    expect(noticesFor(all, '422822101001', '2026-11-26' as LocalDate).map((n) => n.id)).toEqual(['a', 'c', 'e']);
  });
});
