/** What every counter screen works with: the kiosk's data, the signed-in clerk, the county's documents and the cases. */
import { createContext, useContext } from 'react';
import type { CaseDocument } from '../../core/case/document.js';
import type { Actor } from '../../core/case/events.js';
import type { LocalDate } from '../../core/local-date.js';
import type { Clerk } from '../data/clerks.js';
import type { CountyData } from '../data/county-data.js';
import type { KioskData } from '../data/kiosk-data.js';
import type { KioskShell } from './shell.js';

export type Screen =
  | { readonly name: 'home' }
  | { readonly name: 'newCase' }
  | { readonly name: 'cases'; readonly status?: CaseFilterStatus }
  | { readonly name: 'case'; readonly caseNumber: string }
  /** `replaces`: a case number that turned out to be another application's (a clash); this receipt takes its place. */
  | { readonly name: 'receipt'; readonly caseNumber: string; readonly replaces?: string }
  | { readonly name: 'clerks' }
  | { readonly name: 'appointments' }
  | { readonly name: 'appeals' }
  | { readonly name: 'publications' };

/** A case status, or the two views the home screen counts that are not statuses. */
export type CaseFilterStatus = CaseDocument['summary']['status'] | 'decided' | 'overdue' | 'today';

export interface CounterSession {
  readonly data: KioskData;
  readonly shell: KioskShell;
  readonly clerk: Clerk;
  /** The clerk as events record them: `<kioskId>/<clerkId>` at village level. */
  readonly actor: Actor;
  readonly county: CountyData;
  /** Undefined until the local database has answered once. */
  readonly cases: readonly CaseDocument[] | undefined;
  readonly today: LocalDate;
  readonly go: (screen: Screen) => void;
}

export const SessionContext = createContext<CounterSession | undefined>(undefined);

export function useSession(): CounterSession {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the counter');
  return session;
}

/** Fresh event ids: the kiosk's id keeps them unique across kiosks without coordination. */
export function newEventId(kioskId: string): string {
  return `${kioskId}:${crypto.randomUUID()}`;
}
