/**
 * The kiosk's conflict handler with documents a newer version wrote (docs/COMPATIBILITY.md): a case's
 * newer fields survive the merge, and a document this version cannot read is compared by its content
 * and never merged — the hub's copy stands.
 */
import { describe, expect, it } from 'vitest';
import type { RxConflictHandlerInput } from 'rxdb';
import { appendEvent } from '../../../core/case/append.js';
import { toCaseDocument } from '../../../core/case/document.js';
import { caseConflictHandler, toStoredCase, type StoredCase } from '../../../renderer/data/case-collection.js';
import { actors, createdDraft, itemSnapshot } from '../../core/fixtures.js';

type Stored = StoredCase & { _deleted: boolean };

function storedCase(extra: Record<string, unknown> = {}, note?: string): Stored {
  const created = appendEvent([], createdDraft(itemSnapshot('town')));
  if (!created.ok) throw new Error('fixture');
  const events = note
    ? appendEvent(created.value, { id: `evt-${note}`, at: '2026-11-27T01:00:00.000Z', actor: actors.clerk, type: 'note', payload: { text: note } })
    : created;
  if (!events.ok) throw new Error('fixture');
  const doc = toCaseDocument(events.value);
  if (!doc.ok) throw new Error('fixture');
  return { ...toStoredCase(doc.value), _deleted: false, ...extra };
}

const input = (mine: Stored, theirs: Stored) => ({ newDocumentState: mine, realMasterState: theirs }) as unknown as RxConflictHandlerInput<StoredCase>;

describe('the kiosk’s conflict handler', () => {
  it('merges two copies of a case, keeping the fields a newer version added to either', async () => {
    const mine = storedCase({ residentLookup: 'K7QX' }, 'mine');
    const theirs = storedCase({}, 'theirs');
    expect(caseConflictHandler.isEqual(mine, theirs, 'test')).toBe(false);
    const merged = (await caseConflictHandler.resolve(input(mine, theirs), 'test')) as StoredCase & Record<string, unknown>;
    expect(merged.events.map((e) => e.id).sort()).toEqual(['evt-created-0001', 'evt-mine', 'evt-theirs']);
    expect(merged.residentLookup).toBe('K7QX');
  });

  it('keeps its own registration when the hub holds another under the same number: two residents, never one case', async () => {
    const mine = storedCase({}, 'mine');
    const created = appendEvent([], { ...createdDraft(itemSnapshot('town'), '2026-11-26T03:00:00.000Z'), id: 'evt-created-other' });
    if (!created.ok) throw new Error('fixture');
    const doc = toCaseDocument(created.value);
    if (!doc.ok) throw new Error('fixture');
    const theirs = { ...toStoredCase(doc.value), _deleted: false } as Stored;
    expect(await caseConflictHandler.resolve(input(mine, theirs), 'test')).toBe(mine);
  });

  it('compares documents it cannot read by their content, and leaves the hub’s copy standing', async () => {
    const appointment = (slot: string) => ({ id: 'appt-1', kind: 'cunban.appointment', schemaVersion: 1, slot, _deleted: false }) as unknown as Stored;
    expect(caseConflictHandler.isEqual(appointment('09:00'), appointment('09:00'), 'test')).toBe(true);
    expect(caseConflictHandler.isEqual(appointment('09:00'), appointment('10:00'), 'test')).toBe(false);
    const newerMajor = { ...storedCase(), schemaVersion: 2 } as unknown as Stored;
    expect(await caseConflictHandler.resolve(input(storedCase({}, 'mine'), newerMajor), 'test')).toBe(newerMajor);
  });
});
