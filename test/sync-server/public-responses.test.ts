/**
 * One scanner over every public answer of the hub (issue 18, privacy and trust): with a county full of
 * residents' ID numbers, phones and full names — in cases, bookings and appeals — every route a stranger can
 * reach answers without any of them: the residents' page's routes (each one, as found in sync-server/resident/:
 * bookings, appeals, the disclosure board and its archive, objections, the open service figures), the page
 * itself, health and compatibility. A public route added without a visit here fails the first test. A publication
 * the town has not approved is a secret too: nothing of it may show.
 */
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BookingView, HallView } from '../../core/resident/booking.js';
import type { ResidentAppealView } from '../../core/appeal/appeal.js';
import { findPlaintextIdNumbers } from '../../core/case/sealed.js';
import type { CaseDocument } from '../../core/case/document.js';
import { isEventOf } from '../../core/case/events.js';
import { publicationDoc } from '../support/publication-doc.js';
import { hallDb, villageDb } from '../../sync-server/store/names.js';
import { addReviewer } from '../../sync-server/users.js';
import { asReviewer, signInReviewer } from './reviewer-client.js';
import { buildAppsForTest } from '../support/apps-build.js';
import { clerkOf, startTestHub, storeForwardedCase, VILLAGE_A, type TestHub } from './hub-harness.js';

/**
 * What the fixtures hold: the full names of an applicant and a booker, phones (as typed, and bare), ID numbers.
 * (An appeal's own text goes back to whoever holds its code — the resident's words, numbers refused in them.)
 */
const SECRETS = ['张三国', '李秀英', '13900001111', '13900002222', '13900003333', '422822198001010015', '雀儿笼村三组12号', '尚未审批'];
const TOWN_REVIEWER = { name: 'yezhou', password: 'yezhou-secret-1' };

let hub: TestHub;
let appsDir: string;
let caseNumber = '';
const visited: { method: string; path: string; status: number; text: string }[] = [];

