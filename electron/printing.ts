/**
 * How a receipt is printed: in kiosk mode straight to the system's default printer with no dialog (the
 * clerk hands it over at once) — and when no printer answers, as a PDF in the receipts folder, so the
 * resident's receipt exists anyway; otherwise through the print dialog, which also offers "Save as PDF".
 */
import { join } from 'node:path';
export interface ReceiptPrintOptions {
  readonly silent: boolean;
  readonly printBackground: true;
  /** Empty: the system's default printer. */
  readonly deviceName: '';
}

export function receiptPrintOptions(kioskMode: boolean): ReceiptPrintOptions {
  return { silent: kioskMode, printBackground: true, deviceName: '' };
}

/** Where a receipt that could not be printed is kept: `<documents>/Cunban receipts/receipt-<local time>.pdf`. */
export function receiptPdfPath(documentsDir: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return join(documentsDir, 'Cunban receipts', `receipt-${stamp}.pdf`);
}
