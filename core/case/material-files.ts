/**
 * Which scans each material of a case carries, read from the events that attached them (the clerk's
 * check at intake, materials supplied later). The same bytes may serve several materials (one photo of
 * a household register page that is both the register and the proof of address): the case says so, while
 * the hub keeps the bytes once, under the material of their first upload.
 */
import { isEventOf, type StoredEvent } from './events.js';

export interface MaterialFileRef {
  readonly sha256: string;
  readonly size: number;
  readonly contentType: 'image/jpeg' | 'image/png' | 'application/pdf';
}

/** Material id → its scans, each once, in the order they were attached. */
export function materialFiles(events: readonly StoredEvent[]): ReadonlyMap<string, readonly MaterialFileRef[]> {
  const byMaterial = new Map<string, MaterialFileRef[]>();
  for (const event of events) {
    if (!isEventOf(event, 'materialsChecked', 'materialsSupplied')) continue;
    for (const { materialId, ...file } of event.payload.files ?? []) {
      const refs = byMaterial.get(materialId) ?? [];
      if (!refs.some((ref) => ref.sha256 === file.sha256)) refs.push(file);
      byMaterial.set(materialId, refs);
    }
  }
  return byMaterial;
}
