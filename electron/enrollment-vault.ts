/**
 * The kiosk's enrollment (its credential and its village's data keys) at rest, in a sealed file
 * (sealed-file.ts: the OS keychain, atomic writes). Main holds it; the page never receives its secrets.
 */
import { enrollResponseSchema, type EnrollResponse } from '../core/api/enrollment.js';
import type { ShellResult } from '../core/api/shell.js';
import { ok } from '../core/result.js';
import { sealedFile, type SafeStorageLike } from './sealed-file.js';

export type { SafeStorageLike } from './sealed-file.js';

export interface EnrollmentVault {
  load(): Promise<ShellResult<EnrollResponse | null>>;
  save(enrollment: EnrollResponse): Promise<ShellResult<null>>;
}

export function enrollmentVault(options: { readonly safeStorage: SafeStorageLike; readonly file: string }): EnrollmentVault {
  const sealed = sealedFile(options.safeStorage, options.file);
  return {
    async load() {
      const text = await sealed.read();
      if (!text.ok || text.value === null) return text as ShellResult<null>;
      const parsed = enrollResponseSchema.safeParse(JSON.parse(text.value));
      // A file that no longer decrypts to an enrollment is treated as none: the technician enrolls again.
      return ok(parsed.success ? parsed.data : null);
    },
    save: (enrollment) => sealed.write(JSON.stringify(enrollResponseSchema.parse(enrollment))),
  };
}
