/**
 * Booking a visit on the residents' page (issue 18 §3): what the page sends and what the hub answers.
 * A resident gives a name and a mobile number — never an ID number — and keeps the appointment code to
 * cancel with (code and phone). Answers carry the resident's own booking and the hall's free places, and
 * nothing personal of anyone else.
 */
import { z } from 'zod';
import { itemCodeSchema } from '../catalog/schema.js';
import { lookupCodeSchema } from '../case/lookup-code.js';
import { villageCodeSchema } from '../divisions/code.js';
import { localDateSchema } from '../local-date-schema.js';
import type { LocalizedText } from '../localized.js';

/** A mainland mobile number as typed: full-width digits, spaces, dashes and a +86 folded away; undefined if not one. */
export function parseMobileNumber(typed: string): string | undefined {
  const digits = typed
    .normalize('NFKC')
    .replace(/[\s-]/g, '')
    .replace(/^(\+?86)(?=1\d{10}$)/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}

/** The shape of a booking; what a resident types (name, phone) is judged by the hub, each with its own answer. */
export const bookingRequestSchema = z.object({
  village: villageCodeSchema,
  itemCode: itemCodeSchema,
  date: localDateSchema,
  start: z.string().regex(/^\d\d:\d\d$/),
  name: z.string().max(256),
  phone: z.string().max(64),
});

/** The most characters of a name as booked. */
export const MAX_BOOKED_NAME = 64;

/**
 * A name as booked, NFKC-folded and trimmed; undefined when it is not a name: empty, longer than
 * MAX_BOOKED_NAME characters, without a letter, or holding a digit of any script (an ID or phone number typed
 * into it — Arabic-Indic digits fold to none of ASCII's), a run of Chinese numerals (一九八〇… spells a number;
 * one or two are ordinary in names), or an invisible or direction-changing character (zero-width, RTL
 * override, control characters, a lone surrogate), which would make a masked name say something else.
 */
export function parseBookedName(typed: string): string | undefined {
  const name = typed.normalize('NFKC').trim();
  const characters = Array.from(name);
  if (characters.length === 0 || characters.length > MAX_BOOKED_NAME || !/\p{L}/u.test(name)) return undefined;
  if (/[\p{Nd}\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}]/u.test(name) || /[〇零一二三四五六七八九十百千万]{4,}/u.test(name)) return undefined;
  return name;
}
export type BookingRequest = z.input<typeof bookingRequestSchema>;

export const cancelRequestSchema = z.object({
  code: z.string().max(64),
  phone: z.string().max(64),
});
export type CancelRequest = z.infer<typeof cancelRequestSchema>;

/** An appointment code as typed: full-width folded, spaces and dashes dropped, upper-cased; undefined if not one. */
export function parseAppointmentCode(typed: string): string | undefined {
  const compact = typed.normalize('NFKC').replace(/[\s-]/g, '').toUpperCase();
  return lookupCodeSchema.safeParse(compact).success ? compact : undefined;
}

/** One slot of a day as the page shows it: the places left online. */
export interface OpenSlot {
  readonly start: string;
  readonly end: string;
  readonly free: number;
}

/** `GET /api/resident/halls/<village>`: what a resident needs to book a visit there. */
export interface HallView {
  readonly village: { readonly code12: string; readonly name: string; readonly town: string };
  /** False when the hall has not set its hours yet: no booking online. */
  readonly booking: boolean;
  readonly items: readonly { readonly code: string; readonly name: LocalizedText; readonly sector: string }[];
  /** The catalog's sectors, to group the items by. */
  readonly sectors: readonly { readonly code: string; readonly name: LocalizedText }[];
  /** Working days from tomorrow on, with their slots. */
  readonly days: readonly { readonly date: string; readonly slots: readonly OpenSlot[] }[];
}

/** `GET /api/resident/halls`: the county's towns and villages, to pick a hall from. */
export interface HallDirectory {
  readonly county: string;
  readonly towns: readonly { readonly name: string; readonly villages: readonly { readonly code12: string; readonly name: string }[] }[];
}

/** A resident's own booking, as the page shows it after booking or cancelling: name masked, no phone. */
export interface BookingView {
  readonly code: string;
  readonly village: string;
  readonly town: string;
  readonly item: LocalizedText;
  readonly date: string;
  readonly start: string;
  readonly end: string;
  readonly status: 'booked' | 'cancelled' | 'attended' | 'missed';
  readonly nameMasked: string;
}

/** How many days ahead the page offers. */
export const BOOKING_DAYS_AHEAD = 14;
