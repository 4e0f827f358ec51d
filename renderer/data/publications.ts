/**
 * The village's publications on the kiosk (issue 19 §1): kept in the hall collection beside appointments and
 * appeals, synced with the village's hall database. The clerk prepares one — from the village's approved cases or
 * a county spreadsheet — and submits it to the town in one act, offline too; it goes up with the next sync, and
 * the town's approval or return comes down the same way. Nothing here can approve: only the town, on the hub.
 */
import { map, type Observable } from 'rxjs';
import {
  parsePublication,
  preparedProblems,
  preparedPublicationSchema,
  publicationDocIdOf,
  refusePublicationEvent,
  type PreparedPublication,
  type Publication,
  type PublicationEvent,
} from '../../core/disclosure/publication.js';
import { err, ok, type Result } from '../../core/result.js';
import type { KioskDatabase } from './kiosk-database.js';

export type PublicationError =
  | { readonly code: 'publication.invalid'; readonly message: string }
  | { readonly code: 'publication.problems'; readonly problems: ReturnType<typeof preparedProblems> }
  | { readonly code: 'publication.notFound' }
  | { readonly code: 'publication.refused'; readonly reason: string };

/** The clerk who prepares or withdraws it, as cases name their actor. */
export interface PublicationClerk {
  readonly id: string;
  readonly name: string;
}

export interface PublicationStore {
  /** Every publication of the village, newest first, with the town's decisions as synced. */
  publications$(): Observable<Publication[]>;
  /** Check, then submit to the town: refused with every problem, by row and column, when it may not be published. */
  submit(prepared: PreparedPublication, clerk: PublicationClerk): Promise<Result<Publication, PublicationError>>;
  /** Take it back (before or after approval): it leaves the board at the next sync, and is never shown again. */
  withdraw(id: string, clerk: PublicationClerk, reason?: string): Promise<Result<Publication, PublicationError>>;
}

export interface PublicationStoreOptions {
  readonly village: string;
  readonly now?: () => Date;
  readonly random?: (bytes: number) => Uint8Array;
}

const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
const withoutStorage = (doc: Record<string, unknown>) => Object.fromEntries(Object.entries(doc).filter(([key]) => key !== 'id' && !key.startsWith('_')));

export function publicationStore(db: KioskDatabase, options: PublicationStoreOptions): PublicationStore {
  const now = options.now ?? (() => new Date());
  const random = options.random ?? ((count: number) => crypto.getRandomValues(new Uint8Array(count)));
  const hall = db.hall;
  const by = (clerk: PublicationClerk) => ({ id: clerk.id, name: clerk.name, level: 'village' as const });

  return {
    publications$: () =>
      hall
        .find({ selector: { kind: 'cunban.publication' } })
        .$.pipe(
          map((docs) =>
            docs.flatMap((doc) => parsePublication(withoutStorage(doc.toMutableJSON())) ?? []).sort((a, b) => b.preparedAt.localeCompare(a.preparedAt)),
          ),
        ),
    async submit(input, clerk) {
      const prepared = preparedPublicationSchema.safeParse(input);
      if (!prepared.success) return err({ code: 'publication.invalid', message: prepared.error.issues[0]?.message ?? '' });
      const problems = preparedProblems(prepared.data);
      if (problems.length > 0) return err({ code: 'publication.problems', problems });
      const at = now().toISOString();
      const id = `pub-${hex(random(8))}`;
      const { note, ...fixed } = prepared.data;
      const publication: Publication = {
        kind: 'cunban.publication',
        schemaVersion: 1,
        village: options.village,
        publicationId: id,
        ...fixed,
        ...(note?.trim() ? { note: note.trim() } : {}),
        preparedAt: at,
        events: [{ id: `clerk-${hex(random(8))}`, type: 'submitted', at, by: by(clerk) }],
      };
      await hall.insert({ id: publicationDocIdOf(id), ...publication });
      return ok(publication);
    },
    async withdraw(id, clerk, reason) {
      const doc = await hall.findOne(publicationDocIdOf(id)).exec();
      if (!doc) return err({ code: 'publication.notFound' });
      let outcome: Result<Publication, PublicationError> = err({ code: 'publication.notFound' });
      await doc.incrementalModify((current) => {
        const publication = parsePublication(withoutStorage(current));
        if (!publication) return current;
        const event: PublicationEvent = {
          id: `clerk-${hex(random(8))}`,
          type: 'withdrawn',
          at: now().toISOString(),
          by: by(clerk),
          ...(reason?.trim() ? { reason: reason.trim().slice(0, 500) } : {}),
        };
        const refused = refusePublicationEvent(publication, event, now());
        if (refused) {
          outcome = err({ code: 'publication.refused', reason: refused });
          return current;
        }
        outcome = ok({ ...publication, events: [...publication.events, event] });
        return { ...current, events: [...publication.events, event] };
      });
      return outcome;
    },
  };
}
