/**
 * "Village notices" (村务公开, issue 19 §2): the town and village, then what the village publishes that the
 * town approved, for its period of display — each line with a way to object to it (§1: the objection is an
 * appeal to the town, its code shown large and read back under "Raise a concern") — the village's service
 * figures of the last months with the county's open data to download, and the archive of what was shown
 * before. A list's lines are cards on a phone, never a table wider than the screen; the figures' small table
 * scrolls inside its own box.
 */
import { useState, type ReactNode } from 'react';
// Types only: core/disclosure and core/appeal are built on zod, which the page must not carry.
import type { ResidentAppealView } from '../../core/appeal/appeal.js';
import { formatLookupCode } from '../../core/case/lookup-code-format.js';
import type { BoardPublication } from '../../core/disclosure/publication.js';
import type { ServiceFigures } from '../../core/disclosure/service-figures.js';
import { isoInChina } from '../../core/local-date.js';
import { isUiKey } from '../i18n/ui.js';
import { Alert, Field } from '../ui/form.js';
import { formatDate, formatInstant } from '../ui/format.js';
import { useI18n, type I18n } from '../ui/i18n.js';
import type { BoardArchive, ResidentApi, ResidentError } from './api.js';
import { APPEAL_TEXT_MAX, appealErrorText, TextField } from './appeal.js';
import { HallPicker, MobileField, Retry, useHallChoice, useHallDirectory } from './booking-parts.js';

/** Past this many lines, a list offers to find a line by what it says (a name, an amount). */
const FIND_FROM_ROWS = 10;

/**
 * An objection refused, as a sentence: the board's own codes (`board.row`, `board.notOnDisplay`), the text and
 * the phone as this form asks for them, anything else as a concern's refusal is said.
 */
export function objectionErrorText(t: I18n['t'], error: ResidentError): string {
  const key =
    error.code === 'booking.phone'
      ? 'resident.board.error.phone'
      : error.code === 'appeal.text'
        ? 'resident.board.error.text'
        : error.code.startsWith('board.')
          ? `resident.board.error.${error.code.slice('board.'.length)}`
          : '';
  return isUiKey(key) ? t(key, { max: APPEAL_TEXT_MAX }) : appealErrorText(t, error);
}

/** A date of a period of display (an instant), as a resident reads it, in China time. */
const dayOf = (locale: I18n['locale'], instant: string) => formatDate(locale, isoInChina(instant).slice(0, 10));

interface Objected {
  readonly view: ResidentAppealView;
  readonly row: number;
}

