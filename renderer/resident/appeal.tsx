/**
 * "Raise a concern" (反映诉求, issue 18 §4): a resident tells the village, the town or the county what
 * troubles them or what they suggest — the town and village, what it is about (the village's own affairs, a
 * sector of the catalog, or something else), the text, and a mobile number or nothing at all (anonymous; no
 * name is ever asked). The answer is a code, shown large, who answers first and by when. "Read the replies"
 * opens it again with the code (and the phone, if one was given): its state, who holds it, the due dates and
 * every answer in order, by level, never by a person's name.
 */
import { useEffect, useId, useState, type SyntheticEvent } from 'react';
// Types only: core/appeal/appeal.ts is built on zod, which the page must not carry.
import type { ResidentAppealView } from '../../core/appeal/appeal.js';
import { formatLookupCode } from '../../core/case/lookup-code-format.js';
import type { Level } from '../../core/level.js';
import type { HallDirectory, HallView } from '../../core/resident/booking.js';
import { isUiKey } from '../i18n/ui.js';
import { Alert } from '../ui/form.js';
import { formatDate, formatInstant } from '../ui/format.js';
import { useI18n, type I18n } from '../ui/i18n.js';
import type { ResidentApi, ResidentError } from './api.js';
import {
  bookingErrorText,
  CodeAndPhoneForm,
  HallPicker,
  MobileField,
  Select,
  useHallChoice,
  useHallDirectory,
  waitText,
  type CodePlace,
  type HallDirectoryState,
} from './booking-parts.js';

/** As core/appeal/appeal.ts's MAX_APPEAL_TEXT (a test holds them equal): that module brings zod, so it is not imported. */
export const APPEAL_TEXT_MAX = 2000;
/** Categories beside the catalog's sectors, as core/appeal/appeal.ts's OWN_CATEGORIES. */
const OWN_CATEGORIES = ['villageAffairs', 'other'] as const;
const isOwnCategory = (category: string): category is (typeof OWN_CATEGORIES)[number] => (OWN_CATEGORIES as readonly string[]).includes(category);

type Sectors = HallView['sectors'];

/**
 * A refusal as a sentence: the appeal's own codes (`appeal.text.idNumber` → `resident.appeal.error.text.idNumber`),
 * a bad phone in the words of the part it was typed in; anything else (offline, a village not found, the hub
 * unable to answer) as the booking sections say it.
 */
export function appealErrorText(t: I18n['t'], error: ResidentError, part: 'raise' | 'read' = 'raise'): string {
  const key =
    error.code === 'booking.phone'
      ? `resident.appeal.error.${part === 'raise' ? 'phone' : 'readPhone'}`
      : error.code.startsWith('appeal.')
        ? `resident.appeal.error.${error.code.slice('appeal.'.length)}`
        : '';
  return isUiKey(key) ? t(key, { wait: waitText(t, error.retryAfterSeconds), max: APPEAL_TEXT_MAX }) : bookingErrorText(t, error);
}

/** Who answers at `level`, in plain words: the village and town by name, "the county". */
const answererOf = (t: I18n['t'], view: ResidentAppealView, level: Level) => t(`resident.appeal.by.${level}`, { village: view.village, town: view.town });

/** What it is about, in plain words; a sector by its name when the page knows the catalog's sectors. */
function categoryText(t: I18n['t'], pick: I18n['pick'], category: string, sectors: Sectors | undefined): string | undefined {
  if (isOwnCategory(category)) return t(`resident.appeal.category.${category}`);
  const sector = sectors?.find((candidate) => candidate.code === category);
  return sector ? pick(sector.name) : undefined;
}

/** A code given elsewhere on the page (an objection on the village's board), to read its replies with: a new object each time. */
export interface HandedCode {
  readonly code: string;
}

/** The section: raising one above, reading the replies below; a code just given, here or on the board, is filled in below. */
export function Appeals({ api, handed }: { readonly api: ResidentApi; readonly handed?: HandedCode | undefined }) {
  const directory = useHallDirectory(api);
  // The catalog's sectors are the county's, the same in every hall's view: whichever hall was read last.
  const [sectors, setSectors] = useState<Sectors>();
  const [readCode, setReadCode] = useState('');
  useEffect(() => {
    if (handed) setReadCode(formatLookupCode(handed.code));
  }, [handed]);
  return (
    <>
      <RaiseAppeal
        api={api}
        directory={directory}
        onSectors={setSectors}
        onRaised={(view) => {
          setReadCode(formatLookupCode(view.code));
        }}
      />
      <ReadAppeal api={api} directory={directory.directory} code={readCode} onCode={setReadCode} handed={handed} sectors={sectors} onSectors={setSectors} />
    </>
  );
}

