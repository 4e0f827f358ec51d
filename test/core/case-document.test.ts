import { describe, expect, it } from 'vitest';
import { appendEvent } from '../../core/case/append.js';
import { mergeCaseDocuments, parseCaseDocument, toCaseDocument, type CaseDocument } from '../../core/case/document.js';
import { isEventOf, type Actor, type StoredEvent } from '../../core/case/events.js';
import { findPlaintextIdNumbers, redactPlaintextIdNumbers } from '../../core/case/sealed.js';
import { describeDataError } from '../../core/i18n/describe.js';
import { actors, CASE_NUMBER, createdDraft, itemSnapshot } from './fixtures.js';

function history(): StoredEvent[] {
  const created = appendEvent([], createdDraft(itemSnapshot('county')));
  if (!created.ok) throw new Error('fixture');
  const forwarded = appendEvent(created.value, {
    id: 'evt-forward-0001',
    at: '2026-11-26T02:00:00.000Z',
    actor: actors.clerk,
    type: 'forwarded',
    payload: { to: 'county' },
  });
  if (!forwarded.ok) throw new Error('fixture');
  return forwarded.value;
}

function documentOf(events: readonly StoredEvent[]): CaseDocument {
  const doc = toCaseDocument(events);
  if (!doc.ok) throw new Error('fixture');
  return doc.value;
}

function refusal(input: unknown): string {
  const result = parseCaseDocument(input);
  if (result.ok) throw new Error('expected a refusal');
  return describeDataError(result.error, 'en').join('\n');
}

describe('a stored case document', () => {
  it('is accepted when it is exactly what its events say, with or without storage metadata', () => {
    const doc = documentOf(history());
    expect(doc.summary).toMatchObject({ status: 'forwarded', currentLevel: 'county', eventCount: 2, ignoredEventCount: 0 });
    expect(parseCaseDocument(doc)).toEqual({ ok: true, value: doc });
    expect(parseCaseDocument({ ...doc, _id: CASE_NUMBER, _rev: '2-abc', _deleted: false })).toEqual({ ok: true, value: doc });
  });

  it('is refused when its summary claims a status the events did not earn', () => {
    const doc = documentOf(history());
    const forged = { ...doc, summary: { ...doc.summary, status: 'approved' } };
    expect(refusal(forged)).toContain(`case ${CASE_NUMBER}: field summary.status is wrong (does not match the events (expected forwarded))`);
  });

  it('is refused when an event names a parent it does not contain', () => {
    const doc = documentOf(history());
    const [created, forwarded] = doc.events;
    if (!created || !forwarded) throw new Error('fixture');
    const orphan = { ...doc, events: [created, { ...forwarded, parents: ['evt-never-written'] }] };
    expect(refusal(orphan)).toContain('unknown parent event evt-never-written');
  });

  it('is refused when an event id appears twice', () => {
    const doc = documentOf(history());
    const [created, forwarded] = doc.events;
    if (!created || !forwarded) throw new Error('fixture');
    expect(refusal({ ...doc, events: [created, forwarded, { ...forwarded, at: '2026-11-26T03:00:00.000Z' }] })).toContain(
      'duplicate event id evt-forward-0001',
    );
  });

  it('is refused when it is filed under another village', () => {
    const doc = documentOf(history());
    expect(refusal({ ...doc, village: '422822100212' })).toContain('case number belongs to village 422822100202');
  });

  it('is refused, naming the field, when its schema version or shape is wrong', () => {
    const doc = documentOf(history());
    expect(refusal({ ...doc, schemaVersion: 2 })).toContain('schemaVersion is wrong');
    expect(refusal({ ...doc, events: [] })).toContain('events is wrong');
    expect(refusal('not a document')).toContain('/ is wrong');
  });
});

