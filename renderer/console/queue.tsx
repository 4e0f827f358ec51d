/** The queue of the reviewer's area: filters, due-date order, counts per status, pages from the hub. */
import { useEffect, useState } from 'react';
import type { QueueQuery } from '../../core/api/queue.js';
import type { ReviewerView } from '../../core/api/review.js';
import { isPastDue } from '../../core/case/deadline.js';
import { CASE_STATUSES } from '../../core/case/state.js';
import { localDateOf } from '../../core/local-date.js';
import { CaseTableHead } from '../ui/case-parts.js';
import { formatDate } from '../ui/format.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ApiError, QueuePage, ReviewApi } from './api.js';
import { apiErrorText } from './api-error.js';

const PAGE_SIZE = 25;

export function Queue(props: { readonly api: ReviewApi; readonly reviewer: ReviewerView; readonly onOpen: (caseNumber: string) => void }) {
  const { t, locale, pick } = useI18n();
  const [query, setQuery] = useState<Partial<QueueQuery>>({ held: 'mine', page: 1, pageSize: PAGE_SIZE });
  const [answer, setAnswer] = useState<QueuePage>();
  const [error, setError] = useState<ApiError>();
  useEffect(() => {
    let current = true;
    void props.api.queue(query).then((result) => {
      if (!current) return;
      if (result.ok) {
        setAnswer(result.value);
        setError(undefined);
      } else {
        setError(result.error);
      }
    });
    return () => {
      current = false;
    };
  }, [props.api, query]);
  const set = (change: Partial<QueueQuery>) => {
    setQuery({ ...query, page: 1, ...change });
  };
  const today = localDateOf(new Date().toISOString());
  const pages = answer ? Math.max(1, Math.ceil(answer.total / PAGE_SIZE)) : 1;

  return (
    <section className="case-list">
      <h1>{t('console.queue')}</h1>
      <div className="filters" role="search">
        <label className="field">
          {t('cases.status')}
          <select
            value={query.status ?? ''}
            onChange={(event) => {
              set({ status: (event.target.value || undefined) as QueueQuery['status'] });
            }}
          >
            <option value="">{t('cases.any')}</option>
            {CASE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          {t('console.state')}
          <select
            value={query.state ?? 'open'}
            onChange={(event) => {
              set({ state: event.target.value as 'open' | 'closed' });
            }}
          >
            <option value="open">{t('console.state.open')}</option>
            <option value="closed">{t('console.state.closed')}</option>
          </select>
        </label>
        <label className="choice">
          <input
            type="checkbox"
            checked={query.held === 'mine'}
            onChange={(event) => {
              set({ held: event.target.checked ? 'mine' : 'any' });
            }}
          />
          {t('console.heldByMe', { level: t(`level.${props.reviewer.role}`) })}
        </label>
        <label className="choice">
          <input
            type="checkbox"
            checked={query.overdue === 'true'}
            onChange={(event) => {
              set({ overdue: event.target.checked ? 'true' : undefined });
            }}
          />
          {t('view.overdue')}
        </label>
      </div>
      {error ? <Alert>{apiErrorText(t, error)}</Alert> : null}
      {answer ? (
        <p className="counts" data-testid="queue-counts">
          {[
            t('console.total', { count: answer.total }),
            ...CASE_STATUSES.filter((status) => answer.countsByStatus[status]).map(
              (status) => `${t(`status.${status}`)} ${String(answer.countsByStatus[status])}`,
            ),
          ].join(' · ')}
        </p>
      ) : null}
      {answer?.entries.length === 0 ? <p className="empty">{t('console.empty')}</p> : null}
      {answer && answer.entries.length > 0 ? (
        <table className="cases">
          <CaseTableHead />
          <tbody>
            {answer.entries.map((entry) => (
              <tr key={entry.caseNumber} data-case={entry.caseNumber}>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      props.onOpen(entry.caseNumber);
                    }}
                  >
                    {entry.caseNumber}
                  </button>
                </td>
                <td>{pick(entry.itemName)}</td>
                <td>
                  {entry.applicantName} {entry.applicantIdMasked}
                </td>
                <td className={`status status-${entry.status}`}>{t(`status.${entry.status}`)}</td>
                <td>{formatDate(locale, entry.acceptedOn)}</td>
                <td className={isPastDue(entry.status, entry.dueOn, today) ? 'overdue-flag' : undefined}>
                  {entry.dueOn ? formatDate(locale, entry.dueOn) : '—'}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <nav className="actions" aria-label={t('console.pages')}>
        <button
          type="button"
          disabled={(query.page ?? 1) <= 1}
          onClick={() => {
            setQuery({ ...query, page: (query.page ?? 1) - 1 });
          }}
        >
          {t('console.previous')}
        </button>
        <span>{t('console.page', { page: query.page ?? 1, pages })}</span>
        <button
          type="button"
          disabled={(query.page ?? 1) >= pages}
          onClick={() => {
            setQuery({ ...query, page: (query.page ?? 1) + 1 });
          }}
        >
          {t('console.next')}
        </button>
      </nav>
    </section>
  );
}
