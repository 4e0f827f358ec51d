/**
 * Who is at the counter. The first clerk account is made here on a new kiosk; after that a clerk signs
 * in with a PIN, and the counter locks itself when left idle. Locking hides the counter without
 * unmounting it, so whatever was being typed is still there after the PIN.
 */
import { useCallback, useEffect, useState, type SyntheticEvent } from 'react';
import type { Clerk, ClerkAccountError } from '../data/clerks.js';
import type { KioskData } from '../data/kiosk-data.js';
import { Field } from '../ui/form.js';
import { useIdleTimer } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';
import { Counter } from './counter.js';
import { NewClerkForm } from './new-clerk-form.js';
import { Diagnostics } from './diagnostics.js';
import { InitialPull } from './initial-pull.js';
import type { KioskShell } from './shell.js';

/** Five minutes without a touch or a key: the counter locks (a resident may be left at the desk). */
export const IDLE_LOCK_MS = 5 * 60 * 1000;

export function ClerkGate(props: { readonly data: KioskData; readonly shell: KioskShell; readonly idleLockMs?: number }) {
  const { data } = props;
  const { t } = useI18n();
  const [clerks, setClerks] = useState<Clerk[]>();
  const [clerk, setClerk] = useState<Clerk>();
  const [locked, setLocked] = useState(false);
  const [diagnosing, setDiagnosing] = useState(false);
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
  // With nobody at the counter (no clerk yet, signed out or locked), a technician may look.
  if (diagnosing && (!clerk || locked)) {
    return clerk ? (
      <>
        <div hidden aria-hidden>
          <Counter data={data} shell={props.shell} clerk={clerk} locked onLock={lock} onClerksChanged={() => void reload()} />
        </div>
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
      {openDiagnostics}
    </>
  );
  if (!clerk) return signIn;
  return (
    <>
      <div hidden={locked} aria-hidden={locked}>
        <Counter data={data} shell={props.shell} clerk={clerk} locked={locked} onLock={lock} onClerksChanged={() => void reload()} />
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
