/**
 * The kiosk hosted by Electron: `window.cunban` (core's CunbanBridge, exposed by the preload). Main
 * enrolls, keeps the enrollment in the OS keychain and never hands this page its credential or keys: the
 * page seals and reveals through main, and main adds the credential to the page's requests to the hub.
 * Main also prints to the default printer, and hears when the counter is idle so an update never installs
 * under a clerk's hands.
 */
import type { CunbanBridge, ShellResult } from '../../core/api/shell.js';
import type { KioskSecrets } from '../data/key-store.js';
import type { KioskKeys } from '../data/kiosk-keys.js';
import { opfsFile } from '../data/store-rewrite.js';
import { localKioskData, type KioskShell } from './shell.js';

/** A shell call that failed, with main's explanation (shown to the technician). */
export class ShellFailure extends Error {}

async function unwrap<T>(answer: Promise<ShellResult<T>>): Promise<T> {
  const result = await answer;
  if (!result.ok) throw new ShellFailure(result.error.message);
  return result.value;
}

/** The village's keys, used in main by kiosk id. */
export function mainKeys(bridge: CunbanBridge, kioskId: string): KioskKeys {
  return {
    sealApplicant: (person) => unwrap(bridge.sealApplicant({ kioskId, person: { ...person } })),
    sealPhone: (phone) => unwrap(bridge.sealPhone({ kioskId, phone })),
    revealIdNumber: (person) => unwrap(bridge.revealIdNumber({ kioskId, sealed: person.idNumber })),
    blindIndex: (idNumber) => unwrap(bridge.blindIndex({ kioskId, idNumber })),
  };
}

/** The bridge, when this page runs inside the Cunban shell. */
export function shellBridge(): CunbanBridge | undefined {
  return (globalThis as { cunban?: CunbanBridge }).cunban;
}

export function electronShell(bridge: CunbanBridge, preferences: Pick<Storage, 'getItem' | 'setItem'>): KioskShell {
  const secrets: KioskSecrets = {
    protectedAtRest: true,
    enroll: (hub, code, appVersion, continuing) => unwrap(bridge.enroll({ hub, code, appVersion, ...(continuing ? { continuing } : {}) })),
    load: async () => (await unwrap(bridge.loadEnrollment())) ?? undefined,
    save: async (enrollment) => {
      await unwrap(bridge.saveEnrollment({ kioskId: enrollment.kioskId }));
    },
    storageKey: (kioskId) => unwrap(bridge.storageKey({ kioskId })),
  };
  return {
    secrets,
    appVersion: bridge.appVersion,
    ...localKioskData(bridge.appVersion, secrets, {
      keysFor: (enrollment) => mainKeys(bridge, enrollment.kioskId),
      storeFiles: { clear: () => unwrap(bridge.clearStoreFiles()).then(() => undefined), snapshot: opfsFile('cunban-store-rewrite.jsonl') },
    }),
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
