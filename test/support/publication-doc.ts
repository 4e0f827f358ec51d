/**
 * A publication of village affairs as the hub and the kiosk hold it (core/disclosure/publication.ts): what the
 * suites of the hub, the counter, the console, the residents' page and the display write as their fixtures.
 * Submitted by a village clerk at `preparedMs`; approved by the town at `approvedMs` if given; `overrides` last.
 */
import { publicationDocIdOf, type Publication, type PublicationEvent } from '../../core/disclosure/publication.js';

export const VILLAGE_CLERK: PublicationEvent['by'] = { id: 'kiosk-1/clerk-1', name: '王芳', level: 'village' };
export const TOWN_REVIEWER: PublicationEvent['by'] = { id: 'yezhou', name: '李强', level: 'town' };

export interface PublicationDocOptions extends Partial<Publication> {
  readonly village: string;
  /** When it was prepared and submitted, in ms since the epoch. */
  readonly preparedMs: number;
  /** When the town approved it, if it did. */
  readonly approvedMs?: number;
  readonly clerk?: PublicationEvent['by'];
}

export function publicationDoc(id: string, options: PublicationDocOptions): Publication & { _id: string } {
  const { village, preparedMs, approvedMs, clerk = VILLAGE_CLERK, ...overrides } = options;
  const preparedAt = new Date(preparedMs).toISOString();
  const events: PublicationEvent[] = [{ id: `submit-${id}`, type: 'submitted', at: preparedAt, by: clerk }];
  if (approvedMs !== undefined) events.push({ id: `approve-${id}`, type: 'approved', at: new Date(approvedMs).toISOString(), by: TOWN_REVIEWER });
  return {
    _id: publicationDocIdOf(id),
    kind: 'cunban.publication',
    schemaVersion: 1,
    village,
    publicationId: id,
    category: 'allowanceRecipients',
    title: '2026年11月低保对象公示',
    source: { from: 'typed' },
    columns: [
      { label: '姓名', role: 'name' },
      { label: '家庭人口', role: 'count' },
      { label: '金额（元）', role: 'amount' },
    ],
    rows: [
      ['张*', '3', '620'],
      ['李*', '2', '480'],
    ],
    displayDays: 7,
    preparedAt,
    events,
    ...overrides,
  };
}
