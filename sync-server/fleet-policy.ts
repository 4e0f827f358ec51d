/**
 * The county's fleet policy (core/fleet-policy.ts), kept in the catalog database so that every kiosk
 * pulls it with the catalog and knows it offline: `cunban-hub fleet minimum-version 0.2.0` sets it.
 */
import { FLEET_POLICY_ID, FLEET_POLICY_SCHEMA_VERSION, parseFleetPolicy, type FleetPolicy } from '../core/fleet-policy.js';
import { err, ok, type Result } from '../core/result.js';
import { DB } from './store/names.js';
import type { Store, StoreFailure, StoreResult } from './store/store.js';

/** The policy in force; undefined while none was ever set (or the stored one does not read, which is logged by callers). */
export async function readFleetPolicy(store: Store): Promise<StoreResult<FleetPolicy | undefined>> {
  const stored = await store.getDoc<Record<string, unknown>>(DB.catalog, FLEET_POLICY_ID);
  if (!stored.ok) return stored.error.status === 404 ? ok(undefined) : stored;
  const policy = parseFleetPolicy(stored.value);
  return ok(policy.ok ? policy.value : undefined);
}

export type FleetPolicyError = { readonly code: 'fleet.store'; readonly failure: StoreFailure };

/** Set (or, with `undefined`, lift) the minimum kiosk version; re-reads on a conflict with another hub process. */
export async function setMinimumKioskVersion(
  store: Store,
  minimum: string | undefined,
  updatedBy: string,
  now: Date,
): Promise<Result<FleetPolicy, FleetPolicyError>> {
  const policy: FleetPolicy = {
    kind: 'cunban.fleetPolicy',
    schemaVersion: FLEET_POLICY_SCHEMA_VERSION,
    ...(minimum === undefined ? {} : { minimumKioskVersion: minimum }),
    updatedAt: now.toISOString(),
    updatedBy,
  };
  for (;;) {
    const current = await store.getDoc<{ _rev: string }>(DB.catalog, FLEET_POLICY_ID);
    if (!current.ok && current.error.status !== 404) return err({ code: 'fleet.store', failure: current.error });
    const saved = await store.putDoc(DB.catalog, { _id: FLEET_POLICY_ID, ...policy, ...(current.ok ? { _rev: current.value._rev } : {}) });
    if (saved.ok) return ok(policy);
    if (saved.error.status !== 409) return err({ code: 'fleet.store', failure: saved.error });
  }
}
