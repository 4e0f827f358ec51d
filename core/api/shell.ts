/**
 * The contract between the kiosk's renderer and the Electron shell: the one object the preload exposes
 * as `window.cunban`, its IPC channels, and the schema of every argument main accepts. Main checks
 * each call against these (and its sender); the renderer only ever sees `{ok, value} | {ok: false, error}`.
 */
import { z } from 'zod';
import type { Person } from '../case/events.js';
import type { UnsealError } from '../case/person-seal.js';
import { sealedValueSchema } from '../case/sealed.js';
import type { EnrollError } from './enroll-client.js';
import { enrollContinuationSchema, kioskIdSchema, type EnrollContinuation, type KioskEnrollment } from './enrollment.js';
import type { Result } from '../result.js';
import type { ShellChannel } from './shell-channels.js';

export { SHELL_CHANNEL_NAMES, type ShellChannel } from './shell-channels.js';

export type ShellErrorCode =
  | 'shell.badRequest'
  | 'shell.forbiddenSender'
  | 'shell.secretsUnavailable'
  | 'shell.wrongPin'
  | 'shell.pinLocked'
  | 'shell.noPin'
  | 'shell.printFailed'
  | 'shell.saveCancelled'
  /** No enrollment of that kiosk id is held by main (staged or saved). */
  | 'shell.unknownEnrollment'
  | 'shell.failed';

export interface ShellError {
  readonly code: ShellErrorCode;
  readonly message: string;
}
export type ShellResult<T> = Result<T, ShellError>;

/** Where a receipt went: the printer, or (no printer answering in kiosk mode) a PDF file the clerk can print later. */
export interface PrintOutcome {
  readonly savedPdf?: string;
}

/** A technician PIN: 6 to 12 digits (longer than a clerk's, and never the same screen). */
export const technicianPinSchema = z.string().regex(/^\d{6,12}$/, 'a technician PIN is 6 to 12 digits');

/** What the renderer tells main about the counter, so an update never installs under a clerk's hands. */
export const activitySchema = z.strictObject({
  /** No key or pointer input for the idle period, and no case form open. */
  clerkIdle: z.boolean(),
  /** A local write or a push is in flight. */
  syncWriting: z.boolean(),
});
export type Activity = z.infer<typeof activitySchema>;

/** A diagnostic bundle the renderer assembled (no personal data: `core/diagnostics.ts` builds it). */
export const diagnosticBundleSchema = z.strictObject({ fileName: z.string().regex(/^[A-Za-z0-9._-]{1,80}\.json$/), content: z.string().max(2_000_000) });

/** A kiosk database's key at rest: 32 random bytes, base64url (renderer/data/at-rest.ts). */
export const storageKeySchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/);

/** What the clerk typed for a resident, on its way to main to be sealed. */
const personInputSchema = z.strictObject({
  name: z.string().max(200),
  idNumber: z.string().max(32),
  phone: z.string().max(32).optional(),
  address: z.string().max(500).optional(),
});

/** Each channel, the schema of its one argument (`z.undefined()` for none). */
export const SHELL_CHANNELS = {
  enroll: {
    argument: z.strictObject({
      hub: z.url({ protocol: /^https?$/ }),
      code: z.string().max(64),
      appVersion: z.string().max(32),
      continuing: enrollContinuationSchema.optional(),
    }),
  },
  loadEnrollment: { argument: z.undefined() },
  saveEnrollment: { argument: z.strictObject({ kioskId: kioskIdSchema }) },
  sealApplicant: { argument: z.strictObject({ kioskId: kioskIdSchema, person: personInputSchema }) },
  sealPhone: { argument: z.strictObject({ kioskId: kioskIdSchema, phone: z.string().max(32) }) },
  revealIdNumber: { argument: z.strictObject({ kioskId: kioskIdSchema, sealed: sealedValueSchema }) },
  blindIndex: { argument: z.strictObject({ kioskId: kioskIdSchema, idNumber: z.string().max(32) }) },
  storageKey: { argument: z.strictObject({ kioskId: kioskIdSchema }) },
  clearStoreFiles: { argument: z.undefined() },
  print: { argument: z.undefined() },
  hasTechnicianPin: { argument: z.undefined() },
  setTechnicianPin: { argument: technicianPinSchema },
  checkTechnicianPin: { argument: z.string().max(64) },
  leaveKioskMode: { argument: z.string().max(64) },
  reportActivity: { argument: activitySchema },
  saveDiagnosticBundle: { argument: diagnosticBundleSchema },
} as const satisfies Record<ShellChannel, { argument: z.ZodType }>;

