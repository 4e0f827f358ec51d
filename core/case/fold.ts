/**
 * Status and every derived field are a pure function of the set of events:
 * 1. union the events by id (a copy delivered twice is one event);
 * 2. order them causally — an event comes after every parent it names — breaking ties between
 *    concurrent events by (time, id), so every replica replays the same order whatever the
 *    arrival order and however wrong a device's clock is about events it had already seen;
 * 3. replay the rules; an event the rules refuse in that order is kept, marked ignored, not dropped;
 *    an event of a type a newer version wrote is kept in its place, marked foreign, and not applied.
 */
import { canonicalJson } from '../canonical-json.js';
import { err, ok, type Result } from '../result.js';
import { isCaseEvent, type StoredEvent } from './events.js';
import { applyEvent } from './rules.js';
import type { CaseState, TimelineEntry } from './state.js';

export interface CaseView {
  readonly state: CaseState;
  /** Every event in replay order. */
  readonly timeline: readonly TimelineEntry[];
  /** Events no other event names as a parent: the `parents` of the next event appended. */
  readonly heads: readonly string[];
}

export type CaseHistoryError = { readonly code: 'case.history.noCreatedEvent' };

/**
 * One event per id. Two different bodies under one id should never exist (ids are unique and events
 * immutable); if they do, the canonically smaller body wins, so the choice is the same on every replica.
 */
export function unionEvents(...lists: readonly (readonly StoredEvent[])[]): StoredEvent[] {
  const byId = new Map<string, StoredEvent>();
  for (const list of lists) {
    for (const event of list) {
      const known = byId.get(event.id);
      if (!known) byId.set(event.id, event);
      else if (known !== event && canonicalJson(event) < canonicalJson(known)) byId.set(event.id, event);
    }
  }
  return [...byId.values()];
}

function tieBreak(a: StoredEvent, b: StoredEvent): number {
  const byTime = Date.parse(a.at) - Date.parse(b.at);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Causal order with a deterministic tie-break (Kahn's algorithm). Expects unique ids. */
export function orderEvents(events: readonly StoredEvent[]): StoredEvent[] {
  const ids = new Set(events.map((e) => e.id));
  const waitingOn = new Map<string, number>();
  const children = new Map<string, StoredEvent[]>();
  for (const event of events) {
    const parents = new Set(event.parents.filter((p) => ids.has(p) && p !== event.id));
    waitingOn.set(event.id, parents.size);
    for (const parent of parents) children.set(parent, [...(children.get(parent) ?? []), event]);
  }
  const ready = events.filter((e) => waitingOn.get(e.id) === 0).sort(tieBreak);
  const ordered: StoredEvent[] = [];
  while (ready.length > 0) {
    const next = ready.shift() as StoredEvent;
    ordered.push(next);
    for (const child of children.get(next.id) ?? []) {
      const remaining = (waitingOn.get(child.id) ?? 0) - 1;
      waitingOn.set(child.id, remaining);
      if (remaining === 0) {
        const at = ready.findIndex((e) => tieBreak(child, e) < 0);
        ready.splice(at === -1 ? ready.length : at, 0, child);
      }
    }
  }
  // Only a forged history can hold a cycle; replay it last rather than lose it.
  if (ordered.length < events.length) {
    const placed = new Set(ordered.map((e) => e.id));
    ordered.push(...events.filter((e) => !placed.has(e.id)).sort(tieBreak));
  }
  return ordered;
}

export function foldCase(events: readonly StoredEvent[]): Result<CaseView, CaseHistoryError> {
  const ordered = orderEvents(unionEvents(events));
  let state: CaseState | undefined;
  const timeline: TimelineEntry[] = [];
  for (const event of ordered) {
    if (!isCaseEvent(event)) {
      timeline.push({ event, foreign: true });
      continue;
    }
    const applied = applyEvent(state, event);
    if (applied.ok) {
      state = applied.value;
      timeline.push({ event });
    } else {
      timeline.push({ event, ignored: applied.error });
    }
  }
  if (!state) return err({ code: 'case.history.noCreatedEvent' });
  const parents = new Set(ordered.flatMap((e) => e.parents));
  const heads = ordered
    .map((e) => e.id)
    .filter((id) => !parents.has(id))
    .sort();
  return ok({ state, timeline, heads });
}
