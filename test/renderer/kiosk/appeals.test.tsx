// @vitest-environment jsdom
/**
 * The village's appeals at the counter (issue 18 §4) against a real hub: the clerk records a resident's
 * appeal (text holding an ID number is refused at its field), passes it on to the town, it reaches the hub
 * by sync, and the town's answer in the console comes back to the kiosk's screen.
 */
import { screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { appealIdOf, type Appeal } from '../../../core/appeal/appeal.js';
import { hallDb } from '../../../sync-server/store/names.js';
import { addReviewer } from '../../../sync-server/users.js';
import { startTestHub, VILLAGE_A, type TestHub } from '../../sync-server/hub-harness.js';
import { reviewerJson, signInReviewer } from '../../sync-server/reviewer-client.js';
import { signedInCounter, type Counter } from './harness.js';

let hub: TestHub | undefined;
let counter: Counter | undefined;

afterEach(async () => {
  await counter?.close();
  await hub?.close();
  counter = undefined;
  hub = undefined;
});

describe('appeals at the counter', () => {
  it('records a resident’s appeal, passes it on to the town, and shows the town’s answer when it syncs back', async () => {
    hub = await startTestHub();
    const t = hub;
    counter = await signedInCounter(t);
    const { user } = counter;
    await user.keyboard('{Alt>}s{/Alt}');
    await screen.findByRole('heading', { name: '诉求与建议' });

    await user.type(screen.getByLabelText('诉求或建议的内容'), '我的身份证422822198001010015补办要多久');
    await user.click(screen.getByRole('button', { name: '登记' }));
    expect(await screen.findByText('内容里有身份证号码：群众会看到，请删去')).toBeTruthy();
    await user.clear(screen.getByLabelText('诉求或建议的内容'));
    await user.type(screen.getByLabelText('诉求或建议的内容'), '三组的水井坏了，全组没有水喝。');
    await user.type(screen.getByLabelText('手机号（可不填，不填即匿名）'), '13900002222');
    await user.click(screen.getByRole('button', { name: '登记' }));
    const raised = await screen.findByText(/已登记，查询码 [2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}，先由村答复/);
    const code = /([2-9A-HJ-NP-Z]{4})-([2-9A-HJ-NP-Z]{4})/.exec(raised.textContent)?.slice(1).join('') ?? '';

    const item = await waitFor(() => {
      const found = document.querySelector(`[data-appeal="${code}"]`);
      if (!found) throw new Error('not listed yet');
      return found as HTMLElement;
    });
    expect(item.textContent).toContain('待答复');
    expect(item.textContent).toContain('139****2222');
    expect(item.textContent).not.toContain('13900002222');
    await user.type(within(item).getByLabelText('村里的答复（群众会看到）'), '需要镇里安排维修队。');
    await user.click(within(item).getByRole('button', { name: '转交镇里' }));
    await waitFor(() => {
      expect(item.textContent).toContain('由乡镇办理');
    });

    // Up by sync; the town answers in the console; down by sync.
    const onHub = async () => {
      const stored = await t.hub.store.getDoc<Appeal>(hallDb(VILLAGE_A), appealIdOf(code));
      return stored.ok ? stored.value : undefined;
    };
    await waitFor(
      async () => {
        expect((await onHub())?.events.map((event) => event.type)).toEqual(['passedOn']);
      },
      { timeout: 20_000 },
    );
    expect(JSON.stringify(await onHub())).not.toContain('13900002222');
    await addReviewer(t.hub.store, { name: 'yezhou', displayName: '李强', role: 'town', town: '422822100000', password: 'yezhou-secret-1' }, new Date());
    const town = await signInReviewer(t, 'yezhou', 'yezhou-secret-1');
    const answered = await reviewerJson(t, town, 'POST', `/api/review/appeals/${VILLAGE_A}/${code}/events`, { type: 'replied', text: '维修队明天上午到。' });
    expect(answered.status).toBe(200);
    await waitFor(
      () => {
        expect(item.textContent).toContain('维修队明天上午到。');
      },
      { timeout: 20_000 },
    );
    expect(item.textContent).toContain('已答复');
    // Held by the town now: the village has nothing to answer.
    expect(within(item).queryByRole('button', { name: '答复' })).toBeNull();
  }, 90_000);
});
