/**
 * A model of the real system for property tests: replicas (two kiosks of one village, a town and a
 * county reviewer) each append only what the rules allow them on their own copy, with clocks skewed
 * up to an hour either way, and sync pairwise at random. The histories it produces are the ones
 * sync must handle: concurrent branches, stale copies, skewed timestamps.
 */
import fc from 'fast-check';
import { appendEvent, mergeHistories, type EventDraft } from '../../core/case/append.js';
import type { Actor, StoredEvent, ItemSnapshot } from '../../core/case/events.js';
import { foldCase } from '../../core/case/fold.js';
import { allowedEventTypes } from '../../core/case/rules.js';
import type { CaseState } from '../../core/case/state.js';
import { compareLevels, LEVELS, type Level } from '../../core/level.js';
import { actors, createdDraft, itemSnapshot } from './fixtures.js';

export type Step =
  | { readonly kind: 'act'; readonly replica: number; readonly choice: number; readonly bits: number }
  | { readonly kind: 'sync'; readonly from: number; readonly to: number };

export interface Scenario {
  readonly item: ItemSnapshot;
  readonly skewsMinutes: readonly number[];
  readonly steps: readonly { step: Step; advanceMinutes: number }[];
  /** When true, every replica syncs with every other after each step: no concurrency at all. */
  readonly alwaysInSync: boolean;
}

const REPLICA_ACTORS: readonly Actor[] = [actors.clerk, { id: 'kiosk-04/clerk-2', name: '陈静', level: 'village' }, actors.town, actors.county];

export const scenarioArbitrary = (options: { alwaysInSync?: boolean; maxSteps?: number } = {}) =>
  fc.record({
    item: fc
      .record({
        level: fc.constantFrom<Level>(...LEVELS),
        limit: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
      })
      .map(({ level, limit }) => itemSnapshot(level, limit)),
    skewsMinutes: fc.array(fc.integer({ min: -60, max: 60 }), { minLength: 4, maxLength: 4 }),
    steps: fc.array(
      fc.record({
        step: fc.oneof(
          { weight: 3, arbitrary: fc.record({ kind: fc.constant('act' as const), replica: fc.nat(3), choice: fc.nat(), bits: fc.nat() }) },
          { weight: 2, arbitrary: fc.record({ kind: fc.constant('sync' as const), from: fc.nat(3), to: fc.nat(3) }) },
        ),
        advanceMinutes: fc.integer({ min: 0, max: 24 * 60 }),
      }),
      { minLength: 10, maxLength: options.maxSteps ?? 60 },
    ),
    alwaysInSync: fc.constant(options.alwaysInSync ?? false),
  });

function subset<T>(items: readonly T[], bits: number): T[] {
  const chosen = items.filter((_, i) => (bits >> i) & 1);
  return chosen.length > 0 ? chosen : items.slice(0, 1);
}

function payloadFor(type: EventDraft['type'], state: CaseState, level: Level, bits: number): object {
  const ids = state.item.materials.map((m) => m.id);
  switch (type) {
    case 'materialsChecked': {
      const groups: Record<'received' | 'missing' | 'notApplicable', string[]> = { received: [], missing: [], notApplicable: [] };
      state.item.materials.forEach((m, i) => {
        const pick = Math.floor(bits / 3 ** i) % 3;
        groups[pick === 1 ? 'missing' : pick === 2 && !m.required ? 'notApplicable' : 'received'].push(m.id);
      });
      return groups;
    }
    case 'materialsMissing':
      return { missing: subset(ids, bits) };
    case 'returnedForMaterials':
      return { missing: subset(ids, bits), reason: '材料不全' };
    case 'materialsSupplied':
      return { supplied: subset(state.outstandingMaterials.length > 0 ? state.outstandingMaterials : ids, bits) };
    case 'forwarded': {
      const targets = (['town', 'county'] as const).filter((to) => compareLevels(to, level) > 0 && compareLevels(to, state.item.decidingLevel) <= 0);
      return { to: targets[bits % Math.max(1, targets.length)] ?? 'county' };
    }
    case 'rejected':
      return { reason: '不符合条件' };
    case 'withdrawn':
      return { reason: '申请人撤回' };
    case 'note':
      return { text: `备注 ${bits % 100}` };
    default:
      return {};
  }
}

export interface SimulationResult {
  readonly replicas: readonly StoredEvent[][];
  /** Every event any replica wrote. */
  readonly written: readonly StoredEvent[];
}

export function simulate(scenario: Scenario): SimulationResult {
  const start = Date.parse('2026-11-26T01:00:00.000Z');
  let now = start;
  const stamp = (replica: number) => new Date(now + (scenario.skewsMinutes[replica] ?? 0) * 60_000).toISOString();
  const created = appendEvent([], createdDraft(scenario.item, stamp(0)));
  if (!created.ok) throw new Error(`cannot create: ${JSON.stringify(created.error)}`);
  const replicas: StoredEvent[][] = scenario.alwaysInSync ? [0, 1, 2, 3].map(() => created.value) : [created.value, [], [], []];
  const written: StoredEvent[] = [...created.value];
  let counter = 0;

  for (const { step, advanceMinutes } of scenario.steps) {
    now += advanceMinutes * 60_000;
    if (step.kind === 'sync') {
      replicas[step.to] = mergeHistories(replicas[step.to] ?? [], replicas[step.from] ?? []);
    } else {
      const events = replicas[step.replica] ?? [];
      const actor = REPLICA_ACTORS[step.replica] as Actor;
      const view = foldCase(events);
      if (view.ok) {
        // People mostly move a case on; withdrawals and notes are rarer, or few histories would get far.
        const types = allowedEventTypes(view.value.state, actor.level).flatMap((t) => (t === 'withdrawn' || t === 'note' ? [t] : [t, t, t, t]));
        const type = types[step.choice % types.length];
        if (type) {
          counter += 1;
          const draft = {
            id: `r${step.replica}-${String(counter).padStart(6, '0')}`,
            at: stamp(step.replica),
            actor,
            type,
            payload: payloadFor(type, view.value.state, actor.level, step.bits),
          } as EventDraft;
          const appended = appendEvent(events, draft);
          if (appended.ok) {
            // In lock-step mode the writer had seen everything, so its copy is everyone's copy.
            const targets = scenario.alwaysInSync ? [0, 1, 2, 3] : [step.replica];
            for (const target of targets) replicas[target] = appended.value;
            written.push(appended.value.at(-1) as StoredEvent);
          }
        }
      }
    }
  }
  return { replicas, written };
}
