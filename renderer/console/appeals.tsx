/**
 * Appeals and suggestions (诉求与建议, issue 18 §4) beside the cases: the area's appeals with the early
 * warnings on top, and one appeal with its answers. The level holding an open appeal replies, passes it on up
 * or closes it with an answer — text the resident reads, so the hub refuses one holding a phone or ID number;
 * the resident's phone is revealed only with a reason, audited, and forgotten when the screen is left.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import type { Area } from '../../core/api/fleet.js';
import { formatLookupCode } from '../../core/case/lookup-code-format.js';
import type { ReviewerView } from '../../core/api/review.js';
import type { AppealEventRequest } from '../../core/appeal/appeal.js';
import type { Objection } from '../../core/disclosure/publication.js';
import { localDateOf } from '../../core/local-date.js';
import { ok } from '../../core/result.js';
import { useActorName, type CasePlace } from '../ui/case-timeline.js';
import { ConfirmButton } from '../ui/confirm.js';
import { formatDate, formatInstant } from '../ui/format.js';
import { Alert } from '../ui/form.js';
import { useI18n, type I18n } from '../ui/i18n.js';
import type { ApiError, AppealList, AppealStatusFilter, AppealWarning, ReviewApi, ReviewAppeal } from './api.js';
import { apiErrorText } from './api-error.js';
import { Reveal } from './reveal.js';
import { useLoaded } from './use-loaded.js';

/** Which appeal is open: the village's hall database holds it under its code. */
export interface AppealRef {
  readonly village: string;
  readonly code: string;
}

const FILTERS: readonly AppealStatusFilter[] = ['open', 'replied', 'closed', 'all'];

/** A category by name: the catalog's sectors (from the area), the village's own affairs, anything else. */
function categoryNamer(area: Area | undefined, t: I18n['t'], pick: I18n['pick']): (category: string) => string {
  return (category) => {
    if (category === 'villageAffairs' || category === 'other') return t(`console.appeals.category.${category}`);
    const sector = area?.sectors.find((candidate) => candidate.code === category);
    return sector ? pick(sector.name) : category;
  };
}

const today = () => localDateOf(new Date().toISOString());

/** "对公示《…》第 2 行的异议": an appeal a resident raised against a line of a publication on the board. */
const objectionText = (t: I18n['t'], objection: Objection) =>
  objection.line
    ? t('console.publications.objectionToLine', { title: objection.title, row: objection.row, line: objection.line.join(' · ') })
    : t('console.publications.objectionTo', { title: objection.title, row: objection.row });

/** A due date, marked once it has passed while the appeal still waits for what it is due for. */
function DueCell({ on, late }: { readonly on: string; readonly late: boolean }) {
  const { locale } = useI18n();
  return <td className={late ? 'overdue-flag' : undefined}>{formatDate(locale, on)}</td>;
}

