/** What a clerk does at the kiosk, as steps the end-to-end suites share. */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import type { Store } from '../../sync-server/store/store.js';

/** A one-pixel PNG: a scan as small as a scan can be. */
export const PNG_1PX = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

/** Enroll the kiosk at `kioskUrl` with a fresh code for `village`, and create the first clerk (王芳, PIN 2580). */
export async function enrollWithFirstClerk(page: Page, store: Store, village: string, kioskUrl: string): Promise<void> {
  const issued = await issueEnrollmentCode(store, village, new Date());
  if (!issued.ok) throw new Error(issued.error.reason);
  await page.goto(kioskUrl);
  await page.getByLabel('注册码').fill(issued.value.code);
  await page.getByRole('button', { name: '注册本终端' }).click();
  await page.getByRole('heading', { name: '创建第一个办事员账号' }).waitFor();
  await page.getByLabel('姓名').fill('王芳');
  await page.getByLabel('PIN码', { exact: true }).fill('2580');
  await page.getByLabel('再次输入PIN码').fill('2580');
  await page.getByRole('button', { name: '创建账号' }).click();
  await page.locator('.counter-header').waitFor();
  // The county catalog pulled and read (Playwright's own wait, not vitest's: the benchmarks enroll with this too).
  await page.locator('.home[data-catalog-version]').waitFor({ timeout: 20_000 });
}

/**
 * A registration at the keyboard alone, as a clerk does it from the resident's ID card: Alt+N, the item,
 * Enter, the name, Tab, the ID number, Tab, the phone if any, Tab past address and the proxy box, "all received",
 * Ctrl+Enter. A missing material is the one thing picked by pointer.
 */
export async function registerAtKeyboard(page: Page, options: RegistrationAtKeyboard): Promise<string> {
  await typeRegistration(page, options);
  await page.keyboard.press('Control+Enter');
  const number = page.getByTestId('receipt-case-number');
  await number.waitFor();
  return (await number.textContent()) ?? '';
}

export interface RegistrationAtKeyboard {
  readonly search: string;
  readonly name: string;
  readonly idNumber: string;
  /** The resident's phone, typed in the field after the ID number. */
  readonly phone?: string;
  /** The row of a material the resident did not bring. */
  readonly missing?: number;
}

/** The optional materials (a proxy's letter, a disability card) marked as not applying: the clerk's own call, row by row. */
export async function markOptionalNotApplicable(page: Page): Promise<void> {
  for (const choice of await page.locator('.checklist tbody tr').getByLabel('不适用').all()) await choice.check();
}

/** Everything of `registerAtKeyboard` up to, not including, the Ctrl+Enter that saves. */
export async function typeRegistration(page: Page, options: RegistrationAtKeyboard): Promise<void> {
  await page.keyboard.press('Alt+N');
  // As a clerk does: type once the form is there (just after a start, the device's catalog is still being read).
  await page.getByRole('searchbox').waitFor();
  await page.keyboard.type(options.search);
  await page.locator('.item-results li').first().waitFor();
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.activeElement?.closest('[data-field]')?.getAttribute('data-field'))).toBe('applicant.name');
  await page.keyboard.type(options.name);
  await page.keyboard.press('Tab');
  await page.keyboard.type(options.idNumber);
  await page.keyboard.press('Tab');
  if (options.phone) await page.keyboard.type(options.phone);
  for (let i = 0; i < 3; i++) await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('必交材料全部已收');
  await page.keyboard.press('Enter');
  await markOptionalNotApplicable(page);
  if (options.missing !== undefined) {
    await page.locator('.checklist tbody tr').nth(options.missing).getByLabel('缺').check();
  }
}
