import { formatIssues, parseDocument, type DataError, type Reading } from '../data-error.js';
import { LEVELS } from '../level.js';
import { err, type Result } from '../result.js';
import { catalogSchema, type Catalog, type Sector, type ServiceItem } from './schema.js';

/**
 * Validate a catalog from anywhere (seed file, hub database, county upload): `authored` for a county's own
 * file, which must also promise only what can be kept (`impossibleLimits`). A catalog already synced is
 * read as it is, so a kiosk never loses its catalog over a limit a county published before this check.
 */
export function parseCatalog(input: unknown, reading?: Reading): Result<Catalog, DataError> {
  const parsed = parseDocument(catalogSchema, 'catalog', input, reading);
  if (!parsed.ok || reading !== 'authored') return parsed;
  const impossible = impossibleLimits(parsed.value);
  return impossible.length === 0 ? parsed : err({ code: 'data.invalid', document: 'catalog', problems: formatIssues(impossible, input) });
}

/** Whether a case of `item` accepted at the village can be decided within its limit (see `impossibleLimits`). */
export function limitCanBeMet(item: Pick<ServiceItem, 'decidingLevel' | 'timeLimitWorkingDays'>): boolean {
  return item.timeLimitWorkingDays === null || item.timeLimitWorkingDays >= LEVELS.indexOf(item.decidingLevel);
}

/**
 * Time limits no case can meet: a case accepted at the village reaches its deciding level only by being
 * forwarded, a working day at least for each level on the way (town 1, county 2), so an item decided above
 * the village with a shorter limit would be due before it could arrive (YB-04: 0 days, village → town →
 * county, was due the day it was accepted). Such an item publishes no limit (null), or one it can keep.
 */
export function impossibleLimits(catalog: Catalog) {
  return catalog.items.flatMap((item, i) => {
    const hops = LEVELS.indexOf(item.decidingLevel);
    const limit = item.timeLimitWorkingDays;
    if (limitCanBeMet(item)) return [];
    const message = `${String(limit ?? 0)} working days cannot be met: the case is forwarded ${String(hops)} level(s) up to the ${item.decidingLevel}; give at least ${String(hops)}, or null for no published limit`;
    return [{ code: 'custom' as const, path: ['items', i, 'timeLimitWorkingDays'], message, input: limit }];
  });
}

export interface CatalogIndex {
  readonly catalog: Catalog;
  item(code: string): ServiceItem | undefined;
  sector(code: string): Sector | undefined;
  itemsOfSector(code: string): readonly ServiceItem[];
}

export function indexCatalog(catalog: Catalog): CatalogIndex {
  const items = new Map(catalog.items.map((item) => [item.code, item]));
  const sectors = new Map(catalog.sectors.map((sector) => [sector.code, sector]));
  const bySector = new Map<string, ServiceItem[]>();
  for (const item of catalog.items) bySector.set(item.sector, [...(bySector.get(item.sector) ?? []), item]);
  return {
    catalog,
    item: (code) => items.get(code),
    sector: (code) => sectors.get(code),
    itemsOfSector: (code) => bySector.get(code) ?? [],
  };
}
