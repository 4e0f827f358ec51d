/**
 * The counter's screens in jsdom against a real embedded hub: a kiosk enrolled through the hub's API,
 * its RxDB on fake-indexeddb, and a shell that keeps secrets and preferences in memory and counts
 * print requests. Nothing of Cunban's own is mocked.
 */
import { render, screen, waitFor, type RenderResult } from '@testing-library/react';
import { userEvent, type UserEvent } from '@testing-library/user-event';
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import { Blob as NodeBlob } from 'node:buffer';
import { firstValueFrom } from 'rxjs';
import { expect } from 'vitest';
import type { KioskEnrollment } from '../../../core/api/enrollment.js';
import type { KioskKeys } from '../../../renderer/data/kiosk-keys.js';
import type { PrintOutcome } from '../../../core/api/shell.js';
import { enrollWithHub } from '../../../renderer/data/enroll.js';
import { browserFallbackSecrets } from '../../../renderer/data/key-store.js';
import { openKioskData, type KioskData } from '../../../renderer/data/kiosk-data.js';
import { kioskDatabaseName, removeKioskDatabase } from '../../../renderer/data/kiosk-database.js';
import { KioskRoot } from '../../../renderer/kiosk/root.js';
import type { KioskShell } from '../../../renderer/kiosk/shell.js';
import { issueEnrollmentCode } from '../../../sync-server/kiosks.js';
import { TEST_APP_VERSION, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';

// jsdom's Blob hands RxDB ArrayBuffers from jsdom's realm, which Node's WebCrypto refuses to hash; a
// browser has one realm. Node's own Blob keeps attachments working here as they do in Chromium.
globalThis.Blob = NodeBlob as unknown as typeof Blob;

export function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => {
      values.set(key, value);
    },
    removeItem: (key) => {
      values.delete(key);
    },
  };
}

export interface TestShell extends KioskShell {
  /** The kiosk data the screens opened, once they have. */
  readonly opened: KioskData[];
  /** How often the screens printed; `outcome` is what the next print answers (a host with no printer answers a PDF). */
  readonly printed: { count: number; outcome: PrintOutcome };
}

/**
 * `indexedDB`: the kiosk's disk (a prepared one); `fetch`: its line to the hub; `keysFor` and `storageKey`:
 * where a host keeps the village's keys and the database's key (the page's own secrets otherwise).
 */
export function testShell(
  options: {
    readonly indexedDB?: IDBFactory;
    readonly fetch?: typeof globalThis.fetch;
    readonly keysFor?: (enrollment: KioskEnrollment) => KioskKeys;
    readonly storageKey?: (kioskId: string) => Promise<string>;
  } = {},
): TestShell {
  const indexedDB = options.indexedDB ?? new IDBFactory();
  const opened: KioskData[] = [];
  const printed: TestShell['printed'] = { count: 0, outcome: {} };
  const secrets = browserFallbackSecrets(new IDBFactory());
  const storageKey = options.storageKey ?? ((kioskId: string) => secrets.storageKey(kioskId));
  return {
    secrets,
    appVersion: '0.1.0-test',
    preferences: memoryStorage(),
    opened,
    printed,
    async openData(enrollment: KioskEnrollment, openOptions?: { readonly fresh?: boolean }) {
      const data = await openKioskData({
        enrollment,
        storageKey: await storageKey(enrollment.kioskId),
        appVersion: TEST_APP_VERSION,
        indexedDB,
        IDBKeyRange,
        freshEnrollment: openOptions?.fresh === true,
        ...(options.fetch ? { fetch: options.fetch } : {}),
        ...(options.keysFor ? { keys: options.keysFor(enrollment) } : {}),
      });
      opened.push(data);
      return data;
    },
    print() {
      printed.count += 1;
      return Promise.resolve(printed.outcome);
    },
    removeData: (kioskId) => removeKioskDatabase({ name: kioskDatabaseName(kioskId), indexedDB, IDBKeyRange }),
  };
}

export async function enrolledShell(hub: TestHub, options: Parameters<typeof testShell>[0] = {}): Promise<TestShell> {
  const issued = await issueEnrollmentCode(hub.hub.store, VILLAGE_A, new Date());
  if (!issued.ok) throw new Error(issued.error.reason);
  const enrolled = await enrollWithHub(`${hub.base}/`, issued.value.code, '0.1.0-test');
  if (!enrolled.ok) throw new Error(enrolled.error.code);
  const shell = testShell(options);
  await shell.secrets.save(enrolled.value);
  return shell;
}

export interface Counter {
  readonly shell: TestShell;
  readonly user: UserEvent;
  readonly view: RenderResult;
  readonly data: KioskData;
  close(): Promise<void>;
}

/**
 * An enrolled kiosk with its first clerk (王芳, PIN 2580) signed in and the county catalog received; `host` adds what a
 * host (the Electron shell) provides; `shell`: an enrolled shell prepared by the test instead of a new kiosk.
 */
export async function signedInCounter(
  hub: TestHub,
  options: { idleLockMs?: number; host?: (shell: TestShell) => TestShell; shell?: TestShell } = {},
): Promise<Counter> {
  const enrolled = options.shell ?? (await enrolledShell(hub));
  const shell = options.host ? options.host(enrolled) : enrolled;
  const user = userEvent.setup();
  const view = render(<KioskRoot shell={shell} {...(options.idleLockMs ? { idleLockMs: options.idleLockMs } : {})} />);
  await screen.findByRole('heading', { name: '创建第一个办事员账号' });
  await user.type(screen.getByLabelText('姓名'), '王芳');
  await user.type(screen.getByLabelText('PIN码'), '2580');
  await user.type(screen.getByLabelText('再次输入PIN码'), '2580');
  await user.click(screen.getByRole('button', { name: '创建账号' }));
  await screen.findByRole('navigation', { name: '主菜单' });
  const counter = counterOf(shell, view, user);
  // The county catalog is here: pulled from the hub, and read on this device.
  await waitFor(
    async () => {
      expect((await firstValueFrom(counter.data.county$)).catalog).toBeDefined();
    },
    { timeout: 20_000 },
  );
  return counter;
}

function counterOf(shell: TestShell, view: RenderResult, user: UserEvent): Counter {
  const data = shell.opened.at(-1);
  if (!data) throw new Error('the screens did not open the kiosk data');
  return {
    shell,
    user,
    view,
    data,
    async close() {
      view.unmount();
      await Promise.all(shell.opened.map((opened) => opened.close()));
    },
  };
}

/** The same kiosk started again, as after a power cut: same storage and secrets, new screens. */
export async function restartCounter(previous: Counter): Promise<Counter> {
  await previous.close();
  const view = render(<KioskRoot shell={previous.shell} />);
  await screen.findByRole('heading', { name: /^(办事员登录|Clerk sign-in)$/ });
  return counterOf(previous.shell, view, userEvent.setup());
}
