/**
 * The kiosk from power-on: enroll on first run, create the first clerk, then the clerk gate and the
 * counter. Each state says what it is waiting for; nothing here needs the network after enrollment.
 */
import { useCallback, useEffect, useState } from 'react';
import type { KioskEnrollment } from '../../core/api/enrollment.js';
import { SealBroken } from '../data/at-rest.js';
import type { KioskData } from '../data/kiosk-data.js';
import { settleInterruptedMove } from '../data/move-kiosk.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import { ClerkGate } from './clerk-gate.js';
import { DisplayProvider } from '../ui/display.js';
import { Setup } from './setup.js';
import type { KioskShell } from './shell.js';
import { UnreadableData } from './unreadable-data.js';

type Boot =
  | { readonly stage: 'loading' }
  | { readonly stage: 'setup' }
  | { readonly stage: 'ready'; readonly data: KioskData }
  | { readonly stage: 'failed'; readonly message: string }
  /** The stored data does not open with the storage key (lost and made anew, or a damaged disk). */
  | { readonly stage: 'unreadable'; readonly enrollment: KioskEnrollment }
  /** Sealing ID numbers needs WebCrypto, which browsers give only to https and localhost pages. */
  | { readonly stage: 'insecure' };

interface KioskProps {
  readonly shell: KioskShell;
  /** How long the counter may sit untouched before it locks; tests shorten it. */
  readonly idleLockMs?: number;
}

function Kiosk({ shell, idleLockMs }: KioskProps) {
  const { t } = useI18n();
  const insecure = (globalThis.crypto as Crypto | undefined)?.subtle === undefined;
  const [boot, setBoot] = useState<Boot>(insecure ? { stage: 'insecure' } : { stage: 'loading' });

  const open = useCallback(
    async (enrollment: KioskEnrollment, fresh = false): Promise<KioskData> => {
      const data = await shell.openData(enrollment, { fresh });
      setBoot({ stage: 'ready', data });
      return data;
    },
    [shell],
  );

  useEffect(() => {
    if (insecure) return undefined;
    let cancelled = false;
    shell.secrets
      .load()
      .then(async (enrollment) => {
        if (cancelled) return;
        if (!enrollment) {
          setBoot({ stage: 'setup' });
          return;
        }
        // A move to another village finishes (or is undone) here, before any data is opened.
        await settleInterruptedMove(shell.preferences, enrollment.kioskId, shell.removeData);
        await open(enrollment).catch((error: unknown) => {
          if (!(error instanceof SealBroken)) throw error;
          setBoot({ stage: 'unreadable', enrollment });
        });
      })
      .catch((error: unknown) => {
        setBoot({ stage: 'failed', message: String(error) });
      });
    return () => {
      cancelled = true;
    };
  }, [shell, open, insecure]);

  useEffect(() => {
    if (boot.stage !== 'ready') return undefined;
    return () => {
      void boot.data.close();
    };
  }, [boot]);

  switch (boot.stage) {
    case 'loading':
      return (
        <p className="loading" role="status">
          {t('boot.loading')}
        </p>
      );
    case 'failed':
      return <Alert>{t('boot.failed', { reason: boot.message })}</Alert>;
    case 'insecure':
      return <Alert>{t('boot.insecure')}</Alert>;
    case 'unreadable':
      return (
        <UnreadableData
          shell={shell}
          enrollment={boot.enrollment}
          onRemoved={() =>
            void open(boot.enrollment).catch((error: unknown) => {
              setBoot({ stage: 'failed', message: String(error) });
            })
          }
        />
      );
    case 'setup':
      return <Setup shell={shell} onEnrolled={(enrollment) => open(enrollment, true)} />;
    case 'ready':
      return <ClerkGate data={boot.data} shell={shell} {...(idleLockMs ? { idleLockMs } : {})} />;
  }
}

export function KioskRoot(props: KioskProps) {
  return (
    <DisplayProvider preferences={props.shell.preferences}>
      <Kiosk {...props} />
    </DisplayProvider>
  );
}
