/**
 * The demo county, for `npm start` and `cunban-hub seed-demo`: Jianshi's data, two reviewers with
 * generated passwords (saved beside the data, readable by the operator only) and an enrollment code.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { EnrollmentQr } from '../core/api/enrollment.js';
import { indexDivisions } from '../core/divisions/table.js';
import { err, ok, type Result } from '../core/result.js';
import { demoCalendarData, demoCatalog, demoDivisions } from '../core/seed/demo-county.js';
import { issueEnrollmentCode } from './kiosks.js';
import { describeCountyInitError, initCounty, type CountyInitReport } from './county-init.js';
import { describeInitError, readCountyData, validateCountyData, type CountyData } from './provision.js';
import { canonicalJson } from '../core/canonical-json.js';
import { verifyPassword } from './secrets.js';
import { DB } from './store/names.js';
import type { Store } from './store/store.js';
import { addReviewer, type ReviewerDoc } from './users.js';
import { writeFileWhole } from './whole-file.js';

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
  readonly init: CountyInitReport;
  /** Reviewers made by this run, with their passwords (shown once, and saved to `credentialsFile`). */
  readonly reviewersCreated: readonly DemoReviewer[];
  /**
   * Demo reviewers the store already held with a password this data directory's `credentialsFile` does
   * not open: made by a seeding from another data directory on the same store (its file holds them).
   */
  readonly reviewersElsewhere: readonly string[];
  readonly credentialsFile: string;
  readonly enrollment: EnrollmentTicket;
}

interface DemoReviewer {
  readonly name: string;
  readonly displayName: string;
  readonly role: 'county' | 'town';
  readonly town?: string;
  readonly password: string;
}

const DEMO_REVIEWERS = [
  { name: 'county-admin', displayName: '张敏', role: 'county' as const },
  { name: 'yezhou-reviewer', displayName: '李强', role: 'town' as const, town: '422822100000' },
];

/**
 * The demo reviewers with their passwords, written to `credentialsFile` *before* any reviewer is made:
 * a run that fails after this loses no password, and a re-run makes the reviewers with the same ones.
 * A file already there is kept (a password in it is never replaced); only missing reviewers are added.
 */
function demoCredentials(credentialsFile: string): DemoReviewer[] {
  const saved = savedCredentials(credentialsFile);
  const savedPassword = (name: string) => {
    const entry = saved.find((item) => isRecord(item) && item.name === name && typeof item.password === 'string');
    return isRecord(entry) ? String(entry.password) : undefined;
  };
  const credentials = DEMO_REVIEWERS.map((reviewer) => ({ ...reviewer, password: savedPassword(reviewer.name) ?? randomBytes(9).toString('base64url') }));
  const missing = credentials.filter((reviewer) => savedPassword(reviewer.name) === undefined);
  // Written only when a reviewer is added, and then with whatever else the file held, as it was.
  if (missing.length > 0) {
    mkdirSync(dirname(credentialsFile), { recursive: true, mode: 0o700 });
    const kept = saved.filter((entry) => !(isRecord(entry) && missing.some((reviewer) => reviewer.name === entry.name)));
    writeFileWhole(credentialsFile, JSON.stringify([...kept, ...missing], null, 2));
  }
  return credentials;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The entries of the credentials file, if there is one: a list, or it is called damaged (and left as it is). */
function savedCredentials(credentialsFile: string): readonly unknown[] {
  if (!existsSync(credentialsFile)) return [];
  let saved: unknown;
  try {
    saved = JSON.parse(readFileSync(credentialsFile, 'utf8'));
  } catch {
    saved = undefined;
  }
  if (!Array.isArray(saved)) throw new Error(`${credentialsFile} is damaged: move it aside and seed again.`);
  return saved;
}

/**
 * The demo county, its reviewers and an enrollment code: local state first (the reviewers' passwords
 * and, in `initCounty`, the key ring), the store last; re-runnable to finish what a failed run began.
 */
export async function seedDemo(store: Store, dataDir: string, hubUrl: string): Promise<Result<DemoSeed, SetupError>> {
  const demo: CountyData = { catalog: demoCatalog(), divisions: demoDivisions(), calendar: demoCalendarData() };
  // A county's own data is never replaced by the demo's (nor its reviewers joined by the demo's).
  const stored = await readCountyData(store);
  if (stored.ok && !sameCountyData(stored.value, demo)) {
    const { name } = stored.value.divisions.county;
    return err({
      code: 'demo.notDemo',
      message: `This store holds ${name}'s own county data: seed-demo would replace it with the demo's. Seed the demo on another store (CUNBAN_DB_PREFIX, or another COUCHDB_URL).`,
    });
  }
  const credentialsFile = join(dataDir, 'demo-credentials.json');
  let credentials: DemoReviewer[];
  try {
    credentials = demoCredentials(credentialsFile);
  } catch (error) {
    return err({ code: 'demo.credentials', message: error instanceof Error ? error.message : String(error) });
  }
  const init = await initCounty(store, dataDir, demo);
  if (!init.ok) return err({ code: init.error.code, message: describeCountyInitError(init.error) });
  const created: DemoReviewer[] = [];
  const elsewhere: string[] = [];
  for (const reviewer of credentials) {
    const added = await addReviewer(store, reviewer, new Date());
    if (added.ok) created.push(reviewer);
    else if (added.error.code !== 'user.exists') return err({ code: added.error.code, message: `Could not add ${reviewer.name}.` });
    else if (!(await reviewerOpensWith(store, reviewer.name, reviewer.password))) elsewhere.push(reviewer.name);
  }
  const enrollment = await enrollmentTicket(store, DEMO_VILLAGE, hubUrl, 24 * 60 * 60 * 1000);
  if (!enrollment.ok) return enrollment;
  return ok({ init: init.value, reviewersCreated: created, reviewersElsewhere: elsewhere, credentialsFile, enrollment: enrollment.value });
}

/** The stored county data and `demo`, read through the same parser. */
function sameCountyData(stored: CountyData, demo: CountyData): boolean {
  const read = validateCountyData(demo.catalog, demo.divisions, demo.calendar);
  return read.ok && canonicalJson(read.value) === canonicalJson(stored);
}

async function reviewerOpensWith(store: Store, name: string, password: string): Promise<boolean> {
  const stored = await store.getDoc<ReviewerDoc>(DB.users, `user:${name}`);
  return stored.ok && (await verifyPassword(password, stored.value.passwordHash));
}
