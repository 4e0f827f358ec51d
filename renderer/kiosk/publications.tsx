/**
 * 村务公开 at the counter (issue 19 §1): the clerk prepares a publication — a recipients' list generated from the
 * village's approved cases, or a county spreadsheet (CSV, UTF-8 or GB 18030) — checks it here, where every cell
 * that must not be published is named by row and column and names are already masked, and submits it to the town,
 * offline too. The list below shows where each stands: with the town, returned (with why), on the board until its
 * end, ended, or withdrawn. Only the town approves; the board shows nothing before.
 */
import { useId, useMemo, useState, type SyntheticEvent } from 'react';
import {
  MAX_DISPLAY_DAYS,
  PUBLICATION_CATEGORIES,
  preparedProblems,
  publicationState,
  tableFromSheet,
  type PreparedPublication,
  type Publication,
  type PublicationCategory,
  type PublicationColumn,
  type PublicationSource,
} from '../../core/disclosure/publication.js';
import { recipientCaseOf, recipientsTable } from '../../core/disclosure/recipients.js';
import { addDays, parseLocalDate } from '../../core/local-date.js';
import { readSheet } from '../data/csv-table.js';
import type { PublicationError } from '../data/publications.js';
import { ConfirmButton } from '../ui/confirm.js';
import { DateField } from '../ui/date-field.js';
import { Alert, Field } from '../ui/form.js';
import { formatInstant } from '../ui/format.js';
import { useObservable } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';
import { useSession } from './session.js';

type Problem = ReturnType<typeof preparedProblems>[number];

interface Table {
  readonly columns: readonly PublicationColumn[];
  readonly rows: readonly (readonly string[])[];
  readonly source: PublicationSource;
}

const numeric = (column: PublicationColumn | undefined) => column?.role === 'amount' || column?.role === 'count';

export function Publications() {
  const { t } = useI18n();
  const { data } = useSession();
  const publications$ = useMemo(() => data.publications.publications$(), [data]);
  const publications = useObservable(publications$, undefined);
  const [preparing, setPreparing] = useState<Starting>();
  // A hub before issue 19 would refuse a publication: not offered until the county updates it.
  const hubReads = useObservable(data.sync.hubReads$, undefined);
  const hubTakesPublications = hubReads === undefined || hubReads.includes('cunban.publication');
  return (
    <section className="publications">
      <h1>{t('publications.title')}</h1>
      <p className="hint">{t('publications.intro')}</p>
      {hubTakesPublications ? null : <Alert tone="info">{t('publications.hubTooOld')}</Alert>}
      {preparing ? (
        <PreparePublication
          starting={preparing}
          onDone={() => {
            setPreparing(undefined);
          }}
        />
      ) : (
        <button
          type="button"
          className="primary"
          disabled={!hubTakesPublications}
          onClick={() => {
            setPreparing(FRESH);
          }}
        >
          {t('publications.new')}
        </button>
      )}
      <h2>{t('publications.listTitle')}</h2>
      {publications === undefined ? <p className="loading">{t('boot.loading')}</p> : null}
      {publications?.length === 0 ? <p>{t('publications.none')}</p> : null}
      <ul className="publication-list">
        {publications?.map((publication) => (
          <PublicationItem key={publication.publicationId} publication={publication} onPrepareAgain={preparing ? undefined : setPreparing} />
        ))}
      </ul>
    </section>
  );
}

/** One problem of a table or its text, in the clerk's words, naming the line and the column by its heading. */
function useProblemText(columns: readonly PublicationColumn[]): (problem: Problem) => string {
  const { t, describe } = useI18n();
  return (problem) => {
    const heading = 'column' in problem ? (columns[problem.column - 1]?.label ?? String(problem.column)) : '';
    if (problem.code === 'publication.cell') return t(`publication.cell.${problem.problem}`, { row: problem.row, heading });
    if (problem.code === 'publication.heading') return t(`publication.heading.${problem.problem}`, { column: problem.column });
    if (problem.code === 'publication.text')
      return t(`publication.text.${problem.problem}`, { field: t(problem.field === 'title' ? 'publications.title.label' : 'publications.note') });
    if (problem.code === 'publication.unmaskedName' || problem.code === 'publication.notANumber' || problem.code === 'publication.emptyNumber')
      return t(problem.code, { row: problem.row, heading });
    return describe(problem);
  };
}

/** What a returned or withdrawn publication gives a new one to start from: everything but its history. */
function startingFrom(publication: Publication): Starting {
  return {
    category: publication.category,
    title: publication.title,
    note: publication.note ?? '',
    days: String(publication.displayDays),
    table: { columns: publication.columns, rows: publication.rows, source: publication.source },
  };
}

interface Starting {
  readonly category: PublicationCategory;
  readonly title: string;
  readonly note: string;
  readonly days: string;
  readonly table?: Table;
}

const FRESH: Starting = { category: 'allowanceRecipients', title: '', note: '', days: '7' };

