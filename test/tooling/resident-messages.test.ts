/**
 * The residents' page is built with only its own screen messages (scripts/build-apps.ts): every message key
 * its code — and the shared components it uses — names must be one it carries, or its phone would show a
 * key where a sentence belongs. Keys built at run time (`resident.book.error.${code}`) are the page's own.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isMessageKey } from '../../core/i18n/translate.js';
import { uiEn } from '../../renderer/i18n/en.js';
import { uiZhCN } from '../../renderer/i18n/zh-CN.js';
import { isResidentUiKey, RESIDENT_SHARED_UI_KEYS } from '../../renderer/resident/messages.js';

const ROOT = resolve(import.meta.dirname, '../..');
/** The page's code and the shared components it imports. */
const PAGE_SOURCES = [
  ...readdirSync(join(ROOT, 'renderer/resident'))
    .filter((name) => /\.tsx?$/.test(name))
    .map((name) => join('renderer/resident', name)),
  'renderer/ui/display.tsx',
  'renderer/ui/form.tsx',
  'renderer/ui/format.ts',
  'renderer/ui/i18n.tsx',
];

/** Every key named literally in `t('…')` or `t(\`…\`)` (a template's fixed head for keys built at run time). */
function keysNamed(source: string): string[] {
  return [...source.matchAll(/\bt\(\s*(['`])([A-Za-z][\w.]*)(\$\{)?/g)].map((match) => (match[3] ? `${match[2] ?? ''}*` : (match[2] ?? '')));
}

describe('the residents’ page’s messages', () => {
  it('carries every message key its code names', () => {
    // A key built at run time is carried when its fixed head is the page's own or core's (statuses, levels).
    const carried = (key: string) =>
      key.endsWith('*') ? ['resident.', 'status.', 'level.'].some((head) => key.startsWith(head)) : isResidentUiKey(key) || isMessageKey(key);
    const named = PAGE_SOURCES.flatMap((file) => keysNamed(readFileSync(join(ROOT, file), 'utf8')).map((key) => ({ file, key })));
    expect(named.length).toBeGreaterThan(50);
    expect(named.filter(({ key }) => !carried(key)).map(({ file, key }) => `${file}: ${key}`)).toEqual([]);
  });

  it('are named by no screen of the counter or the console, whose builds leave them out', () => {
    const screens = ['renderer/kiosk', 'renderer/console', 'renderer/ui'].flatMap((dir) =>
      readdirSync(join(ROOT, dir))
        .filter((name) => /\.tsx?$/.test(name))
        .map((name) => join(dir, name)),
    );
    const named = screens.flatMap((file) => keysNamed(readFileSync(join(ROOT, file), 'utf8')).map((key) => ({ file, key })));
    expect(named.length).toBeGreaterThan(100);
    expect(named.filter(({ key }) => key.startsWith('resident.')).map(({ file, key }) => `${file}: ${key}`)).toEqual([]);
  });

  it('shares only keys that exist, in both languages', () => {
    for (const key of RESIDENT_SHARED_UI_KEYS) {
      expect(Object.hasOwn(uiZhCN, key), key).toBe(true);
      expect(Object.hasOwn(uiEn, key), key).toBe(true);
    }
  });
});
