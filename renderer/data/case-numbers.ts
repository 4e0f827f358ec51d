/**
 * Issuing case numbers at this kiosk: village, today's date (CST), the kiosk's number and the next
 * sequence of the day. The counter is a local document, never synced; it also never goes below the
 * highest number already on the device, so a lost counter cannot hand out a number twice.
 */
import { formatCaseNumber, parseCaseNumber, type CaseNumberError } from '../../core/case/number.js';
import { localDateOf, type LocalDate } from '../../core/local-date.js';
import { err, type Result } from '../../core/result.js';
import type { KioskDatabase } from './kiosk-database.js';
import { serialQueue } from './serial.js';
import { isQuotaError, STORAGE_FULL, type StorageFull } from './storage-health.js';

interface Sequence {
  readonly date: LocalDate;
  readonly last: number;
}

const SEQUENCE = 'case-sequence';

export interface CaseNumbers {
  next(): Promise<Result<string, CaseNumberError | StorageFull>>;
}

export function caseNumbers(
  db: KioskDatabase,
  kiosk: { readonly village: string; readonly kioskNumber: number },
  now: () => Date = () => new Date(),
): CaseNumbers {
  const serial = serialQueue();
  const highestOnDevice = async (date: LocalDate): Promise<number> => {
    const prefix = `${kiosk.village}-${date.replaceAll('-', '')}-${String(kiosk.kioskNumber).padStart(2, '0')}-`;
    const docs = await db.cases.find({ selector: { id: { $regex: `^${prefix}` } } }).exec();
    return Math.max(0, ...docs.map((doc) => { const parsed = parseCaseNumber(doc.id); return parsed.ok ? parsed.value.sequence : 0; }));
  };
  return {
    next() {
      return serial(async () => {
        const date = localDateOf(now().toISOString());
        const stored = (await db.getLocal<Sequence>(SEQUENCE))?.toJSON().data;
        const last = Math.max(stored?.date === date ? stored.last : 0, await highestOnDevice(date));
        const number = formatCaseNumber({ village: kiosk.village, date, kioskNumber: kiosk.kioskNumber, sequence: last + 1 });
        if (!number.ok) return number;
        try {
          await db.upsertLocal(SEQUENCE, { date, last: last + 1 });
        } catch (error) {
          // A number not recorded is not issued: nothing can be saved under it on a full disk anyway.
          if (isQuotaError(error)) return err(STORAGE_FULL);
          throw error;
        }
        return number;
      });
    },
  };
}
