/**
 * A case's history for any screen: every event, who did it at which level, and those that had no effect —
 * an event a newer version of Cunban wrote too, named as such in its place.
 */
import type { Actor, CaseEvent } from '../../core/case/events.js';
import type { TimelineEntry } from '../../core/case/state.js';
import { formatInstant } from './format.js';
import { useI18n } from './i18n.js';

/** The names of the case's village, its town and the county: who acted is named by the office they act for. */
export interface CasePlace {
  readonly village: string;
  readonly town: string;
  readonly county: string;
}

/** "业州镇审核人 李强", "雀儿笼村办事员 王芳"; by level alone ("乡镇级 李强") while the place is unknown. */
export function useActorName(place: CasePlace | undefined): (actor: Actor) => string {
  const { t } = useI18n();
  return (actor) => {
    if (!place) return t('case.by', { name: actor.name, level: t(`level.${actor.level}`) });
    return t(actor.level === 'village' ? 'case.byClerk' : 'case.byReviewer', { unit: place[actor.level], name: actor.name });
  };
}

export function CaseTimeline(props: {
  readonly timeline: readonly TimelineEntry[];
  readonly materialName: (id: string) => string;
  readonly place?: CasePlace | undefined;
}) {
  const { t, describe, locale } = useI18n();
  const actorName = useActorName(props.place);
  return (
    <>
      <h2>{t('case.timeline')}</h2>
      <ol className="timeline">
        {props.timeline.map((entry) => {
          const { event } = entry;
          return (
            <li key={event.id} className={entry.ignored ? 'ignored' : entry.foreign ? 'foreign' : undefined}>
              <time dateTime={event.at}>{formatInstant(locale, event.at)}</time>{' '}
              <strong>{entry.foreign ? t('event.foreign') : t(`event.${entry.event.type}`)}</strong> <span className="actor">{actorName(event.actor)}</span>
              {entry.foreign ? (
                <p className="foreign-note">{t('case.foreignEvent')}</p>
              ) : (
                <EventDetails event={entry.event} materialName={props.materialName} />
              )}
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
      return (
        <p>
          {t('case.detail.forwarded', { level: t(`level.${event.payload.to}`) })}
          {event.payload.note ? ` ${t('case.detail.note', { note: event.payload.note })}` : null}
        </p>
      );
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