describe('the privacy guard', () => {
  const withNote = (text: string) => {
    const events = history();
    const noted = appendEvent(events, {
      id: 'evt-note-0001',
      at: '2026-11-26T03:00:00.000Z',
      actor: actors.clerk,
      type: 'note',
      payload: { text },
    });
    if (!noted.ok) throw new Error('fixture');
    return documentOf(noted.value);
  };

  it.each([
    ['in a note', '申请人身份证 422822198001010015 已核验'],
    ['grouped with spaces', '身份证号 422822 19800101 0015'],
    ['with a lower-case x', '42282219671130019x'],
    ['even with a wrong check character', '422822198001010016'],
  ])('refuses a plaintext ID number %s', (_where, text) => {
    expect(refusal(withNote(text))).toContain('events[2].payload.text is wrong (contains a resident ID number in plain text');
  });

  it('refuses a plaintext ID number typed into the applicant’s name', () => {
    const doc = documentOf(history());
    const [created, ...rest] = doc.events;
    if (!created || !isEventOf(created, 'created')) throw new Error('fixture');
    const leaked = {
      ...created,
      payload: { ...created.payload, applicant: { ...created.payload.applicant, name: '422822198001010015' } },
    };
    expect(refusal({ ...doc, events: [leaked, ...rest] })).toContain('events[0].payload.applicant.name');
  });

  it('lets masked numbers, case numbers, phone numbers and hashes through', () => {
    const doc = withNote('回执 422822********0015，受理编号 422822100202-20261126-03-042-0，电话 13912345678');
    expect(parseCaseDocument(doc).ok).toBe(true);
    expect(findPlaintextIdNumbers({ hash: '4228221980010100150123456789abcdef4228221980010100150123456789ab' })).toEqual([]);
  });

  it('finds an ID number in full-width digits and in a field’s name, and masks both', () => {
    expect(findPlaintextIdNumbers({ note: '号码４２２８２２１９８００１０１００１５' })).toEqual(['note']);
    expect(findPlaintextIdNumbers({ index: { '42282219671130019X': true } })).toEqual(['index.422822********019X']);
    expect(JSON.stringify(redactPlaintextIdNumbers({ note: '号码４２２８２２１９８００１０１００１５', index: { '42282219671130019X': true } }))).not.toMatch(
      /19800101|19671130/,
    );
  });
});

describe('merging two copies of a case document', () => {
  it('is the union of their events, with the summary derived again', () => {
    const base = history();
    const branch = (id: string, text: string, actor: Actor = actors.clerk) => {
      const next = appendEvent(base, { id, at: '2026-11-27T01:00:00.000Z', actor, type: 'note', payload: { text } });
      if (!next.ok) throw new Error('fixture');
      return documentOf(next.value);
    };
    const atKiosk = branch('evt-note-kiosk', '申请人来电询问');
    const atHub = branch('evt-note-county', '已联系民政局', actors.county);
    const merged = mergeCaseDocuments(atKiosk, atHub);
    expect(merged).toEqual(mergeCaseDocuments(atHub, atKiosk));
    if (!merged.ok) throw new Error('merge');
    expect(merged.value.events.map((e) => e.id).sort()).toEqual(['evt-created-0001', 'evt-forward-0001', 'evt-note-county', 'evt-note-kiosk'].sort());
    expect(merged.value.summary.eventCount).toBe(4);
    expect(parseCaseDocument(merged.value).ok).toBe(true);
  });

  it('refuses to merge two different cases', () => {
    const doc = documentOf(history());
    expect(mergeCaseDocuments(doc, { ...doc, caseNumber: '422822100202-20261126-03-043-9' })).toEqual({
      ok: false,
      error: { code: 'case.merge.differentCases' },
    });
  });

  it('reports two registrations under one number as a conflict, not as an ignored event, whichever comes first', () => {
    const mine = documentOf(history());
    const other = appendEvent([], { ...createdDraft(itemSnapshot('county'), '2026-11-26T01:30:00.000Z'), id: 'evt-created-0002' });
    if (!other.ok) throw new Error('fixture');
    const theirs = documentOf(other.value);
    const expected = { ok: false, error: { code: 'case.merge.twoCreations', created: ['evt-created-0001', 'evt-created-0002'] } };
    expect(mergeCaseDocuments(mine, theirs)).toEqual(expected);
    expect(mergeCaseDocuments(theirs, mine)).toEqual(expected);
  });
});
