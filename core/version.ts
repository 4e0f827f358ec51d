/** Cunban's version, the same for the kiosk, the shell and the hub (a test keeps it equal to package.json's). */
export const CUNBAN_VERSION = '0.3.0';
