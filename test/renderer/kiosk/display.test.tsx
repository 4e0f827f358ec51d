// @vitest-environment jsdom
/** Language and elder mode: Chinese first, English on request, large high-contrast type; the choice is kept. */
import { screen } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../sync-server/hub-harness.js';
import { restartCounter, signedInCounter } from './harness.js';

let hub: TestHub;

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(async () => {
  await hub.close();
});

describe('the display', () => {
  it('switches to English and to elder mode, and keeps both across a restart', async () => {
    let counter = await signedInCounter(hub);
    const { user } = counter;
    expect(document.documentElement.lang).toBe('zh-CN');
    await user.click(screen.getByRole('button', { name: 'English' }));
    expect(await screen.findByRole('button', { name: /New case/ })).toBeTruthy();
    expect(document.documentElement.lang).toBe('en');
    await user.click(screen.getByRole('button', { name: 'Large print' }));
    expect(document.documentElement.classList.contains('elder')).toBe(true);
    expect(screen.getByRole('button', { name: 'Large print' }).getAttribute('aria-pressed')).toBe('true');
    await user.keyboard('{Alt>}n{/Alt}');
    await user.type(await screen.findByRole('searchbox'), 'db{Enter}');
    await user.type(screen.getAllByLabelText('ID number')[0] as HTMLElement, '422822198001010016');
    expect(screen.getByText('The check character is wrong: compare the number digit by digit')).toBeTruthy();

    counter = await restartCounter(counter);
    expect(await screen.findByRole('heading', { name: 'Clerk sign-in' })).toBeTruthy();
    expect(document.documentElement.classList.contains('elder')).toBe(true);
    await counter.close();
  }, 60_000);
});
