import { parseDocument, type DataError, type Reading } from '../data-error.js';
import type { Result } from '../result.js';
import { catalogSchema, type Catalog, type Sector, type ServiceItem } from './schema.js';

/** Validate a catalog from anywhere (seed file, hub database, county upload): `authored` for a county's own file. */
export function parseCatalog(input: unknown, reading?: Reading): Result<Catalog, DataError> {
  return parseDocument(catalogSchema, 'catalog', input, reading);
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
