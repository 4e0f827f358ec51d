/**
 * Which level may append which event in which status, and what each event does to the case.
 * One table for every writer: the kiosk before it writes, the hub before it accepts, the fold when
 * it replays a merged history.
 */
import { compareLevels, type Level } from '../level.js';
import { localDateOf } from '../local-date.js';
import { err, ok, type Result } from '../result.js';
import { CASE_EVENT_TYPES, type CaseEvent, type CaseEventType } from './events.js';
import type { CaseState, CaseStatus, MaterialState, TransitionError } from './state.js';

type Check = TransitionError | undefined;

function needLevel(type: CaseEventType, level: Level, ...allowed: Level[]): Check {
  return allowed.includes(level) ? undefined : { code: 'case.levelNotAllowed', eventType: type, level };
}

function needStatus(type: CaseEventType, state: CaseState, ...allowed: CaseStatus[]): Check {
  return allowed.includes(state.status) ? undefined : { code: 'case.statusNotAllowed', eventType: type, status: state.status };
}

function needHeldBy(type: CaseEventType, state: CaseState, level: Level): Check {
  return state.currentLevel === level ? undefined : { code: 'case.notHeldByLevel', eventType: type, level, currentLevel: state.currentLevel };
}

/** The status-and-level part of the rules, without looking at a payload: what the UI offers. */
export function checkAllowed(state: CaseState | undefined, type: CaseEventType, level: Level): Check {
  if (type === 'created') return state ? { code: 'case.alreadyCreated' } : needLevel(type, level, 'village');
  if (!state) return { code: 'case.notCreated' };
  const decidingLevel = state.item.decidingLevel;
  switch (type) {
    case 'note':
      return undefined;
    case 'materialsChecked':
    case 'materialsMissing':
      return needLevel(type, level, 'village') ?? needStatus(type, state, 'accepted');
    case 'materialsSupplied':
      return needLevel(type, level, 'village') ?? needStatus(type, state, 'awaitingMaterials');
    case 'forwarded':
      if (level === 'village') {
        return needStatus(type, state, 'accepted') ?? (decidingLevel === 'village' ? notDeciding(level, state) : undefined);
      }
      if (level === 'town') {
        return (
          needStatus(type, state, 'forwarded') ??
          needHeldBy(type, state, level) ??
          (decidingLevel === 'county' ? undefined : { code: 'case.forwardTarget', level, to: 'county', decidingLevel })
        );
      }
      return needLevel(type, level, 'village', 'town');
    case 'returnedForMaterials':
      return needLevel(type, level, 'town', 'county') ?? needStatus(type, state, 'forwarded') ?? needHeldBy(type, state, level);
    case 'approved':
    case 'rejected':
      if (level !== decidingLevel) return notDeciding(level, state);
      return level === 'village' ? needStatus(type, state, 'accepted') : (needStatus(type, state, 'forwarded') ?? needHeldBy(type, state, level));
    case 'resultHandedOver':
      return needLevel(type, level, 'village') ?? needStatus(type, state, 'approved', 'rejected');
    case 'withdrawn':
      return needLevel(type, level, 'village') ?? needStatus(type, state, 'accepted', 'awaitingMaterials', 'forwarded');
  }
}

function notDeciding(level: Level, state: CaseState): TransitionError {
  return { code: 'case.notDecidingLevel', level, decidingLevel: state.item.decidingLevel };
}

/** Event types a person at `level` may append now — the actions a screen offers. */
export function allowedEventTypes(state: CaseState | undefined, level: Level): CaseEventType[] {
  return CASE_EVENT_TYPES.filter((type) => checkAllowed(state, type, level) === undefined);
}

function checkMaterials(state: CaseState, ids: readonly string[], seen = new Set<string>()): Check {
  for (const id of ids) {
    // hasOwn, not `in`: ids like "constructor" are well-formed but must not match Object.prototype.
    if (!Object.hasOwn(state.materials, id)) return { code: 'case.unknownMaterial', materialId: id };
    if (seen.has(id)) return { code: 'case.materialListedTwice', materialId: id };
    seen.add(id);
  }
  return undefined;
}

function withMaterials(materials: CaseState['materials'], ids: readonly string[], value: MaterialState): CaseState['materials'] {
  return { ...materials, ...Object.fromEntries(ids.map((id) => [id, value])) };
}

