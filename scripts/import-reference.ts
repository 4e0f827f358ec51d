/**
 * Converts the research drafts in shared/reference/ into Cunban's own catalog and division-table
 * formats, validates them with core/, and writes the demo county's seed data into core/seed/.
 *
 *   npx tsx scripts/import-reference.ts [path/to/shared/reference]
 *
 * A county adapting Cunban replaces the seed with its own published list; this shows the mapping.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { limitCanBeMet, parseCatalog } from '../core/catalog/catalog.js';
import { saysOptional } from '../core/catalog/material-name.js';
import { LEVELS } from '../core/level.js';
import { parseDivisionTable } from '../core/divisions/table.js';
import { describeDataError } from '../core/i18n/describe.js';

interface DraftItem {
  code: string;
  sector: string;
  name_zh: string;
  name_en: string;
  decidedAt: 'village' | 'town' | 'county';
  materials_zh: string[];
  materials_en: string[];
  timeLimitWorkingDays: number | null;
  fee: boolean;
  notes: string;
}

interface DraftCatalog {
  meta: { title: string; status: string; sources: Record<string, string> };
  sectors: { code: string; name_zh: string; name_en: string }[];
  items: DraftItem[];
}

interface DraftDivisions {
  source: string;
  province: { code12: string; name: string };
  prefecture: { code12: string; name: string };
  county: { code12: string; name: string };
  towns: { code12: string; name: string; type: string; villages: { code12: string; name: string; kind: string }[] }[];
}

/** Materials asked for only in some situations: "（如有）", "委托代办的…", "（换领时）", "if via proxy" … */
const isConditional = (zh: string, en: string): boolean => saysOptional(zh) || saysOptional(en);

/** A limit no case forwarded from the village could meet is published as none (core's `impossibleLimits`), with why. */
function keepableLimit(item: DraftItem): { timeLimitWorkingDays: number | null; notes: string } {
  const limit = item.timeLimitWorkingDays;
  if (limitCanBeMet({ decidingLevel: item.decidedAt, timeLimitWorkingDays: limit })) return { timeLimitWorkingDays: limit, notes: item.notes };
  const hops = LEVELS.indexOf(item.decidedAt);
  const why = `Published as ${String(limit)} working day(s) (instant at the ${item.decidedAt}); a case accepted at the village must be forwarded ${String(hops)} level(s) first, so no limit from acceptance is published here (null).`;
  return { timeLimitWorkingDays: null, notes: `${item.notes.trimEnd()} ${why}` };
}

function convertCatalog(draft: DraftCatalog, county: DraftDivisions['county']): unknown {
  return {
    kind: 'cunban.catalog',
    schemaVersion: 1,
    county: pick(county),
    // 2: limits no forwarded case could meet published as none (issue 17).
    version: 2,
    publishedOn: '2026-11-30',
    title: { zh: '村级便民服务事项目录（示例：16个领域76项）', en: draft.meta.title },
    provenance: draft.meta.status,
    sources: draft.meta.sources,
    sectors: draft.sectors.map((s) => ({ code: s.code, name: { zh: s.name_zh, en: s.name_en } })),
    items: draft.items.map((item) => {
      if (item.materials_zh.length !== item.materials_en.length) {
        throw new Error(`${item.code}: materials_zh and materials_en differ in length`);
      }
      return {
        code: item.code,
        sector: item.sector,
        name: { zh: item.name_zh, en: item.name_en },
        decidingLevel: item.decidedAt,
        materials: item.materials_zh.map((zh, m) => {
          const en = item.materials_en[m] ?? '';
          return { id: `m${m + 1}`, name: { zh, en }, required: !isConditional(zh, en) };
        }),
        ...keepableLimit(item),
        fee: item.fee,
      };
    }),
  };
}

const pick = ({ code12, name }: { code12: string; name: string }) => ({ code12, name });

function convertDivisions(draft: DraftDivisions): unknown {
  return {
    kind: 'cunban.divisionTable',
    schemaVersion: 1,
    edition: 'NBS-2023',
    source: draft.source,
    province: pick(draft.province),
    prefecture: pick(draft.prefecture),
    county: pick(draft.county),
    towns: draft.towns.map((town) => ({
      code12: town.code12,
      name: town.name,
      kind: town.type,
      villages: town.villages.map((v) => ({
        code12: v.code12,
        name: v.name,
        kind: v.kind === '村委会' ? 'village' : 'community',
      })),
    })),
  };
}

const referenceDir = resolve(process.argv[2] ?? '../shared/reference');
const seedDir = resolve(import.meta.dirname, '../core/seed');
const readJson = (file: string): unknown => JSON.parse(readFileSync(join(referenceDir, file), 'utf8'));

const divisionsDraft = readJson('jianshi-divisions.json') as DraftDivisions;
const divisions = parseDivisionTable(convertDivisions(divisionsDraft), 'authored');
const catalog = parseCatalog(convertCatalog(readJson('service-catalog-draft.json') as DraftCatalog, divisionsDraft.county), 'authored');

for (const result of [divisions, catalog]) {
  if (!result.ok) {
    console.error(describeDataError(result.error, 'en').join('\n'));
    process.exit(1);
  }
}
if (divisions.ok && catalog.ok) {
  writeFileSync(join(seedDir, 'demo-divisions.json'), `${JSON.stringify(divisions.value, null, 2)}\n`);
  writeFileSync(join(seedDir, 'demo-catalog.json'), `${JSON.stringify(catalog.value, null, 2)}\n`);
  const villages = divisions.value.towns.reduce((n, town) => n + town.villages.length, 0);
  console.log(
    `catalog: ${catalog.value.sectors.length} sectors, ${catalog.value.items.length} items; ` +
      `divisions: ${divisions.value.towns.length} towns, ${villages} villages → ${seedDir}`,
  );
}
