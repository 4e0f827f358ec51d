import { describe, expect, it } from 'vitest';
import { CASE_EVENT_TYPES } from '../../core/case/events.js';
import { CASE_STATUSES } from '../../core/case/state.js';
import { describeError } from '../../core/i18n/describe.js';
import { isMessageKey, LOCALES, MESSAGES, translate } from '../../core/i18n/translate.js';
import { LEVELS } from '../../core/level.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('domain messages', () => {
  it('exist in every language for every key, with the same placeholders, and none empty', () => {
    const keys = Object.keys(MESSAGES['zh-CN']).sort();
    for (const locale of LOCALES) {
      const messages = MESSAGES[locale];
      expect(Object.keys(messages).sort()).toEqual(keys);
      for (const key of keys) {
        const text = messages[key as keyof typeof messages];
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(MESSAGES['zh-CN'][key as keyof typeof messages]));
      }
    }
  });

  it('name every level, status and event type', () => {
    for (const level of LEVELS) expect(isMessageKey(`level.${level}`)).toBe(true);
    for (const status of CASE_STATUSES) expect(isMessageKey(`status.${status}`)).toBe(true);
    for (const type of CASE_EVENT_TYPES) expect(isMessageKey(`event.${type}`)).toBe(true);
  });

  it('fill placeholders and leave an unfilled one visible', () => {
    expect(translate('zh-CN', 'idNumber.length', { length: 17 })).toBe('身份证号码应为18位，现在是17位');
    expect(translate('en', 'idNumber.length')).toBe('An ID number has 18 characters; this one has {length}');
  });

  it('translate domain values inside error messages', () => {
    const error = { code: 'case.statusNotAllowed', eventType: 'withdrawn', status: 'approved' };
    expect(describeError(error, 'zh-CN')).toBe('办件当前状态为“已批准”，不能执行“申请人撤回”');
    expect(describeError({ code: 'no.such.code' }, 'en')).toBe('no.such.code');
  });
});
