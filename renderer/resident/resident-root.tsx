/**
 * The residents' page (/r/ on the hub): public, no account, phone-first, Chinese unless chosen otherwise,
 * with large print a tap away. A receipt's QR code opens it as `/r/#<case number>`: the number rides in
 * the fragment, which the browser never sends, so it stays out of every server and proxy log.
 */
import { DisplayProvider, ElderModeButton, LanguageButton } from '../ui/display.js';
import { useI18n } from '../ui/i18n.js';
import type { ResidentApi } from './api.js';
import { FollowCase } from './follow-case.js';

export interface ResidentRootProps {
  readonly api: ResidentApi;
  readonly preferences: Pick<Storage, 'getItem' | 'setItem'>;
  /** The page's fragment, `#422822100202-20261126-03-042-0` from a receipt's QR code. */
  readonly fragment: string;
}

export function ResidentRoot(props: ResidentRootProps) {
  return (
    <DisplayProvider preferences={props.preferences}>
      <ResidentPage api={props.api} caseNumber={decodeURIComponent(props.fragment.replace(/^#/, '')).slice(0, 40)} />
    </DisplayProvider>
  );
}

function ResidentPage({ api, caseNumber }: { readonly api: ResidentApi; readonly caseNumber: string }) {
  const { t } = useI18n();
  return (
    <div className="resident-page">
      <header className="resident-header">
        <h1>{t('resident.title')}</h1>
        <div className="display-controls">
          <LanguageButton />
          <ElderModeButton />
        </div>
      </header>
      <main>
        <p className="intro">{t('resident.intro')}</p>
        <FollowCase api={api} caseNumber={caseNumber} />
      </main>
      <footer className="resident-footer">{t('resident.privacy')}</footer>
    </div>
  );
}