/** The section. `onReadAnswer` opens "Raise a concern" with an objection's code filled in to read the replies. */
export function Board({ api, onReadAnswer }: { readonly api: ResidentApi; readonly onReadAnswer: (code: string) => void }) {
  const { t } = useI18n();
  const [objecting, setObjecting] = useState<{ readonly publication: string; readonly row: number }>();
  const [objected, setObjected] = useState<Objected>();
  const [archiveShown, setArchiveShown] = useState(false);
  const [archive, setArchive] = useState<BoardArchive>();
  const [archiveError, setArchiveError] = useState<ResidentError>();
  const choice = useHallChoice(useHallDirectory(api), (code) => api.board(code), {
    onChoose: () => {
      setObjecting(undefined);
      setArchiveShown(false);
    },
  });
  const { village, read: board } = choice;

  const loadArchive = async () => {
    setArchiveError(undefined);
    const answered = await api.boardArchive(village);
    if (answered.ok) setArchive(answered.value);
    else setArchiveError(answered.error);
  };

  if (objected) {
    const { view } = objected;
    return (
      <section className="village-board">
        <h2>{t('resident.board.title')}</h2>
        <ObjectedCard objected={objected} by={t(`resident.appeal.by.${view.heldBy}`, { village: view.village, town: view.town })} />
        <button
          type="button"
          className="primary"
          onClick={() => {
            onReadAnswer(view.code);
          }}
        >
          {t('resident.board.readAnswer')}
        </button>
        <button
          type="button"
          onClick={() => {
            setObjected(undefined);
          }}
        >
          {t('resident.board.backToBoard')}
        </button>
      </section>
    );
  }

  // The archive shown is the chosen village's: an answer for a village chosen before is not.
  const archived = archive?.village === village ? archive : undefined;
  return (
    <section className="village-board">
      <h2>{t('resident.board.title')}</h2>
      <p className="hint">{t('resident.board.intro')}</p>
      <HallPicker choice={choice} />
      {board && archiveShown ? (
        <>
          <h3>{t('resident.board.archiveTitle', { village: board.villageName })}</h3>
          {archived ? (
            archived.publications.length === 0 ? (
              <p>{t('resident.board.archiveNone')}</p>
            ) : (
              archived.publications.map((publication) => <PastPublication key={publication.id} publication={publication} />)
            )
          ) : archiveError ? (
            <Retry error={archiveError} onRetry={() => void loadArchive()} />
          ) : (
            <p className="loading">{t('boot.loading')}</p>
          )}
          <button
            type="button"
            onClick={() => {
              setArchiveShown(false);
            }}
          >
            {t('resident.board.backToBoard')}
          </button>
        </>
      ) : null}
      {board && !archiveShown ? (
        <>
          <h3>{t('resident.board.onDisplay', { village: board.villageName })}</h3>
          {board.publications.length === 0 ? <p data-testid="board-empty">{t('resident.board.none')}</p> : null}
          {board.publications.map((publication) => (
            <article key={publication.id} className="board-publication" data-testid="board-publication">
              <PublicationHead publication={publication} />
              <Rows
                publication={publication}
                objecting={objecting?.publication === publication.id ? objecting.row : undefined}
                onObject={(row) => {
                  setObjecting(row === undefined ? undefined : { publication: publication.id, row });
                }}
                form={(row) => (
                  <ObjectionForm
                    api={api}
                    village={village}
                    publication={publication}
                    row={row}
                    onCancel={() => {
                      setObjecting(undefined);
                    }}
                    onObjected={(view) => {
                      setObjecting(undefined);
                      setObjected({ view, row });
                    }}
                  />
                )}
              />
            </article>
          ))}
          <button
            type="button"
            onClick={() => {
              setArchiveShown(true);
              void loadArchive();
            }}
          >
            {t('resident.board.archive')}
          </button>
          <Figures figures={board.figures} csv={api.openDataUrl('csv')} json={api.openDataUrl('json')} />
        </>
      ) : null}
    </section>
  );
}

/** What it is, its title, until when it is shown (or when it was), and the village's note. */
function PublicationHead({ publication, ended = false }: { readonly publication: BoardPublication; readonly ended?: boolean }) {
  const { t, locale } = useI18n();
  return (
    <>
      <p className="board-category">{t(`resident.board.category.${publication.category}`)}</p>
      <h4 className="board-title">{publication.title}</h4>
      <p className="board-period" data-testid="board-period">
        {ended
          ? t('resident.board.period', { from: dayOf(locale, publication.displayFrom), until: dayOf(locale, publication.displayUntil) })
          : t('resident.board.until', { date: formatInstant(locale, publication.displayUntil) })}
      </p>
      {publication.note ? <p className="board-note">{publication.note}</p> : null}
    </>
  );
}

/** A publication whose period is over: folded, opened with a tap; no objection any more. */
function PastPublication({ publication }: { readonly publication: BoardPublication }) {
  const { t } = useI18n();
  return (
    <details className="board-publication board-past" data-testid="board-past">
      <summary>
        {publication.title} <span className="board-ended">{t('resident.board.ended')}</span>
      </summary>
      <PublicationHead publication={publication} ended />
      <Rows publication={publication} />
    </details>
  );
}

