/**
 * A technician installs a kiosk, in Debian's Chromium (browser mode): a code from `cunban-hub enroll` (the
 * real CLI, against the running hub), the setup screen, the first download shown, the first clerk, a case;
 * then the technician's diagnostics with the counter locked, and the diagnostic bundle downloaded —
 * with no name or ID number of the resident in it; and a second kiosk enrolled by showing the QR ticket to its
 * (fake) camera. Screenshots go to test-results/screenshots/technician-e2e/.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, VILLAGE_A, type TestHub } from '../sync-server/hub-harness.js';
import { buildAppsForTest } from '../support/apps-build.js';
import { openChromium, type BrowserRun } from '../support/chromium.js';
import { writeQrVideo } from '../support/qr-video.js';
import { registerAtKeyboard } from './kiosk-steps.js';

let hub: TestHub;
let appsDir: string;
let run: BrowserRun;
const base = () => `http://localhost:${String(hub.hub.port)}`;

beforeAll(async () => {
  appsDir = await buildAppsForTest();
  hub = await startTestHub({ config: { appsDir } });
  run = await openChromium('technician-e2e');
}, 120_000);

afterAll(async () => {
  await run.close();
  await hub.close();
  rmSync(appsDir, { recursive: true, force: true });
});

/** `cunban-hub enroll --village … --json`, as the technician runs it on the county's hub machine. */
async function enrollWithCli(village: string): Promise<{ code: string; qr: string }> {
  const env = {
    ...process.env,
    CUNBAN_DATA_DIR: hub.config.dataDir,
    CUNBAN_DB_PREFIX: hub.config.dbPrefix,
    CUNBAN_PUBLIC_URL: `${base()}/`,
  };
  const { stdout } = await promisify(execFile)(process.execPath, ['bin/cunban-hub.js', 'enroll', '--village', village, '--json'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env,
    timeout: 60_000,
  });
  return JSON.parse(stdout) as { code: string; qr: string };
}

describe('installing a kiosk', () => {
  it('enrolls with a code from cunban-hub enroll, shows the first download, creates the first clerk', async () => {
    const { code, qr } = await enrollWithCli(VILLAGE_A);
    expect(JSON.parse(qr)).toMatchObject({ hub: `${base()}/`, code });
    const page = run.page;
    await page.goto(`${base()}/kiosk/`);
    await page.getByLabel('注册码').fill(code.toLowerCase().replaceAll('-', ' '));
    await run.screenshot('setup');
    await page.getByRole('button', { name: '注册本终端' }).click();
    await page.getByRole('heading', { name: '创建第一个办事员账号' }).waitFor();
    await expect.poll(() => page.getByTestId('initial-pull').textContent(), { timeout: 20_000 }).toContain('服务事项目录：已收到（76项）');
    await run.screenshot('first-download');
    await page.getByLabel('姓名').fill('王芳');
    await page.getByLabel('PIN码', { exact: true }).fill('2580');
    await page.getByLabel('再次输入PIN码').fill('2580');
    await page.getByRole('button', { name: '创建账号' }).click();
    await page.locator('.counter-header').waitFor();
    await registerAtKeyboard(page, { search: 'db', name: '欧阳秀兰', idNumber: '42282219671130019X' });
  }, 90_000);

  it('opens diagnostics with the counter locked and downloads a bundle without personal data', async () => {
    const page = run.page;
    await page.keyboard.press('Alt+L');
    await page.getByRole('button', { name: '技术员诊断' }).click();
    const report = page.getByTestId('diagnostics');
    await expect.poll(() => report.textContent(), { timeout: 20_000 }).toMatch(/可以连接，响应\d+毫秒（HTTP 200）/);
    expect(await report.textContent()).toContain('浏览器模式：未加密保存');
    await run.screenshot('diagnostics');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '导出诊断包（不含个人信息）' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^cunban-diagnostics-kiosk-422822100202-\d{2}-\d{14}\.json$/);
    const bundle = readFileSync(await download.path(), 'utf8');
    expect(JSON.parse(bundle)).toMatchObject({ kind: 'cunban.diagnostics', kiosk: { village: VILLAGE_A } });
    for (const personal of ['欧阳秀兰', '42282219671130019X', '王芳']) expect(bundle).not.toContain(personal);
    expect(run.errors).toEqual([]);
  }, 60_000);

  it('enrolls a second kiosk by holding the QR ticket up to the camera', async () => {
    const { qr } = await enrollWithCli(VILLAGE_A);
    const video = join(mkdtempSync(join(tmpdir(), 'cunban-camera-')), 'ticket.y4m');
    writeQrVideo(qr, video);
    const camera = await openChromium('technician-camera-e2e', [
      '--use-fake-ui-for-media-stream',
      '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${video}`,
    ]);
    try {
      await camera.page.goto(`${base()}/kiosk/`);
      await camera.page.getByRole('button', { name: '用摄像头扫描注册二维码' }).click();
      await camera.page.getByRole('heading', { name: '创建第一个办事员账号' }).waitFor({ timeout: 20_000 });
      await camera.screenshot('enrolled-by-camera');
      expect(camera.errors).toEqual([]);
    } finally {
      await camera.close();
      rmSync(dirname(video), { recursive: true, force: true });
    }
  }, 60_000);
});