type RaisePlace = 'category' | 'text' | 'phone' | 'form';
const RAISE_PLACES: Readonly<Record<string, RaisePlace>> = {
  'appeal.text': 'text',
  'appeal.text.idNumber': 'text',
  'appeal.text.phone': 'text',
  'appeal.category': 'category',
  'booking.phone': 'phone',
};

function RaiseAppeal(props: {
  readonly api: ResidentApi;
  readonly directory: HallDirectoryState;
  readonly onSectors: (sectors: Sectors) => void;
  readonly onRaised: (view: ResidentAppealView) => void;
}) {
  const { api, onSectors } = props;
  const { t, pick } = useI18n();
  const ids = useId();
  const [category, setCategory] = useState('');
  const [text, setText] = useState('');
  const [reply, setReply] = useState<'phone' | 'anonymous'>('phone');
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<RaisePlace, ResidentError>>>({});
  const [raised, setRaised] = useState<ResidentAppealView>();
  const choice = useHallChoice(props.directory, (code) => api.hall(code), {
    onRead: (hall: HallView) => {
      onSectors(hall.sectors);
    },
    onChoose: () => {
      setProblems({});
    },
  });
  const { village, read: hall } = choice;

  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (busy || !hall) return;
    const length = Array.from(text.trim()).length;
    const local: Partial<Record<RaisePlace, ResidentError>> = {
      ...(category ? {} : { category: { code: 'appeal.category' } }),
      ...(length > 0 && length <= APPEAL_TEXT_MAX ? {} : { text: { code: 'appeal.text' } }),
      ...(reply === 'anonymous' || phone.trim() ? {} : { phone: { code: 'booking.phone' } }),
    };
    setProblems(local);
    if (Object.keys(local).length > 0) return;
    setBusy(true);
    const answered = await api.raiseAppeal({ village, category, text, ...(reply === 'phone' ? { phone } : {}) });
    setBusy(false);
    if (!answered.ok) {
      setProblems({ [RAISE_PLACES[answered.error.code] ?? 'form']: answered.error });
      return;
    }
    setRaised(answered.value);
    props.onRaised(answered.value);
    setText('');
    setPhone('');
    setCategory('');
  };

  const problem = (place: RaisePlace) => {
    const found = problems[place];
    return found ? appealErrorText(t, found) : undefined;
  };

  if (raised) {
    return (
      <section className="raise-appeal">
        <h2>{t('resident.appeal.title')}</h2>
        <article className="appeal-card" data-status={raised.status}>
          <p className="status-line appeal-received" role="status">
            {t('resident.appeal.received')}
          </p>
          <p className="booking-code-label">{t('resident.appeal.code')}</p>
          <p className="booking-code" data-testid="appeal-code">
            {formatLookupCode(raised.code)}
          </p>
          <p className="keep-code">{t(raised.anonymous ? 'resident.appeal.keepCodeAnonymous' : 'resident.appeal.keepCodePhone')}</p>
          <AppealFacts view={raised} sectors={hall?.sectors} />
        </article>
        <button
          type="button"
          onClick={() => {
            setRaised(undefined);
          }}
        >
          {t('resident.appeal.another')}
        </button>
      </section>
    );
  }

  const length = Array.from(text).length;
  return (
    <section className="raise-appeal">
      <h2>{t('resident.appeal.title')}</h2>
      <p className="hint">{t('resident.appeal.intro')}</p>
      <HallPicker choice={choice} />
      {hall ? (
        <form onSubmit={(event) => void submit(event)} noValidate>
          <Select
            label={t('resident.appeal.about')}
            value={category}
            options={[
              ['villageAffairs', t('resident.appeal.category.villageAffairs')],
              ...hall.sectors.map((sector) => [sector.code, pick(sector.name)] as const),
              ['other', t('resident.appeal.category.other')],
            ]}
            onChange={setCategory}
            error={problem('category')}
          />
          <TextField
            label={t('resident.appeal.text')}
            hint={t('resident.appeal.textHint')}
            count={t('resident.appeal.count', { n: length, max: APPEAL_TEXT_MAX })}
            over={length > APPEAL_TEXT_MAX}
            value={text}
            onChange={setText}
            error={problem('text')}
          />
          <fieldset className="choices">
            <legend>{t('resident.appeal.reply')}</legend>
            {(['phone', 'anonymous'] as const).map((choice) => (
              <label key={choice} className={choice === reply ? 'choice-chip chosen' : 'choice-chip'}>
                <input
                  type="radio"
                  name={`${ids}-reply`}
                  value={choice}
                  checked={choice === reply}
                  onChange={() => {
                    setReply(choice);
                    setProblems(({ phone: _, ...others }) => others);
                  }}
                />
                {t(choice === 'phone' ? 'resident.appeal.withPhone' : 'resident.appeal.anonymous')}
              </label>
            ))}
          </fieldset>
          {reply === 'phone' ? (
            <MobileField
              label={t('resident.appeal.phone')}
              hint={t('resident.appeal.withPhoneHint')}
              value={phone}
              onChange={setPhone}
              error={problem('phone')}
            />
          ) : (
            <p className="hint appeal-anonymous">{t('resident.appeal.anonymousHint')}</p>
          )}
          {problems.form ? <Alert>{problem('form')}</Alert> : null}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('resident.appeal.busy') : t('resident.appeal.submit')}
          </button>
        </form>
      ) : null}
    </section>
  );
}

