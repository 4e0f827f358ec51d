// @vitest-environment jsdom
/**
 * What versions mean at the counter (docs/COMPATIBILITY.md): below the county's minimum the clerk is told
 * to have the kiosk updated, and the counter keeps registering and syncing; a catalog of a newer major
 * version never replaces the one this kiosk reads; a notice with a field a newer version added is shown.
 */
import { screen, waitFor } from '@testing-library/react';
import { firstValueFrom } from 'rxjs';
import { afterEach, describe, expect, it } from 'vitest';
import { demoCatalog } from '../../../core/seed/demo-county.js';
import type { CaseDocument } from '../../../core/case/document.js';
import { setMinimumKioskVersion } from '../../../sync-server/fleet-policy.js';
import { DB, villageDb } from '../../../sync-server/store/names.js';
import { startTestHub, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { signedInCounter, type Counter } from './harness.js';
import { registerThroughData } from './register-helper.js';

let hub: TestHub | undefined;
let counter: Counter | undefined;

afterEach(async () => {
  await counter?.close();
  await hub?.close();
  counter = undefined;
  hub = undefined;
});

describe('versions at the counter', () => {
  it('below the county’s minimum, says so and keeps registering and syncing; lifted, says nothing', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    expect(screen.queryByTestId('version-notice')).toBeNull();

    const set = await setMinimumKioskVersion(hub.hub.store, '0.2.0', 'test', new Date());
    expect(set.ok).toBe(true);
    // The test kiosk is 0.1.0-test: below 0.2.0.
    const notice = await screen.findByTestId('version-notice', {}, { timeout: 20_000 });
    expect(notice.textContent).toContain('本机程序版本 0.1.0-test 低于县里要求的最低版本 0.2.0，请联系技术员更新');

    const caseNumber = await registerThroughData(counter, { itemCode: 'MZ-01', name: '张三', outcome: 'forward' });
    expect(await counter.data.sync.syncNow()).toMatchObject({ ok: true });
    const onHub = await hub.hub.store.getDoc<CaseDocument>(villageDb(VILLAGE_A), caseNumber);
    expect(onHub.ok).toBe(true);

    await setMinimumKioskVersion(hub.hub.store, undefined, 'test', new Date());
    await waitFor(
      () => {
        expect(screen.queryByTestId('version-notice')).toBeNull();
      },
      { timeout: 20_000 },
    );
  }, 90_000);

  it('keeps using its catalog when the county publishes a newer major one, and says an update is needed to use it', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    const stored = await hub.hub.store.getDoc<Record<string, unknown>>(DB.catalog, 'catalog');
    if (!stored.ok) throw new Error('fixture');
    const newer = await hub.hub.store.putDoc(DB.catalog, { ...stored.value, schemaVersion: 2, version: 99, title: { zh: '新版目录', en: 'New catalog' } });
    expect(newer.ok).toBe(true);
    const notice = await hub.hub.store.putDoc(DB.catalog, {
      _id: 'notice:2026-11-26-newer-field',
      kind: 'cunban.notice',
      schemaVersion: 1,
      title: { zh: '冬季防火通知', en: 'Winter fire safety' },
      body: { zh: '请注意用火安全。', en: 'Mind fires.' },
      publishedOn: '2026-11-26',
      audience: 'everyone',
    });
    expect(notice.ok).toBe(true);

    const shown = await screen.findByTestId('version-notice', {}, { timeout: 20_000 });
    expect(shown.textContent).toContain('有1份资料由较新版本的村办写入');
    const county = await firstValueFrom(counter.data.county$);
    expect(county.catalog?.version).toBe(demoCatalog().version);
    expect(county.unreadable).toEqual(['catalog@v2']);
    await screen.findByText('冬季防火通知', {}, { timeout: 20_000 });
    // The counter still registers with the catalog it reads.
    await registerThroughData(counter, { itemCode: 'MZ-01', name: '李四', outcome: 'forward' });
  }, 90_000);
});
