/** Builders for case tests: valid-shaped sealed values, item snapshots, event drafts and queue entries. */
import { appendEvent, type EventDraft } from '../../core/case/append.js';
import type { Actor, CreatedPayload, ItemSnapshot, Person, StoredEvent } from '../../core/case/events.js';
import { foldCase } from '../../core/case/fold.js';
import type { CaseState } from '../../core/case/state.js';
import type { QueueEntry } from '../../core/case/queue-entry.js';
import type { SealedValue } from '../../core/case/sealed.js';
import type { Level } from '../../core/level.js';

export const VILLAGE = '422822100202'; // 雀儿笼村, 业州镇, 建始县
export const CASE_NUMBER = '422822100202-20261126-03-042-0';

export const sealed = (seed: string): SealedValue => ({
  alg: 'A256GCM',
  kid: 'county-2026-1',
  iv: 'AAAAAAAAAAAAAAAA',
  ct: seed.padEnd(24, 'q').replace(/[^A-Za-z0-9_-]/g, 'q'),
});

export const person = (name: string): Person => ({
  name,
  idNumber: sealed(name),
  idNumberMasked: '422822********0015',
  idNumberHash: 'a'.repeat(64),
});

export function itemSnapshot(decidingLevel: Level, timeLimitWorkingDays: number | null = 20): ItemSnapshot {
  return {
    code: 'MZ-01',
    sector: 'MZ',
    name: { zh: '最低生活保障（低保）申请', en: 'Minimum living allowance application' },
    decidingLevel,
    timeLimitWorkingDays,
    catalogVersion: 1,
    materials: [
      { id: 'm1', name: { zh: '申请书', en: 'application form' }, required: true },
      { id: 'm2', name: { zh: '居民身份证', en: 'resident ID card' }, required: true },
      { id: 'm3', name: { zh: '残疾人证（如有）', en: 'disability card if any' }, required: false },
    ],
  };
}

export const actors = {
  clerk: { id: 'kiosk-03/clerk-1', name: '王芳', level: 'village' },
  town: { id: 'town-reviewer-1', name: '李强', level: 'town' },
  county: { id: 'county-reviewer-1', name: '张敏', level: 'county' },
} as const satisfies Record<string, Actor>;

export function createdDraft(item: ItemSnapshot, at = '2026-11-26T01:00:00.000Z', overrides: Partial<CreatedPayload> = {}): EventDraft {
  return {
    id: 'evt-created-0001',
    at,
    actor: actors.clerk,
    type: 'created',
    payload: { caseNumber: CASE_NUMBER, village: VILLAGE, item, applicant: person('刘德华'), ...overrides },
  };
}

let queueEntries = 0;
/** A queue entry: a forwarded case held by the town, accepted 2026-11-26, unless overridden. */
export function queueEntry(overrides: Partial<QueueEntry>): QueueEntry {
  queueEntries += 1;
  return {
    caseNumber: `case-${String(queueEntries).padStart(6, '0')}`,
    village: VILLAGE,
    town: '422822100000',
    sector: 'MZ',
    itemCode: 'MZ-01',
    itemName: { zh: '低保', en: 'allowance' },
    status: 'forwarded',
    open: true,
    currentLevel: 'town',
    acceptedOn: '2026-11-26',
    applicantName: '张三',
    applicantIdMasked: '422822********0015',
    updatedAt: '2026-11-26T01:00:00.000Z',
    eventCount: 3,
    ...overrides,
  };
}

/** The history these drafts make, appended in order; throws on the first one core's rules refuse. */
export function historyOf(drafts: readonly EventDraft[]): StoredEvent[] {
  let events: StoredEvent[] = [];
  for (const draft of drafts) {
    const appended = appendEvent(events, draft);
    if (!appended.ok) throw new Error(JSON.stringify(appended.error));
    events = appended.value;
  }
  return events;
}

/** The state a history folds to; throws if it has no `created` event. */
export function stateOf(events: readonly StoredEvent[]): CaseState {
  const folded = foldCase(events);
  if (!folded.ok) throw new Error(folded.error.code);
  return folded.value.state;
}
