/**
 * The window factory with a recording stand-in for Electron's BrowserWindow (the real one cannot run
 * here): the options it is created with, and the guards it installs, exercised through their events.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { HALL_DISPLAY_WINDOW_NAME } from '../../core/hall-display-window.js';
import { hallDisplayWindowOpen, type WindowOpenDecision, type WindowOpenRequest } from '../../electron/second-screen.js';
import {
  blockedInKioskMode,
  createKioskWindow,
  HUNG_RENDERER_GRACE_MS,
  type KioskWindow,
  type KioskWindowOptions,
  type OpenedWindow,
} from '../../electron/window-factory.js';

type Handler = (...args: never[]) => unknown;
/** Call a recorded listener as Electron would. */
const fire = (handlers: Map<string, Handler>, event: string, ...args: unknown[]) =>
  (handlers.get(event) as ((...a: unknown[]) => unknown) | undefined)?.(...args);

class RecordingWindow implements KioskWindow {
  static created: RecordingWindow[] = [];
  readonly handlers = new Map<string, Handler>();
  readonly contentsHandlers = new Map<string, Handler>();
  openHandler?: (details: WindowOpenRequest) => WindowOpenDecision;
  loaded: string[] = [];
  reloads = 0;
  shown = false;
  readonly webContents = {
    on: (event: string, listener: Handler) => this.contentsHandlers.set(event, listener),
    setWindowOpenHandler: (handler: (details: WindowOpenRequest) => WindowOpenDecision) => {
      this.openHandler = handler;
    },
    reload: () => {
      this.reloads += 1;
    },
    // As Electron does: ending the renderer emits render-process-gone.
    forcefullyCrashRenderer: () => {
      this.crashes += 1;
      fire(this.contentsHandlers, 'render-process-gone', {}, { reason: 'killed' });
    },
  };
  crashes = 0;
  constructor(readonly options: KioskWindowOptions) {
    RecordingWindow.created.push(this);
  }
  on(event: string, listener: Handler) {
    this.handlers.set(event, listener);
  }
  once(event: string, listener: Handler) {
    this.handlers.set(event, listener);
  }
  loadURL(url: string) {
    this.loaded.push(url);
    return Promise.resolve();
  }
  show() {
    this.shown = true;
  }
}

const preventable = () => {
  const event = {
    prevented: false,
    preventDefault: () => {
      event.prevented = true;
    },
  };
  return event;
};
const key = (k: string, modifiers: Partial<{ control: boolean; shift: boolean; alt: boolean; meta: boolean }> = {}) => ({
  type: 'keyDown',
  key: k,
  control: false,
  shift: false,
  alt: false,
  meta: false,
  ...modifiers,
});

/** A window the page opened, as Electron hands it to `did-create-window`. */
class RecordingChild implements OpenedWindow {
  readonly handlers = new Map<string, Handler>();
  readonly contentsHandlers = new Map<string, Handler>();
  openHandler?: (details: WindowOpenRequest) => WindowOpenDecision;
  closed = false;
  readonly webContents = {
    on: (event: string, listener: Handler) => this.contentsHandlers.set(event, listener),
    setWindowOpenHandler: (handler: (details: WindowOpenRequest) => WindowOpenDecision) => {
      this.openHandler = handler;
    },
  };
  on(event: string, listener: Handler) {
    this.handlers.set(event, listener);
  }
  isDestroyed() {
    return this.closed;
  }
  close() {
    this.closed = true;
    fire(this.handlers, 'closed');
  }
}

function kioskWindow(options: { kioskMode: boolean; mayClose?: boolean; windowOpen?: (request: WindowOpenRequest) => WindowOpenDecision }) {
  const logged: string[] = [];
  const window = createKioskWindow(RecordingWindow, {
    preload: '/opt/cunban/preload.cjs',
    isPackaged: true,
    kioskMode: options.kioskMode,
    log: (line) => logged.push(line),
    mayClose: () => options.mayClose ?? false,
    ...(options.windowOpen ? { windowOpen: options.windowOpen } : {}),
  });
  return { window, logged };
}

