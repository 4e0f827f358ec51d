/** A kiosk's own cases counted for its hall display as the hub counts them from the review queue. */
import { describe, expect, it } from 'vitest';
import { appendEvent, type EventDraft } from '../../core/case/append.js';
import { toCaseDocument, type CaseDocument } from '../../core/case/document.js';
import type { StoredEvent } from '../../core/case/events.js';
import { queueEntryOf } from '../../core/case/queue-entry.js';
import { figureCaseOf, serviceFigures } from '../../core/disclosure/service-figures.js';
import { indexDivisions } from '../../core/divisions/table.js';
import { demoCalendar, demoDivisions } from '../../core/seed/demo-county.js';
import { actors, createdDraft, itemSnapshot, VILLAGE } from './fixtures.js';

function documentOf(drafts: readonly EventDraft[]): CaseDocument {
  let events: StoredEvent[] = [];
  for (const draft of drafts) {
    const next = appendEvent(events, draft);
    if (!next.ok) throw new Error(JSON.stringify(next.error));
    events = next.value;
  }
  const doc = toCaseDocument(events);
  if (!doc.ok) throw new Error(doc.error.code);
  return doc.value;
}

const calendar = demoCalendar();
const divisions = indexDivisions(demoDivisions());

describe('a case as the service figures take it', () => {
  it('is what the review queue derives: accepted, decided on the China date, due by the time limit', () => {
    // Approved at 01:00 on the 28th in China: still the 27th in UTC.
    const decided = documentOf([
      createdDraft(itemSnapshot('village', 1)),
      { id: 'evt-approved-0001', at: '2026-11-27T17:00:00.000Z', actor: actors.clerk, type: 'approved', payload: {} },
    ]);
    const open = documentOf([createdDraft(itemSnapshot('village', null))]);
    for (const doc of [decided, open]) {
      const entry = queueEntryOf(doc, divisions, calendar);
      const figure = figureCaseOf(doc, calendar);
      expect(figure).toEqual({
        village: entry.village,
        acceptedOn: entry.acceptedOn,
        ...(entry.dueOn ? { dueOn: entry.dueOn } : {}),
        ...(entry.decidedOn ? { decidedOn: entry.decidedOn } : {}),
      });
    }
    expect(figureCaseOf(decided, calendar)).toEqual({ village: VILLAGE, acceptedOn: '2026-11-26', decidedOn: '2026-11-28', dueOn: '2026-11-27' });
    expect(figureCaseOf(open, calendar)).toEqual({ village: VILLAGE, acceptedOn: '2026-11-26' });
    // Before the county's calendar has come down, no due date: decided, but not counted as within or past a limit.
    expect(figureCaseOf(decided)).toEqual({ village: VILLAGE, acceptedOn: '2026-11-26', decidedOn: '2026-11-28' });
    expect(serviceFigures([decided, open].map((doc) => figureCaseOf(doc, calendar)))).toEqual([
      {
        village: VILLAGE,
        month: '2026-11',
        accepted: 2,
        decided: 1,
        decidedWithTimeLimit: 1,
        decidedWithinTimeLimit: 0,
        medianDaysToDecision: 2,
      },
    ]);
  });
});
