// @vitest-environment jsdom
/** First run: enrolling with the hub, each refusal explained in the clerk's language. */
import { render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KioskRoot } from '../../../renderer/kiosk/root.js';
import { issueEnrollmentCode } from '../../../sync-server/kiosks.js';
import { enrollmentTicket } from '../../../sync-server/demo.js';
import { startTestHub, storeForwardedCase, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { enrollmentService } from '../../../electron/enrollment-service.js';
import { enrollmentVault } from '../../../electron/enrollment-vault.js';
import { storageKeyVault } from '../../../electron/storage-keys.js';
import { validatedHandler, type IpcSender } from '../../../electron/ipc.js';
import { loadKeyRing, unsealOnHub } from '../../../sync-server/keyring.js';
import { BROWSER_FALLBACK_KEY } from '../../../renderer/data/key-store.js';
import { electronShell, mainKeys } from '../../../renderer/kiosk/electron-shell.js';
import { bridgeToMain, fakeKeychain } from '../../support/shell-main.js';
import { memoryStorage, testShell, type TestShell } from './harness.js';

let hub: TestHub;
let shell: TestShell | undefined;
let unmount: (() => void) | undefined;

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterEach(async () => {
  unmount?.();
  await Promise.all(shell?.opened.map((data) => data.close()) ?? []);
});
afterAll(async () => {
  await hub.close();
});

async function setupScreen(withShell: TestShell = testShell()) {
  shell = withShell;
  const view = render(<KioskRoot shell={shell} />);
  unmount = () => {
    view.unmount();
  };
  await screen.findByRole('heading', { name: '终端注册' });
  const user = userEvent.setup();
  const hubField = screen.getByLabelText('县级平台地址');
  await user.clear(hubField);
  await user.type(hubField, `${hub.base}/`);
  return user;
}

describe('the setup screen', () => {
  it('explains a malformed code, an unknown one, a used one and an unreachable hub', async () => {
    const user = await setupScreen();
    const code = screen.getByLabelText('注册码');
    await user.type(code, 'K7QX-4M2P');
    await user.click(screen.getByRole('button', { name: '注册本终端' }));
    expect(await screen.findByText('注册码应为12位字母和数字，例如 K7QX-4M2P-9TRW')).toBeTruthy();
    await user.clear(code);
    await user.type(code, 'K7QX-4M2P-9TRW');
    await user.click(screen.getByRole('button', { name: '注册本终端' }));
    expect(await screen.findByText('注册码不存在，请核对后重新输入')).toBeTruthy();
    const issued = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error(issued.error.reason);
    const enrolled = await hub.call('POST', '/api/enroll', { body: { code: issued.value.code } });
    expect(enrolled.status).toBe(201);
    await user.clear(code);
    await user.type(code, issued.value.code);
    await user.click(screen.getByRole('button', { name: '注册本终端' }));
    expect(await screen.findByText('该注册码已经使用过，请向技术员索取新的注册码')).toBeTruthy();
    const hubField = screen.getByLabelText('县级平台地址');
    await user.clear(hubField);
    await user.type(hubField, 'http://127.0.0.1:9/');
    await user.click(screen.getByRole('button', { name: '注册本终端' }));
    expect(await screen.findByText('连接不上县级平台（http://127.0.0.1:9/），请检查网络后重试')).toBeTruthy();
    // What was typed stays for the next try.
    expect(screen.getByLabelText<HTMLInputElement>('注册码').value).toBe(issued.value.code);
    expect(await shell?.secrets.load()).toBeUndefined();
  }, 60_000);

  it('enrolls with a code typed the way people type it, keeps the secrets, and asks for the first clerk', async () => {
    const user = await setupScreen();
    const issued = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error(issued.error.reason);
    await user.type(screen.getByLabelText('注册码'), issued.value.code.replaceAll('-', ' ').toLowerCase());
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: '创建第一个办事员账号' })).toBeTruthy();
    const saved = await shell?.secrets.load();
    expect(saved?.village).toBe(VILLAGE_A);
    expect(saved?.kioskId).toMatch(/^kiosk-422822100202-\d{2}$/);
  }, 60_000);

  it("takes a scanned QR ticket (hub and code), and a replacement kiosk receives the village's open cases", async () => {
    const user = await setupScreen();
    const predecessor = await hub.enroll(VILLAGE_A);
    await storeForwardedCase(hub, predecessor, '赵六');
    // What `cunban-hub enroll` puts in the QR code; a handheld scanner types it into the focused field.
    const issued = await enrollmentTicket(hub.hub.store, VILLAGE_A, `${hub.base}/`, 3600_000);
    if (!issued.ok) throw new Error(issued.error.message);
    await user.clear(screen.getByLabelText('县级平台地址'));
    await user.click(screen.getByLabelText('注册码'));
    await user.paste(issued.value.qr);
    await user.keyboard('{Enter}');
    expect(await screen.findByRole('heading', { name: '创建第一个办事员账号' })).toBeTruthy();
    const pull = await screen.findByTestId('initial-pull');
    await waitFor(
      () => {
        expect(pull.textContent).toMatch(/服务事项目录：已收到（76项）/);
        expect(pull.textContent).toMatch(/本村案卷：已收到[1-9]\d*件，其中办理中[1-9]\d*件/);
      },
      { timeout: 20_000 },
    );
  }, 60_000);

  describe('inside the Cunban shell (Electron)', () => {
    /**
     * main's real handlers (sender check, schemas, vault, enrollment service) behind the real preload
     * bridge; only Electron itself is absent. Its `webRequest` hook is stood in for by a fetch that asks
     * main's `authorizationFor`, as the hook does. Everything main answered the page is recorded.
     */
    async function shellWithMain(keychainAvailable: boolean) {
      const dir = mkdtempSync(join(tmpdir(), 'cunban-main-'));
      const vault = enrollmentVault({ safeStorage: fakeKeychain(keychainAvailable), file: join(dir, 'enrollment.bin') });
      const storageKeys = storageKeyVault({ safeStorage: fakeKeychain(keychainAvailable), file: join(dir, 'storage-keys.bin') });
      const service = await enrollmentService({ vault, storageKeys, fetch: (url, init) => fetch(url, init) });
      const answered: unknown[] = [];
      const recorded =
        <A,>(handler: (event: IpcSender, argument: A) => Promise<unknown>) =>
        async (event: IpcSender, argument: A) => {
          const answer = await handler(event, argument);
          answered.push(answer);
          return answer;
        };
      const bridge = bridgeToMain({
        enroll: recorded(validatedHandler('enroll', (request) => service.enroll(request))),
        loadEnrollment: recorded(validatedHandler('loadEnrollment', () => service.load())),
        saveEnrollment: recorded(validatedHandler('saveEnrollment', (which) => service.save(which))),
        sealApplicant: recorded(validatedHandler('sealApplicant', (request) => service.sealApplicant(request))),
        revealIdNumber: recorded(validatedHandler('revealIdNumber', (request) => service.revealIdNumber(request))),
        blindIndex: recorded(validatedHandler('blindIndex', (request) => service.blindIndex(request))),
        storageKey: validatedHandler('storageKey', (request) => service.storageKey(request)),
      });
      const pageRequests: Headers[] = [];
      const throughMain: typeof fetch = (input, init) => {
        const headers = new Headers(init?.headers);
        pageRequests.push(new Headers(headers));
        const authorization = service.authorizationFor(input instanceof Request ? input.url : String(input));
        if (authorization) headers.set('authorization', authorization);
        return fetch(input, { ...init, headers });
      };
      const pageStorage = memoryStorage();
      const base = testShell({
        fetch: throughMain,
        keysFor: (enrollment) => mainKeys(bridge, enrollment.kioskId),
        storageKey: async (kioskId) => {
          const key = await bridge.storageKey({ kioskId });
          if (!key.ok) throw new Error(key.error.message);
          return key.value;
        },
      });
      const inElectron: TestShell = { ...base, ...electronShell(bridge, pageStorage), openData: (enrollment, options) => base.openData(enrollment, options) };
      return { shell: inElectron, vault, pageStorage, dir, answered, pageRequests, bridge };
    }

    /** The technician enrolls at the setup screen with a fresh code, up to the first-clerk screen. */
    async function enrollOnScreen(withShell: TestShell): Promise<void> {
      const user = await setupScreen(withShell);
      const issued = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date());
      if (!issued.ok) throw new Error(issued.error.reason);
      await user.type(screen.getByLabelText('注册码'), issued.value.code);
      await user.keyboard('{Enter}');
      expect(await screen.findByRole('heading', { name: '创建第一个办事员账号' })).toBeTruthy();
    }

    it("keeps the enrollment in the keychain through main, and nothing in the page's storage", async () => {
      const main = await shellWithMain(true);
      await enrollOnScreen(main.shell);
      const kept = await main.vault.load();
      expect(kept.ok && kept.value?.village).toBe(VILLAGE_A);
      expect(main.pageStorage.getItem(BROWSER_FALLBACK_KEY)).toBeNull();
      rmSync(main.dir, { recursive: true, force: true });
    }, 60_000);

    it('never hands the page its credential or keys, yet the page seals, reveals, finds and syncs through main', async () => {
      const main = await shellWithMain(true);
      await enrollOnScreen(main.shell);
      const kept = await main.vault.load();
      if (!kept.ok || !kept.value) throw new Error('nothing kept');
      const secrets = [kept.value.authorization, kept.value.dataKeys.blindIndexKey, ...kept.value.dataKeys.keys.map((key) => key.key)];

      const data = main.shell.opened[0];
      if (!data) throw new Error('no data opened');
      expect(data.enrollment.authorization).toBeUndefined();
      expect(data.enrollment.dataKeys).toBeUndefined();
      const applicant = await data.sealApplicant({ name: '赵六', idNumber: '42282219671130019x', phone: '13900002222' });
      expect(applicant.idNumber.kid).toBe(kept.value.dataKeys.current);
      expect(await data.revealIdNumber(applicant)).toEqual({ ok: true, value: '42282219671130019X' });
      // Sealed in main with the village's keys: the hub opens it for an audited reveal.
      expect(unsealOnHub(loadKeyRing(hub.config.dataDir), 'idNumber', applicant.idNumber)).toBe('42282219671130019X');
      expect((await data.sync.syncNow()).ok).toBe(true);
      expect(await data.findByIdNumber('42282219671130019X')).toEqual([]);

      // Nothing main answered the page, and no request the page made, carried a secret.
      const toPage = JSON.stringify(main.answered);
      for (const secret of secrets) expect(toPage).not.toContain(secret);
      expect(main.pageRequests.length).toBeGreaterThan(0);
      expect(main.pageRequests.every((headers) => !headers.has('authorization'))).toBe(true);
      rmSync(main.dir, { recursive: true, force: true });
    }, 60_000);

    it('without a keychain, says so and enrolls nothing', async () => {
      const main = await shellWithMain(false);
      const user = await setupScreen(main.shell);
      const issued = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date());
      if (!issued.ok) throw new Error(issued.error.reason);
      await user.type(screen.getByLabelText('注册码'), issued.value.code);
      await user.keyboard('{Enter}');
      expect((await screen.findByRole('alert')).textContent).toContain('本终端无法安全保存注册凭据：The system keychain is not available');
      expect(screen.getByRole('heading', { name: '终端注册' })).toBeTruthy();
      expect(await main.vault.load()).toEqual({ ok: true, value: null });
      rmSync(main.dir, { recursive: true, force: true });
    }, 60_000);
  });
});
