/**
 * Registering a case (受理): pick the service item, type the applicant from the ID card, tick the
 * checklist, and submit — keyboard first (Tab/Enter; Ctrl+Enter submits from anywhere on the form).
 * Nothing typed is lost on an error: problems are shown beside their fields and the draft is kept.
 */
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { addWorkingDays } from '../../core/calendar.js';
import { limitCanBeMet } from '../../core/catalog/catalog.js';
import { itemSearch } from '../../core/catalog/search.js';
import { saysOptional } from '../../core/catalog/material-name.js';
import type { ServiceItem } from '../../core/catalog/schema.js';
import { intakeOutcomes, type ChecklistMark, type IntakeOutcome } from '../../core/case/intake.js';
import type { CodedError } from '../../core/i18n/describe.js';
import { formatDate } from '../ui/format.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import { draftProblems, idNumberWhileTyping, phoneProblem, type DraftField, type DraftProblems, type IntakeDraft, type PersonDraft } from './intake-form.js';
import { registerCase } from './register.js';
import { ScanPicker } from './scan-picker.js';
import { useSession } from './session.js';

interface NewCaseProps {
  readonly draft: IntakeDraft;
  readonly onDraft: (draft: IntakeDraft) => void;
  readonly onRegistered: (caseNumber: string) => void;
}

export function NewCase({ draft, onDraft, onRegistered }: NewCaseProps) {
  const session = useSession();
  const { county, today } = session;
  const { t, describe, locale } = useI18n();
  // After the first attempt to register, problems follow the draft live: fixing a field clears its message.
  const [attempted, setAttempted] = useState(false);
  const [writeError, setWriteError] = useState<CodedError>();
  const [busy, setBusy] = useState(false);
  const form = useRef<HTMLFormElement>(null);
  const catalog = county.catalog;
  const search = useMemo(() => (catalog ? itemSearch(catalog) : undefined), [catalog]);
  const item = catalog?.items.find((candidate) => candidate.code === draft.itemCode);
  const update = (change: Partial<IntakeDraft>) => {
    onDraft({ ...draft, ...change });
  };

  if (!catalog || !search) {
    return (
      <section>
        <h1>{t('newCase.title')}</h1>
        {county.loaded ? (
          <Alert tone="info">{t('home.noCatalog')}</Alert>
        ) : (
          <p className="loading" role="status">
            {t('boot.loading')}
          </p>
        )}
      </section>
    );
  }

  const problems: DraftProblems = attempted ? draftProblems(draft, item, today) : {};
  const anyMissing = item ? item.materials.some((m) => draft.checklist[m.id] === 'missing') : false;
  const outcomes = item ? intakeOutcomes(item, anyMissing) : [];
  const outcome: IntakeOutcome | undefined = draft.outcome && outcomes.includes(draft.outcome) ? draft.outcome : outcomes[0];

  const submit = async () => {
    const found = draftProblems(draft, item, today);
    setAttempted(true);
    setWriteError(undefined);
    const first = Object.keys(found)[0] as DraftField | undefined;
    if (first || !item || !outcome) {
      // Focus the first field with a problem, so the clerk can fix it without hunting.
      requestAnimationFrame(() => {
        form.current?.querySelector<HTMLElement>(`[data-field="${first ?? 'item'}"] input, [data-field="${first ?? 'item'}"] button`)?.focus();
      });
      return;
    }
    setBusy(true);
    const registered = await registerCase(session, catalog, item, draft, outcome);
    setBusy(false);
    if (registered.ok) onRegistered(registered.value);
    else setWriteError(registered.error);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };
  const problem = (field: DraftField) => {
    const found = problems[field];
    return found ? describe(found) : undefined;
  };
  const problemCount = Object.keys(problems).length;

  return (
    <section className="new-case">
      <h1>{t('newCase.title')}</h1>
      <form
        ref={form}
        noValidate
        onKeyDown={onKeyDown}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        {problemCount > 0 ? <Alert>{t('newCase.problems', { count: problemCount })}</Alert> : null}
        {writeError ? <Alert>{t('newCase.notRegistered', { reason: describe(writeError) })}</Alert> : null}

        <fieldset data-field="item" className="step">
          <legend>{t('newCase.step.item')}</legend>
          {item ? (
            <ChosenItem
              item={item}
              onChange={() => {
                update({ itemCode: undefined, checklist: {}, scans: {} });
              }}
            />
          ) : (
            <ItemPicker draft={draft} update={update} error={problem('item')} search={(query) => search.find(query)} />
          )}
        </fieldset>

        <fieldset className="step">
          <legend>{t('newCase.step.applicant')}</legend>
          <PersonFields
            prefix="applicant"
            person={draft.applicant}
            onChange={(applicant) => {
              update({ applicant });
            }}
            problem={problem}
          />
          <label className="choice">
            <input
              type="checkbox"
              checked={draft.hasProxy}
              onChange={(event) => {
                update({ hasProxy: event.target.checked });
              }}
            />
            {t('newCase.hasProxy')}
          </label>
          {draft.hasProxy ? (
            <div className="proxy">
              <PersonFields
                prefix="proxy"
                person={draft.proxy}
                onChange={(proxy) => {
                  update({ proxy: { ...draft.proxy, ...proxy } });
                }}
                problem={problem}
              />
              <div data-field="proxy.relation">
                <Field
                  label={t('newCase.relation')}
                  value={draft.proxy.relation}
                  onChange={(relation) => {
                    update({ proxy: { ...draft.proxy, relation } });
                  }}
                  error={problem('proxy.relation')}
                />
              </div>
            </div>
          ) : null}
        </fieldset>

        {item ? <Checklist item={item} draft={draft} update={update} error={problem('checklist')} /> : null}

        {item && outcome ? (
          <fieldset className="step">
            <legend>{t('newCase.step.outcome')}</legend>
            {outcomes.map((candidate) => (
              <label key={candidate} className="choice">
                <input
                  type="radio"
                  name="outcome"
                  checked={candidate === outcome}
                  onChange={() => {
                    update({ outcome: candidate });
                  }}
                />
                {t(`outcome.${candidate}`)}
              </label>
            ))}
            <p className="due" data-testid="due">
              {dueText(item, outcome, anyMissing)}
            </p>
            <label className="field">
              {t('newCase.note')}
              <textarea
                value={draft.note}
                onChange={(event) => {
                  update({ note: event.target.value });
                }}
                rows={2}
              />
            </label>
          </fieldset>
        ) : null}

        <div className="actions">
          <button type="submit" className="primary" disabled={busy} aria-keyshortcuts="Control+Enter">
            {busy ? t('newCase.registering') : t('newCase.register')} <kbd>Ctrl+Enter</kbd>
          </button>
        </div>
      </form>
    </section>
  );

  function dueText(chosen: ServiceItem, how: IntakeOutcome, missing: boolean): string {
    if (missing) return t('newCase.due.stopped');
    if (how === 'completeNow') return t('newCase.due.now');
    const limit = chosen.timeLimitWorkingDays;
    if (limit === null || !county.calendar) return t('newCase.due.noLimit');
    // A catalog published before such limits were refused: no date at all rather than one already lost.
    if (!limitCanBeMet(chosen)) return t('newCase.due.impossible', { days: limit, level: t(`level.${chosen.decidingLevel}`) });
    const due = addWorkingDays(today, limit, county.calendar);
    return t(due.provisional ? 'newCase.due.provisional' : 'newCase.due.on', { date: formatDate(locale, due.dueOn), days: limit });
  }
}

