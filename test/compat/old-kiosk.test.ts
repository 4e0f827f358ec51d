/**
 * Every earlier release's kiosk (releases.ts: the real code of that release) beside today's kiosk, on
 * today's hub, while the hub holds what newer versions write: notices with newer fields and of a newer
 * major version, the fleet policy (a kind 0.1.0 never heard of), cases with a newer field, with an event
 * type only a newer version knows, and of a newer major version. The old kiosk keeps syncing cases,
 * catalog and notices; nothing is refused or lost; both kiosks and the hub converge.
 */
import { IDBFactory } from 'fake-indexeddb';
import { firstValueFrom, type Observable } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enrollResponseSchema, type EnrollResponse } from '../../core/api/enrollment.js';
import { toCaseDocument, type CaseDocument } from '../../core/case/document.js';
import type { StoredEvent } from '../../core/case/events.js';
import { foldCase } from '../../core/case/fold.js';
import { COMPAT_LEVEL, COMPAT_PARAM } from '../../core/compat.js';
import { appendCaseEventOnHub } from '../../sync-server/case-events.js';
import { setMinimumKioskVersion } from '../../sync-server/fleet-policy.js';
import { issueEnrollmentCode } from '../../sync-server/kiosks.js';
import { DB, villageDb } from '../../sync-server/store/names.js';
import { openKiosk, type KioskUnderTest } from './kiosks.js';
import { followsCompatRule, RELEASES } from './releases.js';
import { caseFor, startTestHub, VILLAGE_A, type TestHub } from '../sync-server/hub-harness.js';
import { eventually } from '../support/eventually.js';

const notice = (title: string, extra: Record<string, unknown> = {}) => ({
  kind: 'cunban.notice',
  schemaVersion: 1,
  title: { zh: title, en: title },
  body: { zh: '请于12月10日前办理。', en: 'Before 10 December.' },
  publishedOn: '2026-11-26',
  ...extra,
});

