// @vitest-environment jsdom
/**
 * A kiosk whose stored data does not open with its storage key (the key lost and made anew, or a value
 * damaged on disk): it reads nothing wrongly, says what happened, and lets the technician remove the
 * unreadable data — after which it downloads its village again. Real hub, real RxDB.
 */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newStorageKey, SealBroken } from '../../../renderer/data/at-rest.js';
import { kioskDatabaseName, openKioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { KioskRoot } from '../../../renderer/kiosk/root.js';
import { startTestHub, type TestHub } from '../../sync-server/hub-harness.js';
import { enrolledShell, signedInCounter, testShell } from './harness.js';
import { registerThroughData } from './register-helper.js';

let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterAll(async () => {
  await hub.close();
});

describe('stored data that does not open with the storage key', () => {
  it('is never read with another key: the database refuses to open, and a damaged value refuses to read', async () => {
    const disk = new IDBFactory();
    const name = kioskDatabaseName('kiosk-422822100202-61');
    const key = newStorageKey();
    const db = await openKioskDatabase({ name, storageKey: key, indexedDB: disk, IDBKeyRange });
    await db.close();
    await expect(openKioskDatabase({ name, storageKey: newStorageKey(), indexedDB: disk, IDBKeyRange })).rejects.toBeInstanceOf(SealBroken);
    // The right key still opens it.
    await (await openKioskDatabase({ name, storageKey: key, indexedDB: disk, IDBKeyRange })).close();
  });

  it('says so at start, and the technician removes it: the kiosk downloads its village again and works', async () => {
    const disk = new IDBFactory();
    let key = newStorageKey();
    const enrolled = await enrolledShell(hub);
    const shell = { ...testShell({ indexedDB: disk, storageKey: () => Promise.resolve(key) }), secrets: enrolled.secrets };
    const counter = await signedInCounter(hub, { shell });
    const caseNumber = await registerThroughData(counter, { itemCode: 'MZ-01', name: '张三', outcome: 'forward' });
    expect((await counter.data.sync.syncNow()).ok).toBe(true);
    await counter.close();

    // The key is lost; the shell makes a new one.
    key = newStorageKey();
    const user = userEvent.setup();
    const view = render(<KioskRoot shell={shell} />);
    expect(await screen.findByText(/本终端保存的数据无法用它的数据密钥打开/)).toBeTruthy();
    expect(screen.getByText(/尚未上传的案卷无法恢复，此操作不能撤销/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: '移除无法读取的数据，重新下载本村案卷' }));
    await screen.findByRole('heading', { name: /^(办事员登录|创建第一个办事员账号)$/ });
    const reopened = shell.opened.at(-1);
    expect((await reopened?.sync.syncNow())?.ok).toBe(true);
    // The case the hub holds is back; the database numbers under a new number.
    expect((await reopened?.cases.get(caseNumber))?.summary.applicantName).toBe('张三');
    view.unmount();
    await Promise.all(shell.opened.map((data) => data.close()));
  }, 90_000);
});
