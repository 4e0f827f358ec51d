/**
 * The one place a kiosk window is created (a test checks no other file constructs a BrowserWindow). Every
 * window gets the secure webPreferences, kiosk mode when packaged, and the guards: navigation only within
 * our origin, no new windows, no webviews, a crashed renderer reloaded (the data is in IndexedDB, nothing
 * is lost), a renderer hung for `HUNG_RENDERER_GRACE_MS` ended and so reloaded the same way, and the keys that would open devtools or close the counter ignored in kiosk mode.
 * `electron` is injected, so this runs under Node in tests.
 */
import { APP_ENTRY } from './app-origin.js';
import { navigationAllowed } from './guards.js';
import type { WindowOpenDecision, WindowOpenRequest } from './second-screen.js';
import { secureWebPreferences, type SecureWebPreferences } from './web-preferences.js';

export interface KioskWindowOptions {
  readonly show: false;
  readonly kiosk: boolean;
  readonly fullscreen: boolean;
  readonly autoHideMenuBar: true;
  readonly backgroundColor: string;
  readonly title: string;
  readonly webPreferences: SecureWebPreferences;
}

type Listener = (...args: never[]) => void;
interface PreventableEvent {
  preventDefault(): void;
}
interface KeyInput {
  readonly type: string;
  readonly key: string;
  readonly control: boolean;
  readonly shift: boolean;
  readonly alt: boolean;
  readonly meta: boolean;
}

/** The parts of Electron's BrowserWindow the factory uses of a window the page opened (the hall's display). */
export interface OpenedWindow {
  readonly webContents: {
    on(event: string, listener: Listener): unknown;
    setWindowOpenHandler(handler: (details: WindowOpenRequest) => WindowOpenDecision): void;
  };
  on(event: string, listener: Listener): unknown;
  setMenu?(menu: null): void;
  isDestroyed(): boolean;
  close(): void;
}

/** The parts of Electron's BrowserWindow the factory uses. */
export interface KioskWindow {
  readonly webContents: {
    on(event: string, listener: Listener): unknown;
    setWindowOpenHandler(handler: (details: WindowOpenRequest) => WindowOpenDecision): void;
    reload(): void;
    /** Ends the renderer process; Electron then emits `render-process-gone`. */
    forcefullyCrashRenderer(): void;
  };
  on(event: string, listener: Listener): unknown;
  once(event: string, listener: Listener): unknown;
  loadURL(url: string): Promise<void>;
  show(): void;
  setMenu?(menu: null): void;
}

export interface WindowFactoryOptions {
  readonly preload: string;
  readonly isPackaged: boolean;
  /** Kiosk mode (fullscreen, no way out but the technician PIN); on when packaged unless a technician left it. */
  readonly kioskMode: boolean;
  readonly log: (message: string) => void;
  /** Whether the window may close now (the technician left kiosk mode, or the app is quitting). */
  readonly mayClose: () => boolean;
  /** Whether the page may open this window (second-screen.ts: the hall's display); none when absent. */
  readonly windowOpen?: (request: WindowOpenRequest) => WindowOpenDecision;
}

/**
 * How long a renderer may stay unresponsive before it is ended and reloaded. Long enough for a slow
 * IndexedDB commit or a large print on an old machine; short enough that a clerk is not left at a frozen
 * counter (Chromium's own "page unresponsive" dialog never shows in kiosk mode).
 */
export const HUNG_RENDERER_GRACE_MS = 30_000;

export function kioskWindowOptions(options: Pick<WindowFactoryOptions, 'preload' | 'isPackaged' | 'kioskMode'>): KioskWindowOptions {
  return {
    show: false,
    kiosk: options.kioskMode,
    fullscreen: options.kioskMode,
    autoHideMenuBar: true,
    backgroundColor: '#ffffff',
    title: '村办 Cunban',
    webPreferences: secureWebPreferences({ preload: options.preload, isPackaged: options.isPackaged }),
  };
}