describe.each(RELEASES.map((release) => release.version))('a %s kiosk beside today’s, on today’s hub', (version) => {
  let t: TestHub;
  let old: KioskUnderTest;
  let today: KioskUnderTest;
  let newerCase: string;
  let foreignCase: string;
  let majorCase: string;

  const enroll = async (): Promise<EnrollResponse> => {
    const issued = await issueEnrollmentCode(t.hub.store, VILLAGE_A, new Date());
    if (!issued.ok) throw new Error(issued.error.reason);
    return enrollResponseSchema.parse((await t.call('POST', '/api/enroll', { body: { code: issued.value.code, appVersion: version } })).body);
  };
  const hubCase = async (caseNumber: string) => {
    const found = await t.hub.store.getDoc<CaseDocument & Record<string, unknown>>(villageDb(VILLAGE_A), caseNumber);
    if (!found.ok) throw new Error(`not on the hub: ${caseNumber}`);
    return found.value;
  };
  const eventIds = (doc: CaseDocument | undefined) => doc?.events.map((event) => event.id).sort();

  /** What a later version's kiosk pushes through the gateway, with today's kiosk's credential. */
  const pushAsNewerKiosk = async (enrollment: EnrollResponse, doc: CaseDocument & { _id: string }) => {
    const pushed = await t.call('POST', `/sync/${villageDb(VILLAGE_A)}/_bulk_docs?${COMPAT_PARAM}=${String(COMPAT_LEVEL)}`, {
      auth: enrollment.authorization,
      body: { docs: [doc] },
    });
    expect(pushed).toMatchObject({ status: 201, body: [{ ok: true }] });
  };

  beforeAll(async () => {
    t = await startTestHub();
    // A disk of their own: each release's describe enrolls kiosks -01 and -02 again, and their databases have those names.
    const disk = new IDBFactory();
    old = await openKiosk(version, await enroll(), { fresh: true, disk });
    const todayEnrollment = await enroll();
    today = await openKiosk('today', todayEnrollment, { fresh: true, disk });

    // What newer versions write in the catalog database: a notice with a field of a later minor version,
    // a notice of a newer major version, and the fleet policy.
    for (const [id, doc] of [
      ['notice:2026-11-26-newfield', notice('带新字段的通知', { audience: 'elderly' })],
      ['notice:2026-11-26-major2', notice('新版通知', { schemaVersion: 2, sections: [] })],
    ] as const) {
      const put = await t.hub.store.putDoc(DB.catalog, { _id: id, ...doc });
      if (!put.ok) throw new Error(put.error.reason);
    }
    const policy = await setMinimumKioskVersion(t.hub.store, '0.1.0', 'test', new Date());
    if (!policy.ok) throw new Error(policy.error.code);

    // What a later version's kiosk pushes: a case with a field of its own, and one with an event type of its own.
    const withField = { ...caseFor(todayEnrollment), residentLookup: { code: 'K7QX' } };
    newerCase = withField._id;
    await pushAsNewerKiosk(todayEnrollment, withField);
    const plain = caseFor(todayEnrollment);
    const foreign = {
      id: `${todayEnrollment.kioskId}-appt-1`,
      at: '2026-11-26T02:00:00.000Z',
      actor: { id: `${todayEnrollment.kioskId}/clerk-1`, name: '王芳', level: 'village' },
      parents: plain.events.map((event) => event.id),
      type: 'appointmentLinked',
      payload: { appointment: 'A-0001' },
    } as unknown as StoredEvent;
    const withEvent = toCaseDocument([...plain.events, foreign]);
    if (!withEvent.ok) throw new Error(withEvent.error.code);
    foreignCase = plain._id;
    await pushAsNewerKiosk(todayEnrollment, { _id: plain._id, ...withEvent.value });
    // And a case the hub holds in a newer major version (as a later hub would, after a major upgrade).
    const major = { ...caseFor(todayEnrollment), schemaVersion: 2 };
    majorCase = major._id;
    const put = await t.hub.store.putDoc(villageDb(VILLAGE_A), major);
    if (!put.ok) throw new Error(put.error.reason);
  });

  afterAll(async () => {
    await old.close();
    await today.close();
    await t.close();
  });

  it('syncs its own cases and today’s, and is served only what it reads', async () => {
    const mine = await old.register('李秀英');
    const theirs = await today.register('张建国');
    expect(await old.data.sync.syncNow()).toMatchObject({ ok: true });
    expect(await today.data.sync.syncNow()).toMatchObject({ ok: true });
    await eventually(
      async () => ((await old.data.cases.get(theirs.caseNumber)) ? true : (await old.data.sync.syncNow(), undefined)),
      'today’s case on the old kiosk',
    );
    await eventually(
      async () => ((await today.data.cases.get(mine.caseNumber)) ? true : (await today.data.sync.syncNow(), undefined)),
      'the old kiosk’s case on today’s',
    );
    expect(eventIds(await hubCase(mine.caseNumber))).toEqual(eventIds(mine));

    const oldHolds = (await old.data.cases.all()).map((doc) => doc.caseNumber);
    // The case with a newer field: it reads it. The newer major version: never among the cases it shows.
    expect(oldHolds).toContain(newerCase);
    expect(oldHolds).not.toContain(majorCase);
    // The foreign event: a release before the rule is served the case without it (held back); one that
    // follows the rule keeps it in its place.
    if (followsCompatRule(version)) expect(oldHolds).toContain(foreignCase);
    else expect(oldHolds).not.toContain(foreignCase);
    expect(old.data.sync.state().refused).toEqual([]);
  });

  it('reads the catalog and the notices it can read, with no problem reported', async () => {
    const county = await eventually(async () => {
      const data = await firstValueFrom(old.data.county$);
      return data.catalog && data.notices.length > 0 ? data : undefined;
    }, 'the catalog and notices on the old kiosk');
    expect(county.problems).toEqual([]);
    expect(county.notices.map((n) => n.title.zh)).toEqual(['带新字段的通知']);
  });

  it('today’s kiosk keeps everything, shows the foreign event in its place, and counts what it cannot read', async () => {
    const shown = await eventually(() => today.data.cases.get(foreignCase), 'the case with a newer event type');
    const view = foldCase(shown.events);
    expect(view.ok && view.value.timeline.map((entry) => entry.foreign ?? false)).toEqual([false, true]);
    expect(await today.data.cases.get(majorCase)).toBeUndefined();
    const todayData = today.data as unknown as { compat$: Observable<{ unreadable: number }> };
    // The case of version 2 and the notice of version 2.
    await eventually(async () => ((await firstValueFrom(todayData.compat$)).unreadable === 2 ? true : undefined), 'two documents kept unread');
  });

  it('its merge drops the newer field; the hub puts it back, and every side converges', async () => {
    // The county notes the case on the hub while the old kiosk, offline, notes it too: a conflict its
    // own merge resolves from the fields it knows.
    old.network.up = false;
    const offline = await old.note(newerCase, '居民补充了说明');
    const county = { id: 'county-reviewer-1', name: '张敏', level: 'county' as const };
    const decided = await appendCaseEventOnHub(t.hub.store, VILLAGE_A, newerCase, {
      id: 'county-note-1',
      at: new Date().toISOString(),
      actor: county,
      type: 'note',
      payload: { text: '已核实' },
    });
    expect(decided.ok).toBe(true);
    old.network.up = true;

    const merged = await eventually(async () => {
      await old.data.sync.syncNow();
      const onHub = await hubCase(newerCase);
      return onHub.events.length === offline.events.length + 1 ? onHub : undefined;
    }, 'both notes on the hub');
    expect(merged.residentLookup).toEqual({ code: 'K7QX' });
    expect(old.data.sync.state().refused).toEqual([]);
    await eventually(
      async () => (eventIds(await old.data.cases.get(newerCase))?.join() === eventIds(merged)?.join() ? true : (await old.data.sync.syncNow(), undefined)),
      'the old kiosk converged',
    );
    await eventually(
      async () => (eventIds(await today.data.cases.get(newerCase))?.join() === eventIds(merged)?.join() ? true : (await today.data.sync.syncNow(), undefined)),
      'today’s kiosk converged',
    );
  });

  it('its write to a case with an event it cannot read is refused and kept (before the rule), or merged keeping that event (after)', async () => {
    // The old kiosk had this case before a later version added an event it cannot read.
    const mine = await old.register('王桂兰');
    expect(await old.data.sync.syncNow()).toMatchObject({ ok: true });
    const stored = await hubCase(mine.caseNumber);
    const foreign = {
      id: 'later-event-1',
      at: new Date().toISOString(),
      actor: { id: 'county-reviewer-1', name: '张敏', level: 'county' },
      parents: stored.events.map((e) => e.id),
      type: 'residentViewed',
      payload: {},
    } as unknown as StoredEvent;
    const later = toCaseDocument([...stored.events, foreign]);
    if (!later.ok) throw new Error(later.error.code);
    const put = await t.hub.store.putDoc(villageDb(VILLAGE_A), { _id: mine.caseNumber, _rev: stored._rev, ...later.value });
    expect(put.ok).toBe(true);

    await old.note(mine.caseNumber, '电话回访');
    await old.data.sync.syncNow();
    if (followsCompatRule(version)) {
      const merged = await eventually(async () => {
        await old.data.sync.syncNow();
        const onHub = await hubCase(mine.caseNumber);
        return onHub.events.length === 3 ? onHub : undefined;
      }, 'the note beside the later event on the hub');
      expect(merged.events.map((event) => event.id)).toContain('later-event-1');
      expect(old.data.sync.state().refused).toEqual([]);
      return;
    }
    const refused = await eventually(() => old.data.sync.state().refused.find((r) => r.id === mine.caseNumber), 'the refusal on the old kiosk');
    expect(refused.reason).toContain('update this kiosk');
    // Kept on the kiosk; the hub's case is untouched.
    expect((await old.data.cases.get(mine.caseNumber))?.events).toHaveLength(2);
    expect(eventIds(await hubCase(mine.caseNumber))).toEqual(eventIds(later.value));
  });
});
