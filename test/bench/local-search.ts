/**
 * Benchmark 3, local search at the counter, in Chromium: a kiosk holding 50,000 cases (applicants really
 * sealed) searched as the case list does it — by case number, name prefix, pinyin initials and full ID
 * number (through the blind index). p50 and p95 per kind of search; target: p95 under 30 ms. The baseline
 * is the same search over a kiosk of 5,000 cases, so the ratio shows how it scales.
 */
import { VILLAGE_A } from '../sync-server/hub-harness.js';
import { openChromium } from '../support/chromium.js';
import { searchForms } from '../../core/search/pinyin.js';
import { benchCase, benchIdNumber, benchName } from './bench-cases.js';
import { enrollKiosk, startBenchHub } from './bench-hub.js';
import { pageBench, serveBenchPage } from './bench-page-server.js';
import { sample, type Benchmark, type Figure } from './figures.js';

const CASES = Number(process.env.BENCH_SEARCH_CASES ?? 50_000);
const SMALL = Math.round(CASES / 10);
const SEARCHES_PER_ROUND = 20;
const TARGET_MS = 30;

export const localSearch: Benchmark = {
  name: 'local-search',
  title: `local search over ${String(CASES)} cases in Chromium (baseline: ${String(SMALL)} cases)`,
  async run({ rounds, log }) {
    const page = await serveBenchPage();
    const hub = await startBenchHub();
    const browser = await openChromium('bench-local-search');
    try {
      // Only for the data keys: the search runs with no network.
      const enrollment = await enrollKiosk(hub, VILLAGE_A);
      const probe = Math.floor(SMALL * 0.737);
      // A resident among the smaller kiosk's cases, looked up each way a clerk would.
      const name = benchName(probe);
      const initials = searchForms(name, 'name').find((form) => /^[a-z]{3}$/.test(form)) ?? '';
      const searches = {
        'case number': benchCase(enrollment, probe).caseNumber,
        [`name prefix (${name.slice(0, 2)})`]: name.slice(0, 2),
        [`pinyin initials (${initials})`]: initials,
        'full ID number': benchIdNumber(probe),
      };
      const times = async (count: number): Promise<Record<string, number[]>> => {
        const inPage = pageBench(await browser.newPage());
        await inPage.open(page.url);
        const seeded = await inPage.seedSearch(enrollment, count);
        log(`${String(count)} cases sealed and stored in ${(seeded.ms / 1000).toFixed(0)} s`);
        const measured: Record<string, number[]> = {};
        for (const [kind, query] of Object.entries(searches)) {
          const all: number[] = [];
          let hits = 0;
          for (let round = 0; round < rounds; round++) {
            const result = await inPage.search(query, SEARCHES_PER_ROUND);
            all.push(...result.times);
            hits = result.hits;
          }
          if (hits === 0) throw new Error(`"${query}" found nothing among ${String(count)} cases`);
          measured[kind] = all;
          log(`${String(count)} cases, ${kind}: ${String(hits)} hits, median ${sample(all).median.toFixed(1)} ms`);
        }
        return measured;
      };
      const small = await times(SMALL);
      const large = await times(CASES);
      return Object.entries(large).map(([kind, values]): Figure => {
        const value = sample(values);
        const baseline = sample(small[kind] ?? []);
        return {
          benchmark: `3 local search, ${String(CASES)} cases · Chromium`,
          measure: `${kind}, ms`,
          statistic: 'p95',
          value,
          baseline: { label: `${String(SMALL)} cases`, value: baseline },
          ratio: value.p95 / baseline.p95,
          target: { text: `p95 < ${String(TARGET_MS)} ms`, met: value.p95 < TARGET_MS },
        };
      });
    } finally {
      await browser.close();
      await hub.close();
      await page.close();
    }
  },
};