/** Keys that open devtools, reload from the cache-less dev path, or close the window: not at the counter. */
export function blockedInKioskMode(input: KeyInput): boolean {
  if (input.type !== 'keyDown') return false;
  const key = input.key.toLowerCase();
  if (key === 'f12') return true;
  if ((input.control || input.meta) && input.shift && (key === 'i' || key === 'j' || key === 'c')) return true;
  if ((input.control || input.meta) && (key === 'w' || key === 'q')) return true;
  if (input.alt && key === 'f4') return true;
  return false;
}

export function createKioskWindow<W extends KioskWindow>(BrowserWindow: new (options: KioskWindowOptions) => W, options: WindowFactoryOptions): W {
  const window = new BrowserWindow(kioskWindowOptions(options));
  window.setMenu?.(null);
  const contents = window.webContents;
  const stayHome = (event: PreventableEvent, url: string) => {
    if (navigationAllowed(url)) return;
    event.preventDefault();
    options.log(`blocked navigation to ${url}`);
  };
  contents.on('will-navigate', stayHome);
  contents.on('will-redirect', stayHome);
  contents.on('will-frame-navigate', (event: PreventableEvent & { url: string }) => {
    stayHome(event, event.url);
  });
  contents.on('will-attach-webview', (event: PreventableEvent) => {
    event.preventDefault();
  });
  contents.setWindowOpenHandler((request) => {
    const decision = options.windowOpen?.(request) ?? { action: 'deny' };
    options.log(decision.action === 'allow' ? `opened the hall display (${request.frameName})` : `blocked a new window for ${request.url}`);
    return decision;
  });
  // A window the page opened shows what the page writes into it: it goes nowhere, opens nothing, and closes with its page.
  const opened = new Set<OpenedWindow>();
  contents.on('did-create-window', (child: OpenedWindow) => {
    opened.add(child);
    child.setMenu?.(null);
    const stay = (event: PreventableEvent, url: string) => {
      event.preventDefault();
      options.log(`blocked navigation of the hall display to ${url}`);
    };
    child.webContents.on('will-navigate', stay);
    child.webContents.on('will-redirect', stay);
    child.webContents.on('will-attach-webview', (event: PreventableEvent) => {
      event.preventDefault();
    });
    child.webContents.setWindowOpenHandler(({ url }) => {
      options.log(`blocked a new window for ${url}`);
      return { action: 'deny' };
    });
    if (options.kioskMode) {
      child.webContents.on('before-input-event', (event: PreventableEvent, input: KeyInput) => {
        if (blockedInKioskMode(input)) event.preventDefault();
      });
    }
    child.on('closed', () => {
      opened.delete(child);
    });
  });
  const closeOpened = () => {
    for (const child of opened) if (!child.isDestroyed()) child.close();
    opened.clear();
  };
  contents.on('render-process-gone', (_event: unknown, details: { reason: string }) => {
    // What the page wrote into its windows went with it.
    closeOpened();
    if (details.reason === 'clean-exit') return;
    options.log(`renderer gone (${details.reason}); reloading — the kiosk's data is in IndexedDB`);
    contents.reload();
  });
  let hung: ReturnType<typeof setTimeout> | undefined;
  contents.on('unresponsive', () => {
    hung ??= setTimeout(() => {
      hung = undefined;
      options.log(`renderer unresponsive for ${String(HUNG_RENDERER_GRACE_MS / 1000)} s; ending it to reload`);
      contents.forcefullyCrashRenderer();
    }, HUNG_RENDERER_GRACE_MS);
  });
  contents.on('responsive', () => {
    clearTimeout(hung);
    hung = undefined;
  });
  if (options.kioskMode) {
    contents.on('before-input-event', (event: PreventableEvent, input: KeyInput) => {
      if (blockedInKioskMode(input)) event.preventDefault();
    });
    window.on('close', (event: PreventableEvent) => {
      if (!options.mayClose()) event.preventDefault();
    });
  }
  window.once('ready-to-show', () => {
    window.show();
  });
  void window.loadURL(APP_ENTRY);
  return window;
}