/**
 * A list's lines as cards, numbered as the village numbered them (line 1 under the headings), each heading
 * beside its value; a long list can be searched. With `onObject`, each line offers an objection, and the line
 * objected to holds its `form`.
 */
function Rows(props: {
  readonly publication: BoardPublication;
  readonly objecting?: number | undefined;
  readonly onObject?: (row: number | undefined) => void;
  readonly form?: (row: number) => ReactNode;
}) {
  const { publication, onObject } = props;
  const { t } = useI18n();
  const [find, setFind] = useState('');
  const words = find.trim().toLowerCase();
  const lines = publication.rows
    .map((cells, index) => ({ cells, line: index + 1 }))
    .filter(({ cells }) => !words || cells.join(' ').toLowerCase().includes(words));
  return (
    <>
      <p className="hint">{t('resident.board.rows', { n: publication.rows.length })}</p>
      {publication.rows.length > FIND_FROM_ROWS ? (
        <Field label={t('resident.board.find')} hint={t('resident.board.findHint')} value={find} onChange={setFind} type="search" autoComplete="off" />
      ) : null}
      {words && lines.length === 0 ? <p>{t('resident.board.noMatch')}</p> : null}
      <ol className="board-rows">
        {lines.map(({ cells, line }) => (
          <li key={line} data-line={line}>
            <p className="board-line">{t('resident.board.line', { n: line })}</p>
            <dl>
              {publication.columns.map((column, c) => (
                <div key={c} className={`board-cell board-${column.role}`}>
                  <dt>{column.label}</dt>
                  <dd>{cells[c] ?? ''}</dd>
                </div>
              ))}
            </dl>
            {onObject && props.objecting === line ? props.form?.(line) : null}
            {onObject && props.objecting !== line ? (
              <button
                type="button"
                className="board-object"
                aria-label={t('resident.board.objectLine', { n: line })}
                onClick={() => {
                  onObject(line);
                }}
              >
                {t('resident.board.object')}
              </button>
            ) : null}
          </li>
        ))}
      </ol>
    </>
  );
}

type ObjectionPlace = 'text' | 'phone' | 'form';
const OBJECTION_PLACES: Readonly<Record<string, ObjectionPlace>> = {
  'appeal.text': 'text',
  'appeal.text.idNumber': 'text',
  'appeal.text.phone': 'text',
  'booking.phone': 'phone',
};

/** What is wrong with the line, and a mobile number or none: sent as an appeal to the town that approved the list. */
function ObjectionForm(props: {
  readonly api: ResidentApi;
  readonly village: string;
  readonly publication: BoardPublication;
  readonly row: number;
  readonly onCancel: () => void;
  readonly onObjected: (view: ResidentAppealView) => void;
}) {
  const { t } = useI18n();
  const [text, setText] = useState('');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<ObjectionPlace, ResidentError>>>({});

  const submit = async () => {
    if (busy) return;
    const length = Array.from(text.trim()).length;
    if (length === 0 || length > APPEAL_TEXT_MAX) {
      setProblems({ text: { code: 'appeal.text' } });
      return;
    }
    setProblems({});
    setBusy(true);
    const answered = await props.api.object(props.village, props.publication.id, { row: props.row, text, ...(phone.trim() ? { phone } : {}) });
    setBusy(false);
    if (answered.ok) props.onObjected(answered.value);
    else setProblems({ [OBJECTION_PLACES[answered.error.code] ?? 'form']: answered.error });
  };

  const problem = (place: ObjectionPlace) => {
    const found = problems[place];
    return found ? objectionErrorText(t, found) : undefined;
  };
  const length = Array.from(text).length;
  return (
    <form
      className="objection-form"
      aria-label={t('resident.board.objectTitle', { n: props.row })}
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
      noValidate
    >
      <p className="objection-title">{t('resident.board.objectTitle', { n: props.row })}</p>
      <TextField
        label={t('resident.board.objectText')}
        hint={t('resident.board.objectTextHint')}
        count={t('resident.appeal.count', { n: length, max: APPEAL_TEXT_MAX })}
        over={length > APPEAL_TEXT_MAX}
        value={text}
        onChange={setText}
        error={problem('text')}
      />
      <MobileField
        label={t('resident.board.objectPhone')}
        hint={t('resident.board.objectPhoneHint')}
        value={phone}
        onChange={setPhone}
        error={problem('phone')}
      />
      {problems.form ? <Alert>{problem('form')}</Alert> : null}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('resident.appeal.busy') : t('resident.board.objectSubmit')}
      </button>
      <button type="button" onClick={props.onCancel}>
        {t('resident.board.objectCancel')}
      </button>
    </form>
  );
}

