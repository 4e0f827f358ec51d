// @vitest-environment jsdom
/**
 * The technician's diagnostics: behind the technician PIN kept by main (its real handlers behind the
 * real preload bridge; only Electron itself is absent), the kiosk's health, and a bundle without a
 * resident's name or ID number in it.
 */
import { CUNBAN_VERSION } from '../../../core/version.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { screen, waitFor, within } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ok } from '../../../core/result.js';
import { validatedHandler } from '../../../electron/ipc.js';
import { technicianPin } from '../../../electron/technician-pin.js';
import { startTestHub, type TestHub } from '../../sync-server/hub-harness.js';
import { bridgeToMain } from '../../support/shell-main.js';
import { restartCounter, signedInCounter, type Counter, type TestShell } from './harness.js';
import { registerThroughData } from './register-helper.js';
import { issueEnrollmentCode, revokeKiosk } from '../../../sync-server/kiosks.js';

let hub: TestHub;
let counter: Counter | undefined;
const dir = mkdtempSync(join(tmpdir(), 'cunban-technician-'));

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterEach(async () => {
  await counter?.close();
  counter = undefined;
});
afterAll(async () => {
  await hub.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The Electron host: main's PIN store and diagnostics save, through validated handlers and the bridge. */
function electronHost(saved: string[]) {
  const pin = technicianPin({ file: join(dir, `pin-${String(Date.now())}.json`) });
  const bridge = bridgeToMain({
    hasTechnicianPin: validatedHandler('hasTechnicianPin', async () => ok(await pin.isSet())),
    checkTechnicianPin: validatedHandler('checkTechnicianPin', (typed) => pin.check(typed)),
    setTechnicianPin: validatedHandler('setTechnicianPin', (typed) => pin.set(typed)),
    leaveKioskMode: validatedHandler('leaveKioskMode', (typed) => pin.check(typed)),
    saveDiagnosticBundle: validatedHandler('saveDiagnosticBundle', (bundle) => {
      saved.push(bundle.content);
      return Promise.resolve(ok({ path: `/media/usb/${bundle.fileName}` }));
    }),
  });
  return (shell: TestShell): TestShell => ({
    ...shell,
    technician: {
      hasTechnicianPin: bridge.hasTechnicianPin,
      checkTechnicianPin: bridge.checkTechnicianPin,
      setTechnicianPin: bridge.setTechnicianPin,
      leaveKioskMode: bridge.leaveKioskMode,
    },
    saveDiagnosticBundle: bridge.saveDiagnosticBundle,
  });
}

describe('technician diagnostics', () => {
  it('need the technician PIN (set on first use), show the health, and export a bundle with no personal data', async () => {
    const saved: string[] = [];
    counter = await signedInCounter(hub, { host: electronHost(saved) });
    await registerThroughData(counter, { itemCode: 'MZ-01', name: '欧阳秀兰', outcome: 'forward', idNumber: '42282219671130019X' });
    const { user } = counter;
    await user.keyboard('{Alt>}l{/Alt}');
    await user.click(await screen.findByRole('button', { name: '技术员诊断' }));

    // First use: set a PIN (a short one is refused), then it is asked for every time.
    await user.type(await screen.findByLabelText('设置技术员PIN（6至12位数字）'), '1234');
    await user.click(screen.getByRole('button', { name: '设置并进入诊断' }));
    expect(await screen.findByText('技术员PIN为6至12位数字')).toBeTruthy();
    await user.type(screen.getByLabelText('设置技术员PIN（6至12位数字）'), '24681357');
    await user.click(screen.getByRole('button', { name: '设置并进入诊断' }));

    const report = await screen.findByTestId('diagnostics');
    await waitFor(() => {
      expect(within(report).getByText(/可以连接，响应\d+毫秒（HTTP 200）/)).toBeTruthy();
    });
    // This test kiosk was enrolled into browser storage (the vault has its own tests): the report says so.
    expect(report.textContent).toContain('浏览器模式：未加密保存，不可用于村便民服务室');
    expect(report.textContent).toContain(`程序 0.1.0-test · 事项目录 v2 · 案卷格式 v1 · 平台 ${CUNBAN_VERSION}`);
    expect(report.textContent).toContain('县里要求的最低版本未设定');

    await user.click(screen.getByRole('button', { name: '导出诊断包（不含个人信息）' }));
    expect((await screen.findByRole('status')).textContent).toMatch(/诊断包已保存：\/media\/usb\/cunban-diagnostics-kiosk-422822100202-\d{2}-\d{14}\.json/);
    expect(saved).toHaveLength(1);
    const bundle = saved[0] ?? '';
    expect(JSON.parse(bundle)).toMatchObject({ kind: 'cunban.diagnostics', casesByStatus: { forwarded: 1 } });
    for (const personal of ['欧阳秀兰', '42282219671130019X', '王芳']) expect(bundle).not.toContain(personal);

    // Leaving kiosk mode checks the PIN again.
    await user.type(screen.getAllByLabelText('技术员PIN').at(-1) as HTMLElement, '00000000');
    await user.click(screen.getByRole('button', { name: '退出全屏（维护）' }));
    expect(await screen.findByText('技术员PIN不正确')).toBeTruthy();
  }, 60_000);

  it('the wrong PIN opens nothing', async () => {
    counter = await signedInCounter(hub, { host: electronHost([]) });
    const { user } = counter;
    await user.keyboard('{Alt>}l{/Alt}');
    await user.click(await screen.findByRole('button', { name: '技术员诊断' }));
    await user.type(await screen.findByLabelText('设置技术员PIN（6至12位数字）'), '24681357');
    await user.click(screen.getByRole('button', { name: '设置并进入诊断' }));
    await screen.findByTestId('diagnostics');
    await user.click(screen.getByRole('button', { name: '返回' }));
    await user.click(await screen.findByRole('button', { name: '技术员诊断' }));
    await user.type(await screen.findByLabelText('技术员PIN'), '11111111');
    await user.click(screen.getByRole('button', { name: '进入诊断' }));
    expect(await screen.findByText('技术员PIN不正确')).toBeTruthy();
    expect(screen.queryByTestId('diagnostics')).toBeNull();
  }, 60_000);

  it('in browser mode open without a PIN, and a move to another village says what is wrong before anything changes', async () => {
    counter = await signedInCounter(hub);
    const { user } = counter;
    await user.keyboard('{Alt>}l{/Alt}');
    await user.click(await screen.findByRole('button', { name: '技术员诊断' }));
    await screen.findByTestId('diagnostics');
    expect(screen.queryByRole('heading', { name: '退出全屏（维护）' })).toBeNull(); // no kiosk mode in a browser
    await user.type(screen.getByLabelText('新村（社区）的注册码'), 'K7QX-4M2P');
    await user.click(screen.getByRole('button', { name: '移至新村' }));
    expect(await screen.findByText('注册码应为12位字母和数字，例如 K7QX-4M2P-9TRW')).toBeTruthy();
    expect((await counter.shell.secrets.load())?.village).toBe('422822100202');
  }, 60_000);

  it('re-enroll the kiosk in place when the hub refuses its credential: same id, same cases, a new number, and sync resumes', async () => {
    counter = await signedInCounter(hub);
    const { user, data } = counter;
    const before = data.enrollment;
    const registered = await registerThroughData(counter, { itemCode: 'MZ-01', name: '张三', outcome: 'forward' });
    expect((await data.sync.syncNow()).ok).toBe(true);
    // Revoked (a restored hub refuses a credential it never knew the same way).
    expect((await revokeKiosk(hub.hub.store, before.kioskId, new Date())).ok).toBe(true);
    expect((await data.sync.syncNow()).ok).toBe(false);
    expect(await screen.findByText('县级平台不接受本终端的注册凭据（已注销，或平台从备份恢复）。请技术员在诊断页重新注册本终端')).toBeTruthy();

    await user.keyboard('{Alt>}l{/Alt}');
    await user.click(await screen.findByRole('button', { name: '技术员诊断' }));
    await screen.findByTestId('diagnostics');
    // A code for another kiosk is refused before anything changes, and stays usable.
    const forNew = await issueEnrollmentCode(hub.hub.store, before.village, new Date());
    if (!forNew.ok) throw new Error('fixture');
    await user.type(screen.getByLabelText('本终端的注册码'), forNew.value.code);
    await user.click(screen.getByRole('button', { name: '重新注册' }));
    expect(await screen.findByText(/此注册码不是本终端的/)).toBeTruthy();
    expect(await counter.shell.secrets.load()).toMatchObject({ kioskId: before.kioskId, kioskNumber: before.kioskNumber });

    const forMe = await issueEnrollmentCode(hub.hub.store, before.village, new Date(), undefined, before.kioskId);
    if (!forMe.ok) throw new Error('fixture');
    await user.clear(screen.getByLabelText('本终端的注册码'));
    await user.type(screen.getByLabelText('本终端的注册码'), forMe.value.code);
    await user.click(screen.getByRole('button', { name: '重新注册' }));
    await waitFor(
      async () => {
        expect((await counter?.shell.secrets.load())?.kioskNumber).not.toBe(before.kioskNumber);
      },
      { timeout: 20_000 },
    );
    const after = await counter.shell.secrets.load();
    expect(after?.kioskId).toBe(before.kioskId);

    // Started again (the page reloads): the same database, syncing with the new credential, numbering under the new number.
    counter = await restartCounter(counter);
    await counter.user.type(screen.getByLabelText('PIN码'), '2580{Enter}');
    await screen.findByRole('navigation', { name: '主菜单' });
    const kept = counter.shell.opened.at(-1);
    if (!kept) throw new Error('no data');
    expect((await kept.cases.get(registered))?.caseNumber).toBe(registered);
    expect((await kept.sync.syncNow()).ok).toBe(true);
    counter = { ...counter, data: kept };
    const next = await registerThroughData(counter, { itemCode: 'MZ-01', name: '李四', outcome: 'forward' });
    expect(next).toContain(`-${String(after?.kioskNumber).padStart(2, '0')}-`);
  }, 90_000);
});
