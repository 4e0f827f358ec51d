/** Reviewer accounts for the town and county console; passwords kept as scrypt hashes. */
import { parseDivisionCode } from '../core/divisions/code.js';
import { err, ok, type Result } from '../core/result.js';
import { readCountyData } from './provision.js';
import { hashPassword } from './secrets.js';
import { DB } from './store/names.js';
import type { Store, StoreFailure } from './store/store.js';

export interface ReviewerDoc {
  readonly _id: string;
  readonly _rev?: string;
  readonly type: 'reviewer';
  /** The sign-in name (yezhou-reviewer). */
  readonly name: string;
  /** The person's name as cases and kiosks show who decided (李强); the sign-in name when absent. */
  readonly displayName?: string;
  readonly role: 'county' | 'town';
  /** For town reviewers: the town whose villages they see. */
  readonly town?: string;
  readonly passwordHash: string;
  readonly createdAt: string;
}

export type AddUserError =
  | { readonly code: 'user.badName' }
  | { readonly code: 'user.badDisplayName' }
  | { readonly code: 'user.townRequired' }
  | { readonly code: 'user.badTown'; readonly town: string }
  /** A well-formed town code the county's division table does not name (or no table yet). */
  | { readonly code: 'user.unknownTown'; readonly town: string }
  | { readonly code: 'user.weakPassword' }
  | { readonly code: 'user.exists'; readonly name: string }
  | { readonly code: 'user.store'; readonly failure: StoreFailure };

export const MIN_PASSWORD_LENGTH = 10;

export async function addReviewer(
  store: Store,
  input: { name: string; displayName?: string; role: 'county' | 'town'; town?: string; password: string },
  now: Date,
): Promise<Result<ReviewerDoc, AddUserError>> {
  if (!/^[\p{L}\p{N}_.-]{2,32}$/u.test(input.name)) return err({ code: 'user.badName' });
  const displayName = input.displayName?.trim();
  if (displayName !== undefined && !/^[\p{L}\p{M}\p{N}·. -]{1,32}$/u.test(displayName)) return err({ code: 'user.badDisplayName' });
  if (input.role === 'town' && !input.town) return err({ code: 'user.townRequired' });
  if (input.town && parseDivisionCode(input.town)?.level !== 'town') return err({ code: 'user.badTown', town: input.town });
  if (input.password.length < MIN_PASSWORD_LENGTH) return err({ code: 'user.weakPassword' });
  if (input.role === 'town' && input.town) {
    // A reviewer of a town the county does not have would see nothing, and sign in as if all were well.
    const county = await readCountyData(store);
    if (!county.ok && county.error.code === 'init.store') return err({ code: 'user.store', failure: county.error.failure });
    if (!county.ok || !county.value.divisions.towns.some((town) => town.code12 === input.town)) return err({ code: 'user.unknownTown', town: input.town });
  }
  const doc: ReviewerDoc = {
    _id: `user:${input.name}`,
    type: 'reviewer',
    name: input.name,
    ...(displayName ? { displayName } : {}),
    role: input.role,
    ...(input.role === 'town' && input.town ? { town: input.town } : {}),
    passwordHash: await hashPassword(input.password),
    createdAt: now.toISOString(),
  };
  const saved = await store.putDoc(DB.users, doc);
  if (saved.ok) return ok(doc);
  return err(saved.error.status === 409 ? { code: 'user.exists', name: input.name } : { code: 'user.store', failure: saved.error });
}
