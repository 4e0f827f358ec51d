/**
 * Who is at the counter. The first clerk account is made here on a new kiosk; after that a clerk signs
 * in with a PIN, and the counter locks itself when left idle. Locking hides the counter without
 * unmounting it, so whatever was being typed is still there after the PIN.
 *
 * The hall's public display (hall-display.tsx) is opened from the counter — which locks it — or from the sign-in
 * screen, with no PIN: it shows only public data. Leaving it always comes back here, to the PIN.
 */
import { lazy, Suspense, useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import type { Clerk, ClerkAccountError } from '../data/clerks.js';
import type { KioskData } from '../data/kiosk-data.js';
import { Field } from '../ui/form.js';
import { useIdleTimer } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';
import { Counter, type SecondScreenState } from './counter.js';
import { NewClerkForm } from './new-clerk-form.js';
import { Diagnostics } from './diagnostics.js';
import { InitialPull } from './initial-pull.js';
import type { KioskShell } from './shell.js';

/** Five minutes without a touch or a key: the counter locks (a resident may be left at the desk). */
export const IDLE_LOCK_MS = 5 * 60 * 1000;

// The public display loads when first opened, as the counter's less used screens do.
const HallDisplay = lazy(async () => ({ default: (await import('./hall-display.js')).HallDisplay }));
const HallDisplayWindow = lazy(async () => ({ default: (await import('./hall-display.js')).HallDisplayWindow }));

/** The browser's full screen for the display where it is offered (an Electron kiosk window is full screen already). */
function requestFullScreen() {
  const root: Partial<Pick<HTMLElement, 'requestFullscreen'>> = document.documentElement;
  if (typeof root.requestFullscreen !== 'function') return;
  try {
    void root.requestFullscreen().catch(() => undefined);
  } catch {
    // Refused (no user gesture, or not allowed here): the display runs in the window as it is.
  }
}

interface ClerkGateProps {
  readonly data: KioskData;
  readonly shell: KioskShell;
  readonly idleLockMs?: number;
}

/**
 * The gate, and the hall's display on a television beside the counter: opened from the counter, it stays on whoever
 * signs in or out (it shows public data only), until it is closed from the counter or its window is.
 */
export function ClerkGate(props: ClerkGateProps) {
  const [secondScreen, setSecondScreen] = useState<SecondScreenState>('closed');
  const toggleSecondScreen = useCallback(() => {
    setSecondScreen((state) => (state === 'open' ? 'closed' : 'open'));
  }, []);
  const secondScreenClosed = useCallback((opened: boolean) => {
    setSecondScreen(opened ? 'closed' : 'unavailable');
  }, []);
  return (
    <>
      <Gate {...props} secondScreen={secondScreen} onSecondScreen={toggleSecondScreen} />
      {secondScreen === 'open' ? (
        <Suspense fallback={null}>
          <HallDisplayWindow data={props.data} onClosed={secondScreenClosed} />
        </Suspense>
      ) : null}
    </>
  );
}

function Gate(props: ClerkGateProps & { readonly secondScreen: SecondScreenState; readonly onSecondScreen: () => void }) {
  const { data } = props;
  const { t } = useI18n();
  const [clerks, setClerks] = useState<Clerk[]>();
  const [clerk, setClerk] = useState<Clerk>();
  const [locked, setLocked] = useState(false);
  const [diagnosing, setDiagnosing] = useState(false);
  const [displaying, setDisplaying] = useState(false);
  const reload = useCallback(async () => {
    setClerks(await data.clerks.list());
  }, [data]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const lock = useCallback(() => {
    setLocked(true);
  }, []);
  useIdleTimer(props.idleLockMs ?? IDLE_LOCK_MS, lock, clerk !== undefined && !locked);
  // The display locks the counter first: whoever leaves it finds the PIN, not the counter.
  const startDisplay = useCallback(() => {
    setLocked(true);
    setDiagnosing(false);
    setDisplaying(true);
    requestFullScreen();
  }, []);
  const stopDisplay = useCallback(() => {
    setDisplaying(false);
  }, []);

  if (!clerks)
    return (
      <p className="loading" role="status">
        {t('boot.loading')}
      </p>
    );
  const diagnostics = (
    <Diagnostics
      data={data}
      shell={props.shell}
      onClose={() => {
        setDiagnosing(false);
      }}
    />
  );
  const openDiagnostics = (
    <button
      type="button"
      className="link technician-link"
      onClick={() => {
        setDiagnosing(true);
      }}
    >
      {t('diagnostics.title')}
    </button>
  );
  // While the display shows, the counter stays mounted behind it, hidden and locked (no shortcut reaches it).
  const counterBehind = clerk ? (
    <div hidden aria-hidden>
      <Counter
        data={data}
        shell={props.shell}
        clerk={clerk}
        locked
        onLock={lock}
        onDisplay={startDisplay}
        secondScreen={props.secondScreen}
        onSecondScreen={props.onSecondScreen}
        onClerksChanged={() => void reload()}
      />
    </div>
  ) : null;
  if (displaying && clerks.length > 0) {
    return (
      <>
        {counterBehind}
        <Suspense
          fallback={
            <p className="loading" role="status">
              {t('hallDisplay.loading')}
            </p>
          }
        >
          <HallDisplay data={data} onLeave={stopDisplay} />
        </Suspense>
      </>
    );
  }
  // With nobody at the counter (no clerk yet, signed out or locked), a technician may look.
  if (diagnosing && (!clerk || locked)) {
    return clerk ? (
      <>
        {counterBehind}
        {diagnostics}
      </>
    ) : (
      diagnostics
    );
  }
  if (clerks.length === 0) {
    return (
      <main className="setup">
        <h1>{t('clerk.firstTitle')}</h1>
        <p>{t('clerk.firstIntro')}</p>
        <NewClerkForm
          data={data}
          onAdded={(added) => {
            setClerk(added);
            void reload();
          }}
        />
        <InitialPull data={data} />
        {openDiagnostics}
      </main>
    );
  }
  const signIn = (
    <>
      <SignIn
        clerks={clerks}
        data={data}
        lockedClerk={locked ? clerk : undefined}
        onSignedIn={(signedIn) => {
          setClerk(signedIn);
          setLocked(false);
        }}
      />
      <button type="button" className="link technician-link" onClick={startDisplay}>
        {t('hallDisplay.openFromSignIn')}
      </button>
      {openDiagnostics}
    </>
  );
  if (!clerk) return signIn;
  return (
    <>
      <div hidden={locked} aria-hidden={locked}>
        <Counter
          data={data}
          shell={props.shell}
          clerk={clerk}
          locked={locked}
          onLock={lock}
          onDisplay={startDisplay}
          secondScreen={props.secondScreen}
          onSecondScreen={props.onSecondScreen}
          onClerksChanged={() => void reload()}
        />
      </div>
      {locked ? signIn : null}
    </>
  );
}

function SignIn(props: {
  readonly clerks: readonly Clerk[];
  readonly data: KioskData;
  readonly lockedClerk: Clerk | undefined;
  readonly onSignedIn: (clerk: Clerk) => void;
}) {
  const { t, describe } = useI18n();
  const [clerkId, setClerkId] = useState(props.lockedClerk?.id ?? props.clerks[0]?.id ?? '');
  const [pin, setPin] = useState('');
  const [error, setError] = useState<ClerkAccountError>();
  const submit = async (event: SyntheticEvent) => {
    event.preventDefault();
    const verified = await props.data.clerks.verify(clerkId, pin);
    setPin('');
    if (verified.ok) props.onSignedIn(verified.value);
    else setError(verified.error);
  };
  return (
    <main className="sign-in">
      <h1>{props.lockedClerk ? t('signIn.lockedTitle') : t('signIn.title')}</h1>
      <p className="village-name">
        {props.data.enrollment.townName} {props.data.enrollment.villageName}
      </p>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <fieldset className="clerk-choice">
          <legend>{t('signIn.clerk')}</legend>
          {props.clerks.map((candidate) => (
            <label key={candidate.id} className="choice">
              <input
                type="radio"
                name="clerk"
                value={candidate.id}
                checked={candidate.id === clerkId}
                onChange={() => {
                  setClerkId(candidate.id);
                }}
              />
              {candidate.name}
            </label>
          ))}
        </fieldset>
        <Field
          label={t('signIn.pin')}
          type="password"
          inputMode="numeric"
          autoComplete="off"
          autoFocus
          value={pin}
          onChange={setPin}
          error={error ? describe(error) : undefined}
        />
        <button type="submit" className="primary">
          {t('signIn.submit')}
        </button>
      </form>
    </main>
  );
}
