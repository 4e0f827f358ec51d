/**
 * The county's dashboard: how many cases, where and in which state; how many were decided within
 * their time limit; what is overdue; the weekly trend, with early warnings; and the CSV export of the
 * open cases (ID numbers masked). Charts are drawn as SVG by Recharts.
 */
import { useCallback } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import { CASE_STATUSES } from '../../core/case/state.js';
import { weekOf, type WeekCount } from '../../core/dashboard.js';
import { addDays, localDateOf } from '../../core/local-date.js';
import { formatDate } from '../ui/format.js';
import { Alert } from '../ui/form.js';
import { useI18n } from '../ui/i18n.js';
import type { ReviewApi } from './api.js';
import { apiErrorText } from './api-error.js';
import { useLoaded } from './use-loaded.js';

const WEEKS_SHOWN = 12;

/**
 * The last twelve weeks up to this one, each with its count — 0 for a week without cases, so one busy
 * week is a peak on a line, not a lone dot.
 */
function weeklyTrend(weekly: readonly WeekCount[]): { weekOf: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const week of weekly) counts.set(week.weekOf, (counts.get(week.weekOf) ?? 0) + week.count);
  const thisWeek = weekOf(localDateOf(new Date().toISOString()));
  return Array.from({ length: WEEKS_SHOWN }, (_, i) => {
    const monday = addDays(thisWeek, -7 * (WEEKS_SHOWN - 1 - i));
    return { weekOf: monday, count: counts.get(monday) ?? 0 };
  });
}

export function DashboardView({ api }: { readonly api: ReviewApi }) {
  const { t, locale, pick } = useI18n();
  const board = useLoaded(useCallback(() => api.dashboard(), [api]));
  const area = useLoaded(useCallback(() => api.area(), [api]));
  const villageName = (code: string) => area.value?.villages.find((village) => village.code12 === code)?.name ?? code;
  const sectorName = (code: string) => {
    const sector = area.value?.sectors.find((candidate) => candidate.code === code);
    return sector ? pick(sector.name) : code;
  };
  if (board.error) return <Alert>{apiErrorText(t, board.error)}</Alert>;
  const value = board.value;
  if (!value) return <p role="status">{t('boot.loading')}</p>;

  const byStatus = CASE_STATUSES.filter((status) => value.byStatus[status]).map((status) => ({
    name: t(`status.${status}`),
    count: value.byStatus[status] ?? 0,
  }));
  const bySector = Object.entries(value.bySector)
    .map(([sector, count]) => ({ name: sectorName(sector), count }))
    .sort((a, b) => b.count - a.count);
  const trend = weeklyTrend(value.weekly).map(({ weekOf: monday, count }) => ({ name: formatDate(locale, monday), count }));
  const weeksWithCases = trend.filter((week) => week.count > 0).length;
  // One bar per sector, each named: horizontal bars leave room for every label, however many sectors.
  const sectorChartHeight = 40 + 32 * Math.max(bySector.length, 1);

  return (
    <section className="dashboard">
      <h1>{t('dashboard.title')}</h1>
      <ul className="tiles">
        <li className="tile">
          <span className="tile-count" data-testid="dashboard-total">
            {value.total}
          </span>
          <span>{t('dashboard.total')}</span>
        </li>
        <li className="tile">
          <span className="tile-count" data-testid="dashboard-within">
            {value.withinLimitPercent === null ? '—' : `${String(value.withinLimitPercent)}%`}
          </span>
          <span>{t('dashboard.withinLimit', { decided: value.decided })}</span>
        </li>
        <li className={value.overdue.length > 0 ? 'tile tile-alarm' : 'tile'}>
          <span className="tile-count">{value.overdue.length}</span>
          <span>{t('view.overdue')}</span>
        </li>
      </ul>
      {value.warnings.length > 0 ? (
        <Alert>
          <p>{t('dashboard.warnings')}</p>
          <ul>
            {value.warnings.map((warning) => (
              <li key={`${warning.village}-${warning.sector}`} data-testid="warning">
                {t('dashboard.warning', {
                  village: villageName(warning.village),
                  sector: sectorName(warning.sector),
                  count: warning.count,
                  average: warning.trailingAverage.toFixed(1),
                })}
              </li>
            ))}
          </ul>
        </Alert>
      ) : null}
      <p>
        <a className="button" href="/api/review/export.csv?state=open" download>
          {t('dashboard.export')}
        </a>
      </p>
      <div className="charts">
        <figure>
          <figcaption>{t('dashboard.byStatus')}</figcaption>
          <BarChart width={420} height={240} data={byStatus}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" interval={0} />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Bar dataKey="count" fill="#0b5cad" isAnimationActive={false} />
          </BarChart>
        </figure>
        <figure>
          <figcaption>{t('dashboard.bySector')}</figcaption>
          <BarChart width={420} height={sectorChartHeight} data={bySector} layout="vertical" margin={{ left: 16 }}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis type="number" allowDecimals={false} />
            <YAxis type="category" dataKey="name" interval={0} width={150} />
            <Tooltip />
            <Bar dataKey="count" fill="#1a7f37" isAnimationActive={false} label={{ position: 'right' }} />
          </BarChart>
        </figure>
        <figure>
          <figcaption>{t('dashboard.trend', { weeks: WEEKS_SHOWN })}</figcaption>
          {weeksWithCases < 2 ? (
            <p className="hint" data-testid="trend-thin">
              {t('dashboard.trendThin', { weeks: weeksWithCases })}
            </p>
          ) : null}
          <LineChart width={860} height={240} data={trend}>
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis dataKey="name" />
            <YAxis allowDecimals={false} />
            <Tooltip />
            <Line dataKey="count" stroke="#9a6700" isAnimationActive={false} dot />
          </LineChart>
        </figure>
      </div>
      <h2>{t('view.overdue')}</h2>
      {value.overdue.length === 0 ? (
        <p className="empty">{t('dashboard.noneOverdue')}</p>
      ) : (
        <ul>
          {value.overdue.map((caseNumber) => (
            <li key={caseNumber}>{caseNumber}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
