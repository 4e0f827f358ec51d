import { describe, expect, it } from 'vitest';
import { appendEvent, mergeHistories, type EventDraft } from '../../core/case/append.js';
import type { Actor, StoredEvent } from '../../core/case/events.js';
import { caseDeadline, documentDeadline, isOverdue } from '../../core/case/deadline.js';
import { toCaseDocument } from '../../core/case/document.js';
import { foldCase } from '../../core/case/fold.js';
import { allowedEventTypes } from '../../core/case/rules.js';
import { describeError } from '../../core/i18n/describe.js';
import type { Level } from '../../core/level.js';
import type { LocalDate } from '../../core/local-date.js';
import { demoCalendar } from '../../core/seed/demo-county.js';
import { actors, createdDraft, itemSnapshot, stateOf } from './fixtures.js';

let sequence = 0;
/** A draft of any event type, with a fresh id. */
function draft(type: EventDraft['type'], actor: Actor, at: string, payload: object): EventDraft {
  sequence += 1;
  return { id: `evt-${type}-${String(sequence).padStart(4, '0')}`, at, actor, type, payload } as EventDraft;
}

function must(history: readonly StoredEvent[], next: EventDraft): StoredEvent[] {
  const result = appendEvent(history, next);
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.error)}`);
  return result.value;
}

const newCase = (decidingLevel: Level, limit: number | null = 20, at?: string) => must([], createdDraft(itemSnapshot(decidingLevel, limit), at));

describe('a county-level item, from acceptance to hand-over', () => {
  it('goes village → town → county, back for materials, and on to a decision', () => {
    let h = newCase('county');
    expect(stateOf(h)).toMatchObject({ status: 'accepted', currentLevel: 'village', acceptedOn: '2026-11-26' });

    h = must(
      h,
      draft('materialsChecked', actors.clerk, '2026-11-26T01:05:00.000Z', {
        received: ['m1', 'm2'],
        missing: [],
        notApplicable: ['m3'],
      }),
    );
    expect(stateOf(h).materials).toEqual({ m1: 'received', m2: 'received', m3: 'notApplicable' });

    h = must(h, draft('forwarded', actors.clerk, '2026-11-26T01:06:00.000Z', { to: 'town' }));
    expect(stateOf(h)).toMatchObject({ status: 'forwarded', currentLevel: 'town' });

    h = must(h, draft('forwarded', actors.town, '2026-11-27T02:00:00.000Z', { to: 'county' }));
    expect(stateOf(h)).toMatchObject({ status: 'forwarded', currentLevel: 'county' });

    h = must(
      h,
      draft('returnedForMaterials', actors.county, '2026-11-30T03:00:00.000Z', {
        missing: ['m2'],
        reason: '身份证复印件不清晰',
      }),
    );
    expect(stateOf(h)).toMatchObject({
      status: 'awaitingMaterials',
      currentLevel: 'village',
      awaitingFor: 'county',
      outstandingMaterials: ['m2'],
    });

    h = must(h, draft('materialsSupplied', actors.clerk, '2026-12-02T01:00:00.000Z', { supplied: ['m2'] }));
    const resumed = stateOf(h);
    expect(resumed).toMatchObject({ status: 'forwarded', currentLevel: 'county', clockStartOn: '2026-12-02' });
    expect(resumed.awaitingFor).toBeUndefined();

    h = must(h, draft('approved', actors.county, '2026-12-03T06:00:00.000Z', {}));
    expect(stateOf(h)).toMatchObject({
      status: 'approved',
      currentLevel: 'village',
      decision: { outcome: 'approved', level: 'county', actorName: '张敏', at: '2026-12-03T06:00:00.000Z' },
    });

    h = must(h, draft('resultHandedOver', actors.clerk, '2026-12-04T01:00:00.000Z', {}));
    expect(stateOf(h)).toMatchObject({ status: 'completed', closedAt: '2026-12-04T01:00:00.000Z' });
    expect(allowedEventTypes(stateOf(h), 'village')).toEqual(['note']);
  });

  it('keeps a rejection’s reason and lets the village hand the decision over', () => {
    let h = must(newCase('town'), draft('forwarded', actors.clerk, '2026-11-26T02:00:00.000Z', { to: 'town' }));
    h = must(h, draft('rejected', actors.town, '2026-11-27T02:00:00.000Z', { reason: '不符合申请条件' }));
    expect(stateOf(h).decision).toMatchObject({ outcome: 'rejected', reason: '不符合申请条件', level: 'town' });
    expect(allowedEventTypes(stateOf(h), 'village')).toEqual(['resultHandedOver', 'note']);
  });
});

describe('a village-level item', () => {
  it('is completed on the spot', () => {
    let h = newCase('village', 0);
    expect(allowedEventTypes(stateOf(h), 'village')).toEqual(['materialsChecked', 'materialsMissing', 'approved', 'rejected', 'withdrawn', 'note']);
    h = must(h, draft('approved', actors.clerk, '2026-11-26T01:10:00.000Z', {}));
    h = must(h, draft('resultHandedOver', actors.clerk, '2026-11-26T01:11:00.000Z', {}));
    expect(stateOf(h).status).toBe('completed');
  });

  it('waits for missing materials at the counter, then resumes', () => {
    let h = must(
      newCase('village', 5),
      draft('materialsMissing', actors.clerk, '2026-11-26T01:10:00.000Z', {
        missing: ['m1', 'm2'],
        note: '请带户口簿',
      }),
    );
    expect(stateOf(h)).toMatchObject({ status: 'awaitingMaterials', awaitingFor: 'village' });
    h = must(h, draft('materialsSupplied', actors.clerk, '2026-11-27T01:00:00.000Z', { supplied: ['m1'] }));
    expect(stateOf(h)).toMatchObject({ status: 'awaitingMaterials', outstandingMaterials: ['m2'] });
    h = must(h, draft('materialsSupplied', actors.clerk, '2026-11-30T01:00:00.000Z', { supplied: ['m2'] }));
    expect(stateOf(h)).toMatchObject({ status: 'accepted', currentLevel: 'village', clockStartOn: '2026-11-30' });
  });
});

describe('the rules refuse, with a typed error', () => {
  const at = '2026-11-26T05:00:00.000Z';
  const forwardedToTown = () => must(newCase('county'), draft('forwarded', actors.clerk, at, { to: 'town' }));

  it.each([
    [
      'a town deciding a county item',
      () => forwardedToTown(),
      draft('approved', actors.town, at, {}),
      { code: 'case.notDecidingLevel', level: 'town', decidingLevel: 'county' },
    ],
    [
      'the village deciding a county item',
      () => newCase('county'),
      draft('approved', actors.clerk, at, {}),
      { code: 'case.notDecidingLevel', level: 'village', decidingLevel: 'county' },
    ],
    [
      'the county acting on a case still at the town',
      () => forwardedToTown(),
      draft('returnedForMaterials', actors.county, at, { missing: ['m1'], reason: 'x' }),
      { code: 'case.notHeldByLevel', eventType: 'returnedForMaterials', level: 'county', currentLevel: 'town' },
    ],
    [
      'forwarding a town item to the county',
      () => newCase('town'),
      draft('forwarded', actors.clerk, at, { to: 'county' }),
      { code: 'case.forwardTarget', level: 'village', to: 'county', decidingLevel: 'town' },
    ],
    [
      'forwarding a village item at all',
      () => newCase('village'),
      draft('forwarded', actors.clerk, at, { to: 'town' }),
      { code: 'case.notDecidingLevel', level: 'village', decidingLevel: 'village' },
    ],
    [
      'a town accepting an application',
      () => [],
      { ...createdDraft(itemSnapshot('town')), actor: actors.town },
      { code: 'case.levelNotAllowed', eventType: 'created', level: 'town' },
    ],
    ['a second acceptance', () => newCase('town'), { ...createdDraft(itemSnapshot('town')), id: 'evt-created-0002' }, { code: 'case.alreadyCreated' }],
    ['anything before acceptance', () => [], draft('note', actors.clerk, at, { text: 'hello' }), { code: 'case.notCreated' }],
    [
      'marking a required material not applicable',
      () => newCase('town'),
      draft('materialsChecked', actors.clerk, at, { received: [], missing: [], notApplicable: ['m1'] }),
      { code: 'case.materialRequired', materialId: 'm1' },
    ],
    [
      'a material that is not on the checklist',
      () => newCase('town'),
      draft('materialsMissing', actors.clerk, at, { missing: ['m9'] }),
      { code: 'case.unknownMaterial', materialId: 'm9' },
    ],
    [
      'a material id that is only an Object.prototype key',
      () => newCase('town'),
      draft('materialsMissing', actors.clerk, at, { missing: ['constructor'] }),
      { code: 'case.unknownMaterial', materialId: 'constructor' },
    ],
    [
      'a file for a material that is not on the checklist',
      () => newCase('town'),
      draft('materialsChecked', actors.clerk, at, {
        received: ['m1'],
        missing: [],
        notApplicable: [],
        files: [{ materialId: 'm7', sha256: 'a'.repeat(64), size: 10, contentType: 'image/png' }],
      }),
      { code: 'case.unknownMaterial', materialId: 'm7' },
    ],
    [
      'a material both received and missing',
      () => newCase('town'),
      draft('materialsChecked', actors.clerk, at, { received: ['m1'], missing: ['m1'], notApplicable: [] }),
      { code: 'case.materialListedTwice', materialId: 'm1' },
    ],
  ] as const)('%s', (_name, history, next, error) => {
    expect(appendEvent(history(), next)).toEqual({ ok: false, error });
  });

  it('withdrawing after the decision', () => {
    let h = must(newCase('village'), draft('approved', actors.clerk, at, {}));
    expect(appendEvent(h, draft('withdrawn', actors.clerk, at, { reason: '本人不再申请' }))).toEqual({
      ok: false,
      error: { code: 'case.statusNotAllowed', eventType: 'withdrawn', status: 'approved' },
    });
    h = must(h, draft('note', actors.county, at, { text: '抽查：材料齐全' }));
    expect(stateOf(h).status).toBe('approved');
  });

  it('a rejection without a reason, naming the field', () => {
    const atTown = must(newCase('town'), draft('forwarded', actors.clerk, at, { to: 'town' }));
    const result = appendEvent(atTown, draft('rejected', actors.town, at, { reason: '  ' }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toMatchObject({ code: 'case.eventInvalid', problems: [{ path: 'payload.reason', detail: 'a reason is required' }] });
  });

  it('a checklist that names no material', () => {
    const result = appendEvent(newCase('town'), draft('materialsChecked', actors.clerk, at, { received: [], missing: [], notApplicable: [] }));
    expect(result).toMatchObject({ ok: false, error: { code: 'case.eventInvalid', problems: [{ detail: 'name at least one material' }] } });
  });

  it('the same event twice', () => {
    const h = newCase('town');
    const note = draft('note', actors.clerk, at, { text: '一' });
    expect(appendEvent(must(h, note), note)).toEqual({ ok: false, error: { code: 'case.duplicateEventId', eventId: note.id } });
  });

  it('and says why in the clerk’s language', () => {
    const error = { code: 'case.notHeldByLevel', eventType: 'approved', level: 'town', currentLevel: 'county' } as const;
    expect(describeError(error, 'zh-CN')).toBe('办件目前在县级办理，乡镇级不能执行“批准”');
    expect(describeError(error, 'en')).toBe('The case is with the county level; the town level cannot record “Approved”');
  });
});

describe('ordering does not trust device clocks', () => {
  it('a kiosk clock an hour fast cannot put its forward after the county’s decision', () => {
    // Real order: the clerk forwards at 09:00 CST, the county approves at 09:30 CST.
    // The kiosk's clock runs an hour fast, so its forward is stamped 10:00 — after the approval.
    let h = newCase('county', 20, '2026-11-26T02:00:00.000Z');
    h = must(h, draft('forwarded', actors.clerk, '2026-11-26T02:00:00.000Z', { to: 'county' }));
    h = must(h, draft('approved', actors.county, '2026-11-26T01:30:00.000Z', {}));
    const view = foldCase([...h].reverse());
    expect(view.ok && view.value.state.status).toBe('approved');
    expect(view.ok && view.value.timeline.every((entry) => !entry.ignored)).toBe(true);
  });
});

describe('concurrent edits', () => {
  it('keep every event: an offline withdrawal and a county approval both stay in the history', () => {
    const base = must(newCase('county'), draft('forwarded', actors.clerk, '2026-11-26T02:00:00.000Z', { to: 'county' }));
    const atCounty = must(base, draft('approved', actors.county, '2026-11-27T02:00:00.000Z', {}));
    const atKiosk = must(base, draft('withdrawn', actors.clerk, '2026-11-27T03:00:00.000Z', { reason: '申请人撤回' }));

    const merged = mergeHistories(atKiosk, atCounty);
    expect(mergeHistories(atCounty, atKiosk)).toEqual(merged);
    expect(merged.map((e) => e.id).sort()).toEqual([...new Set([...atCounty, ...atKiosk].map((e) => e.id))].sort());
    const view = foldCase(merged);
    if (!view.ok) throw new Error('fold');
    // The approval came first; the withdrawal could not take effect after it and is kept, flagged.
    expect(view.value.state.status).toBe('approved');
    const ignored = view.value.timeline.filter((entry) => entry.ignored);
    expect(ignored).toHaveLength(1);
    expect(ignored[0]?.event.type).toBe('withdrawn');
    expect(ignored[0]?.ignored).toEqual({ code: 'case.statusNotAllowed', eventType: 'withdrawn', status: 'approved' });
    // Both branches are heads; the next event joins them.
    expect(view.value.heads).toHaveLength(2);
    const joined = must(merged, draft('note', actors.clerk, '2026-11-28T01:00:00.000Z', { text: '已电话告知申请人' }));
    expect(joined.at(-1)?.parents).toEqual(view.value.heads);
  });
});

describe('deadlines', () => {
  const calendar = demoCalendar();
  const today = (text: string) => text as LocalDate;

  it('counts working days from acceptance and flags a late decision as overdue', () => {
    const state = stateOf(newCase('county', 3));
    expect(caseDeadline(state, calendar)).toEqual({ dueOn: '2026-12-01', provisional: false });
    expect(isOverdue(state, today('2026-12-01'), calendar)).toBe(false);
    expect(isOverdue(state, today('2026-12-02'), calendar)).toBe(true);
  });

  it('stops the clock while materials are awaited and restarts it when they arrive', () => {
    let h = must(newCase('county', 3), draft('forwarded', actors.clerk, '2026-11-26T02:00:00.000Z', { to: 'county' }));
    h = must(h, draft('returnedForMaterials', actors.county, '2026-11-27T02:00:00.000Z', { missing: ['m1'], reason: '缺申请书' }));
    expect(isOverdue(stateOf(h), today('2026-12-20'), calendar)).toBe(false);
    h = must(h, draft('materialsSupplied', actors.clerk, '2026-12-07T02:00:00.000Z', { supplied: ['m1'] }));
    expect(caseDeadline(stateOf(h), calendar)?.dueOn).toBe('2026-12-10');
  });

  it('has no deadline for items without a published time limit, and none once decided', () => {
    expect(caseDeadline(stateOf(newCase('county', null)), calendar)).toBeUndefined();
    const decided = must(newCase('village', 1), draft('approved', actors.clerk, '2026-11-26T03:00:00.000Z', {}));
    expect(isOverdue(stateOf(decided), today('2027-06-01'), calendar)).toBe(false);
  });

  it('gives a stored case no due date when its item’s limit could not be met by a forwarded case', () => {
    const documentOf = (history: readonly StoredEvent[]) => {
      const doc = toCaseDocument(history);
      if (!doc.ok) throw new Error(doc.error.code);
      return doc.value;
    };
    // Accepted under a catalog published before such limits were refused: a county item due in 0 days.
    const impossible = documentOf(newCase('county', 0));
    expect(documentDeadline(impossible, calendar)).toBeUndefined();
    expect(documentDeadline(documentOf(newCase('county', 2)), calendar)?.dueOn).toBe('2026-11-30');
    expect(documentDeadline(documentOf(newCase('village', 0)), calendar)?.dueOn).toBe('2026-11-26');
  });
});
