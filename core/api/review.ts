/**
 * The review API for town and county staff: sign-in, a case, decisions, audited reveals. Every body is
 * checked against these schemas at the hub, and the console uses the same types.
 */
import { z } from 'zod';
import { materialIdSchema } from '../catalog/schema.js';

export const signInRequestSchema = z.strictObject({
  name: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type SignInRequest = z.infer<typeof signInRequestSchema>;

export interface ReviewerView {
  /** The sign-in name. */
  readonly name: string;
  /** The person's name, shown on cases as who decided; absent for accounts made without one. */
  readonly displayName?: string;
  readonly role: 'county' | 'town';
  readonly town?: string;
}

/** What GET/POST /api/session answer: who is signed in, and the token to send back in `x-cunban-csrf`. */
export interface SessionView {
  readonly reviewer: ReviewerView;
  readonly csrf: string;
}

export const CSRF_HEADER = 'x-cunban-csrf';
/** Sent by the console on refreshes it makes by itself (`1`): they do not keep a reviewer's session alive. */
export const BACKGROUND_HEADER = 'x-cunban-background';
export const SESSION_COOKIE = 'cunban_session';

const note = z.string().trim().max(2000).optional();
const reason = z.string().trim().min(1, 'a reason is required').max(2000);

/** A decision or action on a case, as the console sends it; the hub turns it into a case event. */
export const reviewActionSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('approved'), note }),
  z.strictObject({ type: z.literal('rejected'), reason }),
  z.strictObject({ type: z.literal('returnedForMaterials'), missing: z.array(materialIdSchema).min(1).max(64), reason }),
  z.strictObject({ type: z.literal('forwarded'), to: z.literal('county'), note }),
  z.strictObject({ type: z.literal('note'), text: z.string().trim().min(1).max(2000) }),
]);
export type ReviewAction = z.infer<typeof reviewActionSchema>;

export const revealRequestSchema = z.strictObject({
  /** Why the full number is needed; kept in the audit log with who, when and which case. */
  reason: z.string().trim().min(4, 'say why the full number is needed').max(500),
});
