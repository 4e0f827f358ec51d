/** Navigation and permissions: denied unless the rule names them. */
import { describe, expect, it } from 'vitest';
import { navigationAllowed, permissionAllowed, permissionCheckAllowed } from '../../electron/guards.js';

describe('navigation', () => {
  it('stays within app://cunban', () => {
    expect(navigationAllowed('app://cunban/index.html#/cases')).toBe(true);
    for (const url of ['https://example.com/', 'http://127.0.0.1:6084/kiosk/', 'file:///etc/passwd', 'javascript:alert(1)', 'app://cunban.example/']) {
      expect(navigationAllowed(url)).toBe(false);
    }
  });
});

describe('permissions', () => {
  it('grant the camera, and only the camera, to our page', () => {
    expect(permissionAllowed('media', 'app://cunban/index.html', { mediaTypes: ['video'] })).toBe(true);
    expect(permissionAllowed('media', 'app://cunban/index.html', { mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(permissionAllowed('media', 'app://cunban/index.html', { mediaTypes: ['audio'] })).toBe(false);
    expect(permissionAllowed('media', 'https://hub.example/', { mediaTypes: ['video'] })).toBe(false);
    for (const permission of ['geolocation', 'notifications', 'clipboard-read', 'openExternal', 'fullscreen', 'midi', 'usb', 'serial', 'hid']) {
      expect(permissionAllowed(permission, 'app://cunban/index.html')).toBe(false);
    }
    expect(permissionCheckAllowed('media', 'app://cunban/', 'video')).toBe(true);
    expect(permissionCheckAllowed('media', 'app://cunban/')).toBe(false);
    expect(permissionCheckAllowed('geolocation', 'app://cunban/')).toBe(false);
  });
});
