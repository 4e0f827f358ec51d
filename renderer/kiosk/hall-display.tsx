/**
 * The hall's public display (公示屏, issue 19 §2): full screen, large print, for a television or a second screen.
 * It rotates through the village's publications on display (their tables a page at a time), the village's service
 * figures, today's appointment numbers and the current notices — all from this kiosk's own synced data, so it runs
 * with the line down. What is on the board is judged by the kiosk's clock, again at each publication's end time and
 * every few seconds besides: an ended publication leaves the board at its end time with no network.
 *
 * Nothing personal is shown: publications' names are masked when they are prepared, appointments are counted and
 * never named. Leaving goes to the clerk's PIN (clerk-gate.tsx), never into the counter.
 *
 * On a television beside the counter (`HallDisplayWindow`), the counter's page opens one empty popup and renders the
 * display into it through a portal: the same data, the kiosk's database opened once (it is single-instance). The
 * Electron shell lets only that popup open, full screen on the second screen (electron/second-screen.ts).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { holdsPlace } from '../../core/appointment/appointment.js';
import { slotsOn } from '../../core/appointment/schedule.js';
import { boardAt, type BoardPublication } from '../../core/disclosure/publication.js';
import { figureCaseOf, monthsBefore, serviceFigures, type ServiceFigures } from '../../core/disclosure/service-figures.js';
import { isoInChina, localDateOf, type LocalDate } from '../../core/local-date.js';
import { HALL_DISPLAY_WINDOW_NAME, HALL_DISPLAY_WINDOW_URL } from '../../core/hall-display-window.js';
import { noticesFor } from '../../core/notice.js';
import { NO_COUNTY_DATA, type CountyData } from '../data/county-data.js';
import type { KioskData } from '../data/kiosk-data.js';
import { formatDate, formatInstant } from '../ui/format.js';
import { useObservable } from '../ui/hooks.js';
import { useI18n } from '../ui/i18n.js';
import './hall-display.css';

/** How long each slide stays: long enough to read ten lines from across the hall. */
export const SLIDE_MS = 12_000;
/** How often the board looks at the clock besides at each end time (a clock set right, a new day). */
export const TICK_MS = 15_000;
/** Lines of a table, or slots of a day, on one slide. */
export const ROWS_PER_SLIDE = 10;
/** How long the staff's sign-in button stays after a touch or a key. */
export const LEAVE_BUTTON_MS = 10_000;
/** The longest delay a browser timer takes. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SlotCount {
  readonly start: string;
  readonly end: string;
  /** Bookings that hold a place in the slot, by either channel. */
  readonly booked: number;
  readonly places: number;
}

export type HallSlide =
  | { readonly kind: 'publication'; readonly key: string; readonly publication: BoardPublication; readonly page: number; readonly pages: number }
  | { readonly kind: 'figures'; readonly key: string; readonly months: readonly ServiceFigures[] }
  | {
      readonly kind: 'appointments';
      readonly key: string;
      readonly date: LocalDate;
      readonly slots: readonly SlotCount[];
      readonly page: number;
      readonly pages: number;
      /** The whole day's: booked, and places. */
      readonly booked: number;
      readonly places: number;
    }
  | { readonly kind: 'notice'; readonly key: string; readonly notice: CountyData['notices'][number] };

const pagesOf = <T,>(items: readonly T[]): T[][] => {
  const pages: T[][] = [];
  for (let at = 0; at < items.length; at += ROWS_PER_SLIDE) pages.push(items.slice(at, at + ROWS_PER_SLIDE));
  return pages.length > 0 ? pages : [[]];
};

