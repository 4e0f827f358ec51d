/**
 * The review console for town and county staff: sign in, work the queue of their area, open a case,
 * decide. What a reviewer may see and do is enforced by the hub; the console only offers it.
 */
import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import type { SessionView } from '../../core/api/review.js';
import { DisplayProvider, useDisplay } from '../ui/display.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ApiError, ReviewApi } from './api.js';
import { ReviewCaseView } from './case-view.js';
import { DashboardView } from './dashboard.js';
import { AuditLog, Fleet, Quarantine } from './fleet.js';
import { Notices } from './notices.js';
import { Queue } from './queue.js';

export function ConsoleRoot(props: { readonly api: ReviewApi; readonly preferences: Pick<Storage, 'getItem' | 'setItem'> }) {
  return (
    <DisplayProvider preferences={props.preferences}>
      <Console api={props.api} />
    </DisplayProvider>
  );
}

const VIEWS = ['queue', 'dashboard', 'notices', 'fleet', 'quarantine', 'audit'] as const;
type ConsoleView = (typeof VIEWS)[number];

function Console({ api }: { readonly api: ReviewApi }) {
  const { t } = useI18n();
  const display = useDisplay();
  const [session, setSession] = useState<SessionView | null>();
  const [open, setOpen] = useState<string>();
  const [view, setView] = useState<ConsoleView>('queue');
  useEffect(() => {
    void api.session().then((answer) => {
      setSession(answer.ok ? answer.value : null);
    });
  }, [api]);
  const signOut = useCallback(async () => {
    await api.signOut();
    setSession(null);
    setOpen(undefined);
  }, [api]);

  if (session === undefined) return <p className="loading" role="status">{t('boot.loading')}</p>;
  if (session === null) return <ReviewerSignIn api={api} onSignedIn={setSession} />;
  const { reviewer } = session;
  return (
    <>
      <header className="counter-header">
        <div className="hall">
          <strong>{t('console.title')}</strong>{' '}
          <span className="clerk-name">{t('console.reviewer', { name: reviewer.name, level: t(`level.${reviewer.role}`) })}</span>
        </div>
        <div className="display-controls">
          <button type="button" onClick={() => { display.setLocale(display.locale === 'zh-CN' ? 'en' : 'zh-CN'); }}>{t('display.otherLanguage')}</button>
          <button type="button" onClick={() => void signOut()}>{t('console.signOut')}</button>
        </div>
      </header>
      <nav className="counter-nav" aria-label={t('counter.navigation')}>
        {VIEWS.filter((candidate) => candidate !== 'audit' || reviewer.role === 'county').map((candidate) => (
          <button
            key={candidate}
            type="button"
            className={view === candidate ? 'nav-current' : undefined}
            aria-current={view === candidate ? 'page' : undefined}
            onClick={() => {
              setView(candidate);
              setOpen(undefined);
            }}
          >
            {t(`console.nav.${candidate}`)}
          </button>
        ))}
      </nav>
      <main className="counter-main">
        {view === 'queue' && open ? <ReviewCaseView api={api} reviewer={reviewer} caseNumber={open} onBack={() => { setOpen(undefined); }} /> : null}
        {view === 'queue' && !open ? <Queue api={api} reviewer={reviewer} onOpen={setOpen} /> : null}
        {view === 'dashboard' ? <DashboardView api={api} /> : null}
        {view === 'notices' ? <Notices api={api} reviewer={reviewer} /> : null}
        {view === 'fleet' ? <Fleet api={api} reviewer={reviewer} /> : null}
        {view === 'quarantine' ? <Quarantine api={api} /> : null}
        {view === 'audit' ? <AuditLog api={api} /> : null}
      </main>
    </>
  );
}

function ReviewerSignIn(props: { readonly api: ReviewApi; readonly onSignedIn: (session: SessionView) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<ApiError>();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const answer = await props.api.signIn(name, password);
    setPassword('');
    if (answer.ok) props.onSignedIn(answer.value);
    else setError(answer.error);
  };
  return (
    <main className="sign-in">
      <h1>{t('console.signInTitle')}</h1>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <Field label={t('console.name')} value={name} onChange={setName} autoFocus autoComplete="username" />
        <Field label={t('console.password')} type="password" value={password} onChange={setPassword} autoComplete="current-password" />
        {error ? <Alert>{apiErrorText(t, error)}</Alert> : null}
        <button type="submit" className="primary">{t('signIn.submit')}</button>
      </form>
    </main>
  );
}

/** A hub answer as a sentence: the console's own codes, else the hub's reason. */
export function apiErrorText(t: ReturnType<typeof useI18n>['t'], error: ApiError): string {
  switch (error.code) {
    case 'signIn.wrong':
      return t('console.signInWrong');
    case 'signIn.locked':
      return t('console.signInLocked');
    case 'signIn.throttled':
      return t('console.signInThrottled');
    case 'signIn.busy':
      return t('console.signInBusy');
    case 'console.hubUnreachable':
      return t('console.hubUnreachable');
    case 'notice.idNumber':
      return t('notices.idNumber');
    case 'notice.expired':
      return t('notices.expired');
    default:
      return t('console.refused', { reason: error.reason || error.code });
  }
}
