/**
 * Gathering the kiosk's health for the technician: the hub's reachability and latency (its health
 * route), sync, storage, versions and case counts. Only facts core's diagnostic bundle allows; no case
 * content is read beyond its status.
 */
import { firstValueFrom } from 'rxjs';
import { healthResponseSchema } from '../../core/api/health.js';
import { CASE_DOCUMENT_SCHEMA_VERSION } from '../../core/case/document.js';
import type { DiagnosticFacts, HubCheck } from '../../core/diagnostics.js';
import type { KioskData } from './kiosk-data.js';

type Fetch = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

export async function checkHub(hubBase: string, fetch: Fetch, now: () => number = () => performance.now()): Promise<HubCheck> {
  const started = now();
  try {
    const response = await fetch(new URL('api/health', hubBase), { cache: 'no-store' });
    const latencyMs = Math.round(now() - started);
    const health = healthResponseSchema.safeParse(await response.json().catch(() => undefined));
    return {
      reachable: true,
      latencyMs,
      status: response.status,
      ...(health.success ? { hubVersion: health.data.versions.hub, storeSchema: health.data.versions.storeSchema } : {}),
    };
  } catch {
    return { reachable: false, status: 0 };
  }
}

export async function collectDiagnostics(
  data: KioskData,
  options: { readonly appVersion: string; readonly secretsProtectedAtRest: boolean; readonly fetch?: Fetch; readonly now?: Date },
): Promise<DiagnosticFacts> {
  const hubBase = new URL('../../', data.enrollment.villageSyncUrl).href;
  const [hub, storage, cases, county, compat] = await Promise.all([
    checkHub(hubBase, options.fetch ?? ((input, init) => globalThis.fetch(input, init))),
    data.storageHealth(),
    data.cases.all(),
    firstValueFrom(data.county$),
    firstValueFrom(data.compat$),
  ]);
  const minimum = county.fleetPolicy?.minimumKioskVersion;
  const sync = data.sync.state();
  const casesByStatus: Record<string, number> = {};
  for (const doc of cases) casesByStatus[doc.summary.status] = (casesByStatus[doc.summary.status] ?? 0) + 1;
  return {
    generatedAt: (options.now ?? new Date()).toISOString(),
    kiosk: { kioskId: data.enrollment.kioskId, village: data.enrollment.village, villageName: data.enrollment.villageName, hub: hubBase },
    versions: {
      app: options.appVersion,
      ...(county.catalog ? { catalog: county.catalog.version } : {}),
      caseSchema: CASE_DOCUMENT_SCHEMA_VERSION,
      ...(minimum ? { minimum } : {}),
      updateRequired: compat.updateRequired !== undefined,
      unreadableDocuments: compat.unreadable,
    },
    hub,
    sync: {
      status: sync.status,
      ...(sync.lastPushAt ? { lastPushAt: sync.lastPushAt } : {}),
      ...(sync.lastPullAt ? { lastPullAt: sync.lastPullAt } : {}),
      pendingCases: sync.pendingOutbound,
      pendingFiles: sync.pendingFiles ?? 0,
      refused: sync.refused,
      recentErrors: sync.recentErrors ?? [],
    },
    storage: {
      level: storage.level,
      ...(storage.usageBytes === undefined ? {} : { usageBytes: storage.usageBytes }),
      ...(storage.quotaBytes === undefined ? {} : { quotaBytes: storage.quotaBytes }),
    },
    casesByStatus,
    secretsProtectedAtRest: options.secretsProtectedAtRest,
  };
}
