/**
 * The residents' page (/r/ on the hub): public, no account, phone-first, Chinese unless chosen otherwise,
 * with large print a tap away. Five things to do, one at a time: follow a case, book a visit to the
 * village hall, see or cancel a booking, raise a concern (and read its replies), read the village's notices
 * (and object to a line of one: its replies are read as a concern's). A receipt's QR code opens it as `/r/#<case number>`, on "follow":
 * the number rides in the fragment, which the browser never sends, so it stays out of every server and
 * proxy log.
 */
import { useState, type ReactNode } from 'react';
import { DisplayProvider, ElderModeButton, LanguageButton } from '../ui/display.js';
import { useI18n } from '../ui/i18n.js';
import type { ResidentApi } from './api.js';
import { Appeals, type HandedCode } from './appeal.js';
import { Board } from './board.js';
import { BookVisit } from './book-visit.js';
import { FollowCase } from './follow-case.js';
import { MyBooking } from './my-booking.js';

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

const SECTIONS = ['follow', 'book', 'mine', 'appeal', 'board'] as const;
type Section = (typeof SECTIONS)[number];
const TAB_KEYS = {
  follow: 'resident.book.tab.follow',
  book: 'resident.book.tab.book',
  mine: 'resident.book.tab.mine',
  appeal: 'resident.appeal.tab',
  board: 'resident.board.tab',
} as const satisfies Record<Section, string>;

function ResidentPage({ api, caseNumber }: { readonly api: ResidentApi; readonly caseNumber: string }) {
  const { t } = useI18n();
  const [shown, setShown] = useState<Section>('follow');
  // A section opened once stays mounted (hidden when another is shown), so switching back loses nothing typed.
  const [opened, setOpened] = useState<ReadonlySet<Section>>(() => new Set(['follow']));
  /** An objection's code, handed from the board to "raise a concern" to read its replies. */
  const [handed, setHanded] = useState<HandedCode>();
  const show = (section: Section) => {
    setShown(section);
    setOpened((before) => new Set([...before, section]));
  };
  const panels: Record<Section, () => ReactNode> = {
    follow: () => <FollowCase api={api} caseNumber={caseNumber} />,
    book: () => <BookVisit api={api} />,
    mine: () => <MyBooking api={api} />,
    appeal: () => <Appeals api={api} handed={handed} />,
    board: () => (
      <Board
        api={api}
        onReadAnswer={(code) => {
          setHanded({ code });
          show('appeal');
        }}
      />
    ),
  };
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
        <nav className="resident-sections" aria-label={t('resident.book.nav')}>
          {SECTIONS.map((section) => (
            <button
              key={section}
              type="button"
              aria-current={section === shown ? 'true' : undefined}
              onClick={() => {
                show(section);
              }}
            >
              {t(TAB_KEYS[section])}
            </button>
          ))}
        </nav>
        {SECTIONS.filter((section) => opened.has(section)).map((section) => (
          <div key={section} hidden={section !== shown}>
            {panels[section]()}
          </div>
        ))}
      </main>
      <footer className="resident-footer">{t('resident.privacy')}</footer>
    </div>
  );
}