/** Apply one event to the state before it. Pure; returns why not when the rules forbid it. */
export function applyEvent(state: CaseState | undefined, event: CaseEvent): Result<CaseState, TransitionError> {
  const refused = checkAllowed(state, event.type, event.actor.level);
  if (refused) return err(refused);
  if (event.type === 'created') {
    const { caseNumber, village, item, applicant, proxy, lookupCode } = event.payload;
    const acceptedOn = localDateOf(event.at);
    return ok({
      caseNumber,
      village,
      item,
      applicant,
      ...(proxy ? { proxy } : {}),
      ...(lookupCode ? { lookupCode } : {}),
      status: 'accepted',
      currentLevel: 'village',
      acceptedAt: event.at,
      acceptedOn,
      clockStartOn: acceptedOn,
      materials: Object.fromEntries(item.materials.map((m) => [m.id, 'unchecked' as const])),
      outstandingMaterials: [],
      updatedAt: event.at,
    });
  }
  const before = state as CaseState;
  const s: CaseState = { ...before, updatedAt: event.at > before.updatedAt ? event.at : before.updatedAt };
  switch (event.type) {
    case 'note':
      return ok(s);
    case 'materialsChecked': {
      const { received, missing, notApplicable } = event.payload;
      const seen = new Set<string>();
      const bad =
        checkMaterials(s, received, seen) ??
        checkMaterials(s, missing, seen) ??
        checkMaterials(s, notApplicable, seen) ??
        checkMaterials(s, [...new Set(event.payload.files?.map((file) => file.materialId))]);
      if (bad) return err(bad);
      const required = notApplicable.find((id) => s.item.materials.find((m) => m.id === id)?.required);
      if (required) return err({ code: 'case.materialRequired', materialId: required });
      const materials = withMaterials(withMaterials(withMaterials(s.materials, received, 'received'), missing, 'missing'), notApplicable, 'notApplicable');
      return ok({ ...s, materials });
    }
    case 'materialsMissing':
    case 'returnedForMaterials': {
      const bad = checkMaterials(s, event.payload.missing);
      if (bad) return err(bad);
      return ok({
        ...s,
        status: 'awaitingMaterials',
        awaitingFor: event.actor.level,
        currentLevel: 'village',
        materials: withMaterials(s.materials, event.payload.missing, 'missing'),
        outstandingMaterials: [...new Set([...s.outstandingMaterials, ...event.payload.missing])].sort(),
        ...(event.type === 'returnedForMaterials'
          ? { returned: { level: event.actor.level, at: event.at, actorName: event.actor.name, reason: event.payload.reason, missing: event.payload.missing } }
          : {}),
      });
    }
    case 'materialsSupplied': {
      const bad = checkMaterials(s, event.payload.supplied) ?? checkMaterials(s, [...new Set(event.payload.files?.map((file) => file.materialId))]);
      if (bad) return err(bad);
      const outstanding = s.outstandingMaterials.filter((id) => !event.payload.supplied.includes(id));
      const materials = withMaterials(s.materials, event.payload.supplied, 'received');
      if (outstanding.length > 0) return ok({ ...s, materials, outstandingMaterials: outstanding });
      // Complete again: the case goes back to whoever asked, and the time limit starts afresh (补正后重新计算).
      const resumeAt = s.awaitingFor ?? 'village';
      const { awaitingFor: _done, returned: _answered, ...rest } = s;
      return ok({
        ...rest,
        materials,
        outstandingMaterials: [],
        status: resumeAt === 'village' ? 'accepted' : 'forwarded',
        currentLevel: resumeAt,
        clockStartOn: localDateOf(event.at),
      });
    }
    case 'forwarded': {
      const { to } = event.payload;
      if (compareLevels(to, event.actor.level) <= 0 || compareLevels(to, s.item.decidingLevel) > 0) {
        return err({ code: 'case.forwardTarget', level: event.actor.level, to, decidingLevel: s.item.decidingLevel });
      }
      return ok({ ...s, status: 'forwarded', currentLevel: to });
    }
    case 'approved':
    case 'rejected':
      return ok({
        ...s,
        status: event.type,
        decision: {
          outcome: event.type,
          level: event.actor.level,
          at: event.at,
          actorName: event.actor.name,
          ...(event.type === 'rejected' ? { reason: event.payload.reason } : {}),
        },
        currentLevel: 'village',
      });
    case 'resultHandedOver':
      return ok({ ...s, status: 'completed', closedAt: event.at });
    case 'withdrawn':
      return ok({ ...s, status: 'withdrawn', closedAt: event.at, currentLevel: 'village' });
  }
}
