/**
 * How full the kiosk's disk quota is, so the counter can warn before it fills, and a recognizer for
 * the browser's quota error, so a refused write says why instead of failing obscurely.
 */
export type StorageLevel = 'ok' | 'warning' | 'critical' | 'unknown';

export interface StorageHealth {
  readonly usageBytes?: number;
  readonly quotaBytes?: number;
  readonly level: StorageLevel;
}

/** The device's storage is full: nothing was written, and everything stored before is intact. */
export interface StorageFull {
  readonly code: 'storage.full';
}
export const STORAGE_FULL: StorageFull = { code: 'storage.full' };

export const WARNING_RATIO = 0.8;
export const CRITICAL_RATIO = 0.95;

type Estimate = () => Promise<{ usage?: number; quota?: number }>;

export async function storageHealth(estimate: Estimate | undefined = browserEstimate()): Promise<StorageHealth> {
  if (!estimate) return { level: 'unknown' };
  const { usage, quota } = await estimate();
  if (usage === undefined || !quota) return { level: 'unknown' };
  const ratio = usage / quota;
  const level = ratio >= CRITICAL_RATIO ? 'critical' : ratio >= WARNING_RATIO ? 'warning' : 'ok';
  return { usageBytes: usage, quotaBytes: quota, level };
}

function browserEstimate(): Estimate | undefined {
  const storage = (globalThis as { navigator?: { storage?: { estimate?: Estimate } } }).navigator?.storage;
  return storage?.estimate ? () => (storage.estimate as Estimate).call(storage) : undefined;
}

/** True when `error`, or anything it wraps (Dexie and RxDB wrap the browser's error), is a quota error. */
export function isQuotaError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 5) return false;
  const e = error as { name?: unknown; message?: unknown; inner?: unknown; cause?: unknown; parameters?: { error?: unknown; errors?: unknown } };
  if (e.name === 'QuotaExceededError' || (typeof e.message === 'string' && /QuotaExceeded/i.test(e.message))) return true;
  const wrapped = [e.inner, e.cause, e.parameters?.error, ...(Array.isArray(e.parameters?.errors) ? (e.parameters.errors as unknown[]) : [])];
  return wrapped.some((inner) => isQuotaError(inner, depth + 1));
}
