// @vitest-environment jsdom
/**
 * A case number clash at the counter (issue 14 §1): a kiosk database restored from a backup issues a
 * number the hub already holds for another resident. The hub refuses it; the home screen says so in the
 * clerk's words and offers to register it again under a new number; the new receipt says which one it
 * replaces. Neither resident's application is lost or mixed.
 */
import { screen, waitFor } from '@testing-library/react';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { afterEach, describe, expect, it } from 'vitest';
import { enrollResponseSchema } from '../../../core/api/enrollment.js';
import type { CaseDocument } from '../../../core/case/document.js';
import { adoptEnrollmentLease } from '../../../renderer/data/case-numbers.js';
import { kioskDatabaseName, openKioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { openKioskData } from '../../../renderer/data/kiosk-data.js';
import { issueEnrollmentCode } from '../../../sync-server/kiosks.js';
import { villageDb } from '../../../sync-server/store/names.js';
import { startTestHub, TEST_APP_VERSION, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { createdDraft, itemSnapshot } from '../../core/fixtures.js';
import { signedInCounter, testShell, type Counter } from './harness.js';
import { registerThroughData } from './register-helper.js';
import { TEST_STORAGE_KEY } from '../../support/storage-key.js';

let hub: TestHub | undefined;
let counter: Counter | undefined;

afterEach(async () => {
  await counter?.close();
  await hub?.close();
  counter = undefined;
  hub = undefined;
});

describe('a case number clash at the counter', () => {
  it('is shown in the clerk’s words, registered again under a new number, and the new receipt says what it replaces', async () => {
    hub = await startTestHub();
    const issued = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error('fixture');
    const enrollment = enrollResponseSchema.parse((await hub.call('POST', '/api/enroll', { body: { code: issued.value.code } })).body);

    // Before the backup was restored, this kiosk registered 张三 and sent it.
    const before = await openKioskData({
      enrollment,
      storageKey: TEST_STORAGE_KEY,
      appVersion: TEST_APP_VERSION,
      indexedDB: new IDBFactory(),
      IDBKeyRange,
      freshEnrollment: true,
    });
    const number = await before.caseNumbers.next();
    if (!number.ok) throw new Error('fixture');
    const applicant = await before.sealApplicant({ name: '张三', idNumber: '422822198001010015' });
    const draft = createdDraft(itemSnapshot('county'), new Date().toISOString(), { caseNumber: number.value, village: VILLAGE_A, applicant });
    const registered = await before.cases.register([
      { ...draft, id: `before-${number.value}`, actor: { id: `${enrollment.kioskId}/clerk-1`, name: '王芳', level: 'village' } },
    ]);
    expect(registered.ok).toBe(true);
    expect(await before.sync.syncNow()).toMatchObject({ ok: true });
    await before.close();
    const first = number.value;

    // The restored disk: the lease, not the case. Its line lets everything through but the village's feed until it has registered.
    const disk = new IDBFactory();
    const restored = await openKioskDatabase({ storageKey: TEST_STORAGE_KEY, name: kioskDatabaseName(enrollment.kioskId), indexedDB: disk, IDBKeyRange });
    await adoptEnrollmentLease(restored, { enrollment, freshEnrollment: true, requestLease: () => Promise.resolve(undefined) });
    await restored.close();
    const line = { feedOpen: false };
    const shell = testShell({
      indexedDB: disk,
      storageKey: () => Promise.resolve(TEST_STORAGE_KEY),
      fetch: (input, init) => {
        const url = input instanceof Request ? input.url : String(input);
        return line.feedOpen || !url.includes(`/${villageDb(VILLAGE_A)}/`) ? fetch(input, init) : Promise.reject(new TypeError('fetch failed'));
      },
    });
    await shell.secrets.save(enrollment);
    counter = await signedInCounter(hub, { shell });
    const clashing = await registerThroughData(counter, { itemCode: 'MZ-01', name: '李四', outcome: 'forward' });
    expect(clashing).toBe(first);
    line.feedOpen = true;

    const item = await screen.findByText(/编号冲突：县级平台已有另一件申请使用了这个受理编号/, {}, { timeout: 30_000 });
    expect(item.closest('li')?.getAttribute('data-clash')).toBe(first);
    expect(item.closest('li')?.textContent).toContain(`${first} (李四)`);
    await counter.user.click(screen.getByRole('button', { name: '改用新编号重新登记' }));
    const receiptNumber = await screen.findByTestId('receipt-case-number', {}, { timeout: 20_000 });
    expect(receiptNumber.textContent).not.toBe(first);
    expect(screen.getByText(`（取代编号为${first}的回执）`)).toBeTruthy();
    expect(document.querySelector('.receipt')?.textContent).toContain('李四');

    expect(await counter.data.sync.syncNow()).toMatchObject({ ok: true });
    const renumbered = receiptNumber.textContent;
    const onHub = async (id: string) => {
      const found = await hub?.hub.store.getDoc<CaseDocument>(villageDb(VILLAGE_A), id);
      return found?.ok ? found.value.summary.applicantName : undefined;
    };
    expect([await onHub(first), await onHub(renumbered)]).toEqual(['张三', '李四']);
    await waitFor(() => {
      expect(document.querySelector('[data-clash]')).toBeNull();
    });
  }, 120_000);
});
