/** Where the hall's public display goes: a screen besides the counter's, external first, and only the one popup. */
import { describe, expect, it } from 'vitest';
import { HALL_DISPLAY_WINDOW_NAME, HALL_DISPLAY_WINDOW_URL } from '../../core/hall-display-window.js';
import { hallDisplayScreen, hallDisplayWindowOpen } from '../../electron/second-screen.js';

const screen = (id: number, width: number, height: number, internal?: boolean) => ({
  id,
  bounds: { x: id * 10_000, y: 0, width, height },
  ...(internal === undefined ? {} : { internal }),
});

describe('the hall display’s screen', () => {
  it('is never the counter’s: none with one screen', () => {
    expect(hallDisplayScreen([screen(1, 1920, 1080)], 1)).toBeUndefined();
    expect(hallDisplayScreen([], 1)).toBeUndefined();
  });

  it('is an external screen before a built-in one, then the largest', () => {
    expect(hallDisplayScreen([screen(1, 1366, 768), screen(2, 1920, 1080)], 1)?.id).toBe(2);
    // The counter on the television's left; a laptop's own panel is not the hall's television.
    expect(hallDisplayScreen([screen(5, 1366, 768, true), screen(1, 1280, 1024), screen(3, 1280, 720, false)], 1)?.id).toBe(3);
    expect(hallDisplayScreen([screen(1, 1280, 1024), screen(3, 1280, 720), screen(4, 3840, 2160)], 1)?.id).toBe(4);
  });
});

describe('a new window', () => {
  const screens = [screen(1, 1366, 768, true), screen(2, 1920, 1080, false)];

  it('opens for the hall display only, full screen on the television, without the shell’s bridge or the keyboard', () => {
    const decision = hallDisplayWindowOpen({ url: HALL_DISPLAY_WINDOW_URL, frameName: HALL_DISPLAY_WINDOW_NAME }, screens, 1);
    expect(decision).toEqual({
      action: 'allow',
      overrideBrowserWindowOptions: expect.objectContaining({
        x: 20_000,
        y: 0,
        width: 1920,
        height: 1080,
        fullscreen: true,
        frame: false,
        focusable: false,
        show: true,
      }) as unknown,
    });
    if (decision.action !== 'allow') return;
    const preferences = decision.overrideBrowserWindowOptions.webPreferences;
    expect(preferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false, devTools: false });
    expect(preferences).not.toHaveProperty('preload');
  });

  it('is refused for anything else, and when there is no second screen', () => {
    for (const request of [
      { url: 'https://evil.example/', frameName: HALL_DISPLAY_WINDOW_NAME },
      { url: 'app://cunban/index.html', frameName: HALL_DISPLAY_WINDOW_NAME },
      { url: HALL_DISPLAY_WINDOW_URL, frameName: '' },
      { url: HALL_DISPLAY_WINDOW_URL, frameName: '_blank' },
    ])
      expect(hallDisplayWindowOpen(request, screens, 1)).toEqual({ action: 'deny' });
    expect(hallDisplayWindowOpen({ url: HALL_DISPLAY_WINDOW_URL, frameName: HALL_DISPLAY_WINDOW_NAME }, [screen(1, 1920, 1080)], 1)).toEqual({
      action: 'deny',
    });
  });
});
