// @vitest-environment jsdom
/** The home screen: today's work, the sync indicator telling the truth offline, and the county's notices. */
import { screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { DB } from '../../../sync-server/store/names.js';
import { startTestHub, type TestHub } from '../../sync-server/hub-harness.js';
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
      id: 'forged-county-note', at: new Date().toISOString(), actor: { id: 'county-admin', name: '张敏', level: 'county' }, type: 'note', payload: { text: '已批准' },
    });
    expect(appended.ok).toBe(true);
    await counter.data.sync.syncNow();
    await waitFor(() => {
      expect(document.querySelector('.refused')?.textContent).toContain(caseNumber);
    }, { timeout: 20_000 });
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
    await waitFor(() => {
      expect(document.querySelector('.sync-status')?.getAttribute('data-status')).toBe('hubUnreachable');
    }, { timeout: 20_000 });
    expect(screen.getByText('连接不上县级平台：可照常办理，恢复后自动上传')).toBeTruthy();
    await waitFor(() => {
      expect(screen.getByText(/待上传：1件/)).toBeTruthy();
    });
    await counter.user.click(screen.getByRole('button', { name: '立即同步' }));
    expect(await screen.findByText('同步未完成：连接不上县级平台：可照常办理，恢复后自动上传', {}, { timeout: 40_000 })).toBeTruthy();
    expect(screen.queryByText('同步完成')).toBeNull();
  }, 90_000);
});
