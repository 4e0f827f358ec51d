// @vitest-environment jsdom
/** The home screen: today's work, the sync indicator telling the truth offline, and the county's notices. */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { demoCatalog } from '../../../core/seed/demo-county.js';
import { DB } from '../../../sync-server/store/names.js';
import { addReviewer } from '../../../sync-server/users.js';
import { startTestHub, type TestHub } from '../../sync-server/hub-harness.js';
import { asReviewer, signInReviewer } from '../../sync-server/reviewer-client.js';
import { enrolledShell, signedInCounter, type Counter } from './harness.js';
import { registerThroughData } from './register-helper.js';

let hub: TestHub | undefined;
let counter: Counter | undefined;

afterEach(async () => {
  await counter?.close();
  await hub?.close();
  counter = undefined;
  hub = undefined;
});

const tile = (view: string) => document.querySelector(`.tile-count[data-view="${view}"]`)?.textContent;

describe('the home screen', () => {
  it('counts today’s work by state and opens the matching list', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    await registerThroughData(counter, { itemCode: 'MZ-01', name: '张三', outcome: 'forward' });
    await registerThroughData(counter, { itemCode: 'RS-01', name: '王五', outcome: 'forward', missing: true });
    await registerThroughData(counter, { itemCode: 'SF-01', name: '赵六', outcome: 'keepAtVillage' });
    await waitFor(() => {
      expect(tile('today')).toBe('3');
    });
    expect([tile('accepted'), tile('awaitingMaterials'), tile('forwarded'), tile('decided'), tile('overdue')]).toEqual(['1', '1', '1', '0', '0']);
    await counter.user.click(screen.getByRole('button', { name: /待补材料/ }));
    await screen.findByRole('heading', { name: '办件查询' });
    await waitFor(() => {
      expect(document.querySelectorAll('tr[data-case]')).toHaveLength(1);
    });
    expect(document.querySelector('tr[data-case]')?.textContent).toContain('王五');
  }, 60_000);

  it('names each case the town returned, with what and why, and puts the reason at the top of the case', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    const caseNumber = await registerThroughData(counter, { itemCode: 'MZ-01', name: '张三', outcome: 'forward' });
    await registerThroughData(counter, { itemCode: 'MZ-01', name: '李四', outcome: 'forward' });
    await waitFor(
      () => {
        expect(screen.getByText(/待上传：0件/)).toBeTruthy();
      },
      { timeout: 30_000 },
    );
    await addReviewer(hub.hub.store, { name: 'yezhou-returns', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, new Date());
    const town = await signInReviewer(hub, 'yezhou-returns', 'yezhou-secret-1');
    const material = demoCatalog().items.find((item) => item.code === 'MZ-01')?.materials[0];
    const returned = await asReviewer(hub, town, 'POST', `/api/review/cases/${caseNumber}/events`, {
      type: 'returnedForMaterials',
      missing: [material?.id],
      reason: '申请书未签字',
    });
    expect(returned.status).toBe(201);

    const notice = await waitFor(
      () => {
        const item = document.querySelector(`.needs-action li[data-case="${caseNumber}"]`);
        expect(item).not.toBeNull();
        return item as HTMLElement;
      },
      { timeout: 30_000 },
    );
    expect(screen.getByRole('heading', { name: '需要办理（1件）' })).toBeTruthy();
    expect(notice.textContent).toContain('张三');
    expect(notice.textContent).toMatch(new RegExp(`乡镇级于.+退回，需补：${material?.name.zh ?? ''}。理由：申请书未签字`));
    await counter.user.click(within(notice).getByRole('button'));
    // On the case, the return comes first: above the materials and the history.
    const top = await screen.findByTestId('return-notice');
    expect(top.textContent).toContain('退回理由：申请书未签字');
    const materials = screen.getByRole('heading', { name: '材料' });
    expect(top.compareDocumentPosition(materials) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
  }, 90_000);

  it('shows the county’s notices (not another town’s), and never one that carries a full ID number', async () => {
    hub = await startTestHub();
    const notice = {
      _id: 'notice:2026-11-low-income',
      kind: 'cunban.notice',
      title: { zh: '低保年审通知', en: 'Annual low-income review' },
      body: { zh: '请于12月10日前到村便民服务室办理年审。', en: 'Please come to the hall before 10 December.' },
      publishedOn: '2026-11-20',
    };
    const written = await hub.hub.store.putDoc(DB.catalog, notice);
    expect(written.ok).toBe(true);
    // The store's validator refuses a notice with a full ID number, even from an administrator.
    const raw = await hub.hub.store.putDoc(DB.catalog, {
      ...notice,
      _id: 'notice:2026-11-raw',
      title: { zh: '公示', en: 'Public notice' },
      body: { zh: '公示对象 张三 422822198001010015', en: 'Listed: 422822198001010015' },
      publishedOn: '2026-11-21',
    });
    expect(raw.ok).toBe(false);
    // Another town's notice is for that town's villages only.
    const elsewhere = { ...notice, _id: 'notice:2026-11-elsewhere', title: { zh: '高坪镇通知', en: 'Gaoping notice' }, town: '422822101000' };
    expect((await hub.hub.store.putDoc(DB.catalog, elsewhere)).ok).toBe(true);
    counter = await signedInCounter(hub);
    expect(await screen.findByRole('heading', { name: '低保年审通知' })).toBeTruthy();
    expect(document.body.textContent).not.toContain('422822198001010015');
    expect(screen.queryByRole('heading', { name: '公示' })).toBeNull();
    expect(screen.queryByRole('heading', { name: '高坪镇通知' })).toBeNull();
  }, 60_000);

  it('lists the cases the hub refused, with its reason, kept on the kiosk', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    const caseNumber = await registerThroughData(counter, { itemCode: 'MZ-01', name: '张三', outcome: 'forward' });
    // An event in a county reviewer's name, written at the kiosk: the hub refuses the case.
    const appended = await counter.data.cases.append(caseNumber, {
      id: 'forged-county-note',
      at: new Date().toISOString(),
      actor: { id: 'county-admin', name: '张敏', level: 'county' },
      type: 'note',
      payload: { text: '已批准' },
    });
    expect(appended.ok).toBe(true);
    await counter.data.sync.syncNow();
    await waitFor(
      () => {
        expect(document.querySelector('.refused')?.textContent).toContain(caseNumber);
      },
      { timeout: 20_000 },
    );
    expect(document.querySelector('.refused')?.textContent).toContain('is not this kiosk’s to write');
    expect(await counter.data.cases.get(caseNumber)).toBeDefined();
    expect(document.querySelector('.sync-status')?.getAttribute('data-status')).toBe('hubRefusedDocuments');
  }, 60_000);

  it('keeps working with the hub down and says so; "sync now" reports the real failure', async () => {
    hub = await startTestHub();
    counter = await signedInCounter(hub);
    await waitFor(() => {
      expect(document.querySelector('.sync-status')?.getAttribute('data-status')).toBe('online');
    });
    await hub.close();
    hub = undefined;
    await registerThroughData(counter, { itemCode: 'MZ-01', name: '张三', outcome: 'forward' });
    await waitFor(
      () => {
        expect(document.querySelector('.sync-status')?.getAttribute('data-status')).toBe('hubUnreachable');
      },
      { timeout: 20_000 },
    );
    expect(screen.getByText('连接不上县级平台：可照常办理，恢复后自动上传')).toBeTruthy();
    await waitFor(() => {
      expect(screen.getByText(/待上传：1件/)).toBeTruthy();
    });
    await counter.user.click(screen.getByRole('button', { name: '立即同步' }));
    expect(await screen.findByText('同步未完成：连接不上县级平台：可照常办理，恢复后自动上传', {}, { timeout: 40_000 })).toBeTruthy();
    expect(screen.queryByText('同步完成')).toBeNull();
  }, 90_000);

  it('drops the failure of "sync now" once the line is back: the screen never says two things at once', async () => {
    hub = await startTestHub();
    // The village's line: up, or down as when broadband goes.
    const line = { down: false };
    const fetchOverLine: typeof fetch = (input, init) => (line.down ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
    counter = await signedInCounter(hub, { shell: await enrolledShell(hub, { fetch: fetchOverLine }) });
    const status = () => document.querySelector('.sync-status')?.getAttribute('data-status');
    await waitFor(() => {
      expect(status()).toBe('online');
    });
    line.down = true;
    await registerThroughData(counter, { itemCode: 'MZ-01', name: '张三', outcome: 'forward' });
    await counter.user.click(screen.getByRole('button', { name: '立即同步' }));
    expect(await screen.findByText(/^同步未完成：/, {}, { timeout: 40_000 })).toBeTruthy();

    line.down = false;
    await waitFor(
      () => {
        expect(status()).toBe('online');
        expect(screen.getByText(/待上传：0件/)).toBeTruthy();
      },
      { timeout: 40_000 },
    );
    expect(screen.queryByText(/^同步未完成：/)).toBeNull();
    // …on every page, and it does not come back.
    await counter.user.click(screen.getByRole('button', { name: /办件查询/ }));
    expect(screen.queryByText(/^同步未完成：/)).toBeNull();
  }, 120_000);
});
