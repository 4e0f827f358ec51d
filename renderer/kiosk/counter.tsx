/**
 * The counter once a clerk is signed in: header (hall, clerk, sync, language, elder mode, lock),
 * navigation with keyboard shortcuts, and the current screen. The new-case form's draft lives here,
 * so leaving the form and coming back never loses what was typed.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { kioskActorPrefix } from '../../core/case/events.js';
import { localDateOf } from '../../core/local-date.js';
import type { Clerk } from '../data/clerks.js';
import { NO_COUNTY_DATA } from '../data/county-data.js';
import type { KioskData } from '../data/kiosk-data.js';
import { useObservable } from '../ui/hooks.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import { CaseDetail } from './case-detail.js';
import { CaseList } from './case-list.js';
import { NewClerkForm } from './new-clerk-form.js';
import { ElderModeButton, LanguageButton } from '../ui/display.js';
import { Home } from './home.js';
import { emptyDraft, type IntakeDraft } from './intake-form.js';
import { NewCase } from './new-case.js';
import { Receipt } from './receipt.js';
import { SessionContext, type CounterSession, type Screen } from './session.js';
import type { KioskShell } from './shell.js';
import { SyncIndicator } from './sync-indicator.js';
import { VersionNotice } from './version-notice.js';

// The hall's appointments and appeals load when first opened: the counter's first chunk stays within its budget.
const Appointments = lazy(async () => ({ default: (await import('./appointments.js')).Appointments }));
const Appeals = lazy(async () => ({ default: (await import('./appeals.js')).Appeals }));
const Publications = lazy(async () => ({ default: (await import('./publications.js')).Publications }));

/**
 * Alt+key shortcuts, the same in both languages; shown on the buttons. Matched by physical key
 * (`event.code`), so they work whatever the keyboard layout or input method produces for the letter.
 */
const SHORTCUTS: Readonly<Record<string, Screen>> = {
  Digit1: { name: 'home' },
  KeyN: { name: 'newCase' },
  KeyF: { name: 'cases' },
  KeyA: { name: 'appointments' },
  KeyS: { name: 'appeals' },
  KeyP: { name: 'publications' },
};

/** The hall's display on a television beside the counter (clerk-gate.tsx keeps it open whoever is signed in). */
export type SecondScreenState = 'closed' | 'open' | 'unavailable';

