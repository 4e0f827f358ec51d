/**
 * Appeals and suggestions on the residents' page (issue 18 §4, core/appeal/appeal.ts):
 * - `POST /api/resident/appeals` {village, category, text, phone?}: raise one, with a phone or anonymously;
 *   the answer is the resident's view with the code to read replies by;
 * - `POST /api/resident/appeals/open` {code, phone?}: read it and its answers (code-door.ts: a phone given
 *   when raising must be given again; an anonymous appeal opens with its code alone).
 * Public, so hostile by assumption: five appeals a day per address, after the burst brake; text holding an ID
 * or phone number is refused (not stored, not masked silently), and the phone is sealed with the village key.
 */
import { randomBytes } from 'node:crypto';
import {
  appealCategorySchema,
  appealIdOf,
  firstLevelOf,
  MAX_APPEAL_TEXT,
  OWN_CATEGORIES,
  checkAppealText,
  raiseAppealRequestSchema,
  residentAppealView,
  type Appeal,
} from '../../core/appeal/appeal.js';
import type { Objection } from '../../core/disclosure/publication.js';
import { workingCalendar } from '../../core/calendar.js';
import { lookupCodeFrom } from '../../core/case/lookup-code.js';
import { indexDivisions } from '../../core/divisions/table.js';
import { maskPhone } from '../../core/resident-id.js';
import { parseMobileNumber } from '../../core/resident/booking.js';
import { attemptLedger } from '../attempts.js';
import { failure, reply, type HttpReply, type Route, type RouteContext } from '../http/kit.js';
import { attemptKeyHasher, keyRingUnavailable, sealForVillage } from '../keyring.js';
import type { CountyData } from '../provision.js';
import { readCountyData } from '../provision.js';
import { hallDb } from '../store/names.js';
import { indexCode } from './code-index.js';
import { codeDoor, type CodeDoorOptions } from './code-door.js';
import { limited, NO_STORE, noStore, refuseNonJson, unavailable } from './public-kit.js';

/** Appeals raised from one client address, on any hub process: five a day. */
export const APPEAL_ADDRESS_ATTEMPTS = { kind: 'appeal-raise', max: 5, windowMs: 24 * 60 * 60 * 1000 } as const;

const bad = (code: string, reason: string) => failure(400, code, reason, NO_STORE);

/** What an appeal is raised with: the page's request, or an objection to a line on the board (which goes to the town). */
export interface AppealRaising {
  readonly village: string;
  readonly category: string;
  readonly text: string;
  readonly phone?: string | undefined;
  readonly objection?: Objection;
}

/**
 * Raise an appeal for a resident of the page: the text judged (no ID or phone number), the phone sealed, five a
 * day per address after the burst brake, the code indexed; 201 with the resident's view and its code.
 */
export function appealRaiser(options: CodeDoorOptions) {
  const { store, now } = options;
  const byAddress = attemptLedger(store, APPEAL_ADDRESS_ATTEMPTS);
  return async function raiseAppeal(context: RouteContext, raising: AppealRaising): Promise<HttpReply> {
    const checked = checkAppealText(raising.text);
    if (!checked.ok) {
      return checked.problem === 'idNumber' || checked.problem === 'phone'
        ? bad(`appeal.text.${checked.problem}`, 'Write it without an ID or phone number: give a phone in its own field, if you want a call.')
        : bad('appeal.text', `Write what troubles you, at most ${String(MAX_APPEAL_TEXT)} characters.`);
    }
    const { text } = checked;
    const phone = raising.phone?.trim() ? parseMobileNumber(raising.phone) : undefined;
    if (raising.phone?.trim() && !phone) return bad('booking.phone', 'Type an 11-digit mobile number, or leave it empty to stay anonymous.');

    const county = await readCountyData(store);
    if (!county.ok) return unavailable();
    const { village } = raising;
    if (!indexDivisions(county.value.divisions).village(village)) return failure(404, 'hall.unknown', 'There is no such village in this county.', NO_STORE);
    const category = appealCategorySchema.safeParse(raising.category);
    const known =
      category.success &&
      ((OWN_CATEGORIES as readonly string[]).includes(category.data) || county.value.catalog.sectors.some((sector) => sector.code === category.data));
    if (!category.success || !known) return bad('appeal.category', 'Choose what it is about from the list.');

    const ring = await options.keyRing();
    if (!ring.ok) return noStore(keyRingUnavailable());
    const addressKey = attemptKeyHasher(ring.value)(APPEAL_ADDRESS_ATTEMPTS.kind, options.client.address(context.req));
    const braked = await options.throttle.take(`raise:${addressKey}`);
    if (!braked.allowed) return limited('appeal.tooMany', braked.retryAfterSeconds, 'Too many appeals from here: try again later, or tell the village hall.');
    const counted = await byAddress.begin(addressKey, now());
    if (!counted.ok) return unavailable();
    if (!counted.value.allowed)
      return limited('appeal.tooMany', counted.value.retryAfterMs / 1000, 'Too many appeals from here: try again later, or tell the village hall.');

    const appeal: Appeal = {
      kind: 'cunban.appeal',
      schemaVersion: 1,
      village,
      code: lookupCodeFrom(randomBytes(5)),
      category: category.data,
      text,
      ...(phone ? { phone: sealForVillage(ring.value, village, 'phone', phone), phoneMasked: maskPhone(phone) } : {}),
      channel: 'online',
      raisedAt: now().toISOString(),
      // An objection goes to the town, which approved what is objected to.
      level: raising.objection ? 'town' : firstLevelOf(category.data, county.value.catalog),
      events: [],
      ...(raising.objection ? { objection: raising.objection } : {}),
    };
    const indexed = await indexCode(store, 'appeal', appeal.code, village);
    const written = indexed.ok ? await store.putDoc(hallDb(village), { _id: appealIdOf(appeal.code), ...appeal }) : indexed;
    if (!written.ok) {
      await byAddress.withdraw(counted.value.attempt);
      return unavailable();
    }
    return reply(201, residentViewOf(county.value, appeal), NO_STORE);
  };
}

/** The resident's view of an appeal, with its village's and town's names. */
function residentViewOf(county: CountyData, appeal: Appeal) {
  const place = indexDivisions(county.divisions).village(appeal.village);
  return residentAppealView(appeal, workingCalendar(county.calendar), { village: place?.village.name ?? appeal.village, town: place?.town.name ?? '' });
}

export function appealRoutes(options: CodeDoorOptions): Route[] {
  const { store } = options;
  const openAppeal = codeDoor<Appeal>(options, 'appeal', appealIdOf);
  const raiseAppeal = appealRaiser(options);

  async function raise(context: RouteContext): Promise<HttpReply> {
    const nonJson = refuseNonJson(context, 'appeal');
    if (nonJson) return nonJson;
    const body = await context.json(16 * 1024);
    if (!body.ok) return body.error;
    const request = raiseAppealRequestSchema.safeParse(body.value);
    if (!request.success) return bad('bad_request', 'Expected {"village", "category", "text", "phone"?}.');
    return raiseAppeal(context, request.data);
  }

  return [
    { method: 'POST', pattern: /^\/api\/resident\/appeals$/, handle: raise },
    {
      method: 'POST',
      pattern: /^\/api\/resident\/appeals\/open$/,
      async handle(context) {
        const found = await openAppeal(context);
        if (!found.ok) return found.reply;
        const county = await readCountyData(store);
        return county.ok ? reply(200, residentViewOf(county.value, found.doc), NO_STORE) : unavailable();
      },
    },
  ];
}
