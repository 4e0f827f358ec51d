/**
 * The town's approval of what villages publish (村务公开, issue 19 §1): a clerk prepares a list at the kiosk, a
 * reviewer of the village's town reads the whole table here and approves it — from then it is on the board for
 * its days — or returns it with why. Two people, both recorded; the hub audits the decision before making it.
 * The county reads every publication of its area but does not decide over the town's head.
 */
import { useCallback, useId, useState } from 'react';
import type { ReviewerView } from '../../core/api/review.js';
import type { PublicationSource } from '../../core/disclosure/publication.js';
import { localDateOf } from '../../core/local-date.js';
import { useActorName, type CasePlace } from '../ui/case-timeline.js';
import { ConfirmButton } from '../ui/confirm.js';
import { Alert } from '../ui/form.js';
import { formatDate, formatInstant } from '../ui/format.js';
import { useI18n } from '../ui/i18n.js';
import type { PublicationRow, PublicationStatusFilter, ReviewApi, ReviewPublication } from './api.js';
import { apiErrorText } from './api-error.js';
import { useLoaded } from './use-loaded.js';

/** Which publication is open: the village's hall database holds it under its number. */
export interface PublicationRef {
  readonly village: string;
  readonly id: string;
}

/** Everything, awaiting approval first (the hub's order); or one status. */
const FILTERS: readonly PublicationStatusFilter[] = ['all', 'awaitingApproval', 'onDisplay', 'returned', 'withdrawn', 'ended'];
const DAY_MS = 24 * 60 * 60 * 1000;
const MIN_REASON = 2;
const MAX_REASON = 500;

/** "公示中 · 2026年11月30日至2026年12月7日": the status, with its period of display once approved. */
function useStatusText(): (state: Pick<PublicationRow, 'status' | 'displayFrom' | 'displayUntil'>) => string {
  const { t, locale } = useI18n();
  return (state) => {
    const status = t(`console.publications.status.${state.status}`);
    if (!state.displayFrom || !state.displayUntil) return status;
    const day = (instant: string) => formatDate(locale, localDateOf(instant));
    return `${status} · ${t('console.publications.period', { from: day(state.displayFrom), until: day(state.displayUntil) })}`;
  };
}

