import { describe, expect, it } from 'vitest';
import { intakeEvents, intakeOutcomes, unmarkedMaterials, type IntakeInput } from '../../core/case/intake.js';
import { demoCatalog } from '../../core/seed/demo-county.js';
import { actors, historyOf, person, stateOf } from './fixtures.js';

const catalog = demoCatalog();
const item = (code: string) => {
  const found = catalog.items.find((candidate) => candidate.code === code);
  if (!found) throw new Error(code);
  return found;
};

function registered(input: Partial<IntakeInput> & Pick<IntakeInput, 'item' | 'outcome'>) {
  let n = 0;
  const drafts = intakeEvents({
    caseNumber: '422822100202-20261126-03-042-0',
    village: '422822100202',
    catalogVersion: catalog.version,
    applicant: person('张三'),
    checklist: Object.fromEntries(input.item.materials.map((m) => [m.id, 'received'])),
    actor: actors.clerk,
    at: '2026-11-26T01:00:00.000Z',
    newEventId: () => `evt-intake-${String(++n).padStart(4, '0')}`,
    ...input,
  });
  const events = historyOf(drafts);
  return { types: events.map((event) => event.type), state: stateOf(events) };
}

describe('registering a case at the counter', () => {
  it('forwards a town or county item to the town once every material is in', () => {
    const { types, state } = registered({ item: item('MZ-01'), outcome: 'forward' });
    expect(types).toEqual(['created', 'materialsChecked', 'forwarded']);
    expect([state.status, state.currentLevel]).toEqual(['forwarded', 'town']);
    expect(state.item.catalogVersion).toBe(catalog.version);
  });

  it('tells the resident once what is missing and stops the clock, whatever outcome was asked', () => {
    const rs01 = item('RS-01');
    const checklist = { ...Object.fromEntries(rs01.materials.map((m) => [m.id, 'received' as const])), m2: 'missing' as const };
    const { types, state } = registered({ item: rs01, outcome: 'forward', checklist, note: '  下周补交  ' });
    expect(types).toEqual(['created', 'materialsChecked', 'note', 'materialsMissing']);
    expect(state.status).toBe('awaitingMaterials');
    expect(state.outstandingMaterials).toEqual(['m2']);
  });

  it('completes a village item on the spot, or keeps it at the village', () => {
    expect(registered({ item: item('WJ-05'), outcome: 'completeNow' }).state.status).toBe('completed');
    expect(registered({ item: item('SF-01'), outcome: 'keepAtVillage' }).state.status).toBe('accepted');
  });

  it('offers the outcomes the item allows, the default first', () => {
    expect(intakeOutcomes(item('WJ-05'), false)).toEqual(['completeNow', 'keepAtVillage']);
    expect(intakeOutcomes(item('MZ-01'), false)).toEqual(['forward']);
    expect(intakeOutcomes(item('MZ-01'), true)).toEqual(['keepAtVillage']);
  });

  it('names the materials not yet marked', () => {
    const mz01 = item('MZ-01');
    expect(unmarkedMaterials(mz01, { m1: 'received', m3: 'missing' }).map((m) => m.id)).toEqual(['m2', 'm4', 'm5', 'm6', 'm7', 'm8']);
  });
});