function ChosenItem({ item, onChange }: { readonly item: ServiceItem; readonly onChange: () => void }) {
  const { t, pick } = useI18n();
  return (
    <div className="chosen-item">
      <p>
        <strong data-testid="chosen-item">{pick(item.name)}</strong> <span className="code">{item.code}</span>
      </p>
      <p className="item-facts">
        {t('newCase.decidedBy', { level: t(`level.${item.decidingLevel}`) })}
        {' · '}
        {item.timeLimitWorkingDays === null ? t('newCase.noLimit') : t('newCase.limit', { days: item.timeLimitWorkingDays })}
        {item.fee ? ` · ${t('newCase.fee')}` : ''}
      </p>
      <button type="button" onClick={onChange}>
        {t('newCase.changeItem')}
      </button>
    </div>
  );
}

function ItemPicker(props: {
  readonly draft: IntakeDraft;
  readonly update: (change: Partial<IntakeDraft>) => void;
  readonly error: string | undefined;
  readonly search: (query: string) => ServiceItem[];
}) {
  const { t, pick } = useI18n();
  const { county } = useSession();
  const catalog = county.catalog;
  const { draft, update } = props;
  const results = draft.query.trim() ? props.search(draft.query) : (catalog?.items.filter((i) => i.sector === draft.sector) ?? []);
  const choose = (chosen: ServiceItem) => {
    update({ itemCode: chosen.code, checklist: {}, scans: {}, outcome: undefined });
    // Straight on to the applicant: the clerk keeps typing from the ID card.
    requestAnimationFrame(() => {
      document.querySelector<HTMLInputElement>('[data-field="applicant.name"] input')?.focus();
    });
  };
  return (
    <div className="item-picker">
      <Field
        label={t('newCase.searchItem')}
        hint={t('newCase.searchHint')}
        value={draft.query}
        autoFocus
        autoComplete="off"
        role="searchbox"
        error={props.error}
        onChange={(query) => {
          update({ query });
        }}
        onKeyDown={(event) => {
          if (event.key !== 'Enter' || event.ctrlKey) return;
          // Enter here picks an item, never submits the form: with nothing found (yet), it does nothing.
          event.preventDefault();
          const first = results[0];
          if (first) choose(first);
        }}
      />
      <div className="sectors" role="group" aria-label={t('newCase.sectors')}>
        {catalog?.sectors.map((sector) => (
          <button
            key={sector.code}
            type="button"
            aria-pressed={draft.sector === sector.code && !draft.query}
            onClick={() => {
              update({ sector: sector.code, query: '' });
            }}
          >
            {pick(sector.name)}
          </button>
        ))}
      </div>
      {draft.query.trim() && results.length === 0 ? <p className="empty">{t('newCase.noItems')}</p> : null}
      <ul className="item-results">
        {results.map((candidate) => (
          <li key={candidate.code}>
            <button
              type="button"
              onClick={() => {
                choose(candidate);
              }}
            >
              {pick(candidate.name)} <span className="code">{candidate.code}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function PersonFields(props: {
  readonly prefix: 'applicant' | 'proxy';
  readonly person: PersonDraft;
  readonly onChange: (person: PersonDraft) => void;
  readonly problem: (field: DraftField) => string | undefined;
}) {
  const { t, describe } = useI18n();
  const { today } = useSession();
  const { prefix, person } = props;
  const set = (change: Partial<PersonDraft>) => {
    props.onChange({ ...person, ...change });
  };
  const typing = idNumberWhileTyping(person.idNumber, today);
  const phoneTyping = person.phone.replace(/[\s-]/g, '').length >= 7 ? phoneProblem(person.phone) : undefined;
  return (
    <div className="person">
      <div data-field={`${prefix}.name`}>
        <Field
          label={t(`person.${prefix}.name`)}
          value={person.name}
          autoComplete="off"
          onChange={(name) => {
            set({ name });
          }}
          error={props.problem(`${prefix}.name`)}
        />
      </div>
      <div data-field={`${prefix}.idNumber`}>
        <Field
          label={t('person.idNumber')}
          value={person.idNumber}
          autoComplete="off"
          inputMode="text"
          maxLength={22}
          spellCheck={false}
          className="id-number"
          onChange={(idNumber) => {
            set({ idNumber });
          }}
          error={typing ? describe(typing) : props.problem(`${prefix}.idNumber`)}
          hint={t('person.idNumberHint')}
        />
      </div>
      <div data-field={`${prefix}.phone`}>
        <Field
          label={t('person.phone')}
          type="tel"
          value={person.phone}
          autoComplete="off"
          onChange={(phone) => {
            set({ phone });
          }}
          error={phoneTyping ? describe(phoneTyping) : props.problem(`${prefix}.phone`)}
        />
      </div>
      <Field
        label={t('person.address')}
        value={person.address}
        autoComplete="off"
        onChange={(address) => {
          set({ address });
        }}
      />
    </div>
  );
}

function Checklist(props: {
  readonly item: ServiceItem;
  readonly draft: IntakeDraft;
  readonly update: (change: Partial<IntakeDraft>) => void;
  readonly error: string | undefined;
}) {
  const { t, pick } = useI18n();
  const { item, draft, update } = props;
  const mark = (materialId: string, value: ChecklistMark) => {
    update({ checklist: { ...draft.checklist, [materialId]: value } });
  };
  return (
    <fieldset data-field="checklist" className="step checklist">
      <legend>{t('newCase.step.materials')}</legend>
      {props.error ? (
        <p className="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {/* Only what every applicant must bring: whether an optional paper applies (a proxy's letter) is the clerk's call, row by row. */}
      <button
        type="button"
        onClick={() => {
          update({ checklist: { ...draft.checklist, ...Object.fromEntries(item.materials.filter((m) => m.required).map((m) => [m.id, 'received'])) } });
        }}
      >
        {t('newCase.allReceived')}
      </button>
      <table>
        <tbody>
          {item.materials.map((material) => (
            <tr key={material.id} data-material={material.id}>
              <th scope="row">
                {pick(material.name)}
                {material.required || saysOptional(pick(material.name)) ? null : <span className="optional"> {t('newCase.ifApplicable')}</span>}
              </th>
              <td>
                <div role="radiogroup" aria-label={pick(material.name)}>
                  {(['received', 'missing', ...(material.required ? [] : ['notApplicable' as const])] as const).map((value) => (
                    <label key={value} className="choice">
                      <input
                        type="radio"
                        name={`material-${material.id}`}
                        checked={draft.checklist[material.id] === value}
                        onChange={() => {
                          mark(material.id, value);
                        }}
                      />
                      {t(`material.${value}`)}
                    </label>
                  ))}
                </div>
              </td>
              <td>
                <ScanPicker
                  scans={draft.scans[material.id] ?? []}
                  onAdd={(scans) => {
                    update({
                      scans: { ...draft.scans, [material.id]: [...(draft.scans[material.id] ?? []), ...scans] },
                      checklist: { ...draft.checklist, [material.id]: 'received' },
                    });
                  }}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}
