/** Writing to a case: the only way a new event enters a history. */
import { formatIssues, type DataProblem } from '../data-error.js';
import { err, ok, type Result } from '../result.js';
import { caseEventSchema, type CaseEventOf, type CaseEventType, type StoredEvent } from './events.js';
import { foldCase, orderEvents, unionEvents, type CaseHistoryError, type CaseView } from './fold.js';
import { applyEvent, checkAllowed } from './rules.js';
import type { TransitionError } from './state.js';

/** What a writer supplies; `parents` are filled in from the history it has. */
export type EventDraft = { [T in CaseEventType]: Omit<CaseEventOf<T>, 'parents'> }[CaseEventType];

export type AppendError =
  | TransitionError
  | CaseHistoryError
  | { readonly code: 'case.eventInvalid'; readonly problems: readonly DataProblem[] }
  | { readonly code: 'case.duplicateEventId'; readonly eventId: string };

/**
 * Append one event if the rules allow it now. The new event names the current heads as parents,
 * so on every replica it replays after everything its writer saw. Returns the whole history in
 * replay order (the new event last).
 */
export function appendEvent(history: readonly StoredEvent[], draft: EventDraft): Result<StoredEvent[], AppendError> {
  let view: CaseView | undefined;
  if (history.length > 0) {
    const folded = foldCase(history);
    if (!folded.ok) return folded;
    view = folded.value;
  }
  // Status and level first: "already accepted" says more than a schema complaint about parents.
  const refused = checkAllowed(view?.state, draft.type, draft.actor.level);
  if (refused) return err(refused);
  if (history.some((e) => e.id === draft.id)) return err({ code: 'case.duplicateEventId', eventId: draft.id });
  const candidate = { ...draft, parents: [...(view?.heads ?? [])] };
  const parsed = caseEventSchema.safeParse(candidate);
  if (!parsed.success) return err({ code: 'case.eventInvalid', problems: formatIssues(parsed.error.issues, candidate) });
  const applied = applyEvent(view?.state, parsed.data);
  if (!applied.ok) return applied;
  return ok([...(view?.timeline.map((entry) => entry.event) ?? []), parsed.data]);
}

/**
 * Merge two copies of one case's history: the union of their events, in replay order.
 * Deterministic, idempotent, commutative and associative, so sync order and retries cannot matter.
 */
export function mergeHistories(a: readonly StoredEvent[], b: readonly StoredEvent[]): StoredEvent[] {
  return orderEvents(unionEvents(a, b));
}