/** A labelled text area with its hint or error and a count of what is written, all announced with it. */
export function TextField(props: {
  readonly label: string;
  readonly hint: string;
  readonly count: string;
  readonly over: boolean;
  readonly value: string;
  readonly onChange: (value: string) => void;
  readonly error?: string | undefined;
}) {
  const id = useId();
  return (
    <div className={props.error ? 'field field-invalid' : 'field'}>
      <label htmlFor={id}>{props.label}</label>
      <textarea
        id={id}
        value={props.value}
        rows={6}
        // Twice the limit, as the hub takes: past the limit, the count and the hub's answer say so.
        maxLength={APPEAL_TEXT_MAX * 2}
        aria-invalid={props.error ? true : undefined}
        aria-describedby={`${id}-${props.error ? 'error' : 'hint'} ${id}-count`}
        onChange={(event) => {
          props.onChange(event.target.value);
        }}
      />
      {props.error ? (
        <p id={`${id}-error`} className="field-error" role="alert">
          {props.error}
        </p>
      ) : (
        <p id={`${id}-hint`} className="hint">
          {props.hint}
        </p>
      )}
      <p id={`${id}-count`} className={props.over ? 'appeal-count over' : 'appeal-count'}>
        {props.count}
      </p>
    </div>
  );
}

const READ_PLACES: Readonly<Record<string, CodePlace>> = { 'appeal.code': 'code', 'booking.phone': 'phone' };

function ReadAppeal(props: {
  readonly api: ResidentApi;
  readonly directory: HallDirectory | undefined;
  readonly code: string;
  readonly onCode: (code: string) => void;
  /** A code handed from elsewhere: the form shown again for it, whatever was open. */
  readonly handed: HandedCode | undefined;
  readonly sectors: Sectors | undefined;
  readonly onSectors: (sectors: Sectors) => void;
}) {
  const { api, code, onCode, sectors } = props;
  const { t } = useI18n();
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<Partial<Record<CodePlace, ResidentError>>>({});
  const [found, setFound] = useState<ResidentAppealView>();
  useEffect(() => {
    if (!props.handed) return;
    setFound(undefined);
    setPhone('');
    setProblems({});
  }, [props.handed]);

  /** A sector's name, when no hall was read yet: the appeal's own village's view holds the county's sectors. */
  const nameSectors = async (view: ResidentAppealView) => {
    if (sectors || isOwnCategory(view.category)) return;
    const place = props.directory?.towns.find((candidate) => candidate.name === view.town)?.villages.find((candidate) => candidate.name === view.village);
    if (!place) return;
    const hall = await api.hall(place.code12);
    if (hall.ok) props.onSectors(hall.value.sectors);
  };

  const open = async () => {
    if (!code.trim()) {
      setProblems({ code: { code: 'appeal.code' } });
      return;
    }
    setProblems({});
    setBusy(true);
    const answered = await api.openAppeal({ code, ...(phone.trim() ? { phone } : {}) });
    setBusy(false);
    if (answered.ok) {
      setFound(answered.value);
      void nameSectors(answered.value);
    } else setProblems({ [READ_PLACES[answered.error.code] ?? 'form']: answered.error });
  };

  const problem = (place: CodePlace) => {
    const error = problems[place];
    return error ? appealErrorText(t, error, 'read') : undefined;
  };

  if (found) {
    return (
      <section className="read-appeal">
        <h2>{t('resident.appeal.read.title')}</h2>
        <AppealCard view={found} sectors={sectors} />
        <button
          type="button"
          onClick={() => {
            setFound(undefined);
            setPhone('');
            onCode('');
          }}
        >
          {t('resident.appeal.read.again')}
        </button>
      </section>
    );
  }
  return (
    <section className="read-appeal">
      <h2>{t('resident.appeal.read.title')}</h2>
      <CodeAndPhoneForm
        codeLabel={t('resident.appeal.code')}
        codeHint={t('resident.appeal.read.codeHint')}
        code={code}
        onCode={onCode}
        phoneLabel={t('resident.appeal.read.phone')}
        phoneHint={t('resident.appeal.read.phoneHint')}
        phone={phone}
        onPhone={setPhone}
        problem={problem}
        busy={busy}
        submit={t('resident.appeal.read.submit')}
        onSubmit={() => void open()}
      />
    </section>
  );
}

