/**
 * Today's work at a glance, the notices for this village (the county's and its town's), and anything the clerk must know about this kiosk.
 * A notice carrying a full ID number fails core/'s notice check and is never shown (village-affairs
 * disclosure must not publish one).
 */
import { useEffect, useMemo, useState } from 'react';
import { holdsPlace } from '../../core/appointment/appointment.js';
import { isHallDocumentId } from '../data/hall.js';
import { noticesFor } from '../../core/notice.js';
import { fromStoredCase } from '../data/case-collection.js';
import type { StorageHealth } from '../data/storage-health.js';
import { formatDate } from '../ui/format.js';
import { Alert } from '../ui/form.js';
import { useObservable } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';
import { HOME_VIEWS, inView } from './case-filters.js';
import { NeedsAction } from './needs-action.js';
import { useSession } from './session.js';

export function Home() {
  const { data, county, cases, today, go } = useSession();
  const { t, locale, pick } = useI18n();
  const [storage, setStorage] = useState<StorageHealth>();
  useEffect(() => {
    void data.storageHealth().then(setStorage);
  }, [data]);
  const notices = noticesFor(county.notices, data.enrollment.village, today);
  const sync = useObservable(data.sync.state$, data.sync.state());
  const appointments$ = useMemo(() => data.hall.appointmentsOn$(today), [data, today]);
  const appointments = useObservable(appointments$, undefined);

  return (
    <section className="home" data-catalog-version={county.catalog?.version}>
      <h1>{t('home.title', { date: formatDate(locale, today) })}</h1>
      {county.loaded && !county.catalog ? <Alert tone="info">{t('home.noCatalog')}</Alert> : null}
      {storage && (storage.level === 'warning' || storage.level === 'critical') ? <Alert>{t(`storage.${storage.level}`)}</Alert> : null}
      {sync.refused.length > 0 ? (
        <Alert>
          <p>{t('home.refused')}</p>
          <ul className="refused">
            {sync.refused.map((refused) =>
              refused.code === 'case.clash' ? (
                <ClashItem key={refused.id} caseNumber={refused.id} />
              ) : (
                <li key={refused.id}>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      go(isHallDocumentId(refused.id) ? { name: 'appointments' } : { name: 'case', caseNumber: refused.id });
                    }}
                  >
                    {refused.id}
                  </button>
                  {' — '}
                  <span lang="en">{refused.reason}</span>
                </li>
              ),
            )}
          </ul>
        </Alert>
      ) : null}
      {cases === undefined ? null : <NeedsAction cases={cases} />}
      {cases === undefined ? (
        <p className="loading" role="status">
          {t('boot.loading')}
        </p>
      ) : (
        <ul className="tiles">
          {HOME_VIEWS.map((view) => {
            const count = cases.filter((doc) => inView(doc, view, today, county.calendar)).length;
            return (
              <li key={view}>
                <button
                  type="button"
                  className={`tile tile-${view}${count > 0 && view === 'overdue' ? ' tile-alarm' : ''}`}
                  onClick={() => {
                    go({ name: 'cases', status: view });
                  }}
                >
                  <span className="tile-count" data-view={view}>
                    {count}
                  </span>
                  <span className="tile-label">{t(`view.${view}`)}</span>
                </button>
              </li>
            );
          })}
          <li>
            <button
              type="button"
              className="tile tile-appointments"
              onClick={() => {
                go({ name: 'appointments' });
              }}
            >
              <span className="tile-count" data-view="appointments">
                {appointments?.filter(holdsPlace).length ?? '…'}
              </span>
              <span className="tile-label">{t('view.appointments')}</span>
            </button>
          </li>
        </ul>
      )}
      <section className="notices" aria-labelledby="notices-title">
        <h2 id="notices-title">{t('home.notices')}</h2>
        {notices.length === 0 ? <p className="empty">{t('home.noNotices')}</p> : null}
        {notices.map((notice) => (
          <article key={notice.id} className="notice">
            <h3>{pick(notice.title)}</h3>
            <p className="notice-date">{formatDate(locale, notice.publishedOn)}</p>
            <p>{pick(notice.body)}</p>
          </article>
        ))}
      </section>
    </section>
  );
}

/**
 * A case number the hub already holds for another application (data/clash.ts): this kiosk's application
 * is kept; the clerk registers it again under a new number and gives the resident the new receipt.
 */
function ClashItem({ caseNumber }: { readonly caseNumber: string }) {
  const { data, go } = useSession();
  const { t, describe } = useI18n();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string>();
  const again = async () => {
    setBusy(true);
    setProblem(undefined);
    const result = await data.registerClashAgain(caseNumber);
    setBusy(false);
    if (result.ok) go({ name: 'receipt', caseNumber: result.value, replaces: caseNumber });
    else setProblem(describe(result.error));
  };
  // Whose application it is: the registration as this kiosk sent it, kept whatever the hub's case under the number.
  const kept = data.sync.refusedDocument(caseNumber);
  const applicant = kept ? fromStoredCase(kept).summary.applicantName : undefined;
  return (
    <li className="clash" data-clash={caseNumber}>
      <strong>{caseNumber}</strong>
      {applicant ? ` (${applicant})` : ''} — {t('home.clash')}{' '}
      <button type="button" className="primary" disabled={busy} onClick={() => void again()}>
        {t('home.clashAgain')}
      </button>
      {problem ? (
        <p className="field-error" role="alert">
          {problem}
        </p>
      ) : null}
    </li>
  );
}