/** The slides of the display, in order: publications, figures, today's appointments, notices. */
export function hallSlides(input: {
  readonly board: readonly BoardPublication[];
  readonly figures: readonly ServiceFigures[] | undefined;
  readonly today: LocalDate;
  readonly slots: readonly SlotCount[];
  readonly notices: CountyData['notices'];
}): HallSlide[] {
  const slides: HallSlide[] = [];
  for (const publication of input.board) {
    const pages = pagesOf(publication.rows).length;
    for (let page = 1; page <= pages; page += 1)
      slides.push({ kind: 'publication', key: `publication:${publication.id}:${String(page)}`, publication, page, pages });
  }
  if (input.figures) slides.push({ kind: 'figures', key: 'figures', months: input.figures });
  if (input.slots.length > 0) {
    const pages = pagesOf(input.slots);
    const booked = input.slots.reduce((sum, slot) => sum + slot.booked, 0);
    const places = input.slots.reduce((sum, slot) => sum + slot.places, 0);
    pages.forEach((slots, index) => {
      slides.push({
        kind: 'appointments',
        key: `appointments:${String(index + 1)}`,
        date: input.today,
        slots,
        page: index + 1,
        pages: pages.length,
        booked,
        places,
      });
    });
  }
  for (const notice of input.notices) slides.push({ kind: 'notice', key: `notice:${notice.id}`, notice });
  return slides;
}

/**
 * The kiosk's clock as the board reads it: again every `tickMs`, and just after `nextChange` (the earliest end of a
 * publication on the board), so a publication leaves at its end time rather than up to a tick later.
 */
function useBoardClock(now: () => Date, tickMs: number, nextChange: string | undefined): Date {
  const [at, setAt] = useState(now);
  const read = useRef(now);
  read.current = now;
  useEffect(() => {
    const timer = setInterval(() => {
      setAt(read.current());
    }, tickMs);
    return () => {
      clearInterval(timer);
    };
  }, [tickMs]);
  useEffect(() => {
    if (nextChange === undefined) return undefined;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, Date.parse(nextChange) - read.current().getTime() + 20));
    const timer = setTimeout(() => {
      setAt(read.current());
    }, delay);
    return () => {
      clearTimeout(timer);
    };
  }, [nextChange, at]);
  return at;
}

function leaveFullScreen() {
  // Only what this page asked for; an Electron kiosk window is full screen by itself and stays so.
  if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
}

export interface HallDisplayProps {
  readonly data: KioskData;
  /** The staff want the counter: the clerk gate asks for the PIN. */
  readonly onLeave: () => void;
  /** The kiosk's clock (tests set it). */
  readonly now?: () => Date;
  readonly slideMs?: number;
  readonly tickMs?: number;
  /** On a second screen beside the counter: it takes no keys or touches (the counter has them) and has no way out. */
  readonly secondScreen?: boolean;
}

