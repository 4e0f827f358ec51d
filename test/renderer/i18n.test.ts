/** Every screen message exists in both languages, with the same placeholders, and none is empty. */
import { describe, expect, it } from 'vitest';
import { CASE_STATUSES } from '../../core/case/state.js';
import { LOCALES } from '../../core/i18n/translate.js';
import { isUiKey, translateUi, UI_MESSAGES } from '../../renderer/i18n/ui.js';
import { HOME_VIEWS } from '../../renderer/kiosk/case-filters.js';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe('screen messages', () => {
  it('exist in every language for every key, with the same placeholders, and none empty', () => {
    const keys = Object.keys(UI_MESSAGES['zh-CN']).sort();
    for (const locale of LOCALES) {
      const messages = UI_MESSAGES[locale];
      expect(Object.keys(messages).sort()).toEqual(keys);
      for (const key of keys) {
        const text = messages[key as keyof typeof messages];
        expect(text.trim(), `${locale} ${key}`).not.toBe('');
        expect(placeholders(text), `${locale} ${key}`).toEqual(placeholders(UI_MESSAGES['zh-CN'][key as keyof typeof messages]));
      }
    }
  });

  it('name every view of the case list and every sync state', () => {
    for (const view of [...HOME_VIEWS, ...CASE_STATUSES]) expect(isUiKey(`view.${view}`), view).toBe(true);
    for (const status of ['connecting', 'online', 'offline', 'hubUnreachable', 'credentialRevoked', 'hubRefusedDocuments']) {
      expect(isUiKey(`sync.status.${status}`), status).toBe(true);
    }
  });

  it('fill placeholders', () => {
    expect(translateUi('zh-CN', 'sync.pending', { cases: 3, files: 1 })).toBe('待上传：3件，文件1个');
    expect(translateUi('en', 'clerk.pinWrong', { attemptsLeft: 2 })).toBe('Wrong PIN; 2 tries left');
  });
});
