import { describe, expect, it } from 'vitest';
import { secureWebPreferences } from '../../electron/web-preferences.js';

describe('kiosk window webPreferences', () => {
  it('follow the Electron security checklist', () => {
    expect(secureWebPreferences({ preload: '/app/preload.cjs', isPackaged: true })).toEqual({
      preload: '/app/preload.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: false,
    });
  });

  it('allow devtools only in a development build', () => {
    expect(secureWebPreferences({ preload: 'p', isPackaged: false }).devTools).toBe(true);
  });
});
