/** Decisions written on the hub: appended through core/'s rules, retried on 409, never overwriting anyone's events. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventDraft } from '../../core/case/append.js';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { villageDb } from '../../sync-server/store/names.js';
import { actors } from '../core/fixtures.js';
import { caseFor, startTestHub, VILLAGE_A, type EnrolledKiosk, type TestHub } from './hub-harness.js';

let hub: TestHub;
let kiosk: EnrolledKiosk;

beforeAll(async () => {
  hub = await startTestHub();
  kiosk = await hub.enroll(VILLAGE_A);
}, 60_000);
afterAll(async () => {
  await hub.close();
});

const note = (id: string, text: string): EventDraft => ({ id, at: new Date().toISOString(), actor: actors.town, type: 'note', payload: { text } });

async function storedCase() {
  const doc = caseFor(kiosk, {
    extra: [
      {
        id: `fwd-${String(Date.now())}`,
        at: '2026-11-26T01:05:00.000Z',
        actor: { id: `${kiosk.kioskId}/clerk-1`, name: '王芳', level: 'village' },
        type: 'forwarded',
        payload: { to: 'town' },
      },
    ],
  });
  const put = await hub.hub.store.putDoc(villageDb(VILLAGE_A), doc);
  if (!put.ok) throw new Error(put.error.reason);
  return doc._id;
}

describe('appending an event on the hub', () => {
  it('writes a decision the rules allow, and refuses one they do not', async () => {
    const caseNumber = await storedCase();
    const refused = await appendCaseEventOnHub(hub.hub.store, VILLAGE_A, caseNumber, {
      id: 'county-approve-early',
      at: new Date().toISOString(),
      actor: actors.county,
      type: 'approved',
      payload: {},
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'case.notHeldByLevel' } });
    const returned = await appendCaseEventOnHub(hub.hub.store, VILLAGE_A, caseNumber, {
      id: 'town-return-1',
      at: new Date().toISOString(),
      actor: actors.town,
      type: 'returnedForMaterials',
      payload: { missing: ['m1'], reason: '申请书未签字' },
    });
    expect(returned.ok && returned.value.summary.status).toBe('awaitingMaterials');
  });

  it('loses no event when many writers race on one case (each 409 re-reads and appends again)', async () => {
    const caseNumber = await storedCase();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => appendCaseEventOnHub(hub.hub.store, VILLAGE_A, caseNumber, note(`race-note-${String(i)}`, `note ${String(i)}`))),
    );
    expect(results.every((result) => result.ok)).toBe(true);
    const stored = await hub.hub.store.getDoc<{ events: { id: string }[] }>(villageDb(VILLAGE_A), caseNumber);
    if (!stored.ok) throw new Error(stored.error.reason);
    const ids = stored.value.events.map((event) => event.id);
    for (let i = 0; i < 8; i++) expect(ids).toContain(`race-note-${String(i)}`);
  });

  it('is idempotent for a retried event, and says when the case does not exist', async () => {
    const caseNumber = await storedCase();
    const once = await appendCaseEventOnHub(hub.hub.store, VILLAGE_A, caseNumber, note('retried-note', 'once'));
    const again = await appendCaseEventOnHub(hub.hub.store, VILLAGE_A, caseNumber, note('retried-note', 'once'));
    expect(once.ok && again.ok && again.value.events.length === once.value.events.length).toBe(true);
    expect(await appendCaseEventOnHub(hub.hub.store, VILLAGE_A, '422822100202-20261126-09-999-5', note('x-note-1', 'x'))).toMatchObject({ ok: false });
  });
});
