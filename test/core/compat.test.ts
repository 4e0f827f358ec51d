/**
 * The compatibility rule (core/compat.ts) as core applies it: what a newer minor version writes is
 * read, kept and passed on; a newer major version or an unknown kind is recognised and left alone.
 */
import { describe, expect, it } from 'vitest';
import { appendEvent } from '../../core/case/append.js';
import { mergeCaseDocuments, parseCaseDocument, rebuildCaseDocument, toCaseDocument, type CaseDocument } from '../../core/case/document.js';
import type { StoredEvent } from '../../core/case/events.js';
import { foldCase } from '../../core/case/fold.js';
import { parseCatalog } from '../../core/catalog/catalog.js';
import { documentVersion, LEGACY_EVENT_TYPES, readability } from '../../core/compat.js';
import { CASE_EVENT_TYPES } from '../../core/case/events.js';
import { updateRequired } from '../../core/fleet-policy.js';
import { describeDataError } from '../../core/i18n/describe.js';
import { parseNotice } from '../../core/notice.js';
import { demoCatalog } from '../../core/seed/demo-county.js';
import { actors, createdDraft, itemSnapshot } from './fixtures.js';

function must<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}

const created = () => must(appendEvent([], createdDraft(itemSnapshot('town'))));

/** What a later minor version might write into a case: a field of its own, and an informational event. */
function withNewerAdditions(events: readonly StoredEvent[]): CaseDocument {
  const head = events.at(-1)?.id ?? '';
  const foreign = {
    id: 'evt-appointment-0001',
    at: '2026-11-27T03:00:00.000Z',
    actor: actors.clerk,
    parents: [head],
    type: 'appointmentLinked',
    payload: { appointmentCode: 'A7K2', slot: '2026-11-28T09:00' },
  } as unknown as StoredEvent;
  const doc = must(toCaseDocument([...events, foreign]));
  return { ...doc, residentChannel: { lookup: 'enabled' }, summary: { ...doc.summary, appointmentCount: 1 } } as CaseDocument;
}

describe('document versions', () => {
  it('tells a readable document from a newer major version and an unknown kind', () => {
    expect(readability({ kind: 'cunban.case', schemaVersion: 1 })).toMatchObject({ readable: true });
    expect(readability({ kind: 'cunban.case', schemaVersion: 2 })).toEqual({
      readable: false,
      reason: 'newerVersion',
      kind: 'cunban.case',
      major: 2,
      reads: 1,
    });
    expect(readability({ kind: 'cunban.survey', schemaVersion: 1 })).toMatchObject({ readable: false, reason: 'unknownKind', kind: 'cunban.survey' });
    expect(readability(null)).toMatchObject({ readable: false, reason: 'unknownKind' });
    // A notice published before versions were carried is version 1.
    expect(documentVersion({ kind: 'cunban.notice' })).toEqual({ kind: 'cunban.notice', major: 1 });
  });

  it('0.1.0’s event types stay the event types this version applies', () => {
    expect([...LEGACY_EVENT_TYPES].every((type) => (CASE_EVENT_TYPES as string[]).includes(type))).toBe(true);
  });
});

