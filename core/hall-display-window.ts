/**
 * The one extra window a kiosk may open: the hall's public display on a second screen (a television), opened by the
 * counter's page as an empty same-origin popup it renders into (renderer/kiosk/hall-display.tsx). The Electron shell
 * allows a new window of this name, and of no other (electron/second-screen.ts).
 */
export const HALL_DISPLAY_WINDOW_NAME = 'cunban-hall-display';
/** What the page opens: an empty document of its own origin, never a page to load. */
export const HALL_DISPLAY_WINDOW_URL = 'about:blank';