/** An objection received: the code to keep, large, who answers by when, and where the answer is read. */
function ObjectedCard({ objected, by }: { readonly objected: Objected; readonly by: string }) {
  const { t, locale } = useI18n();
  const { view } = objected;
  return (
    <article className="appeal-card" data-status={view.status}>
      <p className="status-line appeal-received" role="status">
        {t('resident.board.objected', { n: objected.row })}
      </p>
      <p className="booking-code-label">{t('resident.appeal.code')}</p>
      <p className="booking-code" data-testid="objection-code">
        {formatLookupCode(view.code)}
      </p>
      <p className="keep-code">{t(view.anonymous ? 'resident.appeal.keepCodeAnonymous' : 'resident.appeal.keepCodePhone')}</p>
      <p data-testid="objection-answer">{t('resident.board.objectedAnswer', { by, date: formatDate(locale, view.firstReplyDue) })}</p>
    </article>
  );
}

/** `2026年11月`, `Nov 2026`: a month of the figures, by the phone's own locale data. */
const monthText = (locale: I18n['locale'], month: string) =>
  new Intl.DateTimeFormat(locale, { year: 'numeric', month: locale === 'zh-CN' ? 'long' : 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

/** The village's service figures, the latest month first, and the county's as open data to download. */
function Figures({ figures, csv, json }: { readonly figures: readonly ServiceFigures[]; readonly csv: string; readonly json: string }) {
  const { t, locale } = useI18n();
  const none = '—';
  return (
    <div className="board-figures">
      <h3>{t('resident.board.figures')}</h3>
      <p className="hint">{t('resident.board.figuresHint')}</p>
      {figures.length === 0 ? (
        <p data-testid="figures-none">{t('resident.board.noFigures')}</p>
      ) : (
        // One card a month: four figures side by side would not fit a phone, and a table that scrolls hides them.
        <ul className="board-months" data-testid="board-figures" aria-label={t('resident.board.figures')}>
          {[...figures].reverse().map((row) => (
            <li key={row.month} data-month={row.month}>
              <h4>{monthText(locale, row.month)}</h4>
              <dl>
                <dt>{t('resident.board.accepted')}</dt>
                <dd>{row.accepted}</dd>
                <dt>{t('resident.board.decided')}</dt>
                <dd>{row.decided}</dd>
                <dt>{t('resident.board.withinLimit')}</dt>
                <dd>
                  {row.decidedWithTimeLimit > 0
                    ? t('resident.board.percent', { n: Math.round((row.decidedWithinTimeLimit / row.decidedWithTimeLimit) * 100) })
                    : none}
                </dd>
                <dt>{t('resident.board.medianDays')}</dt>
                <dd>{row.medianDaysToDecision === null ? none : t('resident.board.days', { n: row.medianDaysToDecision })}</dd>
              </dl>
            </li>
          ))}
        </ul>
      )}
      <p className="board-open-data">
        {t('resident.board.openData')}{' '}
        <a href={csv} download="service-figures.csv">
          {t('resident.board.openDataCsv')}
        </a>{' '}
        ·{' '}
        <a href={json} type="application/json" download="service-figures.json">
          {t('resident.board.openDataJson')}
        </a>
      </p>
    </div>
  );
}
