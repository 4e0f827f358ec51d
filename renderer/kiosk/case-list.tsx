/** Cases at this counter: search, filter by status, sector and acceptance date, newest first. */
import { useEffect, useState } from 'react';
import type { CaseDocument } from '../../core/case/document.js';
import { isEventOf } from '../../core/case/events.js';
import { CASE_STATUSES } from '../../core/case/state.js';
import { CaseTableHead } from '../ui/case-parts.js';
import { formatDate } from '../ui/format.js';
import { DateField } from '../ui/date-field.js';
import { useI18n } from '../ui/i18n.js';
import { dueOf, HOME_VIEWS, inView } from './case-filters.js';
import { searchCases } from './case-search.js';
import { useSession, type CaseFilterStatus } from './session.js';

const VIEWS: readonly CaseFilterStatus[] = [...new Set([...HOME_VIEWS, ...CASE_STATUSES])];

export function CaseList(props: { readonly status?: CaseFilterStatus }) {
  const { cases, data, county, today, go } = useSession();
  const { t, locale, pick } = useI18n();
  const [query, setQuery] = useState('');
  const [view, setView] = useState<CaseFilterStatus | ''>(props.status ?? '');
  const [sector, setSector] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [found, setFound] = useState<CaseDocument[]>();

  useEffect(() => {
    if (!cases) return undefined;
    let current = true;
    void searchCases(cases, query, (id) => data.findByIdNumber(id), today).then((hits) => {
      if (!current) return;
      setFound(
        hits
          .filter((doc) => (view ? inView(doc, view, today, county.calendar) : true))
          .filter((doc) => (sector ? doc.summary.sector === sector : true))
          .filter((doc) => (from ? doc.summary.acceptedOn >= from : true) && (to ? doc.summary.acceptedOn <= to : true))
          .sort((a, b) => `${b.summary.acceptedOn}${b.caseNumber}`.localeCompare(`${a.summary.acceptedOn}${a.caseNumber}`)),
      );
    });
    return () => {
      current = false;
    };
  }, [cases, query, view, sector, from, to, data, today, county.calendar]);

  return (
    <section className="case-list">
      <h1>{t('cases.title')}</h1>
      <div className="filters" role="search">
        <label className="field grow">
          {t('cases.search')}
          <input
            type="search"
            value={query}
            autoFocus
            onChange={(event) => {
              setQuery(event.target.value);
            }}
            placeholder={t('cases.searchHint')}
          />
        </label>
        <label className="field">
          {t('cases.status')}
          <select
            value={view}
            onChange={(event) => {
              setView(event.target.value as CaseFilterStatus | '');
            }}
          >
            <option value="">{t('cases.any')}</option>
            {VIEWS.map((candidate) => (
              <option key={candidate} value={candidate}>
                {t(`view.${candidate}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('cases.sector')}
          <select
            value={sector}
            onChange={(event) => {
              setSector(event.target.value);
            }}
          >
            <option value="">{t('cases.any')}</option>
            {county.catalog?.sectors.map((candidate) => (
              <option key={candidate.code} value={candidate.code}>
                {pick(candidate.name)}
              </option>
            ))}
          </select>
        </label>
        <DateField label={t('cases.from')} value={from} onChange={setFrom} />
        <DateField label={t('cases.to')} value={to} onChange={setTo} />
      </div>
      {found === undefined ? <p role="status">{t('boot.loading')}</p> : null}
      {found?.length === 0 ? <p className="empty">{cases?.length === 0 ? t('cases.noneYet') : t('cases.noMatch')}</p> : null}
      {found && found.length > 0 ? (
        <table className="cases">
          <CaseTableHead />
          <tbody>
            {found.map((doc) => {
              const due = dueOf(doc, county.calendar);
              const item = doc.events.find((event) => isEventOf(event, 'created'))?.payload.item;
              const overdue = inView(doc, 'overdue', today, county.calendar);
              return (
                <tr key={doc.caseNumber} data-case={doc.caseNumber}>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        go({ name: 'case', caseNumber: doc.caseNumber });
                      }}
                    >
                      {doc.caseNumber}
                    </button>
                  </td>
                  <td>{item ? pick(item.name) : doc.summary.itemCode}</td>
                  <td>{doc.summary.applicantName}</td>
                  <td className={`status status-${doc.summary.status}`}>
                    {t(`status.${doc.summary.status}`)}
                    {overdue ? <span className="overdue-flag"> {t('view.overdue')}</span> : null}
                  </td>
                  <td>{formatDate(locale, doc.summary.acceptedOn)}</td>
                  <td>{due ? formatDate(locale, due.dueOn) : '—'}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
