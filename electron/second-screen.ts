/**
 * The hall's public display on a television (issue 19 §2): the counter's page opens one empty popup of a known name
 * and renders the display into it (renderer/kiosk/hall-display.tsx), so the display reads the same data without
 * opening the kiosk's database a second time. This decides, in plain Node, whether a window may open at all — only
 * that popup, and only when there is a screen besides the counter's — and where: full screen on that screen, never
 * taking the counter's keyboard. `electron` stays out, so this is tested under Node.
 */
import { HALL_DISPLAY_WINDOW_NAME, HALL_DISPLAY_WINDOW_URL } from '../core/hall-display-window.js';
import { secureWebPreferences, type SecureWebPreferences } from './web-preferences.js';

export interface Rectangle {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** What the display choice needs of Electron's `Display`. */
export interface ScreenInfo {
  readonly id: number;
  readonly bounds: Rectangle;
  /** A laptop's own panel (Electron's `internal`): a television is an external screen. */
  readonly internal?: boolean;
}

/**
 * The screen for the hall's display: one that is not the counter's (the primary), external before built-in, then the
 * largest. None when the counter's screen is the only one: the display would cover the counter.
 */
export function hallDisplayScreen(screens: readonly ScreenInfo[], primaryId: number): ScreenInfo | undefined {
  const area = (screen: ScreenInfo) => screen.bounds.width * screen.bounds.height;
  return screens
    .filter((screen) => screen.id !== primaryId)
    .sort((a, b) => Number(a.internal === true) - Number(b.internal === true) || area(b) - area(a) || a.id - b.id)[0];
}

export type HallDisplayWebPreferences = Omit<SecureWebPreferences, 'preload' | 'devTools'> & { readonly devTools: false };

export interface HallDisplayWindowOptions extends Rectangle {
  readonly show: true;
  readonly frame: false;
  readonly fullscreen: true;
  readonly autoHideMenuBar: true;
  readonly skipTaskbar: true;
  /** The counter keeps the keyboard: nothing typed goes to the television. */
  readonly focusable: false;
  readonly backgroundColor: string;
  readonly title: string;
  /** The counter's secure preferences, without the shell's bridge: the display needs none. */
  readonly webPreferences: HallDisplayWebPreferences;
}

export type WindowOpenDecision = { readonly action: 'deny' } | { readonly action: 'allow'; readonly overrideBrowserWindowOptions: HallDisplayWindowOptions };

export interface WindowOpenRequest {
  readonly url: string;
  readonly frameName: string;
}

/** `setWindowOpenHandler`: the hall's display on the second screen, or nothing. */
export function hallDisplayWindowOpen(request: WindowOpenRequest, screens: readonly ScreenInfo[], primaryId: number): WindowOpenDecision {
  if (request.url !== HALL_DISPLAY_WINDOW_URL || request.frameName !== HALL_DISPLAY_WINDOW_NAME) return { action: 'deny' };
  const screen = hallDisplayScreen(screens, primaryId);
  if (!screen) return { action: 'deny' };
  const { preload: _bridge, devTools: _devTools, ...secure } = secureWebPreferences({ preload: '', isPackaged: true });
  return {
    action: 'allow',
    overrideBrowserWindowOptions: {
      ...screen.bounds,
      show: true,
      frame: false,
      fullscreen: true,
      autoHideMenuBar: true,
      skipTaskbar: true,
      focusable: false,
      backgroundColor: '#0a1f3d',
      title: '村办 公示屏',
      webPreferences: { ...secure, devTools: false },
    },
  };
}
