/**
 * The county's rules for its fleet of kiosks, set on the hub (`cunban-hub fleet minimum-version`) and
 * synced to every kiosk in the catalog database as `fleet-policy`. Today one rule: the minimum kiosk
 * version. A kiosk below it keeps working — offline too, since the policy is synced — and its valid
 * pushes are still accepted (a resident's case is never lost to a version); it tells the clerk and the
 * technician that it must be updated, and the console's fleet view lists it.
 */
import semver from 'semver';
import { z } from 'zod';
import { instantSchema } from './case/events.js';
import { parseDocument, type DataError } from './data-error.js';
import type { Result } from './result.js';

export const FLEET_POLICY_ID = 'fleet-policy';
export const FLEET_POLICY_SCHEMA_VERSION = 1;

/** A release version as `package.json` writes it: `0.2.0`, `1.4.0-rc.1`. */
export const appVersionSchema = z
  .string()
  .max(32)
  .refine((text) => semver.valid(text) === text, 'expected a version like 0.2.0');

/**
 * A version a kiosk says it runs, as the hub records it (`kiosks list`, the fleet view, backups): a release
 * version with at most a short pre-release tag and no long run of digits. A tag can hold any text, so an
 * ID or phone number typed there (`1.0.0-422822198001010015`) is never recorded as a version.
 */
export function recordableVersion(text: string | undefined): string | undefined {
  if (text === undefined || !appVersionSchema.safeParse(text).success) return undefined;
  return /^\d{1,4}\.\d{1,4}\.\d{1,4}(-[0-9A-Za-z.]{1,16})?$/.test(text) && !/\d{7}/.test(text) ? text : undefined;
}

export const fleetPolicySchema = z.object({
  kind: z.literal('cunban.fleetPolicy'),
  schemaVersion: z.literal(FLEET_POLICY_SCHEMA_VERSION),
  /** Kiosks below this version must be updated; absent: no minimum. */
  minimumKioskVersion: appVersionSchema.optional(),
  updatedAt: instantSchema,
  /** Who set it, as the hub names them (`cli`, or a county reviewer). */
  updatedBy: z.string().min(1).max(80),
});
export type FleetPolicy = z.infer<typeof fleetPolicySchema>;

export function parseFleetPolicy(input: unknown): Result<FleetPolicy, DataError> {
  return parseDocument(fleetPolicySchema, 'fleetPolicy', input);
}

export interface UpdateRequired {
  readonly current: string;
  readonly minimum: string;
}

/**
 * Whether a kiosk of `appVersion` is below the county's minimum. A version that is not a release
 * version (a developer build) is compared by its release part, so `0.1.0-test` counts as below `0.1.0`.
 */
export function updateRequired(appVersion: string, minimum: string | undefined): UpdateRequired | undefined {
  if (minimum === undefined || semver.valid(minimum) === null) return undefined;
  const current = semver.valid(appVersion) ?? semver.coerce(appVersion)?.version;
  if (current === undefined || semver.lt(current, minimum)) return { current: appVersion, minimum };
  return undefined;
}
