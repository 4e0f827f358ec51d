/**
 * A county's division table (county → towns → villages), versioned by edition, shipped to the hub
 * as data. The seed is Jianshi County's NBS 2023 table; a county replaces it with its own edition.
 */
import { z } from 'zod';
import { parseDocument, refuseDuplicates, type DataError, type Reading } from '../data-error.js';
import type { Result } from '../result.js';
import { countyCodeSchema, townCodeSchema, villageCodeSchema } from './code.js';

const villageSchema = z.object({
  code12: villageCodeSchema,
  name: z.string().min(1),
  /** 村委会 (village committee) or 居委会/社区 (residents' committee). */
  kind: z.enum(['village', 'community']),
});

const townSchema = z.object({
  code12: townCodeSchema,
  name: z.string().min(1),
  /** 镇, 乡, 民族乡, 街道 … as published. */
  kind: z.string().min(1),
  villages: z.array(villageSchema).min(1),
});

export const DIVISION_TABLE_SCHEMA_VERSION = 1;

export const divisionTableSchema = z
  .object({
    kind: z.literal('cunban.divisionTable'),
    schemaVersion: z.literal(DIVISION_TABLE_SCHEMA_VERSION),
    /** Which published edition this table reproduces, e.g. 'NBS-2023'. */
    edition: z.string().min(1),
    source: z.string().min(1),
    province: z.object({ code12: z.string().regex(/^\d{2}0{10}$/), name: z.string().min(1) }),
    prefecture: z.object({ code12: z.string().regex(/^\d{4}0{8}$/), name: z.string().min(1) }),
    county: z.object({ code12: countyCodeSchema, name: z.string().min(1) }),
    towns: z.array(townSchema).min(1),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<string | number>();
    const county6 = table.county.code12.slice(0, 6);
    if (!table.county.code12.startsWith(table.prefecture.code12.slice(0, 4))) {
      ctx.addIssue({ code: 'custom', path: ['county', 'code12'], message: 'county is not in the prefecture' });
    }
    if (!table.prefecture.code12.startsWith(table.province.code12.slice(0, 2))) {
      ctx.addIssue({ code: 'custom', path: ['prefecture', 'code12'], message: 'prefecture is not in the province' });
    }
    table.towns.forEach((town, t) => {
      if (!town.code12.startsWith(county6)) {
        ctx.addIssue({ code: 'custom', path: ['towns', t, 'code12'], message: `town is not in county ${county6}` });
      }
      const town9 = town.code12.slice(0, 9);
      town.villages.forEach((village, v) => {
        if (!village.code12.startsWith(town9)) {
          const path = ['towns', t, 'villages', v, 'code12'];
          ctx.addIssue({ code: 'custom', path, message: `village is not in town ${town.code12}` });
        }
      });
    });
    // One namespace for every code in the table: no town or village may reuse another's.
    const duplicate = () => 'duplicate code';
    refuseDuplicates(
      ctx,
      table.towns,
      (town) => town.code12,
      (t) => ['towns', t, 'code12'],
      duplicate,
      seen,
    );
    table.towns.forEach((town, t) => {
      const pathOf = (v: number) => ['towns', t, 'villages', v, 'code12'];
      refuseDuplicates(ctx, town.villages, (village) => village.code12, pathOf, duplicate, seen);
    });
  });

export type DivisionTable = z.infer<typeof divisionTableSchema>;
export type Town = DivisionTable['towns'][number];
export type Village = Town['villages'][number];

export function parseDivisionTable(input: unknown, reading?: Reading): Result<DivisionTable, DataError> {
  return parseDocument(divisionTableSchema, 'divisionTable', input, reading);
}

export interface VillagePlace {
  readonly village: Village;
  readonly town: Town;
  readonly county: DivisionTable['county'];
}

/** Lookups over one table. Build once per table; every lookup is a map read. */
export interface DivisionIndex {
  readonly table: DivisionTable;
  readonly villages: readonly Village[];
  village(code12: string): VillagePlace | undefined;
  town(code12: string): Town | undefined;
  /** Villages of a town, or every village of the county when given the county code. */
  villagesUnder(code12: string): readonly Village[];
}

export function indexDivisions(table: DivisionTable): DivisionIndex {
  const villages = new Map<string, VillagePlace>();
  const towns = new Map<string, Town>();
  for (const town of table.towns) {
    towns.set(town.code12, town);
    for (const village of town.villages) villages.set(village.code12, { village, town, county: table.county });
  }
  const allVillages = table.towns.flatMap((town) => town.villages);
  return {
    table,
    villages: allVillages,
    village: (code12) => villages.get(code12),
    town: (code12) => towns.get(code12),
    villagesUnder: (code12) => (code12 === table.county.code12 ? allVillages : (towns.get(code12)?.villages ?? [])),
  };
}