export function Publications(props: { readonly api: ReviewApi; readonly onOpen: (publication: PublicationRef) => void }) {
  const { t } = useI18n();
  const [status, setStatus] = useState<PublicationStatusFilter>('all');
  return (
    <section className="case-list console-publications">
      <h1>{t('console.publications.title')}</h1>
      <div className="filters" role="search">
        <label className="field">
          {t('console.publications.status')}
          <select
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as PublicationStatusFilter);
            }}
          >
            {FILTERS.map((filter) => (
              <option key={filter} value={filter}>
                {t(`console.publications.status.${filter}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {/* One list per filter: an answer for the filter left behind never lands in the next one's. */}
      <PublicationList key={status} api={props.api} status={status} onOpen={props.onOpen} />
    </section>
  );
}

function PublicationList(props: { readonly api: ReviewApi; readonly status: PublicationStatusFilter; readonly onOpen: (publication: PublicationRef) => void }) {
  const { api, status } = props;
  const { t, locale } = useI18n();
  const list = useLoaded(useCallback(() => api.publications(status), [api, status]));
  const statusText = useStatusText();
  if (list.error) return <Alert>{apiErrorText(t, list.error)}</Alert>;
  const rows = list.value?.publications;
  if (!rows) return <p role="status">{t('boot.loading')}</p>;
  const awaiting = rows.filter((row) => row.status === 'awaitingApproval').length;
  return (
    <>
      <p className="counts" data-testid="publication-counts">
        {t('console.publications.total', { count: rows.length })}
        {awaiting > 0 && status === 'all' ? ` · ${t('console.publications.awaitingCount', { count: awaiting })}` : ''}
      </p>
      {rows.length === 0 ? (
        <p className="empty">{t('console.publications.empty')}</p>
      ) : (
        <div className="table-scroll">
          <table className="cases">
            <thead>
              <tr>
                <th>{t('console.publications.village')}</th>
                <th>{t('console.publications.publicationTitle')}</th>
                <th>{t('console.publications.category')}</th>
                <th>{t('console.publications.rowCount')}</th>
                <th>{t('console.publications.preparedOn')}</th>
                <th>{t('console.publications.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.village}/${row.id}`} data-publication={row.id}>
                  <td>
                    {row.townName} {row.villageName}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="link"
                      onClick={() => {
                        props.onOpen({ village: row.village, id: row.id });
                      }}
                    >
                      {row.title}
                    </button>
                  </td>
                  <td>{t(`console.publications.category.${row.category}`)}</td>
                  <td>{row.rowCount}</td>
                  <td>{formatDate(locale, localDateOf(row.preparedAt))}</td>
                  <td className={`status console-publication-${row.status}`}>{statusText(row)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Where the table came from: the village's cases of one item in a period, a spreadsheet, or typed in. */
function SourceText({ source }: { readonly source: PublicationSource }) {
  const { t, locale } = useI18n();
  switch (source.from) {
    case 'cases':
      return (
        <>
          {t('console.publications.source.cases', { item: source.itemCode, from: formatDate(locale, source.fromDate), to: formatDate(locale, source.toDate) })}
        </>
      );
    case 'file':
      return <>{t('console.publications.source.file', { file: source.fileName })}</>;
    case 'typed':
      return <>{t('console.publications.source.typed')}</>;
  }
}

export function PublicationView(props: {
  readonly api: ReviewApi;
  readonly reviewer: ReviewerView;
  readonly publication: PublicationRef;
  readonly onBack: () => void;
}) {
  const { api } = props;
  const { village, id } = props.publication;
  const { t, locale } = useI18n();
  const loaded = useLoaded(useCallback(() => api.publication(village, id), [api, village, id]));
  const area = useLoaded(useCallback(() => api.area(), [api]));
  // What the town's decision answered: the publication as it is now, shown without reading it again.
  const [decided, setDecided] = useState<ReviewPublication>();
  const [message, setMessage] = useState<{ readonly tone: 'error' | 'success'; readonly text: string }>();
  const statusText = useStatusText();
  const publication = decided ?? loaded.value;
  const place: CasePlace | undefined =
    publication && area.value ? { village: publication.villageName, town: publication.townName, county: area.value.countyName } : undefined;
  const actorName = useActorName(place);

  if (!publication) return loaded.error ? <Alert>{apiErrorText(t, loaded.error)}</Alert> : <p role="status">{t('boot.loading')}</p>;
  const { status } = publication;
  const decide = async (answer: ReturnType<ReviewApi['approvePublication']>, done: (now: ReviewPublication) => string): Promise<boolean> => {
    setMessage(undefined);
    const result = await answer;
    if (result.ok) {
      setDecided(result.value);
      setMessage({ tone: 'success', text: done(result.value) });
      return true;
    }
    setMessage({ tone: 'error', text: apiErrorText(t, result.error) });
    // Decided elsewhere meanwhile (or withdrawn by the village): show it as it is now.
    if (result.error.status === 409) {
      setDecided(undefined);
      loaded.reload();
    }
    return false;
  };
  const until = (instant: string | undefined) => (instant ? formatInstant(locale, instant) : '');

  return (
    <section className="case-detail console-publication">
      <button type="button" onClick={props.onBack}>
        {t('console.publications.back')}
      </button>
      <h1>{publication.title}</h1>
      <p className={`status console-publication-${status}`} data-testid="publication-status">
        {statusText(publication)}
      </p>
      <dl className="facts">
        <dt>{t('console.publications.village')}</dt>
        <dd>
          {publication.townName} {publication.villageName}
        </dd>
        <dt>{t('console.publications.category')}</dt>
        <dd>{t(`console.publications.category.${publication.category}`)}</dd>
        <dt>{t('console.publications.source')}</dt>
        <dd data-testid="publication-source">
          <SourceText source={publication.source} />
        </dd>
        <dt>{t('console.publications.preparedAt')}</dt>
        <dd>{formatInstant(locale, publication.preparedAt)}</dd>
        <dt>{t('console.publications.displayDays')}</dt>
        <dd>{t('console.publications.days', { days: publication.displayDays })}</dd>
        {publication.displayFrom ? (
          <>
            <dt>{t('console.publications.displayPeriod')}</dt>
            <dd data-testid="publication-period">
              {t('console.publications.period', { from: formatInstant(locale, publication.displayFrom), until: until(publication.displayUntil) })}
            </dd>
          </>
        ) : null}
        {publication.returnedReason ? (
          <>
            <dt>{t(status === 'withdrawn' ? 'console.publications.withdrawnReason' : 'console.publications.returnedReason')}</dt>
            <dd data-testid="publication-reason">{publication.returnedReason}</dd>
          </>
        ) : null}
      </dl>
      {publication.note ? (
        <>
          <h2>{t('console.publications.note')}</h2>
          <p className="console-publication-note" data-testid="publication-note">
            {publication.note}
          </p>
        </>
      ) : null}
      <PublicationTable publication={publication} />
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {status === 'awaitingApproval' && props.reviewer.role === 'town' ? (
        <Decide
          displayDays={publication.displayDays}
          onProblem={(text) => {
            setMessage({ tone: 'error', text });
          }}
          onApprove={() => decide(api.approvePublication(village, id), (now) => t('console.publications.approved', { until: until(now.displayUntil) }))}
          onReturn={(reason) => decide(api.returnPublication(village, id, reason), () => t('console.publications.returned'))}
        />
      ) : null}
      {status === 'awaitingApproval' && props.reviewer.role !== 'town' ? (
        <p className="hint" data-testid="publication-not-yours">
          {t('console.publications.townDecides')}
        </p>
      ) : null}
      <h2>{t('console.publications.record')}</h2>
      <ol className="timeline console-publication-record">
        {[...publication.events]
          .sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at < b.at ? -1 : 1))
          .map((event) => (
            <li key={event.id}>
              <time dateTime={event.at}>{formatInstant(locale, event.at)}</time> <strong>{t(`console.publications.event.${event.type}`)}</strong>{' '}
              <span className="actor">{actorName({ id: event.by.id, name: event.by.name, level: event.by.level })}</span>
              {event.reason ? <p>{event.reason}</p> : null}
            </li>
          ))}
      </ol>
    </section>
  );
}

/** The whole table as the board will show it, every line numbered as objections name them. */
function PublicationTable({ publication }: { readonly publication: ReviewPublication }) {
  const { t } = useI18n();
  return (
    <div className="table-scroll">
      <table className="cases console-publication-table" data-testid="publication-table">
        <caption>{t('console.publications.tableCaption', { count: publication.rows.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('console.publications.line')}</th>
            {publication.columns.map((column, c) => (
              <th scope="col" key={`${String(c)}-${column.label}`}>
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {publication.rows.map((cells, r) => (
            // Lines are fixed once prepared: their place is who they are.
            <tr key={String(r)}>
              <th scope="row">{r + 1}</th>
              {cells.map((cell, c) => (
                <td key={String(c)}>{cell}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** What the town may do with a publication awaiting approval: approve it (public from now), or return it with why. */
function Decide(props: {
  readonly displayDays: number;
  /** Each true once recorded (what went wrong is said by the publication's view, above). */
  readonly onApprove: () => Promise<boolean>;
  readonly onReturn: (reason: string) => Promise<boolean>;
  readonly onProblem: (text: string) => void;
}) {
  const { t, locale } = useI18n();
  const hintId = useId();
  const [reason, setReason] = useState('');
  // One decision at a time: a second press while the first is on its way is refused by the hub, but says so loudly.
  const [busy, setBusy] = useState(false);
  const reasoned = () => {
    const length = reason.trim().length;
    if (length >= MIN_REASON && length <= MAX_REASON) return true;
    props.onProblem(t('console.publications.reasonRequired'));
    return false;
  };
  const run = (decision: () => Promise<boolean>) => {
    if (busy) return;
    setBusy(true);
    void decision().finally(() => {
      setBusy(false);
    });
  };
  const until = formatDate(locale, localDateOf(new Date(Date.now() + props.displayDays * DAY_MS).toISOString()));
  return (
    <section className="case-actions" aria-label={t('console.publications.actions')}>
      <h2>{t('console.publications.actions')}</h2>
      <p className="hint" data-testid="publication-approve-hint">
        {t('console.publications.approveHint', { days: props.displayDays, until })}
      </p>
      <div className="action-buttons">
        <ConfirmButton
          action={t('console.publications.approve')}
          className="primary"
          disabled={busy}
          onConfirm={() => {
            run(props.onApprove);
          }}
        />
      </div>
      <label className="field">
        {t('console.publications.reason')}
        <textarea
          value={reason}
          rows={3}
          maxLength={MAX_REASON}
          aria-describedby={hintId}
          onChange={(event) => {
            setReason(event.target.value);
          }}
        />
      </label>
      <p id={hintId} className="hint">
        {t('console.publications.reasonHint')}
      </p>
      <div className="action-buttons">
        <ConfirmButton
          action={t('console.publications.return')}
          disabled={busy}
          text={reason}
          ready={reasoned}
          onConfirm={() => {
            run(() => props.onReturn(reason.trim()));
          }}
        />
      </div>
    </section>
  );
}
