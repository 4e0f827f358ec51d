/**
 * `window.cunban` built from an `invoke` function: one named function per channel of core's contract.
 * The preload passes `ipcRenderer.invoke` bound to nothing else, so the page never holds `ipcRenderer`
 * or an event object. Kept free of `electron` so it is tested under Node.
 */
import type { CunbanBridge } from '../core/api/shell.js';
import { SHELL_CHANNEL_NAMES, type ShellChannel } from '../core/api/shell-channels.js';

export type Invoke = (channel: string, argument?: unknown) => Promise<unknown>;

export function bridgeOf(invoke: Invoke, appVersion: string): CunbanBridge {
  // The shapes of the answers are main's promise (core's contract); main checks what goes in.
  const call = (name: ShellChannel, argument?: unknown) => invoke(SHELL_CHANNEL_NAMES[name], argument) as Promise<never>;
  const bridge: CunbanBridge = {
    appVersion,
    enroll: (request) => call('enroll', request),
    loadEnrollment: () => call('loadEnrollment'),
    saveEnrollment: (which) => call('saveEnrollment', which),
    sealApplicant: (request) => call('sealApplicant', request),
    sealPhone: (request) => call('sealPhone', request),
    revealIdNumber: (request) => call('revealIdNumber', request),
    blindIndex: (request) => call('blindIndex', request),
    storageKey: (request) => call('storageKey', request),
    clearStoreFiles: () => call('clearStoreFiles'),
    print: () => call('print'),
    hasTechnicianPin: () => call('hasTechnicianPin'),
    setTechnicianPin: (pin) => call('setTechnicianPin', pin),
    checkTechnicianPin: (pin) => call('checkTechnicianPin', pin),
    leaveKioskMode: (pin) => call('leaveKioskMode', pin),
    reportActivity: (activity) => call('reportActivity', activity),
    saveDiagnosticBundle: (bundle) => call('saveDiagnosticBundle', bundle),
  };
  return Object.freeze(bridge);
}