/** Where, what about, who answers it and by when: as raised, and as read again. */
function AppealFacts({ view, sectors }: { readonly view: ResidentAppealView; readonly sectors: Sectors | undefined }) {
  const { t, pick, locale } = useI18n();
  const about = categoryText(t, pick, view.category, sectors);
  const open = view.status !== 'closed';
  return (
    <dl>
      <dt>{t('resident.appeal.place')}</dt>
      <dd>{t('resident.appeal.placeValue', { town: view.town, village: view.village })}</dd>
      {about ? (
        <>
          <dt>{t('resident.appeal.about')}</dt>
          <dd data-testid="appeal-category">{about}</dd>
        </>
      ) : null}
      {view.objection ? (
        <>
          <dt>{t('resident.board.objection')}</dt>
          <dd data-testid="appeal-objection">{t('resident.board.objectionOf', { title: view.objection.title, n: view.objection.row })}</dd>
        </>
      ) : null}
      <dt>{t('resident.appeal.raisedOn')}</dt>
      <dd>{formatDate(locale, view.raisedOn)}</dd>
      {open ? (
        <>
          <dt>{t(view.answers.length === 0 ? 'resident.appeal.firstBy' : 'resident.appeal.heldBy')}</dt>
          <dd data-testid="appeal-held-by">{answererOf(t, view, view.heldBy)}</dd>
        </>
      ) : null}
      {view.status === 'open' ? (
        <>
          <dt>{t('resident.appeal.firstReplyDue')}</dt>
          <dd data-testid="appeal-reply-due">{t('resident.appeal.replyBy', { date: formatDate(locale, view.firstReplyDue) })}</dd>
        </>
      ) : null}
      {open ? (
        <>
          <dt>{t('resident.appeal.closeDue')}</dt>
          <dd>{t('resident.appeal.closeBy', { date: formatDate(locale, view.closeDue) })}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** One appeal as its resident reads it again: its state, the facts, their own words and every answer in order. */
function AppealCard({ view, sectors }: { readonly view: ResidentAppealView; readonly sectors: Sectors | undefined }) {
  const { t, locale } = useI18n();
  return (
    <article className="appeal-card" data-status={view.status}>
      <p className={`status-line appeal-${view.status}`} data-testid="appeal-status">
        {t(`resident.appeal.status.${view.status}`)}
      </p>
      <p className="booking-code-label">{t('resident.appeal.code')}</p>
      <p className="appeal-code-small">{formatLookupCode(view.code)}</p>
      <AppealFacts view={view} sectors={sectors} />
      <h3>{t('resident.appeal.yourText')}</h3>
      <p className="appeal-text" data-testid="appeal-text">
        {view.text}
      </p>
      <h3>{t('resident.appeal.answers')}</h3>
      {view.answers.length === 0 ? (
        <p>{t('resident.appeal.noAnswers', { by: answererOf(t, view, view.heldBy), date: formatDate(locale, view.firstReplyDue) })}</p>
      ) : (
        <ol className="appeal-answers" data-testid="appeal-answers">
          {view.answers.map((answer) => (
            <li key={`${answer.at}-${answer.type}-${answer.level}`} data-level={answer.level} data-type={answer.type}>
              <p className="answer-head">
                {t(`resident.appeal.answer.${answer.type}`, {
                  by: answererOf(t, view, answer.level),
                  to: answer.to ? answererOf(t, view, answer.to) : '',
                })}
                <span className="answer-at"> · {formatInstant(locale, answer.at)}</span>
              </p>
              <p className="appeal-text">{answer.text}</p>
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}
