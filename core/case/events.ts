/**
 * A case is an append-only set of events. Each event is immutable once written, carries a unique id
 * made by its writer (no coordination needed), and names the events its writer had already seen
 * (`parents`), so the order of the history is causal rather than trusting device clocks.
 */
import { z } from 'zod';
import { itemCodeSchema, materialIdSchema, sectorCodeSchema } from '../catalog/schema.js';
import { villageCodeSchema } from '../divisions/code.js';
import { LEVELS } from '../level.js';
import { localizedTextSchema } from '../localized.js';
import { caseNumberSchema } from './number.js';
import { blindIndexSchema, sealedValueSchema } from './sealed.js';

export const eventIdSchema = z.string().regex(/^[A-Za-z0-9_:.-]{8,80}$/, 'event id is 8–80 letters, digits, _ : . -');

/** An instant in UTC with milliseconds, as `Date.prototype.toISOString()` writes it. */
export const instantSchema = z.iso.datetime({ precision: 3 });

export const actorSchema = z.strictObject({
  /** Stable account id: a clerk of a kiosk, or a town/county reviewer. */
  id: z.string().min(1).max(80),
  name: z.string().trim().min(1).max(64),
  level: z.enum(LEVELS),
});
export type Actor = z.infer<typeof actorSchema>;

const personSchema = z.strictObject({
  name: z.string().trim().min(1).max(64),
  idNumber: sealedValueSchema,
  idNumberMasked: z.string().regex(/^[\dX*]{18}$/, 'masked ID number has 18 characters'),
  idNumberHash: blindIndexSchema,
  phone: sealedValueSchema.optional(),
  phoneMasked: z.string().max(32).optional(),
  address: z.string().max(200).optional(),
});

const itemSnapshotSchema = z.strictObject({
  code: itemCodeSchema,
  sector: sectorCodeSchema,
  name: localizedTextSchema,
  decidingLevel: z.enum(LEVELS),
  timeLimitWorkingDays: z.number().int().min(0).max(365).nullable(),
  catalogVersion: z.number().int().min(1),
  materials: z
    .array(z.strictObject({ id: materialIdSchema, name: localizedTextSchema, required: z.boolean() }))
    .min(1),
});

const materialIds = z.array(materialIdSchema).max(64);
/** A scan or photo kept with the case; its bytes travel on the files route, addressed by digest. */
const fileRefs = z
  .array(
    z.strictObject({
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
  created: z.strictObject({
    caseNumber: caseNumberSchema,
    village: villageCodeSchema,
    item: itemSnapshotSchema,
    applicant: personSchema,
    /** Someone applying on the applicant's behalf (代办). */
    proxy: personSchema.extend({ relation: z.string().trim().min(1).max(32) }).optional(),
  }),
  /** The checklist as the clerk recorded it. */
  materialsChecked: z
    .strictObject({ received: materialIds, missing: materialIds, notApplicable: materialIds, files: fileRefs })
    .refine((p) => p.received.length + p.missing.length + p.notApplicable.length > 0, 'name at least one material'),
  /** The clerk tells the resident, once and in full, what is still needed (一次性告知). */
  materialsMissing: z.strictObject({ missing: materialIdsNonEmpty, note: optionalNote }),
  /** Town or county sends the case back to the village for more materials. */
  returnedForMaterials: z.strictObject({ missing: materialIdsNonEmpty, reason }),
  /** The resident brought (some of) what was asked for. */
  materialsSupplied: z.strictObject({ supplied: materialIdsNonEmpty, files: fileRefs }),
  forwarded: z.strictObject({ to: z.enum(['town', 'county']), note: optionalNote }),
  approved: z.strictObject({ note: optionalNote }),
  rejected: z.strictObject({ reason }),
  /** The result (certificate, decision letter) is handed to the resident: the case is complete. */
  resultHandedOver: z.strictObject({ note: optionalNote }),
  /** The resident withdraws the application. */
  withdrawn: z.strictObject({ reason }),
  note: z.strictObject({ text: z.string().trim().min(1).max(2000) }),
} as const;

export type CaseEventType = keyof typeof eventPayloadSchemas;
export const CASE_EVENT_TYPES = Object.keys(eventPayloadSchemas) as CaseEventType[];
export type EventPayload<T extends CaseEventType> = z.infer<(typeof eventPayloadSchemas)[T]>;

const eventCommon = {
  id: eventIdSchema,
  at: instantSchema,
  actor: actorSchema,
};

function eventSchema<T extends CaseEventType>(type: T) {
  // Only `created` starts a history; every later event names at least one event it came after.
  const parents = type === 'created' ? z.array(eventIdSchema).max(0) : z.array(eventIdSchema).min(1).max(64);
  return z.strictObject({ ...eventCommon, parents, type: z.literal(type), payload: eventPayloadSchemas[type] });
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

/**
 * A kiosk's clerks act as `<kioskId>/<clerk>`: the hub accepts new events from a kiosk only under its
 * own prefix, so one kiosk can never write in another's name, nor as a town or county reviewer.
 */
export const kioskActorPrefix = (kioskId: string) => `${kioskId}/`;
