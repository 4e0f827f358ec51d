// @vitest-environment jsdom
/** Clerks at the counter: PIN sign-in that works offline, lockout of guessing, and the idle lock that loses nothing. */
import { screen, waitFor } from '@testing-library/react';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../../sync-server/hub-harness.js';
import { restartCounter, signedInCounter, type Counter } from './harness.js';

let hub: TestHub;
let counter: Counter | undefined;

beforeAll(async () => {
  hub = await startTestHub();
}, 60_000);
afterEach(async () => {
  await counter?.close();
  counter = undefined;
});
afterAll(async () => {
  await hub.close();
});

describe('clerk accounts', () => {
  it('refuse weak and mismatched PINs with the reason, and add a second clerk from inside the counter', async () => {
    counter = await signedInCounter(hub);
    const { user } = counter;
    await user.click(screen.getByRole('button', { name: '办事员账号' }));
    await user.type(screen.getByLabelText('姓名'), '王芳');
    await user.type(screen.getByLabelText('PIN码'), '1357');
    await user.type(screen.getByLabelText('再次输入PIN码'), '1357');
    await user.click(screen.getByRole('button', { name: '创建账号' }));
    expect(await screen.findByText('已有名为“王芳”的账号')).toBeTruthy();
    await user.clear(screen.getByLabelText('姓名'));
    await user.type(screen.getByLabelText('姓名'), '刘洋');
    await user.clear(screen.getByLabelText('PIN码'));
    await user.type(screen.getByLabelText('PIN码'), '4444');
    await user.click(screen.getByRole('button', { name: '创建账号' }));
    expect(await screen.findByText('PIN码太容易被猜到（全部相同或连续），请换一个')).toBeTruthy();
    await user.clear(screen.getByLabelText('PIN码'));
    await user.type(screen.getByLabelText('PIN码'), '13579');
    await user.click(screen.getByRole('button', { name: '创建账号' }));
    expect(await screen.findByText('两次输入的PIN码不一致')).toBeTruthy();
    await user.clear(screen.getByLabelText('再次输入PIN码'));
    await user.type(screen.getByLabelText('再次输入PIN码'), '13579');
    await user.click(screen.getByRole('button', { name: '创建账号' }));
    await waitFor(async () => {
      expect((await counter?.data.clerks.list())?.map((clerk) => clerk.name)).toEqual(['王芳', '刘洋']);
    });
  }, 60_000);

  it('sign in with a PIN after a restart, and lock out guessing for five minutes', async () => {
    counter = await restartCounter(await signedInCounter(hub));
    const { user } = counter;
    for (const left of [4, 3, 2, 1]) {
      await user.type(screen.getByLabelText('PIN码'), '0000{Enter}');
      expect(await screen.findByText(`PIN码不正确，还可以尝试${String(left)}次`)).toBeTruthy();
    }
    await user.type(screen.getByLabelText('PIN码'), '0000{Enter}');
    expect(await screen.findByText('错误次数过多，账号已锁定，请5分钟后再试')).toBeTruthy();
    // Even the right PIN is not checked while locked out, and the lock survives a restart.
    counter = await restartCounter(counter);
    await counter.user.type(screen.getByLabelText('PIN码'), '2580{Enter}');
    expect(await screen.findByText('错误次数过多，账号已锁定，请5分钟后再试')).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: '主菜单' })).toBeNull();
  }, 60_000);

  it('lock when left idle, and give back the form exactly as it was after the PIN', async () => {
    counter = await signedInCounter(hub, { idleLockMs: 2000 });
    const { user } = counter;
    await user.keyboard('{Alt>}n{/Alt}');
    await user.type(await screen.findByRole('searchbox'), 'db{Enter}');
    await user.type(screen.getByLabelText('申请人姓名'), '张三');
    expect(await screen.findByRole('heading', { name: '终端已锁定，请输入PIN码继续' }, { timeout: 10_000 })).toBeTruthy();
    expect(screen.queryByRole('navigation', { name: '主菜单' })).toBeNull();
    // Shortcuts do nothing behind the lock.
    await user.keyboard('{Alt>}1{/Alt}');
    await user.type(screen.getByLabelText('PIN码'), '2580{Enter}');
    await screen.findByRole('navigation', { name: '主菜单' });
    expect(screen.getByLabelText<HTMLInputElement>('申请人姓名').value).toBe('张三');
    expect(screen.getByTestId('chosen-item').textContent).toBe('最低生活保障（低保）申请');
  }, 60_000);
});
