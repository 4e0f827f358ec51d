/**
 * `npm start` — Cunban's main job on the embedded default: the county hub and a kiosk on the seeded
 * demo county. Today it loads and checks the demo county's data through core/ and says plainly which
 * parts are not built yet; each later issue replaces a line of "not yet" with the running part.
 */
import { indexCatalog } from '../core/catalog/catalog.js';
import { localDateOf } from '../core/local-date.js';
import { demoCalendar, demoCatalog, demoDivisions } from '../core/seed/demo-county.js';
import { loadHubConfig } from '../sync-server/config.js';

const config = loadHubConfig(process.env);
if (!config.ok) {
  console.error(`Cunban: ${config.error.variable}: ${config.error.message}`);
  process.exit(1);
}

const catalog = demoCatalog();
const divisions = demoDivisions();
const calendar = demoCalendar();
const index = indexCatalog(catalog);
const today = localDateOf(new Date().toISOString());
const villages = divisions.towns.reduce((n, town) => n + town.villages.length, 0);

console.log(`Cunban 村办 — demo county ${divisions.county.name} (${divisions.county.code12})`);
console.log(`  divisions: ${divisions.towns.length} towns, ${villages} villages (${divisions.edition})`);
console.log(`  catalog v${catalog.version}: ${catalog.sectors.length} sectors, ${catalog.items.length} service items`);
for (const sector of catalog.sectors) {
  console.log(`    ${sector.code} ${sector.name.zh}: ${index.itemsOfSector(sector.code).length}`);
}
console.log(`  today ${today} is ${calendar.isWorkingDay(today) ? 'a working day' : 'not a working day'}`);
console.log('');
console.log('Not built yet (see `issues list`):');
console.log(`  - county hub on port ${config.value.port}, data in ${config.value.dataDir} (issue 3)`);
console.log('  - kiosk data and sync (issue 4), counter UI (issue 5), review console (issue 6), kiosk shell (issue 7)');