export function Appeals(props: { readonly api: ReviewApi; readonly onOpen: (appeal: AppealRef) => void }) {
  const { api } = props;
  const { t, locale, pick } = useI18n();
  const [status, setStatus] = useState<AppealStatusFilter>('open');
  const [answer, setAnswer] = useState<AppealList>();
  const [error, setError] = useState<ApiError>();
  const area = useLoaded(useCallback(() => api.area(), [api]));
  useEffect(() => {
    let current = true;
    void api.appeals(status).then((result) => {
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
  }, [api, status]);
  const categoryName = categoryNamer(area.value, t, pick);
  const now = today();

  return (
    <section className="case-list console-appeals">
      <h1>{t('console.appeals.title')}</h1>
      {answer && answer.warnings.length > 0 ? <Warnings warnings={answer.warnings} area={area.value} categoryName={categoryName} /> : null}
      <div className="filters" role="search">
        <label className="field">
          {t('console.appeals.status')}
          <select
            value={status}
            onChange={(event) => {
              setStatus(event.target.value as AppealStatusFilter);
            }}
          >
            {FILTERS.map((filter) => (
              <option key={filter} value={filter}>
                {t(`console.appeals.status.${filter}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error ? <Alert>{apiErrorText(t, error)}</Alert> : null}
      {answer ? (
        <p className="counts" data-testid="appeal-counts">
          {t('console.appeals.total', { count: answer.appeals.length })}
          {answer.appeals.some((row) => row.overdue)
            ? ` · ${t('console.appeals.overdueCount', { count: answer.appeals.filter((row) => row.overdue).length })}`
            : ''}
        </p>
      ) : null}
      {answer?.appeals.length === 0 ? <p className="empty">{t('console.appeals.empty')}</p> : null}
      {answer && answer.appeals.length > 0 ? (
        <table className="cases">
          <thead>
            <tr>
              <th>{t('console.appeals.code')}</th>
              <th>{t('console.appeals.village')}</th>
              <th>{t('console.appeals.category')}</th>
              <th>{t('console.appeals.excerpt')}</th>
              <th>{t('console.appeals.status')}</th>
              <th>{t('console.appeals.heldBy')}</th>
              <th>{t('console.appeals.raisedOn')}</th>
              <th>{t('console.appeals.firstReplyDue')}</th>
              <th>{t('console.appeals.closeDue')}</th>
            </tr>
          </thead>
          <tbody>
            {answer.appeals.map((row) => (
              <tr key={`${row.village}/${row.code}`} data-appeal={row.code} className={row.overdue ? 'console-appeal-overdue' : undefined}>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => {
                      props.onOpen({ village: row.village, code: row.code });
                    }}
                  >
                    {formatLookupCode(row.code)}
                  </button>
                </td>
                <td>
                  {row.townName} {row.villageName}
                </td>
                <td>{categoryName(row.category)}</td>
                <td>
                  {row.objection ? (
                    <strong className="console-appeal-objection" data-testid="appeal-objection">
                      {objectionText(t, row.objection)}{' '}
                    </strong>
                  ) : null}
                  {row.excerpt}
                  <span className="hint">
                    {' '}
                    ({t(`console.appeals.channel.${row.channel}`)}
                    {row.anonymous ? ` · ${t('console.appeals.anonymous')}` : ''})
                  </span>
                </td>
                <td className={`status console-appeal-${row.status}`}>
                  {t(`console.appeals.status.${row.status}`)}
                  {row.overdue ? <span className="overdue-flag"> · {t('console.appeals.overdue')}</span> : null}
                </td>
                <td>{t(`level.${row.heldBy}`)}</td>
                <td>{formatDate(locale, row.raisedOn)}</td>
                <DueCell on={row.firstReplyDue} late={row.status === 'open' && now > row.firstReplyDue} />
                <DueCell on={row.closeDue} late={row.status !== 'closed' && now > row.closeDue} />
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

/** A village raising many appeals of one category this week, as the cases' dashboard warns of a rush. */
function Warnings(props: {
  readonly warnings: readonly AppealWarning[];
  readonly area: Area | undefined;
  readonly categoryName: (category: string) => string;
}) {
  const { t } = useI18n();
  const villageName = (code: string) => props.area?.villages.find((village) => village.code12 === code)?.name ?? code;
  return (
    <Alert>
      <p>{t('console.appeals.warnings')}</p>
      <ul>
        {props.warnings.map((warning) => {
          const params = { village: villageName(warning.village), category: props.categoryName(warning.category), count: warning.count };
          return (
            <li key={`${warning.village}-${warning.category}`} data-testid="appeal-warning">
              {warning.trailingAverage > 0
                ? t('console.appeals.warning', { ...params, ratio: (warning.count / warning.trailingAverage).toFixed(1) })
                : t('console.appeals.warningNew', params)}
            </li>
          );
        })}
      </ul>
    </Alert>
  );
}

export function AppealView(props: { readonly api: ReviewApi; readonly reviewer: ReviewerView; readonly appeal: AppealRef; readonly onBack: () => void }) {
  const { api } = props;
  const { village, code } = props.appeal;
  const { t, locale, pick } = useI18n();
  const [appeal, setAppeal] = useState<ReviewAppeal>();
  const [error, setError] = useState<ApiError>();
  const [message, setMessage] = useState<{ readonly tone: 'error' | 'success'; readonly text: string }>();
  const area = useLoaded(useCallback(() => api.area(), [api]));
  const load = useCallback(async () => {
    const answer = await api.appeal(village, code);
    if (answer.ok) {
      // An answer with fewer answers than shown was read before one just recorded here.
      setAppeal((shown) => (shown && shown.events.length > answer.value.events.length ? shown : answer.value));
      setError(undefined);
    } else setError(answer.error);
  }, [api, village, code]);
  useEffect(() => {
    void load();
  }, [load]);
  const place: CasePlace | undefined = appeal && area.value ? { village: appeal.villageName, town: appeal.townName, county: area.value.countyName } : undefined;
  const actorName = useActorName(place);

  if (!appeal) return error ? <Alert>{apiErrorText(t, error)}</Alert> : <p role="status">{t('boot.loading')}</p>;
  const categoryName = categoryNamer(area.value, t, pick);
  const events = [...appeal.events].sort((a, b) => (a.at === b.at ? a.id.localeCompare(b.id) : a.at < b.at ? -1 : 1));
  const { status, heldBy } = appeal.state;
  const mayAnswer = status !== 'closed' && heldBy === props.reviewer.role;
  const now = today();

  return (
    <section className="case-detail console-appeal">
      <button type="button" onClick={props.onBack}>
        {t('console.appeals.back')}
      </button>
      <h1>
        {t('console.appeals.heading', { category: categoryName(appeal.category) })} <span className="code">{formatLookupCode(appeal.code)}</span>
      </h1>
      <p className={`status console-appeal-${status}`} data-testid="appeal-status">
        {t(`console.appeals.status.${status}`)}
        {status === 'closed' ? '' : ` · ${t('console.appeals.heldByNow', { level: t(`level.${heldBy}`) })}`}
        {appeal.overdue ? <span className="overdue-flag"> · {t('console.appeals.overdue')}</span> : null}
      </p>
      <dl className="facts">
        <dt>{t('console.appeals.village')}</dt>
        <dd>
          {appeal.townName} {appeal.villageName}
        </dd>
        {appeal.objection ? (
          <>
            <dt>{t('console.publications.objection')}</dt>
            <dd data-testid="appeal-objection">{objectionText(t, appeal.objection)}</dd>
          </>
        ) : null}
        <dt>{t('console.appeals.raisedAt')}</dt>
        <dd>
          {formatInstant(locale, appeal.raisedAt)} · {t(`console.appeals.channel.${appeal.channel}`)}
        </dd>
        <dt>{t('console.appeals.phone')}</dt>
        <dd data-testid="appeal-phone">
          {appeal.anonymous || !appeal.phoneMasked ? (
            t('console.appeals.anonymous')
          ) : (
            <>
              {appeal.phoneMasked}{' '}
              <Reveal
                hint={t('console.appeals.revealHint')}
                reveal={async (reason) => {
                  const answer = await api.revealAppealPhone(village, code, reason);
                  return answer.ok ? ok(answer.value.phone) : answer;
                }}
              />
            </>
          )}
        </dd>
        <dt>{t('console.appeals.firstReplyDue')}</dt>
        <dd className={status === 'open' && now > appeal.state.firstReplyDue.dueOn ? 'overdue-flag' : undefined}>
          {formatDate(locale, appeal.state.firstReplyDue.dueOn)}
        </dd>
        <dt>{t('console.appeals.closeDue')}</dt>
        <dd className={status !== 'closed' && now > appeal.state.closeDue.dueOn ? 'overdue-flag' : undefined}>
          {formatDate(locale, appeal.state.closeDue.dueOn)}
        </dd>
      </dl>
      <h2>{t('console.appeals.text')}</h2>
      <p className="console-appeal-text" data-testid="appeal-text">
        {appeal.text}
      </p>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      {mayAnswer ? (
        <Answer
          reviewer={props.reviewer}
          onProblem={(text) => {
            setMessage({ tone: 'error', text });
          }}
          onAnswer={async (request, action) => {
            setMessage(undefined);
            const answer = await api.answerAppeal(village, code, request);
            if (answer.ok) {
              const { events: recorded, state } = answer.value;
              setAppeal((shown) => (shown ? { ...shown, events: recorded, state, status: state.status, heldBy: state.heldBy } : shown));
              setMessage({ tone: 'success', text: t('console.appeals.recorded', { action }) });
            } else setMessage({ tone: 'error', text: apiErrorText(t, answer.error) });
            // Recorded: read it again for what the answer changes beside its answers (overdue). Refused because
            // someone else answered meanwhile: show it as it is now, the message above the answer box saying so.
            if (answer.ok || answer.error.status === 409) void load();
            return answer.ok;
          }}
        />
      ) : (
        <p className="hint" data-testid="appeal-not-yours">
          {status === 'closed' ? t('console.appeals.closedNote') : t('console.appeals.heldElsewhere', { level: t(`level.${heldBy}`) })}
        </p>
      )}
      <h2>{t('console.appeals.answers')}</h2>
      {events.length === 0 ? <p className="empty">{t('console.appeals.noAnswers')}</p> : null}
      <ol className="timeline console-appeal-answers">
        {events.map((event) => (
          <li key={event.id}>
            <time dateTime={event.at}>{formatInstant(locale, event.at)}</time>{' '}
            <strong>
              {event.type === 'passedOn' && event.to
                ? t('console.appeals.event.passedOn', { level: t(`level.${event.to}`) })
                : t(`console.appeals.event.${event.type === 'passedOn' ? 'passedOnUp' : event.type}`)}
            </strong>{' '}
            <span className="actor">{actorName({ id: event.id, name: event.by.name, level: event.by.level })}</span>
            <p>{event.text}</p>
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The answer box and what the level holding the appeal may do with it: reply, pass on up, close. */
function Answer(props: {
  readonly reviewer: ReviewerView;
  /** Send it; true once recorded (what went wrong is said by the appeal's view, above the box). */
  readonly onAnswer: (request: AppealEventRequest, action: string) => Promise<boolean>;
  readonly onProblem: (text: string) => void;
}) {
  const { t } = useI18n();
  const hintId = useId();
  const [text, setText] = useState('');
  // One answer at a time: a second press while the first is on its way would record it twice.
  const [busy, setBusy] = useState(false);
  const written = () => {
    if (text.trim() !== '') return true;
    props.onProblem(t('console.appeals.answerRequired'));
    return false;
  };
  const send = async (request: Omit<AppealEventRequest, 'text'>, action: string) => {
    if (busy || !written()) return;
    setBusy(true);
    const sent = text;
    const recorded = await props.onAnswer({ ...request, text: sent.trim() }, action).finally(() => {
      setBusy(false);
    });
    // What was saved is cleared; what was typed while it went, or what was refused, is kept.
    if (recorded) setText((typed) => (typed === sent ? '' : typed));
  };
  const passOn = t('console.appeals.passOn', { level: t('level.county') });
  return (
    <section className="case-actions" aria-label={t('console.appeals.actions')}>
      <h2>{t('console.appeals.actions')}</h2>
      <label className="field">
        {t('console.appeals.answer')}
        <textarea
          value={text}
          rows={3}
          maxLength={2000}
          aria-describedby={hintId}
          onChange={(event) => {
            setText(event.target.value);
          }}
        />
      </label>
      <p id={hintId} className="hint">
        {t('console.appeals.answerHint')}
      </p>
      <div className="action-buttons">
        <button type="button" className="primary" disabled={busy} onClick={() => void send({ type: 'replied' }, t('console.appeals.reply'))}>
          {t('console.appeals.reply')}
        </button>
        {props.reviewer.role === 'town' ? (
          <button type="button" disabled={busy} onClick={() => void send({ type: 'passedOn', to: 'county' }, passOn)}>
            {passOn}
          </button>
        ) : null}
        <ConfirmButton
          action={t('console.appeals.close')}
          disabled={busy}
          text={text}
          ready={written}
          onConfirm={() => void send({ type: 'closed' }, t('console.appeals.close'))}
        />
      </div>
    </section>
  );
}
