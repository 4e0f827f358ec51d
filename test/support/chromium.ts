/**
 * Debian's Chromium driven by playwright-core for the end-to-end suites: the flags this machine needs,
 * every console error, console warning and page error collected (a suite fails on any it does not expect), and numbered
 * screenshots in test-results/, which CI keeps.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The flags Debian's Chromium needs on these machines (headless, no sandbox in containers). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface BrowserRun {
  readonly browser: Browser;
  readonly page: Page;
  /** Another page in a context of its own (its own cookies and storage), watched the same way. */
  newPage(): Promise<Page>;
  /** Console errors and warnings and uncaught page errors seen so far, minus those `tolerate` allowed at the time. */
  readonly errors: string[];
  /** Allow console errors matching `pattern` until the returned function is called (e.g. while the hub is down). */
  tolerate(pattern: RegExp): () => void;
  screenshot(name: string, of?: Page): Promise<string>;
  close(): Promise<void>;
}

export async function openChromium(suite: string, extraFlags: readonly string[] = []): Promise<BrowserRun> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}: apt-get install chromium (see .ci/run)`);
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_FLAGS, ...extraFlags] });
  const errors: string[] = [];
  const tolerated = new Set<RegExp>();
  const record = (text: string) => {
    if (![...tolerated].some((pattern) => pattern.test(text))) errors.push(text);
  };
  const newPage = async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const opened = await context.newPage();
    opened.on('console', (message: ConsoleMessage) => {
      // Warnings too: a library's advert or a forgotten debug warning is noise a technician must not wade through.
      if (message.type() === 'error' || message.type() === 'warning') record(`console ${message.type()}: ${message.text()} (${message.location().url})`);
    });
    opened.on('pageerror', (error) => {
      record(`page error: ${error.message}`);
    });
    return opened;
  };
  const page = await newPage();
  const folder = resolve(import.meta.dirname, '../../test-results/screenshots', suite);
  // This run's screenshots only: an earlier run's must not pass for this one's.
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  let shot = 0;
  return {
    browser,
    page,
    newPage,
    errors,
    tolerate(pattern) {
      tolerated.add(pattern);
      return () => {
        tolerated.delete(pattern);
      };
    },
    async screenshot(name, of = page) {
      shot += 1;
      const path = join(folder, `${String(shot).padStart(2, '0')}-${name}.png`);
      await of.screenshot({ path, fullPage: true });
      return path;
    },
    close: () => browser.close(),
  };
}
