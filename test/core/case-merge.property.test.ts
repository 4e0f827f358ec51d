/**
 * A case never loses an update (DESIGN.md): merge is the union of events — deterministic, idempotent,
 * commutative, associative — and status is the fold of the set, whatever order it arrived in.
 * Each property runs over at least 1,000 random histories from the replica model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mergeHistories } from '../../core/case/append.js';
import { parseCaseDocument, toCaseDocument } from '../../core/case/document.js';
import type { StoredEvent } from '../../core/case/events.js';
import { foldCase } from '../../core/case/fold.js';
import { scenarioArbitrary, simulate } from './history-sim.js';

const RUNS = { numRuns: 1000 };
const ids = (events: readonly StoredEvent[]) => events.map((e) => e.id).sort();

function fold(events: readonly StoredEvent[]) {
  const view = foldCase(events);
  if (!view.ok) throw new Error(view.error.code);
  return view.value;
}

/** Deliver events in a random order, in random batches, with random duplicates, into an empty copy. */
function deliver(events: readonly StoredEvent[], keys: readonly number[]): StoredEvent[] {
  const copies = events.flatMap((event, i) => ((keys[i] ?? 0) % 3 === 0 ? [event, event] : [event]));
  const order = copies
    .map((event, i) => ({ event, key: keys[(i * 7) % Math.max(1, keys.length)] ?? i, i }))
    .sort((a, b) => a.key - b.key || a.i - b.i)
    .map((entry) => entry.event);
  let copy: StoredEvent[] = [];
  for (let i = 0; i < order.length;) {
    const size = 1 + ((keys[i % Math.max(1, keys.length)] ?? 0) % 4);
    copy = mergeHistories(copy, order.slice(i, i + size));
    i += size;
  }
  return copy;
}

describe('merge', () => {
  it('is commutative, associative and idempotent over copies from any replicas', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), fc.nat(3), fc.nat(3), fc.nat(3), (scenario, i, j, k) => {
        const { replicas } = simulate(scenario);
        const [a, b, c] = [replicas[i] ?? [], replicas[j] ?? [], replicas[k] ?? []];
        expect(mergeHistories(a, b)).toEqual(mergeHistories(b, a));
        expect(mergeHistories(mergeHistories(a, b), c)).toEqual(mergeHistories(a, mergeHistories(b, c)));
        expect(mergeHistories(a, a)).toEqual(mergeHistories(a, []));
        expect(mergeHistories(mergeHistories(a, b), b)).toEqual(mergeHistories(a, b));
      }),
      RUNS,
    );
  });

  it('never loses an event: the merge holds every event of both copies, each once', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        const { replicas, written } = simulate(scenario);
        const all = replicas.reduce<StoredEvent[]>((acc, events) => mergeHistories(acc, events), []);
        expect(ids(all)).toEqual(ids(written));
        for (const a of replicas) {
          for (const b of replicas) {
            const merged = ids(mergeHistories(a, b));
            expect(merged).toEqual([...new Set([...ids(a), ...ids(b)])].sort());
          }
        }
      }),
      RUNS,
    );
  });
});

describe('fold', () => {
  it('gives the same status, state and timeline whatever the arrival order, batching and duplication', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), fc.array(fc.nat(1000), { maxLength: 80 }), (scenario, keys) => {
        const { written } = simulate(scenario);
        const reference = fold(written);
        const delivered = deliver(written, keys);
        expect(fold(delivered)).toEqual(reference);
        expect(fold([...written].reverse())).toEqual(reference);
        expect(toCaseDocument(delivered)).toEqual(toCaseDocument(written));
      }),
      RUNS,
    );
  });

  it('replays every event after the events it names as parents', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), (scenario) => {
        const { timeline } = fold(simulate(scenario).written);
        const seen = new Set<string>();
        for (const { event } of timeline) {
          for (const parent of event.parents) expect(seen.has(parent)).toBe(true);
          seen.add(event.id);
        }
        expect(timeline[0]?.event.type).toBe('created');
      }),
      RUNS,
    );
  });

  it('ignores no event when there is no concurrency (every writer saw everything before it wrote)', () => {
    fc.assert(
      fc.property(scenarioArbitrary({ alwaysInSync: true, maxSteps: 25 }), (scenario) => {
        const { timeline } = fold(simulate(scenario).written);
        expect(timeline.filter((entry) => entry.ignored)).toEqual([]);
      }),
      RUNS,
    );
  });
});

describe('replicas that exchanged everything', () => {
  it('hold identical, valid case documents', () => {
    fc.assert(
      fc.property(scenarioArbitrary(), fc.array(fc.nat(1000), { maxLength: 80 }), (scenario, keys) => {
        const { replicas, written } = simulate(scenario);
        const documents = replicas.map((events) => toCaseDocument(deliver([...events, ...written], keys)));
        for (const doc of documents) expect(doc).toEqual(documents[0]);
        const first = documents[0];
        if (!first?.ok) throw new Error('no document');
        expect(parseCaseDocument(first.value)).toEqual({ ok: true, value: first.value });
        expect(first.value.summary.eventCount).toBe(written.length);
      }),
      RUNS,
    );
  });
});

describe('the history model itself', () => {
  it('reaches every status, every event type and real conflicts, so the properties above are not vacuous', () => {
    const statuses = new Set<string>();
    const types = new Set<string>();
    let withIgnored = 0;
    let longest = 0;
    for (const scenario of fc.sample(scenarioArbitrary(), { numRuns: 1000, seed: 20261126 })) {
      const { timeline, state } = fold(simulate(scenario).written);
      statuses.add(state.status);
      for (const { event } of timeline) types.add(event.type);
      if (timeline.some((entry) => entry.ignored)) withIgnored += 1;
      longest = Math.max(longest, timeline.length);
    }
    expect([...statuses].sort()).toEqual(['accepted', 'approved', 'awaitingMaterials', 'completed', 'forwarded', 'rejected', 'withdrawn']);
    expect(types.size).toBe(11);
    expect(withIgnored).toBeGreaterThan(100);
    expect(longest).toBeGreaterThan(15);
  });
});
