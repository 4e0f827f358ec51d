/**
 * What the kiosk says about versions, at the counter and in diagnostics (core/compat.ts,
 * core/fleet-policy.ts): whether the county asks for a newer version than this kiosk's — it keeps
 * working and syncing meanwhile — and how many synced documents it keeps without being able to read
 * them, written by a newer version of Cunban.
 */
import { combineLatest, map, type Observable } from 'rxjs';
import { READS } from '../../core/compat.js';
import { updateRequired, type UpdateRequired } from '../../core/fleet-policy.js';
import { isReadableCase } from './case-collection.js';
import type { CountyData } from './county-data.js';
import type { KioskDatabase } from './kiosk-database.js';

export interface CompatState {
  readonly appVersion: string;
  /** Set when this kiosk is below the county's minimum version. */
  readonly updateRequired?: UpdateRequired;
  /** Synced documents (cases and county documents) only a newer version can read. */
  readonly unreadable: number;
}

export function compatState$(db: KioskDatabase, county$: Observable<CountyData>, appVersion: string): Observable<CompatState> {
  const unreadableCases$ = db.cases
    .find({ selector: { $or: [{ kind: { $ne: 'cunban.case' } }, { schemaVersion: { $gt: READS['cunban.case'] } }] } })
    .$.pipe(map((docs) => docs.filter((doc) => !isReadableCase(doc)).length));
  return combineLatest([county$, unreadableCases$]).pipe(
    map(([county, unreadableCases]) => {
      const due = updateRequired(appVersion, county.fleetPolicy?.minimumKioskVersion);
      return { appVersion, ...(due ? { updateRequired: due } : {}), unreadable: unreadableCases + county.unreadable.length };
    }),
  );
}