export function Counter(props: {
  readonly data: KioskData;
  readonly shell: KioskShell;
  readonly clerk: Clerk;
  /** While locked the counter stays mounted (nothing typed is lost) but takes no shortcuts. */
  readonly locked: boolean;
  readonly onLock: () => void;
  /** Show the hall's public display: the gate locks the counter behind it. */
  readonly onDisplay: () => void;
  readonly secondScreen: SecondScreenState;
  readonly onSecondScreen: () => void;
  readonly onClerksChanged: () => void;
}) {
  const { data, clerk, onLock, onDisplay, locked } = props;
  const { t } = useI18n();
  const [screen, setScreen] = useState<Screen>({ name: 'home' });
  const [draft, setDraft] = useState<IntakeDraft>(emptyDraft);
  const county = useObservable(data.county$, NO_COUNTY_DATA);
  const compat = useObservable(data.compat$, undefined);
  const cases$ = useMemo(() => data.cases.all$(), [data]);
  const cases = useObservable(cases$, undefined);

  // An update may install only with the counter locked, nothing half-typed, and everything pushed.
  const sync = useObservable(data.sync.state$, data.sync.state());
  const unpushed = sync.pendingOutbound + (sync.pendingFiles ?? 0);
  const { reportActivity } = props.shell;
  useEffect(() => {
    reportActivity?.({ clerkIdle: locked && draft === emptyDraft, syncWriting: unpushed > 0 });
  }, [reportActivity, locked, draft, unpushed]);

  const go = useCallback((next: Screen) => {
    setScreen(next);
  }, []);
  useEffect(() => {
    if (locked) return undefined;
    const onKey = (event: KeyboardEvent) => {
      if (!event.altKey || event.ctrlKey || event.metaKey) return;
      if (event.code === 'KeyL') {
        event.preventDefault();
        onLock();
        return;
      }
      if (event.code === 'KeyD') {
        event.preventDefault();
        onDisplay();
        return;
      }
      const target = SHORTCUTS[event.code];
      if (target) {
        event.preventDefault();
        go(target);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
    };
  }, [go, onLock, onDisplay, locked]);

  const session: CounterSession = {
    data,
    shell: props.shell,
    clerk,
    actor: { id: `${kioskActorPrefix(data.enrollment.kioskId)}${clerk.id}`, name: clerk.name, level: 'village' },
    county,
    cases,
    today: localDateOf(new Date().toISOString()),
    go,
  };
  const nav = (target: Screen, label: string, shortcut?: string) => (
    <button
      type="button"
      className={screen.name === target.name ? 'nav-current' : undefined}
      aria-current={screen.name === target.name ? 'page' : undefined}
      aria-keyshortcuts={shortcut ? `Alt+${shortcut}` : undefined}
      onClick={() => {
        go(target);
      }}
    >
      {label} {shortcut ? <kbd>Alt+{shortcut.toUpperCase()}</kbd> : null}
    </button>
  );

  return (
    <SessionContext.Provider value={session}>
      <header className="counter-header">
        <div className="hall">
          <strong>{t('app.name')}</strong> {data.enrollment.townName} {data.enrollment.villageName}
          <span className="clerk-name">{t('counter.clerk', { name: clerk.name })}</span>
        </div>
        <SyncIndicator />
        <div className="display-controls">
          <LanguageButton />
          <ElderModeButton />
          <button type="button" onClick={onLock} aria-keyshortcuts="Alt+L">
            {t('counter.lock')} <kbd>Alt+L</kbd>
          </button>
        </div>
      </header>
      {compat ? <VersionNotice compat={compat} /> : null}
      <nav className="counter-nav" aria-label={t('counter.navigation')}>
        {nav({ name: 'home' }, t('nav.home'), '1')}
        {nav({ name: 'newCase' }, t('nav.newCase'), 'n')}
        {nav({ name: 'cases' }, t('nav.cases'), 'f')}
        {nav({ name: 'appointments' }, t('nav.appointments'), 'a')}
        {nav({ name: 'appeals' }, t('nav.appeals'), 's')}
        {nav({ name: 'publications' }, t('nav.publications'), 'p')}
        {nav({ name: 'clerks' }, t('nav.clerks'))}
        <button type="button" aria-keyshortcuts="Alt+D" onClick={onDisplay}>
          {t('hallDisplay.open')} <kbd>Alt+D</kbd>
        </button>
        <button type="button" aria-pressed={props.secondScreen === 'open'} onClick={props.onSecondScreen}>
          {props.secondScreen === 'open' ? t('hallDisplay.secondScreenClose') : t('hallDisplay.secondScreen')}
        </button>
      </nav>
      {props.secondScreen === 'unavailable' ? <Alert tone="info">{t('hallDisplay.secondScreenUnavailable')}</Alert> : null}
      <main className="counter-main">
        {screen.name === 'home' ? <Home /> : null}
        {screen.name === 'newCase' ? (
          <NewCase
            draft={draft}
            onDraft={setDraft}
            onRegistered={(caseNumber) => {
              // The visit booked for it came: recorded with the case it began (offline too).
              if (draft.appointmentCode) void data.hall.record(draft.appointmentCode, 'attended', clerk.name, caseNumber);
              setDraft(emptyDraft);
              go({ name: 'receipt', caseNumber });
            }}
          />
        ) : null}
        {screen.name === 'appointments' || screen.name === 'appeals' || screen.name === 'publications' ? (
          <Suspense
            fallback={
              <p className="loading" role="status">
                {t('boot.loading')}
              </p>
            }
          >
            {screen.name === 'appeals' ? <Appeals /> : null}
            {screen.name === 'publications' ? <Publications /> : null}
            {screen.name === 'appointments' ? (
              <Appointments
                draftInProgress={draft !== emptyDraft}
                onBeginCase={(appointment) => {
                  setDraft({
                    ...emptyDraft,
                    itemCode: appointment.itemCode,
                    applicant: { ...emptyDraft.applicant, name: appointment.name },
                    appointmentCode: appointment.code,
                  });
                  go({ name: 'newCase' });
                }}
              />
            ) : null}
          </Suspense>
        ) : null}
        {screen.name === 'cases' ? <CaseList {...(screen.status ? { status: screen.status } : {})} /> : null}
        {screen.name === 'case' ? <CaseDetail caseNumber={screen.caseNumber} /> : null}
        {screen.name === 'receipt' ? <Receipt caseNumber={screen.caseNumber} {...(screen.replaces ? { replaces: screen.replaces } : {})} /> : null}
        {screen.name === 'clerks' ? (
          <section>
            <h1>{t('clerk.addTitle')}</h1>
            <NewClerkForm data={data} onAdded={props.onClerksChanged} />
          </section>
        ) : null}
      </main>
    </SessionContext.Provider>
  );
}