async function visit(method: string, path: string, body?: unknown) {
  const response = await fetch(`${hub.base}${path}`, {
    method,
    headers: { 'x-forwarded-for': `203.0.113.${String(visited.length + 1)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = `${[...response.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}\n\n${await response.text()}`;
  visited.push({ method, path, status: response.status, text });
  return {
    status: response.status,
    body: (() => {
      try {
        return JSON.parse(text.slice(text.indexOf('\n\n') + 2)) as unknown;
      } catch {
        return undefined;
      }
    })(),
  };
}

/** Every public route of the residents' page, as its modules declare them. */
function residentRoutePatterns(): RegExp[] {
  const dir = resolve(import.meta.dirname, '../../sync-server/resident');
  return readdirSync(dir)
    .filter((name) => name.endsWith('.ts'))
    .flatMap((name) => [...readFileSync(join(dir, name), 'utf8').matchAll(/pattern: (\/\^\\\/api\\\/(?:resident|open)\\\/.*?\$\/)/g)])
    .map((match) => {
      const source = match[1] ?? '';
      return new RegExp(source.slice(1, -1));
    });
}

beforeAll(async () => {
  appsDir = await buildAppsForTest();
  hub = await startTestHub({ config: { trustProxy: ['loopback'], appsDir } });
  const kiosk = await hub.enroll(VILLAGE_A);
  caseNumber = await storeForwardedCase(hub, kiosk, '张三国', [], { lookupCode: 'K7QX2M9P' });
  // A second case whose applicant has a door-level address on file (kept in the case, as the counter records it).
  const first = await hub.hub.store.getDoc<CaseDocument>(villageDb(VILLAGE_A), caseNumber);
  const applicant = first.ok ? first.value.events.find((event) => isEventOf(event, 'created'))?.payload.applicant : undefined;
  if (!applicant) throw new Error('the first case has an applicant');
  await storeForwardedCase(hub, kiosk, '李秀英', [], { applicant: { ...applicant, name: '李秀英', address: '雀儿笼村三组12号' } });
  // Two publications: one the town approves (on the board), one it has not (a secret until it does).
  const submitted = (id: string, title: string) => publicationDoc(id, { village: VILLAGE_A, preparedMs: Date.now() - 60_000, clerk: clerkOf(kiosk), title });
  await hub.call('POST', `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`, {
    auth: kiosk.authorization,
    body: { docs: [submitted('pub-shown-0001', '11月低保公示'), submitted('pub-waiting-01', '尚未审批的名单')] },
  });
  await addReviewer(hub.hub.store, { ...TOWN_REVIEWER, role: 'town', town: '422822100000' }, new Date());
  const town = await signInReviewer(hub, TOWN_REVIEWER.name, TOWN_REVIEWER.password);
  await asReviewer(hub, town, 'POST', `/api/review/publications/${VILLAGE_A}/pub-shown-0001/approve`, {});
  await hub.hub.queue.settled();
  await hub.call('POST', `/sync/${hallDb(VILLAGE_A)}/_bulk_docs?cunban_compat=1`, {
    auth: kiosk.authorization,
    body: {
      docs: [
        {
          _id: 'schedule',
          kind: 'cunban.hallSchedule',
          schemaVersion: 1,
          village: VILLAGE_A,
          setAt: new Date().toISOString(),
          periods: [{ from: '08:30', to: '11:30' }],
          slotMinutes: 60,
          visitsPerSlot: 3,
          counterVisits: 1,
        },
      ],
    },
  });
}, 240_000);

afterAll(async () => {
  await hub.close();
  rmSync(appsDir, { recursive: true, force: true });
});

describe('every public answer', () => {
  it('is visited: each route of the residents’ page, with fixtures full of names, phones and ID numbers', async () => {
    const hall = (await visit('GET', `/api/resident/halls/${VILLAGE_A}`)).body as HallView;
    await visit('GET', '/api/resident/halls');
    const day = hall.days[0]?.date ?? '';
    const booked = (
      await visit('POST', '/api/resident/appointments', {
        village: VILLAGE_A,
        itemCode: 'MZ-01',
        date: day,
        start: '08:30',
        name: '李秀英',
        phone: '139 0000 2222',
      })
    ).body as BookingView;
    await visit('POST', '/api/resident/appointments', {
      village: VILLAGE_A,
      itemCode: 'MZ-01',
      date: day,
      start: '08:30',
      name: '李秀英422822198001010015',
      phone: '13900002222',
    });
    await visit('POST', '/api/resident/appointments/open', { code: booked.code, phone: '13900002222' });
    await visit('POST', '/api/resident/appointments/open', { code: booked.code, phone: '13900003333' });
    await visit('POST', '/api/resident/appointments/cancel', { code: booked.code, phone: '13900002222' });
    const appeal = (
      await visit('POST', '/api/resident/appeals', { village: VILLAGE_A, category: 'villageAffairs', text: '三组路口的路灯坏了', phone: '13900003333' })
    ).body as ResidentAppealView;
    await visit('POST', '/api/resident/appeals', { village: VILLAGE_A, category: 'other', text: '我是张三国，电话13900003333' });
    await visit('POST', '/api/resident/appeals/open', { code: appeal.code, phone: '13900003333' });
    await visit('POST', '/api/resident/appeals/open', { code: appeal.code });
    await visit('GET', '/api/health');
    await visit('GET', '/api/compat');
    await visit('POST', '/api/resident/lookup', { caseNumber, answer: '1111' });
    await visit('POST', '/api/resident/lookup', { caseNumber, answer: 'k7qx-2m9p' });
    await visit('POST', '/api/resident/lookup', { caseNumber, answer: '0000' });
    // The board shows what the town approved (so the scan reads a real board), and the figures count both cases.
    expect((await visit('GET', `/api/resident/board/${VILLAGE_A}`)).body).toMatchObject({
      publications: [{ id: 'pub-shown-0001' }],
      figures: [{ accepted: 2 }],
    });
    await visit('GET', '/api/resident/board/999999999999');
    await visit('GET', `/api/resident/board/${VILLAGE_A}/archive`);
    await visit('POST', `/api/resident/board/${VILLAGE_A}/pub-shown-0001/objections`, { row: 1, text: '张三国家有车，电话13900003333' });
    await visit('POST', `/api/resident/board/${VILLAGE_A}/pub-shown-0001/objections`, { row: 2, text: '这一户情况需要核实', phone: '13900003333' });
    await visit('POST', `/api/resident/board/${VILLAGE_A}/pub-waiting-01/objections`, { row: 1, text: '核实' });
    await visit('GET', '/api/open/service-figures.json');
    await visit('GET', '/api/open/service-figures.csv');
    await visit('GET', '/r/');
    expect(visited.filter((v) => v.status >= 500)).toEqual([]);
    // Each route the residents' page serves was visited at least once, right and wrong.
    const patterns = residentRoutePatterns();
    expect(patterns.length).toBeGreaterThanOrEqual(8);
    expect(patterns.filter((pattern) => !visited.some((v) => pattern.test(v.path))).map(String)).toEqual([]);
  });

  it('carries no full name, phone number or ID number, in any body or header', () => {
    const leaks = visited.flatMap((v) => SECRETS.filter((secret) => v.text.includes(secret)).map((secret) => `${v.method} ${v.path}: ${secret}`));
    expect(leaks).toEqual([]);
    const phones = visited.flatMap((v) => [...v.text.matchAll(/(?<!\d)1[3-9]\d{9}(?!\d)/g)].map((match) => `${v.method} ${v.path}: ${match[0]}`));
    expect(phones).toEqual([]);
    expect(visited.flatMap((v) => findPlaintextIdNumbers(v.text).map((path) => `${v.method} ${v.path}: ${path}`))).toEqual([]);
  });
});
