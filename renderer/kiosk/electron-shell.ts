/**
 * The kiosk hosted by Electron: `window.cunban` (core's CunbanBridge, exposed by the preload) keeps the
 * enrollment in the OS keychain through main — never in this page's storage — prints to the default
 * printer, and hears when the counter is idle so an update never installs under a clerk's hands.
 */
import type { CunbanBridge, ShellResult } from '../../core/api/shell.js';
import type { KioskSecrets } from '../data/key-store.js';
import { localKioskData, type KioskShell } from './shell.js';

/** A shell call that failed, with main's explanation (shown to the technician). */
export class ShellFailure extends Error {}

async function unwrap<T>(answer: Promise<ShellResult<T>>): Promise<T> {
  const result = await answer;
  if (!result.ok) throw new ShellFailure(result.error.message);
  return result.value;
}

/** The bridge, when this page runs inside the Cunban shell. */
export function shellBridge(): CunbanBridge | undefined {
  return (globalThis as { cunban?: CunbanBridge }).cunban;
}

export function electronShell(bridge: CunbanBridge, preferences: Pick<Storage, 'getItem' | 'setItem'>): KioskShell {
  const secrets: KioskSecrets = {
    protectedAtRest: true,
    load: async () => (await unwrap(bridge.loadEnrollment())) ?? undefined,
    save: async (enrollment) => {
      await unwrap(bridge.saveEnrollment(enrollment));
    },
  };
  return {
    secrets,
    appVersion: bridge.appVersion,
    ...localKioskData(bridge.appVersion),
    print: () => unwrap(bridge.print()),
    reportActivity: (activity) => {
      void bridge.reportActivity(activity);
    },
    technician: {
      hasTechnicianPin: bridge.hasTechnicianPin,
      checkTechnicianPin: bridge.checkTechnicianPin,
      setTechnicianPin: bridge.setTechnicianPin,
      leaveKioskMode: bridge.leaveKioskMode,
    },
    saveDiagnosticBundle: bridge.saveDiagnosticBundle,
    preferences,
  };
}
