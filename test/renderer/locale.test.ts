import { describe, expect, it } from 'vitest';
import { pickLocale } from '../../renderer/locale.js';

describe('screen language', () => {
  it('is Chinese by default', () => {
    expect(pickLocale(null, [])).toBe('zh-CN');
    expect(pickLocale(undefined, ['fr-FR', 'de'])).toBe('zh-CN');
  });

  it('follows the clerk’s saved choice first, then the browser', () => {
    expect(pickLocale('en', ['zh-CN'])).toBe('en');
    expect(pickLocale(null, ['en-GB', 'zh-CN'])).toBe('en');
    expect(pickLocale('klingon', ['zh-TW'])).toBe('zh-CN');
    expect(pickLocale(null, ['zh'])).toBe('zh-CN');
  });
});