export function HallDisplay(props: HallDisplayProps) {
  const { data, onLeave } = props;
  const { t, locale } = useI18n();
  const now = props.now ?? (() => new Date());
  const village = data.enrollment.village;
  const place = `${data.enrollment.townName} ${data.enrollment.villageName}`;

  const publications$ = useMemo(() => data.publications.publications$(), [data]);
  const publications = useObservable(publications$, undefined);
  const cases$ = useMemo(() => data.cases.all$(), [data]);
  const cases = useObservable(cases$, undefined);
  const schedule$ = useMemo(() => data.hall.schedule$(), [data]);
  const schedule = useObservable(schedule$, undefined);
  const county = useObservable(data.county$, NO_COUNTY_DATA);

  // The earliest end among what is on the board: the clock looks again just after it.
  const [nextEnd, setNextEnd] = useState<string>();
  const at = useBoardClock(now, props.tickMs ?? TICK_MS, nextEnd);
  const today = localDateOf(at.toISOString());
  const board = useMemo(() => boardAt(publications ?? [], at), [publications, at]);
  const earliestEnd = board.reduce<string | undefined>(
    (earliest, shown) => (earliest === undefined || shown.displayUntil < earliest ? shown.displayUntil : earliest),
    undefined,
  );
  useEffect(() => {
    setNextEnd(earliestEnd);
  }, [earliestEnd]);

  const appointments$ = useMemo(() => data.hall.appointmentsOn$(today), [data, today]);
  const appointments = useObservable(appointments$, undefined);

  const figures = useMemo(() => {
    const own = (cases ?? []).filter((doc) => doc.village === village);
    if (own.length === 0) return undefined;
    const lastMonth = monthsBefore(today, 1);
    const rows = serviceFigures(
      own.map((doc) => figureCaseOf(doc, county.calendar)),
      lastMonth,
    );
    const empty = (month: string): ServiceFigures => ({
      village,
      month,
      accepted: 0,
      decided: 0,
      decidedWithTimeLimit: 0,
      decidedWithinTimeLimit: 0,
      medianDaysToDecision: null,
    });
    return [lastMonth, today.slice(0, 7)].map((month) => rows.find((row) => row.month === month) ?? empty(month));
  }, [cases, county.calendar, today, village]);

  const slots = useMemo((): SlotCount[] => {
    if (!schedule || !county.calendar) return [];
    return slotsOn(schedule, today, county.calendar).map((slot) => ({
      ...slot,
      booked: (appointments ?? []).filter((appointment) => appointment.start === slot.start && holdsPlace(appointment)).length,
      places: schedule.visitsPerSlot,
    }));
  }, [schedule, county.calendar, today, appointments]);

  const notices = useMemo(() => noticesFor(county.notices, village, today), [county.notices, village, today]);
  const slides = useMemo(() => hallSlides({ board, figures, today, slots, notices }), [board, figures, today, slots, notices]);

  const slideMs = props.slideMs ?? SLIDE_MS;
  const [turn, setTurn] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => {
      setTurn((previous) => previous + 1);
    }, slideMs);
    return () => {
      clearInterval(timer);
    };
  }, [slideMs]);
  const index = slides.length === 0 ? 0 : turn % slides.length;
  const slide = slides[index];

  // A touch or a key shows the staff's way out for a while; Escape takes it at once.
  const [leaveShown, setLeaveShown] = useState(false);
  const hideLeave = useRef<ReturnType<typeof setTimeout>>(undefined);
  const root = useRef<HTMLElement>(null);
  const leave = useRef(onLeave);
  leave.current = onLeave;
  const secondScreen = props.secondScreen === true;
  useEffect(() => {
    if (secondScreen) return undefined;
    const reveal = () => {
      setLeaveShown(true);
      clearTimeout(hideLeave.current);
      hideLeave.current = setTimeout(() => {
        setLeaveShown(false);
      }, LEAVE_BUTTON_MS);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        event.preventDefault();
        leave.current();
        return;
      }
      // The counter's shortcuts and anything typed stop here: the display takes no input but the way out.
      if (event.altKey || event.ctrlKey || event.metaKey) event.preventDefault();
      reveal();
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('pointerdown', reveal);
    // Focus on the display, not on a field of the counter hidden behind it.
    root.current?.focus();
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('pointerdown', reveal);
      clearTimeout(hideLeave.current);
      leaveFullScreen();
    };
  }, [secondScreen]);

  const clock = isoInChina(at.toISOString()).slice(11, 16);
  return (
    <main ref={root} className="hall-display" tabIndex={-1} aria-label={t('hallDisplay.label', { place })} data-slide={slide?.kind ?? 'none'}>
      <header className="hall-display-bar">
        <span className="hall-display-place">{place}</span>
        <span className="hall-display-clock">
          {formatDate(locale, today)} {clock}
        </span>
      </header>
      <div className="hall-display-slide" key={slide?.key ?? 'none'}>
        {slide ? <SlideView slide={slide} /> : null}
        {!slide && publications !== undefined ? (
          <div className="hall-display-empty">
            <p className="hall-display-empty-place">{place}</p>
            <h1>{t('hallDisplay.nothing')}</h1>
          </div>
        ) : null}
      </div>
      <footer className="hall-display-foot">
        {slides.length > 1 ? <span className="hall-display-count">{t('hallDisplay.slide', { index: index + 1, count: slides.length })}</span> : <span />}
        {leaveShown ? (
          <button
            type="button"
            className="hall-display-leave"
            onClick={() => {
              onLeave();
            }}
          >
            {t('hallDisplay.staffSignIn')}
          </button>
        ) : null}
      </footer>
    </main>
  );
}

