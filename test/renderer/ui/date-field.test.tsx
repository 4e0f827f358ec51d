// @vitest-environment jsdom
/**
 * Date fields speak the app's language whatever the computer's (issue 17): no `mm/dd/yyyy`, month names in
 * the app's locale, and the value a plain calendar date.
 */
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Locale } from '../../../core/i18n/translate.js';
import { DateField } from '../../../renderer/ui/date-field.js';
import { I18nProvider } from '../../../renderer/ui/i18n.js';

function Form({ initial, seen }: { readonly initial: string; readonly seen: string[] }) {
  const [value, setValue] = useState(initial);
  return (
    <DateField
      label="受理日期从"
      value={value}
      onChange={(next) => {
        seen.push(next);
        setValue(next);
      }}
    />
  );
}

const shown = (locale: Locale, initial: string, seen: string[] = []) =>
  render(
    <I18nProvider locale={locale}>
      <Form initial={initial} seen={seen} />
    </I18nProvider>,
  );

afterEach(cleanup);

describe('a date field', () => {
  it('shows the date as the screens write it, picks a day from a calendar in Chinese, and clears', async () => {
    const user = userEvent.setup();
    const seen: string[] = [];
    shown('zh-CN', '2026-11-30', seen);
    const field = screen.getByRole('button', { name: '受理日期从 2026年11月30日' });
    expect(document.body.textContent).not.toMatch(/mm\/dd\/yyyy/i);
    await user.click(field);
    const calendar = await screen.findByRole('dialog', { name: '受理日期从' });
    await within(calendar).findByRole('grid'); // the calendar, loaded on first use
    // Weeks from Monday, months and days named in Chinese.
    expect(calendar.querySelector('th')?.getAttribute('aria-label')).toBe('星期一');
    expect(calendar.textContent).toContain('十一月');
    expect(calendar.textContent).not.toMatch(/Mon|November/);
    await user.click(within(calendar).getByRole('button', { name: /2026年11月18日/ }));
    expect(seen).toEqual(['2026-11-18']);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByRole('button', { name: '受理日期从 2026年11月18日' })).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '清除受理日期从' }));
    expect(seen.at(-1)).toBe('');
    expect(screen.getByRole('button', { name: '受理日期从 选择日期' })).toBeTruthy();
  });

  it('speaks English in the English screens', async () => {
    const user = userEvent.setup();
    shown('en', '2026-11-30');
    await user.click(screen.getByRole('button', { name: '受理日期从 30 Nov 2026' }));
    const calendar = await screen.findByRole('dialog');
    await within(calendar).findByRole('grid');
    expect(calendar.textContent).toContain('November');
  });
});