function PreparePublication({ starting, onDone }: { readonly starting: Starting; readonly onDone: () => void }) {
  const { t, describe } = useI18n();
  const { data, actor } = useSession();
  const [category, setCategory] = useState<PublicationCategory>(starting.category);
  const [title, setTitle] = useState(starting.title);
  const [note, setNote] = useState(starting.note);
  const [days, setDays] = useState(starting.days);
  const [table, setTable] = useState<Table | undefined>(starting.table);
  const [error, setError] = useState<PublicationError>();
  const problemText = useProblemText(table?.columns ?? []);
  const formId = useId();

  const displayDays = Number(days);
  const daysValid = Number.isInteger(displayDays) && displayDays >= 1 && displayDays <= MAX_DISPLAY_DAYS;
  const problems = table ? preparedProblems({ title, note, columns: table.columns, rows: table.rows }) : [];
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (!table || !daysValid) return;
    const prepared: PreparedPublication = {
      category,
      title,
      ...(note.trim() ? { note } : {}),
      displayDays,
      source: table.source,
      columns: table.columns.map((column) => ({ ...column })),
      // Numbers typed in full width (６２０) are stored as the numbers they are.
      rows: table.rows.map((row) => row.map((cell, c) => (numeric(table.columns[c]) ? cell.normalize('NFKC').trim() : cell))),
    };
    const result = await data.publications.submit(prepared, { id: actor.id, name: actor.name });
    if (!result.ok) {
      setError(result.error);
      return;
    }
    onDone();
  };
  const editCell = (row: number, column: number, value: string) => {
    if (!table) return;
    setTable({ ...table, rows: table.rows.map((cells, r) => (r === row ? cells.map((cell, c) => (c === column ? value : cell)) : cells)) });
  };

  return (
    <form className="prepare-publication" onSubmit={(event) => void submit(event)} noValidate aria-labelledby={`${formId}-title`}>
      <h2 id={`${formId}-title`}>{t('publications.new')}</h2>
      <label className="field">
        <span>{t('publications.category')}</span>
        <select
          value={category}
          onChange={(event) => {
            setCategory(event.target.value as PublicationCategory);
          }}
        >
          {PUBLICATION_CATEGORIES.map((value) => (
            <option key={value} value={value}>
              {t(`publications.category.${value}`)}
            </option>
          ))}
        </select>
      </label>
      <Field label={t('publications.title.label')} value={title} onChange={setTitle} maxLength={80} />
      <Field
        label={t('publications.days')}
        value={days}
        onChange={setDays}
        inputMode="numeric"
        hint={t('publications.daysHint')}
        error={daysValid ? undefined : t('publications.daysInvalid', { max: MAX_DISPLAY_DAYS })}
      />
      <label className="field">
        <span>{t('publications.note')}</span>
        <textarea
          value={note}
          rows={3}
          maxLength={2000}
          onChange={(event) => {
            setNote(event.target.value);
          }}
        />
      </label>
      <fieldset className="publication-source">
        <legend>{t('publications.source')}</legend>
        <FromCases onTable={setTable} />
        <FromFile onTable={setTable} />
      </fieldset>
      {table ? <TableEditor table={table} problems={problems} onEdit={editCell} /> : null}
      {problems.length > 0 ? (
        <div className="publication-problems" role="alert">
          <p>{t('publications.problems', { count: problems.length })}</p>
          <ul>
            {problems.slice(0, 50).map((problem, index) => (
              <li key={index}>{problemText(problem)}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {error && error.code !== 'publication.problems' ? <Alert>{describe(error)}</Alert> : null}
      <div className="actions">
        <button type="submit" className="primary" disabled={!table || table.rows.length === 0 || problems.length > 0 || !title.trim() || !daysValid}>
          {t('publications.submit')}
        </button>
        <button type="button" onClick={onDone}>
          {t('publications.cancel')}
        </button>
      </div>
    </form>
  );
}

/** A recipients' list from the village's approved cases of one item, decided in a period. */
function FromCases({ onTable }: { readonly onTable: (table: Table) => void }) {
  const { t, pick } = useI18n();
  const { county, cases, data, today } = useSession();
  const items = county.catalog?.items ?? [];
  const [itemCode, setItemCode] = useState(items[0]?.code ?? '');
  const [fromDate, setFromDate] = useState<string>(addDays(today, -30));
  const [toDate, setToDate] = useState<string>(today);
  const [count, setCount] = useState<number>();
  const generate = () => {
    const from = parseLocalDate(fromDate);
    const to = parseLocalDate(toDate);
    if (!from || !to || !itemCode) return;
    const choice = { itemCode, fromDate: from, toDate: to };
    const table = recipientsTable((cases ?? []).map(recipientCaseOf), choice, data.enrollment.villageName, {
      name: t('publications.heading.name'),
      householdSize: t('publications.heading.householdSize'),
      amount: t('publications.heading.amount'),
      village: t('publications.heading.village'),
    });
    setCount(table.rows.length);
    onTable({ ...table, source: { from: 'cases', ...choice } });
  };
  return (
    <div className="from-cases">
      <h3>{t('publications.fromCases')}</h3>
      <label className="field">
        <span>{t('publications.item')}</span>
        <select
          value={itemCode}
          onChange={(event) => {
            setItemCode(event.target.value);
          }}
        >
          {items.map((item) => (
            <option key={item.code} value={item.code}>
              {pick(item.name)}
            </option>
          ))}
        </select>
      </label>
      <DateField label={t('publications.decidedFrom')} value={fromDate} onChange={setFromDate} />
      <DateField label={t('publications.decidedTo')} value={toDate} onChange={setToDate} />
      <button type="button" onClick={generate} disabled={!itemCode || cases === undefined}>
        {t('publications.generate')}
      </button>
      {count !== undefined ? <p role="status">{t('publications.generated', { count })}</p> : null}
    </div>
  );
}

/** A county's spreadsheet saved as CSV: read, names masked on the way in, then guarded like any table. */
function FromFile({ onTable }: { readonly onTable: (table: Table) => void }) {
  const { t, describe } = useI18n();
  const [error, setError] = useState<string>();
  const id = useId();
  const read = async (file: File | undefined) => {
    if (!file) return;
    const sheet = readSheet(new Uint8Array(await file.arrayBuffer()));
    if (!sheet.ok) {
      setError(describe(sheet.error));
      return;
    }
    setError(undefined);
    onTable({ ...tableFromSheet(sheet.value.rows), source: { from: 'file', fileName: file.name.slice(0, 120) } });
  };
  return (
    <div className="from-file">
      <h3>{t('publications.fromFile')}</h3>
      <label htmlFor={id}>{t('publications.file')}</label>
      <input
        id={id}
        type="file"
        accept=".csv,text/csv"
        onChange={(event) => {
          void read(event.target.files?.[0]);
        }}
      />
      <p className="hint">{t('publications.fileHint')}</p>
      {error ? <Alert>{error}</Alert> : null}
    </div>
  );
}

/** The table as it will be published; household sizes and amounts typed in; refused cells marked. */
function TableEditor(props: {
  readonly table: Table;
  readonly problems: readonly Problem[];
  readonly onEdit: (row: number, column: number, value: string) => void;
}) {
  const { t } = useI18n();
  const { table, problems } = props;
  const marked = new Set(problems.flatMap((problem) => ('row' in problem && 'column' in problem ? [`${String(problem.row)}:${String(problem.column)}`] : [])));
  return (
    <div className="publication-table-wrap">
      <table className="publication-table">
        <caption>{t('publications.preview', { count: table.rows.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('publications.line')}</th>
            {table.columns.map((column, c) => (
              <th key={c} scope="col">
                {column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {table.rows.map((cells, r) => (
            <tr key={r}>
              <th scope="row">{r + 1}</th>
              {cells.map((cell, c) => {
                const invalid = marked.has(`${String(r + 1)}:${String(c + 1)}`);
                const role = table.columns[c]?.role;
                const editable = role === 'count' || role === 'amount';
                return (
                  <td key={c} className={invalid ? 'cell-invalid' : undefined}>
                    {editable ? (
                      <input
                        value={cell}
                        inputMode="decimal"
                        aria-label={t('publications.cellLabel', { row: r + 1, column: table.columns[c]?.label ?? '' })}
                        aria-invalid={invalid ? true : undefined}
                        onChange={(event) => {
                          props.onEdit(r, c, event.target.value);
                        }}
                      />
                    ) : (
                      cell
                    )}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function PublicationItem(props: { readonly publication: Publication; readonly onPrepareAgain: ((starting: Starting) => void) | undefined }) {
  const { publication, onPrepareAgain } = props;
  const { t, locale, describe } = useI18n();
  const { data, actor } = useSession();
  const [refused, setRefused] = useState<string>();
  const state = publicationState(publication, new Date());
  const withdrawable = state.status === 'awaitingApproval' || state.status === 'onDisplay';
  return (
    <li className={`publication publication-${state.status}`}>
      <h3>{publication.title}</h3>
      <p>
        {t(`publications.category.${publication.category}`)} · {t('publications.rows', { count: publication.rows.length })} ·{' '}
        {t('publications.preparedAt', { at: formatInstant(locale, publication.preparedAt) })}
      </p>
      <p className="publication-status">
        <strong>{t(`publications.status.${state.status}`)}</strong>
        {state.displayUntil ? ` · ${t('publications.until', { at: formatInstant(locale, state.displayUntil) })}` : null}
        {state.approvedBy ? ` · ${t('publications.approvedBy', { name: state.approvedBy.name })}` : null}
      </p>
      {state.returnedReason ? <p className="publication-reason">{t('publications.reason', { reason: state.returnedReason })}</p> : null}
      {withdrawable ? (
        <ConfirmButton
          action={t('publications.withdraw')}
          onConfirm={() => {
            void data.publications.withdraw(publication.publicationId, { id: actor.id, name: actor.name }).then((result) => {
              setRefused(result.ok ? undefined : describe(result.error));
            });
          }}
        />
      ) : null}
      {(state.status === 'returned' || state.status === 'withdrawn') && onPrepareAgain ? (
        <button
          type="button"
          onClick={() => {
            onPrepareAgain(startingFrom(publication));
          }}
        >
          {t('publications.prepareAgain')}
        </button>
      ) : null}
      {refused ? <Alert>{refused}</Alert> : null}
    </li>
  );
}
