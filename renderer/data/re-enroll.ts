/**
 * Re-enrolling this kiosk in place: its credential is refused (revoked, or unknown to a hub restored from
 * a backup) and the technician brings a code made for it (`cunban-hub enroll --kiosk <its id>`). The kiosk
 * id stays, so does its database with every unsent case; the hub gives back the kiosk numbers this
 * database numbered under (unless another kiosk holds one) and grants a new one, numbered under from now:
 *   1. enroll, telling the hub this kiosk's id and numbers — a code for another kiosk is refused, unspent;
 *   2. close this database and open it with the new enrollment, which adopts the new number;
 *   3. keep the new enrollment, the one switch.
 * A crash before 3 leaves the old credential (still refused) on a database numbering under a number the hub
 * granted this kiosk: enrolling again with a new code finishes the job.
 */
import type { KioskEnrollment } from '../../core/api/enrollment.js';
import { err, ok, type Result } from '../../core/result.js';
import type { EnrollError } from './enroll.js';
import type { MoveOptions } from './move-kiosk.js';

/** What a move takes, but the move's marker: re-enrolling stays in the same database. */
export type ReEnrollOptions = Omit<MoveOptions, 'marker'>;

export async function reEnrollKiosk(options: ReEnrollOptions): Promise<Result<KioskEnrollment, EnrollError>> {
  const { current } = options;
  const kioskId = current.enrollment.kioskId;
  const numbers = await current.caseNumbers.numberedUnder(kioskId);
  const enrolled = await options.secrets.enroll(options.hub, options.code, options.appVersion, { kioskId, numbers });
  if (!enrolled.ok) return enrolled;
  // An older hub ignores `continuing` and may have enrolled another kiosk: never switch this database to it.
  if (enrolled.value.kioskId !== kioskId) return err({ code: 'enroll.otherKiosk' });
  await current.close();
  const reopened = await options.open(enrolled.value);
  await reopened.close();
  await options.secrets.save(enrolled.value);
  return ok(enrolled.value);
}
