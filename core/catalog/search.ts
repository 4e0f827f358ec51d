/** Finding a service item at the counter: by code, Chinese name, pinyin (full or initials) or English name. */
import { matchRank, searchForms } from '../search/pinyin.js';
import type { Catalog, ServiceItem } from './schema.js';

export interface ItemSearch {
  /** Matching items, prefix matches first, then in catalog order. An empty query finds nothing. */
  find(query: string): ServiceItem[];
}

export function itemSearch(catalog: Catalog): ItemSearch {
  // Built once per catalog version: pinyin of 76 names takes a few milliseconds.
  const entries = catalog.items.map((item, order) => ({
    item,
    order,
    forms: [item.code.toLowerCase(), ...searchForms(item.name.zh), item.name.en.toLowerCase()],
  }));
  return {
    find(query) {
      if (query.trim() === '') return [];
      return entries
        .map((entry) => ({ entry, rank: matchRank(entry.forms, query) }))
        .filter((hit): hit is { entry: (typeof entries)[number]; rank: 0 | 1 } => hit.rank !== undefined)
        .sort((a, b) => a.rank - b.rank || a.entry.order - b.entry.order)
        .map((hit) => hit.entry.item);
    },
  };
}
