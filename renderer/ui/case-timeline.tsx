/**
 * A case's history for any screen: every event, who did it at which level, and those that had no effect —
 * an event a newer version of Cunban wrote too, named as such in its place.
 */
import type { CaseEvent } from '../../core/case/events.js';
import type { TimelineEntry } from '../../core/case/state.js';
import { formatInstant } from './format.js';
import { useI18n } from './i18n.js';

export function CaseTimeline(props: { readonly timeline: readonly TimelineEntry[]; readonly materialName: (id: string) => string }) {
  const { t, describe, locale } = useI18n();
  return (
    <>
      <h2>{t('case.timeline')}</h2>
      <ol className="timeline">
        {props.timeline.map((entry) => {
          const { event } = entry;
          return (
            <li key={event.id} className={entry.ignored ? 'ignored' : entry.foreign ? 'foreign' : undefined}>
              <time dateTime={event.at}>{formatInstant(locale, event.at)}</time>{' '}
              <strong>{entry.foreign ? t('event.foreign') : t(`event.${entry.event.type}`)}</strong>{' '}
              <span className="actor">{t('case.by', { name: event.actor.name, level: t(`level.${event.actor.level}`) })}</span>
              {entry.foreign ? <p className="foreign-note">{t('case.foreignEvent')}</p> : <EventDetails event={entry.event} materialName={props.materialName} />}
              {entry.ignored ? <p className="ignored-note">{t('case.ignored', { reason: describe(entry.ignored) })}</p> : null}
            </li>
          );
        })}
      </ol>
    </>
  );
}

function EventDetails({ event, materialName }: { readonly event: CaseEvent; readonly materialName: (id: string) => string }) {
  const { t } = useI18n();
  const list = (ids: readonly string[]) => ids.map(materialName).join('、');
  switch (event.type) {
    case 'materialsMissing':
      return <p>{t('case.detail.missing', { materials: list(event.payload.missing) })}</p>;
    case 'returnedForMaterials':
      return <p>{t('case.detail.returned', { materials: list(event.payload.missing), reason: event.payload.reason })}</p>;
    case 'materialsSupplied':
      return <p>{t('case.detail.supplied', { materials: list(event.payload.supplied) })}</p>;
    case 'forwarded':
      return <p>{t('case.detail.forwarded', { level: t(`level.${event.payload.to}`) })}</p>;
    case 'rejected':
    case 'withdrawn':
      return <p>{t('case.detail.reason', { reason: event.payload.reason })}</p>;
    case 'note':
      return <p>{event.payload.text}</p>;
    case 'approved':
    case 'resultHandedOver':
      return event.payload.note ? <p>{event.payload.note}</p> : null;
    default:
      return null;
  }
}
