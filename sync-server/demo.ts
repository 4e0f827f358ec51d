/**
 * The demo county, for `npm start` and `cunban-hub seed-demo`: Jianshi's data, two reviewers with
 * generated passwords (saved beside the data, readable by the operator only) and an enrollment code.
 */
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EnrollmentQr } from '../core/api/enrollment.js';
import { indexDivisions } from '../core/divisions/table.js';
import { err, ok, type Result } from '../core/result.js';
import { demoCalendarData, demoCatalog, demoDivisions } from '../core/seed/demo-county.js';
import { issueEnrollmentCode } from './kiosks.js';
import { describeInitError, initStore, readCountyData, type InitReport } from './provision.js';
import type { Store } from './store/store.js';
import { addReviewer } from './users.js';

/** 雀儿笼村, 业州镇: the demo kiosk's village. */
export const DEMO_VILLAGE = '422822100202';

export interface SetupError {
  readonly code: string;
  readonly message: string;
}

export interface EnrollmentTicket {
  readonly village: string;
  readonly villageName: string;
  readonly townName: string;
  readonly code: string;
  readonly expiresAt: string;
  /** The QR code's content: hub URL and code, for the kiosk's setup wizard. */
  readonly qr: string;
}

export async function enrollmentTicket(
  store: Store,
  village: string,
  hubUrl: string,
  lifetimeMs: number,
  forKiosk?: string,
): Promise<Result<EnrollmentTicket, SetupError>> {
  const county = await readCountyData(store);
  if (!county.ok) return err({ code: county.error.code, message: describeInitError(county.error) });
  const place = indexDivisions(county.value.divisions).village(village);
  if (!place) return err({ code: 'enroll.unknownVillage', message: `Village ${village} is not in the county's division table.` });
  const issued = await issueEnrollmentCode(store, village, new Date(), lifetimeMs, forKiosk);
  if (!issued.ok) return err({ code: 'store', message: issued.error.reason });
  const qr: EnrollmentQr = { v: 1, hub: hubUrl, code: issued.value.code };
  return ok({
    village,
    villageName: place.village.name,
    townName: place.town.name,
    ...issued.value,
    qr: JSON.stringify(qr),
  });
}

export interface DemoSeed {
  readonly init: InitReport;
  /** Reviewers made by this run, with their passwords (shown once, and saved to `credentialsFile`). */
  readonly reviewersCreated: readonly { name: string; role: string; town?: string; password: string }[];
  readonly credentialsFile: string;
  readonly enrollment: EnrollmentTicket;
}

const DEMO_REVIEWERS = [
  { name: 'county-admin', displayName: '张敏', role: 'county' as const },
  { name: 'yezhou-reviewer', displayName: '李强', role: 'town' as const, town: '422822100000' },
];

export async function seedDemo(store: Store, dataDir: string, hubUrl: string): Promise<Result<DemoSeed, SetupError>> {
  const init = await initStore(store, { catalog: demoCatalog(), divisions: demoDivisions(), calendar: demoCalendarData() });
  if (!init.ok) return err({ code: init.error.code, message: describeInitError(init.error) });
  const created: DemoSeed['reviewersCreated'][number][] = [];
  for (const reviewer of DEMO_REVIEWERS) {
    const password = randomBytes(9).toString('base64url');
    const added = await addReviewer(store, { ...reviewer, password }, new Date());
    if (added.ok) created.push({ ...reviewer, password });
    else if (added.error.code !== 'user.exists') return err({ code: added.error.code, message: `Could not add ${reviewer.name}.` });
  }
  const credentialsFile = join(dataDir, 'demo-credentials.json');
  if (created.length > 0) writeFileSync(credentialsFile, JSON.stringify(created, null, 2), { mode: 0o600 });
  const enrollment = await enrollmentTicket(store, DEMO_VILLAGE, hubUrl, 24 * 60 * 60 * 1000);
  if (!enrollment.ok) return enrollment;
  return ok({ init: init.value, reviewersCreated: created, credentialsFile, enrollment: enrollment.value });
}