function SlideView({ slide }: { readonly slide: HallSlide }) {
  switch (slide.kind) {
    case 'publication':
      return <PublicationSlide publication={slide.publication} page={slide.page} pages={slide.pages} />;
    case 'figures':
      return <FiguresSlide months={slide.months} />;
    case 'appointments':
      return <AppointmentsSlide slide={slide} />;
    case 'notice':
      return <NoticeSlide notice={slide.notice} />;
  }
}

function PublicationSlide(props: { readonly publication: BoardPublication; readonly page: number; readonly pages: number }) {
  const { t, locale } = useI18n();
  const { publication, page, pages } = props;
  const first = (page - 1) * ROWS_PER_SLIDE;
  const rows = publication.rows.slice(first, first + ROWS_PER_SLIDE);
  return (
    <article className="hall-display-publication" data-publication={publication.id}>
      <p className="hall-display-kicker">{t(`hallDisplay.category.${publication.category}`)}</p>
      <h1>{publication.title}</h1>
      <p className="hall-display-meta">
        <span>{t('hallDisplay.displayUntil', { date: formatInstant(locale, publication.displayUntil) })}</span>
        {publication.rows.length > 0 ? <span>{t('hallDisplay.rowCount', { count: publication.rows.length })}</span> : null}
        {pages > 1 ? <span>{t('hallDisplay.page', { page, pages })}</span> : null}
      </p>
      {page === 1 && publication.note ? <p className="hall-display-note">{publication.note}</p> : null}
      {publication.columns.length > 0 && rows.length > 0 ? (
        <table className="hall-display-table">
          <thead>
            <tr>
              <th scope="col">{t('hallDisplay.rowNumber')}</th>
              {publication.columns.map((column, c) => (
                <th key={c} scope="col" className={column.role === 'amount' || column.role === 'count' ? 'number' : undefined}>
                  {column.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((cells, r) => (
              <tr key={first + r}>
                <td className="number">{first + r + 1}</td>
                {publication.columns.map((column, c) => (
                  <td key={c} className={column.role === 'amount' || column.role === 'count' ? 'number' : undefined}>
                    {cells[c] ?? ''}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <p className="hall-display-small">{t('hallDisplay.objection')}</p>
    </article>
  );
}

function FiguresSlide({ months }: { readonly months: readonly ServiceFigures[] }) {
  const { t } = useI18n();
  const monthName = (month: string) => t('hallDisplay.figures.month', { year: month.slice(0, 4), month: Number(month.slice(5, 7)) });
  const percent = (row: ServiceFigures) =>
    row.decidedWithTimeLimit === 0 ? t('hallDisplay.figures.none') : `${String(Math.round((row.decidedWithinTimeLimit / row.decidedWithTimeLimit) * 100))}%`;
  const days = (row: ServiceFigures) =>
    row.medianDaysToDecision === null ? t('hallDisplay.figures.none') : t('hallDisplay.figures.days', { days: row.medianDaysToDecision });
  const lines: readonly [string, (row: ServiceFigures) => string][] = [
    [t('hallDisplay.figures.accepted'), (row) => String(row.accepted)],
    [t('hallDisplay.figures.decided'), (row) => String(row.decided)],
    [t('hallDisplay.figures.withinLimit'), percent],
    [t('hallDisplay.figures.medianDays'), days],
  ];
  return (
    <article className="hall-display-figures">
      <h1>{t('hallDisplay.figures.title')}</h1>
      <table className="hall-display-table hall-display-figure-table">
        <thead>
          <tr>
            <td />
            {months.map((row) => (
              <th key={row.month} scope="col" className="number">
                {monthName(row.month)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {lines.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {months.map((row) => (
                <td key={row.month} className="number" data-month={row.month}>
                  {value(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hall-display-small">{t('hallDisplay.figures.note')}</p>
    </article>
  );
}

function AppointmentsSlide({ slide: props }: { readonly slide: Extract<HallSlide, { kind: 'appointments' }> }) {
  const { t, locale } = useI18n();
  return (
    <article className="hall-display-appointments">
      <h1>{t('hallDisplay.appointments.title', { date: formatDate(locale, props.date) })}</h1>
      {props.pages > 1 ? <p className="hall-display-meta">{t('hallDisplay.page', { page: props.page, pages: props.pages })}</p> : null}
      <table className="hall-display-table">
        <thead>
          <tr>
            <th scope="col">{t('hallDisplay.appointments.slot')}</th>
            <th scope="col" className="number">
              {t('hallDisplay.appointments.booked')}
            </th>
            <th scope="col" className="number">
              {t('hallDisplay.appointments.places')}
            </th>
          </tr>
        </thead>
        <tbody>
          {props.slots.map((slot) => (
            <tr key={slot.start} data-slot={slot.start}>
              <td>
                {slot.start}–{slot.end}
              </td>
              <td className="number">{slot.booked}</td>
              <td className="number">{slot.places}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hall-display-meta">{t('hallDisplay.appointments.total', { booked: props.booked, places: props.places })}</p>
    </article>
  );
}

function NoticeSlide({ notice }: { readonly notice: CountyData['notices'][number] }) {
  const { t, locale, pick } = useI18n();
  return (
    <article className="hall-display-notice">
      <p className="hall-display-kicker">{t('hallDisplay.notices.title')}</p>
      <h1>{pick(notice.title)}</h1>
      <p className="hall-display-meta">{t('hallDisplay.notices.published', { date: formatDate(locale, notice.publishedOn) })}</p>
      <p className="hall-display-body">{pick(notice.body)}</p>
    </article>
  );
}

/** Stylesheets of the counter's page, copied into the display's window (the display's own came with its chunk). */
function copyStyles(from: Document, to: Document) {
  for (const sheet of from.querySelectorAll('link[rel="stylesheet"], style')) {
    const copy = to.importNode(sheet, true);
    // An absolute address: the copy must not depend on the empty window's base.
    if (sheet instanceof HTMLLinkElement) copy.setAttribute('href', sheet.href);
    to.head.append(copy);
  }
}

/**
 * The display in a window of its own, for a television on the kiosk's second screen: opened when this mounts, closed
 * when it unmounts or the counter's page goes. `onClosed(false)`: it could not open (no second screen — the shell
 * allows the window only when there is one — or a browser blocked it); `onClosed(true)`: someone closed it.
 */
export function HallDisplayWindow(props: { readonly data: KioskData; readonly onClosed: (opened: boolean) => void }) {
  const { t } = useI18n();
  const [container, setContainer] = useState<HTMLElement>();
  const closed = useRef(props.onClosed);
  closed.current = props.onClosed;
  useEffect(() => {
    const popup = window.open(HALL_DISPLAY_WINDOW_URL, HALL_DISPLAY_WINDOW_NAME, 'popup');
    if (!popup) {
      closed.current(false);
      return undefined;
    }
    const doc = popup.document;
    doc.documentElement.lang = document.documentElement.lang;
    copyStyles(document, doc);
    const root = doc.createElement('div');
    doc.body.replaceChildren(root);
    setContainer(root);
    const gone = () => {
      closed.current(true);
    };
    const closePopup = () => {
      popup.close();
    };
    popup.addEventListener('pagehide', gone);
    window.addEventListener('pagehide', closePopup);
    return () => {
      popup.removeEventListener('pagehide', gone);
      window.removeEventListener('pagehide', closePopup);
      setContainer(undefined);
      popup.close();
    };
  }, []);
  useEffect(() => {
    if (container) container.ownerDocument.title = `${t('app.name')} ${t('hallDisplay.open')}`;
  }, [container, t]);
  return container ? createPortal(<HallDisplay data={props.data} onLeave={() => undefined} secondScreen />, container) : null;
}
