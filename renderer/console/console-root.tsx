/**
 * The review console for town and county staff: sign in, work the queue of their area, open a case,
 * decide. What a reviewer may see and do is enforced by the hub; the console only offers it.
 */
import { lazy, Suspense, useCallback, useEffect, useId, useState, type SyntheticEvent } from 'react';
import type { SessionView } from '../../core/api/review.js';
import { DisplayProvider, LanguageButton } from '../ui/display.js';
import { Alert, Field } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ReviewApi } from './api.js';
import { AppealView, Appeals, type AppealRef } from './appeals.js';
import { ReviewCaseView } from './case-view.js';
import { AuditLog, Fleet, Quarantine } from './fleet.js';
import { Notices } from './notices.js';
import { PublicationView, Publications, type PublicationRef } from './publications.js';
import { Queue } from './queue.js';
import { apiErrorText } from './api-error.js';

// The charts (Recharts) are loaded when the statistics are opened, not with every queue.
const DashboardView = lazy(async () => ({ default: (await import('./dashboard.js')).DashboardView }));

export function ConsoleRoot(props: { readonly api: ReviewApi; readonly preferences: Pick<Storage, 'getItem' | 'setItem'> }) {
  return (
    <DisplayProvider preferences={props.preferences}>
      <Console api={props.api} />
    </DisplayProvider>
  );
}

const VIEWS = ['queue', 'appeals', 'publications', 'dashboard', 'notices', 'fleet', 'quarantine', 'audit'] as const;
type ConsoleView = (typeof VIEWS)[number];

function Console({ api }: { readonly api: ReviewApi }) {
  const { t } = useI18n();
  const [session, setSession] = useState<SessionView | null>();
  const [open, setOpen] = useState<string>();
  const [openAppeal, setOpenAppeal] = useState<AppealRef>();
  const [openPublication, setOpenPublication] = useState<PublicationRef>();
  const [view, setView] = useState<ConsoleView>('queue');
  // Set while a session that ended mid-work is being signed in again, over the page as it stands.
  const [signingInAgain, setSigningInAgain] = useState<(signedIn: boolean) => void>();
  useEffect(() => {
    void api.session().then((answer) => {
      setSession(answer.ok ? answer.value : null);
    });
  }, [api]);
  useEffect(() => {
    api.onSessionEnded(
      () =>
        new Promise<boolean>((resolve) => {
          setSigningInAgain(() => resolve);
        }),
    );
    return () => {
      api.onSessionEnded(undefined);
    };
  }, [api]);
  const signOut = useCallback(async () => {
    // A request waiting for the password is answered "not signed in": nothing goes out under the next reviewer.
    signingInAgain?.(false);
    setSigningInAgain(undefined);
    await api.signOut();
    setSession(null);
    setOpen(undefined);
    setOpenAppeal(undefined);
    setOpenPublication(undefined);
  }, [api, signingInAgain]);

  if (session === undefined)
    return (
      <p className="loading" role="status">
        {t('boot.loading')}
      </p>
    );
  if (session === null) return <ReviewerSignIn api={api} onSignedIn={setSession} />;
  const { reviewer } = session;
  return (
    <>
      {/* While the password is asked for again, the page beneath stays as it was and takes no input. */}
      <div className="console-page" inert={signingInAgain !== undefined}>
        <header className="counter-header">
          <div className="hall">
            <strong>{t('console.title')}</strong>{' '}
            <span className="clerk-name">{t('console.reviewer', { name: reviewer.displayName ?? reviewer.name, level: t(`level.${reviewer.role}`) })}</span>
          </div>
          <div className="display-controls">
            <LanguageButton />
            <button type="button" onClick={() => void signOut()}>
              {t('console.signOut')}
            </button>
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
                setOpenAppeal(undefined);
                setOpenPublication(undefined);
              }}
            >
              {t(`console.nav.${candidate}`)}
            </button>
          ))}
        </nav>
        <main className="counter-main">
          {view === 'queue' && open ? (
            <ReviewCaseView
              api={api}
              reviewer={reviewer}
              caseNumber={open}
              onBack={() => {
                setOpen(undefined);
              }}
            />
          ) : null}
          {view === 'queue' && !open ? <Queue api={api} reviewer={reviewer} onOpen={setOpen} /> : null}
          {view === 'appeals' && openAppeal ? (
            <AppealView
              api={api}
              reviewer={reviewer}
              appeal={openAppeal}
              onBack={() => {
                setOpenAppeal(undefined);
              }}
            />
          ) : null}
          {view === 'appeals' && !openAppeal ? <Appeals api={api} onOpen={setOpenAppeal} /> : null}
          {view === 'publications' && openPublication ? (
            <PublicationView
              api={api}
              reviewer={reviewer}
              publication={openPublication}
              onBack={() => {
                setOpenPublication(undefined);
              }}
            />
          ) : null}
          {view === 'publications' && !openPublication ? <Publications api={api} onOpen={setOpenPublication} /> : null}
          {view === 'dashboard' ? (
            <Suspense fallback={<p role="status">{t('boot.loading')}</p>}>
              <DashboardView api={api} />
            </Suspense>
          ) : null}
          {view === 'notices' ? <Notices api={api} reviewer={reviewer} /> : null}
          {view === 'fleet' ? <Fleet api={api} reviewer={reviewer} /> : null}
          {view === 'quarantine' ? <Quarantine api={api} /> : null}
          {view === 'audit' ? <AuditLog api={api} /> : null}
        </main>
      </div>
      {signingInAgain ? (
        <SignInAgain
          api={api}
          name={reviewer.name}
          onDone={(again) => {
            if (again) setSession(again);
            signingInAgain(again !== undefined);
            setSigningInAgain(undefined);
          }}
          onSignOut={() => void signOut()}
        />
      ) : null}
    </>
  );
}

