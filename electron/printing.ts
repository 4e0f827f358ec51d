/**
 * How a receipt is printed: in kiosk mode straight to the system's default printer with no dialog (the
 * clerk hands it over at once); otherwise through the print dialog, which also offers "Save as PDF".
 */
export interface ReceiptPrintOptions {
  readonly silent: boolean;
  readonly printBackground: true;
  /** Empty: the system's default printer. */
  readonly deviceName: '';
}

export function receiptPrintOptions(kioskMode: boolean): ReceiptPrintOptions {
  return { silent: kioskMode, printBackground: true, deviceName: '' };
}
