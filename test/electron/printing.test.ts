import { describe, expect, it } from 'vitest';
import { receiptPdfPath, receiptPrintOptions } from '../../electron/printing.js';

describe('printing receipts', () => {
  it('goes straight to the default printer in kiosk mode, through the dialog otherwise', () => {
    expect(receiptPrintOptions(true)).toEqual({ silent: true, printBackground: true, deviceName: '' });
    expect(receiptPrintOptions(false).silent).toBe(false);
  });

  it('keeps a receipt no printer took as a PDF in the receipts folder, named by the time', () => {
    expect(receiptPdfPath('/home/hall/Documents', new Date('2026-11-26T08:30:05.123Z'))).toBe(
      '/home/hall/Documents/Cunban receipts/receipt-20261126-083005.pdf',
    );
  });
});