function ReviewerSignIn(props: { readonly api: ReviewApi; readonly onSignedIn: (session: SessionView) => void }) {
  const { t } = useI18n();
  return (
    <main className="sign-in">
      <h1>{t('console.signInTitle')}</h1>
      <SignInForm api={props.api} onSignedIn={props.onSignedIn} />
    </main>
  );
}

/**
 * The session ended mid-work: the same reviewer signs in again over the page, which stays as it was (a
 * draft note, a half-ticked list), and what they had just pressed is then sent. Cancelling keeps the page.
 */
function SignInAgain(props: {
  readonly api: ReviewApi;
  readonly name: string;
  readonly onDone: (session?: SessionView) => void;
  readonly onSignOut: () => void;
}) {
  const { t } = useI18n();
  const titleId = useId();
  return (
    <div className="modal-backdrop">
      <section className="modal" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>{t('console.signInAgainTitle')}</h2>
        <p>{t('console.signInAgainIntro')}</p>
        <SignInForm api={props.api} name={props.name} onSignedIn={props.onDone} />
        <button
          type="button"
          onClick={() => {
            props.onDone();
          }}
        >
          {t('confirm.no')}
        </button>
        <button type="button" onClick={props.onSignOut}>
          {t('console.signOut')}
        </button>
      </section>
    </div>
  );
}

/** Name and password; with `name` given, only the password (signing the same reviewer in again). */
function SignInForm(props: { readonly api: ReviewApi; readonly name?: string; readonly onSignedIn: (session: SessionView) => void }) {
  const { t } = useI18n();
  const [name, setName] = useState(props.name ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    if (name.trim() === '' || password === '') {
      setError(t(name.trim() === '' ? 'console.nameEmpty' : 'console.passwordEmpty'));
      return;
    }
    const sent = password;
    const answer = await props.api.signIn(name.trim(), sent);
    // Only the password that was sent is cleared: one typed again meanwhile is the reviewer's next try.
    setPassword((typed) => (typed === sent ? '' : typed));
    if (answer.ok) props.onSignedIn(answer.value);
    else setError(apiErrorText(t, answer.error));
  };
  return (
    <form onSubmit={(event) => void submit(event)} noValidate>
      {props.name === undefined ? (
        <Field label={t('console.name')} value={name} onChange={setName} autoFocus autoComplete="username" />
      ) : (
        <p className="signing-in-as">{t('console.signingInAs', { name: props.name })}</p>
      )}
      <Field
        label={t('console.password')}
        type="password"
        value={password}
        onChange={setPassword}
        autoFocus={props.name !== undefined}
        autoComplete="current-password"
      />
      {error ? <Alert>{error}</Alert> : null}
      <button type="submit" className="primary">
        {t('signIn.submit')}
      </button>
    </form>
  );
}
