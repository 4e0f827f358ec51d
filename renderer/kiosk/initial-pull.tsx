/**
 * What a newly enrolled (or replacement) kiosk has received from the hub so far: the county's catalog,
 * and the village's cases — all of them, open ones included, so a replacement kiosk carries on the work.
 */
import { useMemo } from 'react';
import { OPEN_STATUSES } from '../../core/case/state.js';
import { NO_COUNTY_DATA } from '../data/county-data.js';
import type { KioskData } from '../data/kiosk-data.js';
import { useObservable } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';

export function InitialPull({ data }: { readonly data: KioskData }) {
  const { t } = useI18n();
  const county = useObservable(data.county$, NO_COUNTY_DATA);
  const cases$ = useMemo(() => data.cases.all$(), [data]);
  const cases = useObservable(cases$, undefined);
  const sync = useObservable(data.sync.state$, data.sync.state());
  const open = cases?.filter((doc) => OPEN_STATUSES.has(doc.summary.status)).length ?? 0;
  return (
    <section className="initial-pull" aria-live="polite" data-testid="initial-pull">
      <h2>{t('pull.title')}</h2>
      <ul>
        <li>{county.catalog ? t('pull.catalogDone', { items: county.catalog.items.length }) : t('pull.catalogWaiting')}</li>
        <li>{t('pull.cases', { cases: cases?.length ?? 0, open })}</li>
        <li>{sync.lastPullAt ? t('pull.upToDate') : t('pull.working')}</li>
      </ul>
    </section>
  );
}