/** `window.cunban`: named functions only — never `ipcRenderer`, never an event object. */
export interface CunbanBridge {
  readonly appVersion: string;
  /**
   * Main enrolls with the hub and holds the answer (staged, not yet kept): the page gets the enrollment
   * without its credential and keys, which never reach page script.
   */
  readonly enroll: (request: {
    hub: string;
    code: string;
    appVersion: string;
    continuing?: EnrollContinuation;
  }) => Promise<ShellResult<Result<KioskEnrollment, EnrollError>>>;
  /** The enrollment main keeps in the OS keychain (safeStorage), without its secrets; null before the first. */
  readonly loadEnrollment: () => Promise<ShellResult<KioskEnrollment | null>>;
  /** Keep the staged enrollment of this kiosk id: the one switch of a first enrollment or a move. */
  readonly saveEnrollment: (which: { kioskId: string }) => Promise<ShellResult<null>>;
  /** Seal a resident's numbers with that enrollment's keys, in main. */
  readonly sealApplicant: (request: {
    kioskId: string;
    person: { name: string; idNumber: string; phone?: string; address?: string };
  }) => Promise<ShellResult<Person>>;
  /** Seal a phone number (an appointment's) with that enrollment's keys, in main. */
  readonly sealPhone: (request: { kioskId: string; phone: string }) => Promise<ShellResult<z.infer<typeof sealedValueSchema>>>;
  /** Open a sealed ID number for a clerk who deliberately asks. */
  readonly revealIdNumber: (request: { kioskId: string; sealed: z.infer<typeof sealedValueSchema> }) => Promise<ShellResult<Result<string, UnsealError>>>;
  /** The blind index of a full ID number, to find a case by it. */
  readonly blindIndex: (request: { kioskId: string; idNumber: string }) => Promise<ShellResult<string>>;
  /** The key of that enrollment's database at rest, kept by main under the keychain (made on first ask). */
  readonly storageKey: (request: { kioskId: string }) => Promise<ShellResult<string>>;
  /**
   * Delete the page's IndexedDB files (every database), so pages LevelDB has not compacted leave the disk:
   * the page has put its data aside first and puts it back after (renderer/data/store-rewrite.ts).
   * Nothing the page could not do itself by deleting its databases, but only this removes the files.
   */
  readonly clearStoreFiles: () => Promise<ShellResult<null>>;
  /** Print the page's print view: straight to the default printer in kiosk mode, or as a PDF when it cannot. */
  readonly print: () => Promise<ShellResult<PrintOutcome>>;
  readonly hasTechnicianPin: () => Promise<ShellResult<boolean>>;
  /** Set the technician PIN (first run; afterwards only with the current one checked first). */
  readonly setTechnicianPin: (pin: string) => Promise<ShellResult<null>>;
  readonly checkTechnicianPin: (pin: string) => Promise<ShellResult<null>>;
  /** Quit kiosk mode for maintenance, with the technician PIN. */
  readonly leaveKioskMode: (pin: string) => Promise<ShellResult<null>>;
  readonly reportActivity: (activity: Activity) => Promise<ShellResult<null>>;
  /** Ask where to save the bundle (a USB stick), and save it. Returns the path written. */
  readonly saveDiagnosticBundle: (bundle: z.infer<typeof diagnosticBundleSchema>) => Promise<ShellResult<{ path: string }>>;
}
