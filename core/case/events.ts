/**
 * A case is an append-only set of events. Each event is immutable once written, carries a unique id
 * made by its writer (no coordination needed), and names the events its writer had already seen
 * (`parents`), so the order of the history is causal rather than trusting device clocks.
 *
 * Schemas here read what a newer minor version writes (core/compat.ts): fields they do not know are
 * accepted and left in the stored event, and an event of a type they do not know is a `ForeignEvent` —
 * kept, ordered, passed on, never applied. So a type added within this major version must change
 * nothing derived (status, level, dates, the summary): anything that does is a new major version.
 */
import { z } from 'zod';
import { itemCodeSchema, materialIdSchema, sectorCodeSchema } from '../catalog/schema.js';
import { villageCodeSchema } from '../divisions/code.js';
import { LEVELS } from '../level.js';
import { localizedTextSchema } from '../localized.js';
import { lookupCodeSchema } from './lookup-code.js';
import { caseNumberSchema } from './number.js';
import { blindIndexSchema, sealedValueSchema } from './sealed.js';

export const eventIdSchema = z.string().regex(/^[A-Za-z0-9_:.-]{8,80}$/, 'event id is 8–80 letters, digits, _ : . -');

/** An instant in UTC with milliseconds, as `Date.prototype.toISOString()` writes it. */
export const instantSchema = z.iso.datetime({ precision: 3 });

export const actorSchema = z.object({
  /** Stable account id: a clerk of a kiosk, or a town/county reviewer. */
  id: z.string().min(1).max(80),
  name: z.string().trim().min(1).max(64),
  level: z.enum(LEVELS),
});
export type Actor = z.infer<typeof actorSchema>;

const personSchema = z.object({
  name: z.string().trim().min(1).max(64),
  idNumber: sealedValueSchema,
  idNumberMasked: z.string().regex(/^[\dX*]{18}$/, 'masked ID number has 18 characters'),
  idNumberHash: blindIndexSchema,
  phone: sealedValueSchema.optional(),
  phoneMasked: z.string().max(32).optional(),
  address: z.string().max(200).optional(),
});

const itemSnapshotSchema = z.object({
  code: itemCodeSchema,
  sector: sectorCodeSchema,
  name: localizedTextSchema,
  decidingLevel: z.enum(LEVELS),
  timeLimitWorkingDays: z.number().int().min(0).max(365).nullable(),
  catalogVersion: z.number().int().min(1),
  materials: z.array(z.object({ id: materialIdSchema, name: localizedTextSchema, required: z.boolean() })).min(1),
});

const materialIds = z.array(materialIdSchema).max(64);
/** A scan or photo kept with the case; its bytes travel on the files route, addressed by digest. */
const fileRefs = z
  .array(
    z.object({
      materialId: materialIdSchema,
      sha256: z.string().regex(/^[0-9a-f]{64}$/),
      size: z.number().int().min(1),
      contentType: z.enum(['image/jpeg', 'image/png', 'application/pdf']),
    }),
  )
  .max(32)
  .optional();
const materialIdsNonEmpty = materialIds.min(1, 'name at least one material');
const optionalNote = z.string().trim().max(2000).optional();
const reason = z.string().trim().min(1, 'a reason is required').max(2000);

export const eventPayloadSchemas = {
  /** The clerk accepts the application (受理). Carries snapshots so the case reads the same after catalog edits. */
  created: z.object({
    caseNumber: caseNumberSchema,
    village: villageCodeSchema,
    item: itemSnapshotSchema,
    applicant: personSchema,
    /** Someone applying on the applicant's behalf (代办). */
    proxy: personSchema.extend({ relation: z.string().trim().min(1).max(32) }).optional(),
    /** The receipt's lookup code for the public page (lookup-code.ts); absent on cases registered before kiosks made them. */
    lookupCode: lookupCodeSchema.optional(),
  }),
  /** The checklist as the clerk recorded it. */
  materialsChecked: z
    .object({ received: materialIds, missing: materialIds, notApplicable: materialIds, files: fileRefs })
    .refine((p) => p.received.length + p.missing.length + p.notApplicable.length > 0, 'name at least one material'),
  /** The clerk tells the resident, once and in full, what is still needed (一次性告知). */
  materialsMissing: z.object({ missing: materialIdsNonEmpty, note: optionalNote }),
  /** Town or county sends the case back to the village for more materials. */
  returnedForMaterials: z.object({ missing: materialIdsNonEmpty, reason }),
  /** The resident brought (some of) what was asked for. */
  materialsSupplied: z.object({ supplied: materialIdsNonEmpty, files: fileRefs }),
  forwarded: z.object({ to: z.enum(['town', 'county']), note: optionalNote }),
  approved: z.object({ note: optionalNote }),
  rejected: z.object({ reason }),
  /** The result (certificate, decision letter) is handed to the resident: the case is complete. */
  resultHandedOver: z.object({ note: optionalNote }),
  /** The resident withdraws the application. */
  withdrawn: z.object({ reason }),
  note: z.object({ text: z.string().trim().min(1).max(2000) }),
} as const;

