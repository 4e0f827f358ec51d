/**
 * The kiosk's enrollment, held by main: the page never reads its credential or keys. Main enrolls with the
 * hub itself and stages the answer; the page keeps it (`save`) once its data is ready, as a first
 * enrollment or a move to another village does. The page seals and reveals through main, by kiosk id, and
 * main adds the credential to the page's requests to the hub (`authorizationFor`, used by main's
 * `webRequest` hook). Free of `electron`, so it is tested under Node.
 */
import { enrollCall, readEnrollAnswer, type EnrollError } from '../core/api/enroll-client.js';
import { publicEnrollment, type EnrollContinuation, type EnrollResponse, type KioskEnrollment } from '../core/api/enrollment.js';
import type { ShellResult } from '../core/api/shell.js';
import type { Person } from '../core/case/events.js';
import { sealPersonWith, type PersonInput, type UnsealError } from '../core/case/person-seal.js';
import type { SealedValue } from '../core/case/sealed.js';
import { err, ok, type Result } from '../core/result.js';
import type { EnrollmentVault } from './enrollment-vault.js';
import type { StorageKeyVault } from './storage-keys.js';
import { ringSealer, unsealWithRing } from './kiosk-keys.js';

/** The fetch main enrolls with (Electron's `net.fetch`, or Node's in tests). */
export type EnrollFetch = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
) => Promise<{ status: number; json(): Promise<unknown> }>;

const unknownEnrollment = () => err({ code: 'shell.unknownEnrollment' as const, message: 'This kiosk id has no enrollment in the shell: enroll again.' });

/** The hub's base URL from what a technician typed: http(s), ending in `/`. */
function hubBase(typed: string): string | undefined {
  try {
    const url = new URL(typed.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString().replace(/\/?$/, '/') : undefined;
  } catch {
    return undefined;
  }
}

export async function enrollmentService(options: { readonly vault: EnrollmentVault; readonly storageKeys: StorageKeyVault; readonly fetch: EnrollFetch }) {
  const { vault } = options;
  const loaded = await vault.load();
  let saved: EnrollResponse | undefined = loaded.ok ? (loaded.value ?? undefined) : undefined;
  const staged = new Map<string, EnrollResponse>();
  const held = (kioskId: string) => (saved?.kioskId === kioskId ? saved : staged.get(kioskId));
  const withRing = async <T>(kioskId: string, use: (enrollment: EnrollResponse) => Promise<T>): Promise<ShellResult<T>> => {
    const enrollment = held(kioskId);
    return enrollment ? ok(await use(enrollment)) : unknownEnrollment();
  };

  return {
    /** Whether main holds an enrollment kept in the keychain. */
    hasSaved: () => saved !== undefined,
    /** The kept enrollment's village sync URL (its hub's origin is the page's CSP, its `/updates/` the update feed). */
    savedSyncUrl: () => saved?.villageSyncUrl,

    async enroll(request: {
      hub: string;
      code: string;
      appVersion: string;
      continuing?: EnrollContinuation;
    }): Promise<ShellResult<Result<KioskEnrollment, EnrollError>>> {
      const hub = hubBase(request.hub);
      if (!hub) return ok(err({ code: 'enroll.hubUrl' }));
      const call = enrollCall(hub, request.code, request.appVersion, request.continuing);
      if (!call.ok) return ok(call);
      let answer: Result<EnrollResponse, EnrollError>;
      try {
        const response = await options.fetch(call.value.url, call.value.init);
        answer = readEnrollAnswer(response.status, await response.json().catch(() => undefined));
      } catch {
        answer = err({ code: 'enroll.hubUnreachable', hub });
      }
      if (!answer.ok) return ok(answer);
      staged.set(answer.value.kioskId, answer.value);
      return ok(ok(publicEnrollment(answer.value)));
    },

    load: (): Promise<ShellResult<KioskEnrollment | null>> => Promise.resolve(ok(saved ? publicEnrollment(saved) : null)),

    async save(which: { kioskId: string }): Promise<ShellResult<null>> {
      const enrollment = staged.get(which.kioskId);
      if (!enrollment) return saved?.kioskId === which.kioskId ? ok(null) : unknownEnrollment();
      const kept = await vault.save(enrollment);
      if (!kept.ok) return kept;
      saved = enrollment;
      staged.delete(which.kioskId);
      return ok(null);
    },

    sealApplicant: (request: { kioskId: string; person: PersonInput }): Promise<ShellResult<Person>> =>
      withRing(request.kioskId, (enrollment) => sealPersonWith(ringSealer(enrollment.dataKeys), request.person)),

    sealPhone: (request: { kioskId: string; phone: string }): Promise<ShellResult<SealedValue>> =>
      withRing(request.kioskId, (enrollment) => ringSealer(enrollment.dataKeys).seal('phone', request.phone)),

    revealIdNumber: (request: { kioskId: string; sealed: SealedValue }): Promise<ShellResult<Result<string, UnsealError>>> =>
      withRing(request.kioskId, (enrollment) => Promise.resolve(unsealWithRing(enrollment.dataKeys, 'idNumber', request.sealed))),

    blindIndex: (request: { kioskId: string; idNumber: string }): Promise<ShellResult<string>> =>
      withRing(request.kioskId, (enrollment) => ringSealer(enrollment.dataKeys).blindIndex(request.idNumber)),
    /** The key of an enrolled kiosk id's database at rest; none for a kiosk id main never enrolled. */
    storageKey: (request: { kioskId: string }): Promise<ShellResult<string>> =>
      held(request.kioskId) ? options.storageKeys.keyFor(request.kioskId) : Promise.resolve(unknownEnrollment()),

    /**
     * The credential to add to a request the page makes, or none. Only to an enrolled hub's origin; among
     * the kiosks held (the kept one, one being moved to), the one whose village the path names, else the
     * kept one. Never to any other origin, whatever the path says.
     */
    authorizationFor(url: string): string | undefined {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        return undefined;
      }
      const candidates = [...(saved ? [saved] : []), ...staged.values()].filter((enrollment) => new URL(enrollment.villageSyncUrl).origin === target.origin);
      const named = candidates.find(
        (enrollment) => target.pathname.includes(`village_${enrollment.village}`) || target.pathname.includes(`/files/${enrollment.village}/`),
      );
      return (named ?? candidates.find((enrollment) => enrollment === saved) ?? candidates.at(-1))?.authorization;
    },
  };
}

export type EnrollmentService = Awaited<ReturnType<typeof enrollmentService>>;
