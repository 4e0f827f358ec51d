/**
 * Electron main: wires windows and OS services, nothing more. Every rule lives in a plain module beside
 * this file, tested under Node (the Electron binary cannot run in CI): the window factory, the app://
 * protocol, the guards, the validated IPC handlers, the vault, the technician PIN, the update gate.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { app, BrowserWindow, dialog, ipcMain, net, protocol, safeStorage, screen, session } from 'electron';
import electronUpdater from 'electron-updater';
import { SHELL_CHANNEL_NAMES, type ShellChannel, type ShellResult } from '../core/api/shell.js';
import { err, ok } from '../core/result.js';
import { APP_ORIGIN, APP_SCHEME } from './app-origin.js';
import { answerAppRequest, kioskContentSecurityPolicy } from './app-protocol.js';
import { enrollmentService } from './enrollment-service.js';
import { enrollmentVault } from './enrollment-vault.js';
import { storageKeyVault } from './storage-keys.js';
import { permissionAllowed, permissionCheckAllowed } from './guards.js';
import { validatedHandler, type ChannelArgument } from './ipc.js';
import { receiptPdfPath, receiptPrintOptions } from './printing.js';
import { technicianPin } from './technician-pin.js';
import { startKioskUpdates } from './kiosk-updates.js';
import { updateFeedUrl, updateGate } from './update-gate.js';
import { BUILT_IN_UPDATE_KEYS } from './update-keys.js';
import { fetchBytes } from './update-verify.js';
import { hallDisplayWindowOpen } from './second-screen.js';
import { createKioskWindow } from './window-factory.js';

const { autoUpdater } = electronUpdater;
const log = (message: string) => {
  process.stderr.write(`cunban-shell: ${message}\n`);
};
// `--no-kiosk` (a technician's maintenance start) and development runs get a normal window.
const kioskMode = app.isPackaged && !process.argv.includes('--no-kiosk');
let leavingKioskMode = false;
// Quitting (an update installing, the computer shutting down) must not be stopped by kiosk mode's close guard.
let quitting = false;
app.on('before-quit', () => {
  quitting = true;
});

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, stream: true } }]);

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  void app.whenReady().then(start);
}

async function start(): Promise<void> {
  const userData = app.getPath('userData');
  const vault = enrollmentVault({ safeStorage, file: join(userData, 'enrollment.bin') });
  const pin = technicianPin({ file: join(userData, 'technician-pin.json') });
  const gate = updateGate();
  const rendererRoot = join(import.meta.dirname, '..', 'kiosk');
  // The credential and keys stay here: the page enrolls, seals and reveals through main (enrollment-service.ts).
  const storageKeys = storageKeyVault({ safeStorage, file: join(userData, 'storage-keys.bin') });
  const enrollments = await enrollmentService({ vault, storageKeys, fetch: (url, init) => net.fetch(url, init) });
  const originOf = (url: string | undefined) => (url ? new URL(url).origin : undefined);
  let hubOrigin = originOf(enrollments.savedSyncUrl());

  // Start with the computer (Windows; the Linux packages install an autostart entry).
  if (app.isPackaged) app.setLoginItemSettings({ openAtLogin: true });

  protocol.handle(APP_SCHEME, async (request) => {
    const answer = await answerAppRequest(rendererRoot, request, kioskContentSecurityPolicy(hubOrigin));
    return new Response(answer.body ?? null, { status: answer.status, headers: answer.headers });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, decide, details) => {
    decide(permissionAllowed(permission, details.requestingUrl, 'mediaTypes' in details ? { mediaTypes: details.mediaTypes ?? [] } : {}));
  });
  session.defaultSession.setPermissionCheckHandler((_contents, permission, origin, details) =>
    permissionCheckAllowed(permission, details.requestingUrl ?? origin, details.mediaType),
  );
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
    });
  });

  const window = createKioskWindow(BrowserWindow, {
    preload: join(import.meta.dirname, 'preload.cjs'),
    isPackaged: app.isPackaged,
    kioskMode,
    log,
    mayClose: () => leavingKioskMode || quitting,
    // The hall's public display on a television, when one is connected besides the counter's screen.
    windowOpen: (request) => hallDisplayWindowOpen(request, screen.getAllDisplays(), screen.getPrimaryDisplay().id),
  });
  // Windows ending the session (shutdown, log off) closes the kiosk like a quit.
  window.on('session-end', () => {
    quitting = true;
  });
  app.on('second-instance', () => {
    if (window.isMinimized()) window.restore();
    window.focus();
  });

  const handle = <C extends ShellChannel, T>(channel: C, fn: (argument: ChannelArgument<C>) => Promise<ShellResult<T>>) => {
    ipcMain.handle(SHELL_CHANNEL_NAMES[channel], validatedHandler(channel, fn, log));
  };
  handle('enroll', (request) => enrollments.enroll(request));
  handle('loadEnrollment', () => enrollments.load());
  handle('saveEnrollment', async (which) => {
    const saved = await enrollments.save(which);
    const villageSyncUrl = enrollments.savedSyncUrl();
    if (saved.ok && villageSyncUrl) {
      // The page may now reach only this hub: reload it under the tightened CSP (the kiosk continues where it was).
      hubOrigin = originOf(villageSyncUrl);
      setTimeout(() => {
        window.webContents.reload();
      }, 0);
      startUpdates({ villageSyncUrl });
    }
    return saved;
  });
  handle('sealApplicant', (request) => enrollments.sealApplicant(request));
  handle('sealPhone', (request) => enrollments.sealPhone(request));
  handle('revealIdNumber', (request) => enrollments.revealIdNumber(request));
  handle('blindIndex', (request) => enrollments.blindIndex(request));
  handle('storageKey', (request) => enrollments.storageKey(request));
  handle('clearStoreFiles', async () => {
    // Chromium deletes the origin's IndexedDB directory: the only way its uncompacted pages leave the disk.
    await session.defaultSession.clearStorageData({ origin: APP_ORIGIN, storages: ['indexdb'] });
    return ok(null);
  });
  // The page's requests to its hub carry the kiosk's credential, added here: page script never holds it.
  session.defaultSession.webRequest.onBeforeSendHeaders((details, callback) => {
    const authorization = details.webContentsId === undefined ? undefined : enrollments.authorizationFor(details.url);
    callback({ requestHeaders: authorization ? { ...details.requestHeaders, Authorization: authorization } : details.requestHeaders });
  });
  handle('print', async () => {
    const printed = await new Promise<{ success: boolean; reason: string }>((done) => {
      window.webContents.print(receiptPrintOptions(kioskMode), (success, reason) => {
        done({ success, reason });
      });
    });
    if (printed.success) return ok({});
    if (!kioskMode) return err({ code: 'shell.printFailed', message: printed.reason });
    // No printer answered at the counter: keep the receipt as a PDF the clerk can print later.
    const file = receiptPdfPath(app.getPath('documents'), new Date());
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, await window.webContents.printToPDF({ pageSize: 'A5', printBackground: true }));
    log(`printing failed (${printed.reason}); receipt saved as ${file}`);
    return ok({ savedPdf: file });
  });
  handle('hasTechnicianPin', async () => ok(await pin.isSet()));
  handle('setTechnicianPin', (newPin) => pin.set(newPin));
  handle('checkTechnicianPin', (typed) => pin.check(typed));
  handle('leaveKioskMode', async (typed) => {
    const checked = await pin.check(typed);
    if (!checked.ok) return checked;
    leavingKioskMode = true;
    window.setKiosk(false);
    window.setFullScreen(false);
    return ok(null);
  });
  handle('reportActivity', (activity) => {
    if (gate.activity(activity)) autoUpdater.quitAndInstall(true, true);
    return Promise.resolve(ok(null));
  });
  handle('saveDiagnosticBundle', async (bundle) => {
    const chosen = await dialog.showSaveDialog(window, { defaultPath: bundle.fileName, filters: [{ name: 'JSON', extensions: ['json'] }] });
    if (chosen.canceled || !chosen.filePath) return err({ code: 'shell.saveCancelled', message: 'Not saved.' });
    await writeFile(chosen.filePath, bundle.content, 'utf8');
    return ok({ path: chosen.filePath });
  });

  let updating = false;
  function startUpdates(enrollment: { villageSyncUrl: string }) {
    if (updating) return;
    updating = startKioskUpdates({
      updater: autoUpdater,
      gate,
      feedUrl: updateFeedUrl(enrollment),
      running: app.getVersion(),
      platform: process.platform,
      development: !app.isPackaged,
      publicKeys: BUILT_IN_UPDATE_KEYS,
      fetchBytes,
      log,
    });
  }
  const kept = enrollments.savedSyncUrl();
  if (kept) startUpdates({ villageSyncUrl: kept });

  app.on('window-all-closed', () => {
    app.quit();
  });
}
