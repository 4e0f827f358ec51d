/**
 * The service catalog (服务事项目录): sectors and the service items a village hall handles.
 * It is data a county publishes and edits — versioned, validated here, never hard-coded in screens.
 */
import { z } from 'zod';
import { refuseDuplicates } from '../data-error.js';
import { countyCodeSchema } from '../divisions/code.js';
import { LEVELS } from '../level.js';
import { localDateSchema } from '../local-date-schema.js';
import { localizedTextSchema } from '../localized.js';

export const CATALOG_SCHEMA_VERSION = 1;

export const sectorCodeSchema = z.string().regex(/^[A-Z]{2,4}$/, 'sector code is 2–4 capital letters, e.g. MZ');
export const itemCodeSchema = z.string().regex(/^[A-Z]{2,4}-\d{2,3}$/, 'item code is a sector code, a dash and 2–3 digits, e.g. MZ-01');
export const materialIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/, 'material id is lower-case, e.g. m1');

const materialSchema = z.object({
  /** Stable within its item: cases record materials by id, so a reworded name keeps old cases readable. */
  id: materialIdSchema,
  name: localizedTextSchema,
  /** False for materials needed only in some situations (如有 / 委托代办的 …): the clerk may mark them not applicable. */
  required: z.boolean(),
});

const sectorSchema = z.object({ code: sectorCodeSchema, name: localizedTextSchema });

const serviceItemSchema = z
  .object({
    code: itemCodeSchema,
    sector: sectorCodeSchema,
    name: localizedTextSchema,
    /** The level whose decision closes the case; the village accepts and forwards anything above it. */
    decidingLevel: z.enum(LEVELS),
    materials: z.array(materialSchema).min(1, 'an item lists at least one material'),
    /** Working days allowed for the decision; 0 = on the spot (即办); null = no published limit. */
    timeLimitWorkingDays: z.number().int().min(0).max(365).nullable(),
    fee: z.boolean(),
    notes: z.string(),
  })
  .superRefine((item, ctx) => {
    refuseDuplicates(
      ctx,
      item.materials,
      (m) => m.id,
      (m) => ['materials', m, 'id'],
      (id) => `duplicate material id ${id}`,
    );
  });

export const catalogSchema = z
  .object({
    kind: z.literal('cunban.catalog'),
    schemaVersion: z.literal(CATALOG_SCHEMA_VERSION),
    county: z.object({ code12: countyCodeSchema, name: z.string().min(1) }),
    /** Raised by one on every published change; kiosks keep the highest version they have seen. */
    version: z.number().int().min(1),
    publishedOn: localDateSchema,
    title: localizedTextSchema,
    /** Where the list comes from and how official it is. */
    provenance: z.string().min(1),
    sources: z.record(z.string().regex(/^[A-Z][A-Z0-9]{0,7}$/, 'source key like S1 or INF'), z.string().min(1)),
    sectors: z.array(sectorSchema).min(1),
    items: z.array(serviceItemSchema).min(1),
  })
  .superRefine((catalog, ctx) => {
    const sectors = new Set(catalog.sectors.map((sector) => sector.code));
    refuseDuplicates(
      ctx,
      catalog.sectors,
      (s) => s.code,
      (s) => ['sectors', s, 'code'],
      (code) => `duplicate sector code ${code}`,
    );
    refuseDuplicates(
      ctx,
      catalog.items,
      (i) => i.code,
      (i) => ['items', i, 'code'],
      (code) => `duplicate item code ${code}`,
    );
    catalog.items.forEach((item, i) => {
      if (!sectors.has(item.sector)) {
        ctx.addIssue({ code: 'custom', path: ['items', i, 'sector'], message: `unknown sector ${item.sector}` });
      }
    });
  });

export type Catalog = z.infer<typeof catalogSchema>;
export type Sector = Catalog['sectors'][number];
export type ServiceItem = Catalog['items'][number];
export type Material = ServiceItem['materials'][number];