describe('the kiosk window', () => {
  it('is created sandboxed, isolated, without Node, fullscreen in kiosk mode, and loads our origin', () => {
    const { window } = kioskWindow({ kioskMode: true });
    expect(window.options).toMatchObject({
      show: false,
      kiosk: true,
      fullscreen: true,
      autoHideMenuBar: true,
      webPreferences: {
        sandbox: true,
        contextIsolation: true,
        nodeIntegration: false,
        webviewTag: false,
        webSecurity: true,
        devTools: false,
        preload: '/opt/cunban/preload.cjs',
      },
    });
    expect(window.loaded).toEqual(['app://cunban/index.html']);
    fire(window.handlers, 'ready-to-show');
    expect(window.shown).toBe(true);
  });

  it('blocks navigation and redirects away from our origin, webviews and new windows', () => {
    const { window, logged } = kioskWindow({ kioskMode: true });
    for (const event of ['will-navigate', 'will-redirect']) {
      const away = preventable();
      fire(window.contentsHandlers, event, away, 'https://evil.example/');
      expect(away.prevented).toBe(true);
      const home = preventable();
      fire(window.contentsHandlers, event, home, 'app://cunban/index.html');
      expect(home.prevented).toBe(false);
    }
    const frame = Object.assign(preventable(), { url: 'https://evil.example/' });
    fire(window.contentsHandlers, 'will-frame-navigate', frame);
    expect(frame.prevented).toBe(true);
    const webview = preventable();
    fire(window.contentsHandlers, 'will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
    expect(window.openHandler?.({ url: 'https://evil.example/', frameName: '' })).toEqual({ action: 'deny' });
    expect(window.openHandler?.({ url: 'app://cunban/index.html', frameName: '' })).toEqual({ action: 'deny' });
    // Without a rule for it, not even the hall's display.
    expect(window.openHandler?.({ url: 'about:blank', frameName: HALL_DISPLAY_WINDOW_NAME })).toEqual({ action: 'deny' });
    expect(logged).toContain('blocked navigation to https://evil.example/');
  });

  it('opens the hall’s display on a second screen only, and the window it opens goes nowhere and closes with the page', () => {
    const television = { id: 2, bounds: { x: 1920, y: 0, width: 1920, height: 1080 } };
    const counterScreen = { id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 }, internal: true };
    let screens = [counterScreen, television];
    const { window, logged } = kioskWindow({ kioskMode: true, windowOpen: (request) => hallDisplayWindowOpen(request, screens, 1) });
    expect(window.openHandler?.({ url: 'about:blank', frameName: HALL_DISPLAY_WINDOW_NAME })).toMatchObject({
      action: 'allow',
      overrideBrowserWindowOptions: { x: 1920, y: 0, width: 1920, height: 1080, fullscreen: true, focusable: false },
    });
    expect(window.openHandler?.({ url: 'https://evil.example/', frameName: HALL_DISPLAY_WINDOW_NAME })).toEqual({ action: 'deny' });
    expect(window.openHandler?.({ url: 'about:blank', frameName: 'other' })).toEqual({ action: 'deny' });
    screens = [counterScreen];
    expect(window.openHandler?.({ url: 'about:blank', frameName: HALL_DISPLAY_WINDOW_NAME })).toEqual({ action: 'deny' });
    expect(logged).toContain(`opened the hall display (${HALL_DISPLAY_WINDOW_NAME})`);

    const child = new RecordingChild();
    fire(window.contentsHandlers, 'did-create-window', child);
    for (const event of ['will-navigate', 'will-redirect']) {
      // Not even to our own pages: it shows what the counter's page writes into it.
      for (const url of ['https://evil.example/', 'app://cunban/index.html']) {
        const away = preventable();
        fire(child.contentsHandlers, event, away, url);
        expect(away.prevented).toBe(true);
      }
    }
    const webview = preventable();
    fire(child.contentsHandlers, 'will-attach-webview', webview);
    expect(webview.prevented).toBe(true);
    expect(child.openHandler?.({ url: 'about:blank', frameName: HALL_DISPLAY_WINDOW_NAME })).toEqual({ action: 'deny' });
    const f12 = preventable();
    fire(child.contentsHandlers, 'before-input-event', f12, key('F12'));
    expect(f12.prevented).toBe(true);
    // The page that wrote it is gone: so is the television's window, not left frozen on an old slide.
    fire(window.contentsHandlers, 'render-process-gone', {}, { reason: 'crashed' });
    expect(child.closed).toBe(true);
  });

  it('reloads a crashed renderer (the data is in IndexedDB), but not one that exited cleanly', () => {
    const { window } = kioskWindow({ kioskMode: true });
    fire(window.contentsHandlers, 'render-process-gone', {}, { reason: 'crashed' });
    fire(window.contentsHandlers, 'render-process-gone', {}, { reason: 'oom' });
    fire(window.contentsHandlers, 'render-process-gone', {}, { reason: 'clean-exit' });
    expect(window.reloads).toBe(2);
  });

  it('ends and reloads a renderer hung past the grace period, but not one that recovers in time', () => {
    vi.useFakeTimers();
    try {
      const { window, logged } = kioskWindow({ kioskMode: true });
      fire(window.contentsHandlers, 'unresponsive');
      vi.advanceTimersByTime(HUNG_RENDERER_GRACE_MS - 1000);
      fire(window.contentsHandlers, 'responsive');
      vi.advanceTimersByTime(HUNG_RENDERER_GRACE_MS * 2);
      expect(window.crashes).toBe(0);
      fire(window.contentsHandlers, 'unresponsive');
      // Electron repeats the event while the page stays hung: one timer, not one per event.
      vi.advanceTimersByTime(5000);
      fire(window.contentsHandlers, 'unresponsive');
      vi.advanceTimersByTime(HUNG_RENDERER_GRACE_MS - 5000);
      expect(window.crashes).toBe(1);
      expect(window.reloads).toBe(1);
      expect(logged.some((line) => line.includes('unresponsive'))).toBe(true);
    } finally {
      vi.useRealTimers();
    }
  });

  it('in kiosk mode ignores devtools and close keys, and refuses to close until the technician leaves', () => {
    const { window } = kioskWindow({ kioskMode: true });
    const f12 = preventable();
    fire(window.contentsHandlers, 'before-input-event', f12, key('F12'));
    expect(f12.prevented).toBe(true);
    const typing = preventable();
    fire(window.contentsHandlers, 'before-input-event', typing, key('a'));
    expect(typing.prevented).toBe(false);
    const close = preventable();
    fire(window.handlers, 'close', close);
    expect(close.prevented).toBe(true);
    const released = kioskWindow({ kioskMode: true, mayClose: true }).window;
    const allowed = preventable();
    fire(released.handlers, 'close', allowed);
    expect(allowed.prevented).toBe(false);
  });

  it('outside kiosk mode is a normal window', () => {
    const { window } = kioskWindow({ kioskMode: false });
    expect(window.options).toMatchObject({ kiosk: false, fullscreen: false });
    expect(window.contentsHandlers.has('before-input-event')).toBe(false);
    expect(window.handlers.has('close')).toBe(false);
  });

  it.each([
    [key('F12'), true],
    [key('I', { control: true, shift: true }), true],
    [key('j', { meta: true, shift: true }), true],
    [key('w', { control: true }), true],
    [key('F4', { alt: true }), true],
    [key('n', { alt: true }), false],
    [key('Enter', { control: true }), false],
    [{ ...key('F12'), type: 'keyUp' }, false],
  ])('kiosk-mode key %o blocked: %s', (input, blocked) => {
    expect(blockedInKioskMode(input)).toBe(blocked);
  });
});

describe('window creation', () => {
  it('happens in the window factory only', () => {
    const dir = resolve(import.meta.dirname, '../../electron');
    const offenders = readdirSync(dir)
      .filter((file) => file.endsWith('.ts') && file !== 'window-factory.ts')
      .filter((file) => /new\s+(\w+\.)?BrowserWindow\b/.test(readFileSync(join(dir, file), 'utf8')));
    expect(offenders).toEqual([]);
  });
});
