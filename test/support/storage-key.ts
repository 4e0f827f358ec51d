/** The storage key of test kiosk databases (renderer/data/at-rest.ts): 32 bytes, base64url, fixed so a test can open a database again. */
export const TEST_STORAGE_KEY = 'Y3VuYmFuIHRlc3Qgc3RvcmFnZSBrZXkgMzIgYnl0ZXM';