export type CaseEventType = keyof typeof eventPayloadSchemas;
export const CASE_EVENT_TYPES = Object.keys(eventPayloadSchemas) as CaseEventType[];
export const isCaseEventType = (type: unknown): type is CaseEventType => typeof type === 'string' && Object.hasOwn(eventPayloadSchemas, type);
export type EventPayload<T extends CaseEventType> = z.infer<(typeof eventPayloadSchemas)[T]>;

const eventCommon = {
  id: eventIdSchema,
  at: instantSchema,
  actor: actorSchema,
};

function eventSchema<T extends CaseEventType>(type: T) {
  // Only `created` starts a history; every later event names at least one event it came after.
  const parents = type === 'created' ? z.array(eventIdSchema).max(0) : z.array(eventIdSchema).min(1).max(64);
  return z.object({ ...eventCommon, parents, type: z.literal(type), payload: eventPayloadSchemas[type] });
}

export const caseEventSchema = z.discriminatedUnion('type', [
  eventSchema('created'),
  eventSchema('materialsChecked'),
  eventSchema('materialsMissing'),
  eventSchema('returnedForMaterials'),
  eventSchema('materialsSupplied'),
  eventSchema('forwarded'),
  eventSchema('approved'),
  eventSchema('rejected'),
  eventSchema('resultHandedOver'),
  eventSchema('withdrawn'),
  eventSchema('note'),
]);

export type CaseEvent = z.infer<typeof caseEventSchema>;
export type CaseEventOf<T extends CaseEventType> = Extract<CaseEvent, { type: T }>;
export type CreatedPayload = EventPayload<'created'>;
export type ItemSnapshot = CreatedPayload['item'];
export type Person = CreatedPayload['applicant'];

/** An event of a type this version does not know, written by a newer one: kept and passed on, never applied. */
export const foreignEventSchema = z.object({
  ...eventCommon,
  parents: z.array(eventIdSchema).max(64),
  type: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]{0,39}$/, 'event type is 1–40 letters and digits')
    .refine((type) => !isCaseEventType(type), 'a known event type must match its own schema'),
  payload: z.record(z.string(), z.unknown()),
});
export type ForeignEvent = z.infer<typeof foreignEventSchema>;

/** An event as stored in a case: one this version applies, or a newer version's it keeps. */
export type StoredEvent = CaseEvent | ForeignEvent;

export const isCaseEvent = (event: StoredEvent): event is CaseEvent => isCaseEventType(event.type);

/** Narrows a stored event to one of this version's types (a foreign event never carries a known type). */
export const isEventOf = <T extends CaseEventType>(event: StoredEvent, ...types: readonly T[]): event is CaseEventOf<T> =>
  (types as readonly string[]).includes(event.type);

/**
 * One stored event, checked by its own type's schema when this version knows the type and as a
 * foreign event otherwise. The value is the input itself, unstripped: what a newer version added to
 * the event travels on with it.
 */
export const storedEventSchema = z.unknown().superRefine((value, ctx) => {
  const type = typeof value === 'object' && value !== null ? (value as { type?: unknown }).type : undefined;
  const parsed = (isCaseEventType(type) ? caseEventSchema : foreignEventSchema).safeParse(value);
  if (parsed.success) return;
  for (const issue of parsed.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
}) as unknown as z.ZodType<StoredEvent>;

/**
 * A kiosk's clerks act as `<kioskId>/<clerk>`: the hub accepts new events from a kiosk only under its
 * own prefix, so one kiosk can never write in another's name, nor as a town or county reviewer.
 */
export const kioskActorPrefix = (kioskId: string) => `${kioskId}/`;