describe('a case with what a newer minor version added', () => {
  it('is accepted as it is: its fields, its summary key and its event stay in the value', () => {
    const doc = withNewerAdditions(created());
    const parsed = must(parseCaseDocument(doc));
    expect(parsed).toEqual(doc);
    expect((parsed as unknown as Record<string, unknown>).residentChannel).toEqual({ lookup: 'enabled' });
    expect(parsed.events.map((event) => event.type)).toEqual(['created', 'appointmentLinked']);
  });

  it('replays the foreign event in its place without applying it', () => {
    const doc = withNewerAdditions(created());
    const view = must(foldCase(doc.events));
    expect(view.timeline.map((entry) => [entry.event.type, entry.foreign ?? false])).toEqual([
      ['created', false],
      ['appointmentLinked', true],
    ]);
    // It changes nothing derived but the event count: an older and a newer version agree on the summary.
    expect(doc.summary).toMatchObject({ status: 'accepted', updatedAt: created()[0]?.at, eventCount: 2, ignoredEventCount: 0 });
    // The next event names it as a parent, so it replays after it everywhere.
    const next = must(
      appendEvent(doc.events, { id: 'evt-note-0001', at: '2026-11-27T04:00:00.000Z', actor: actors.clerk, type: 'note', payload: { text: '已预约' } }),
    );
    expect(next.at(-1)?.parents).toEqual(['evt-appointment-0001']);
  });

  it('keeps the newer fields through a rebuild and a merge, the same whichever copy comes first', () => {
    const doc = withNewerAdditions(created());
    const appended = must(
      appendEvent(doc.events, { id: 'evt-note-0001', at: '2026-11-27T04:00:00.000Z', actor: actors.clerk, type: 'note', payload: { text: '已预约' } }),
    );
    const rebuilt = must(rebuildCaseDocument(doc, appended));
    expect(rebuilt).toMatchObject({ residentChannel: { lookup: 'enabled' } });
    expect(must(parseCaseDocument(rebuilt)).events).toHaveLength(3);

    const plain = must(toCaseDocument(created()));
    const other = { ...plain, laterField: 'b' } as CaseDocument;
    const ab = must(mergeCaseDocuments(rebuilt, other));
    const ba = must(mergeCaseDocuments(other, rebuilt));
    expect(ab).toEqual(ba);
    expect(ab).toMatchObject({ residentChannel: { lookup: 'enabled' }, laterField: 'b' });
    // Two values for one newer field: the same choice on every replica.
    const x = { ...plain, residentChannel: 'x' } as CaseDocument;
    const y = { ...plain, residentChannel: 'y' } as CaseDocument;
    expect(must(mergeCaseDocuments(x, y))).toEqual(must(mergeCaseDocuments(y, x)));
  });

  it('is still refused for a plaintext ID number, in a field only a newer version knows too', () => {
    const doc = { ...withNewerAdditions(created()), residentChannel: { note: '身份证 422822198001010015' } };
    const refused = parseCaseDocument(doc);
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(describeDataError(refused.error, 'en').join('\n')).toContain('residentChannel.note');
  });

  it('refuses a foreign event without the fields every event has, and a known type with a bad payload', () => {
    const doc = withNewerAdditions(created());
    const [first, foreign] = doc.events;
    const noActor = { ...doc, events: [first, { ...foreign, actor: undefined }] };
    expect(parseCaseDocument(noActor).ok).toBe(false);
    // A known type is checked by its own schema: it cannot pass as "foreign".
    const badNote = { ...doc, events: [first, { ...foreign, type: 'note', payload: { words: 'x' } }] };
    expect(parseCaseDocument(badNote).ok).toBe(false);
  });
});

describe('a case of a newer major version', () => {
  it('is refused with what it is, not as a malformed case', () => {
    const doc = { ...must(toCaseDocument(created())), schemaVersion: 2 };
    const refused = parseCaseDocument(doc);
    expect(refused.ok).toBe(false);
    if (!refused.ok)
      expect(describeDataError(refused.error, 'en').join('\n')).toContain(
        'written by a newer version of Cunban (case documents of version 2; this version reads up to 1)',
      );
  });
});

describe('county documents', () => {
  it('read a synced catalog with a newer field, and refuse the same field in a county’s own file', () => {
    const catalog = { ...structuredClone(demoCatalog()), publisher: '建始县政务服务中心' } as unknown as Record<string, unknown>;
    const items = catalog.items as Record<string, unknown>[];
    (items[0] as Record<string, unknown>).onlineForm = 'https://example.gov.cn/form';
    expect(parseCatalog(catalog).ok).toBe(true);
    const authored = parseCatalog(catalog, 'authored');
    expect(authored.ok).toBe(false);
    if (!authored.ok) expect(authored.error.problems.map((p) => p.detail).sort()).toEqual(['Unrecognized key: "onlineForm"', 'Unrecognized key: "publisher"']);
  });

  it('read a notice with a newer field, and refuse a full ID number in it', () => {
    const notice = {
      kind: 'cunban.notice',
      schemaVersion: 1,
      title: { zh: '通知', en: 'Notice' },
      body: { zh: '正文', en: 'Body' },
      publishedOn: '2026-11-26',
    };
    expect(parseNotice({ ...notice, audience: 'elderly' }).ok).toBe(true);
    expect(parseNotice({ ...notice, audience: '422822198001010015' }).ok).toBe(false);
  });
});

describe('the minimum kiosk version', () => {
  it('asks for an update below it, and only below it', () => {
    expect(updateRequired('0.1.0', '0.2.0')).toEqual({ current: '0.1.0', minimum: '0.2.0' });
    expect(updateRequired('0.2.0', '0.2.0')).toBeUndefined();
    expect(updateRequired('0.3.1', '0.2.0')).toBeUndefined();
    expect(updateRequired('0.2.0', undefined)).toBeUndefined();
    // A developer build counts as below its release; a version that does not read as one, as below any minimum.
    expect(updateRequired('0.2.0-dev', '0.2.0')).toBeDefined();
    expect(updateRequired('unknown', '0.1.0')).toBeDefined();
  });
});
