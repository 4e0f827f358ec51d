/** Appeals and suggestions in core (issue 18 §4): routing, state from events in any order, time limits, merging, and free text kept free of numbers. */
import { describe, expect, it } from 'vitest';
import {
  appealOverdue,
  appealSchema,
  appealState,
  firstLevelOf,
  mergeAppeals,
  personalNumberIn,
  refuseAppealEvent,
  type Appeal,
  type AppealEvent,
} from '../../core/appeal/appeal.js';
import type { LocalDate } from '../../core/local-date.js';
import { demoCalendar, demoCatalog } from '../../core/seed/demo-county.js';

const calendar = demoCalendar();
const raised: Appeal = {
  kind: 'cunban.appeal',
  schemaVersion: 1,
  village: '422822100202',
  code: 'WELL2345',
  category: 'villageAffairs',
  text: '三组的水井坏了一个星期，没有水喝。',
  channel: 'online',
  raisedAt: '2026-11-23T02:00:00.000Z', // Monday, 10:00 China time
  level: 'village',
  events: [],
};
const event = (id: string, type: AppealEvent['type'], at: string, level: AppealEvent['by']['level'], to?: AppealEvent['to']): AppealEvent => ({
  id,
  type,
  at,
  by: { level, name: level === 'village' ? '雀儿笼村办事员 王芳' : '业州镇审核人 李强' },
  text: type === 'passedOn' ? '需要镇里协调维修。' : '已安排维修队，本周修好。',
  ...(to ? { to } : {}),
});

describe('an appeal', () => {
  it('goes first to the village for its own affairs, and for a sector to the level deciding most of its items', () => {
    const catalog = demoCatalog();
    expect(firstLevelOf('villageAffairs', catalog)).toBe('village');
    expect(firstLevelOf('other', catalog)).toBe('village');
    expect(firstLevelOf('MZ', catalog)).toBe('county'); // every 民政 item is the county's
    expect(firstLevelOf('GA', catalog)).toBe('town'); // 户政: four of seven at the town
    expect(firstLevelOf('SF', catalog)).toBe('village');
  });

  it('is held by the level it was passed to, replied and closed, whatever order its events arrive in', () => {
    const events = [
      event('e1', 'passedOn', '2026-11-24T01:00:00.000Z', 'village', 'town'),
      event('e2', 'replied', '2026-11-25T01:00:00.000Z', 'town'),
      event('e3', 'closed', '2026-11-27T01:00:00.000Z', 'town'),
    ];
    const forwards = appealState({ ...raised, events }, calendar);
    const backwards = appealState({ ...raised, events: [...events].reverse() }, calendar);
    expect(forwards).toEqual(backwards);
    expect(forwards).toMatchObject({ status: 'closed', heldBy: 'town', raisedOn: '2026-11-23', firstReplyAt: '2026-11-25T01:00:00.000Z' });
    expect(appealState({ ...raised, events: events.slice(0, 2) }, calendar).status).toBe('replied');
    expect(appealState(raised, calendar)).toMatchObject({ status: 'open', heldBy: 'village' });
  });

  it('is due a first reply in five working days and a close in fifteen, by the county’s calendar', () => {
    const state = appealState(raised, calendar);
    expect(state.firstReplyDue.dueOn).toBe('2026-11-30');
    expect(state.closeDue.dueOn).toBe('2026-12-14');
    expect(appealOverdue(state, '2026-11-30' as LocalDate)).toBe(false);
    expect(appealOverdue(state, '2026-12-01' as LocalDate)).toBe(true);
    const replied = appealState({ ...raised, events: [event('e2', 'replied', '2026-11-24T01:00:00.000Z', 'village')] }, calendar);
    expect(appealOverdue(replied, '2026-12-01' as LocalDate)).toBe(false);
    expect(appealOverdue(replied, '2026-12-15' as LocalDate)).toBe(true);
  });

  it('merges two copies by the union of their events, the same either way and again', () => {
    const a = { ...raised, events: [event('e1', 'replied', '2026-11-24T01:00:00.000Z', 'village')] };
    const b = { ...raised, events: [event('e2', 'passedOn', '2026-11-24T02:00:00.000Z', 'village', 'town')] };
    expect(mergeAppeals(a, b)).toEqual(mergeAppeals(b, a));
    expect(mergeAppeals(mergeAppeals(a, b), b)).toEqual(mergeAppeals(a, b));
    expect(mergeAppeals(a, b).events.map((e) => e.id)).toEqual(['e1', 'e2']);
  });

  it('is answered only by the level holding it, passed on only upwards, and not after it is closed', () => {
    const atTown = { ...raised, events: [event('e1', 'passedOn', '2026-11-24T01:00:00.000Z', 'village', 'town')] };
    expect(refuseAppealEvent(atTown, { type: 'replied', by: { level: 'village', name: 'x' } }, calendar)).toMatch(/town/);
    expect(refuseAppealEvent(atTown, { type: 'passedOn', to: 'village', by: { level: 'town', name: 'x' } }, calendar)).toMatch(/above/);
    expect(refuseAppealEvent(atTown, { type: 'passedOn', to: 'county', by: { level: 'town', name: 'x' } }, calendar)).toBeUndefined();
    const closed = { ...atTown, events: [...atTown.events, event('e2', 'closed', '2026-11-25T01:00:00.000Z', 'town')] };
    expect(refuseAppealEvent(closed, { type: 'replied', by: { level: 'town', name: 'x' } }, calendar)).toMatch(/closed/);
  });

  it('finds an ID or mobile number in free text, written any way, and nothing in ordinary text', () => {
    expect(personalNumberIn('我的身份证是422822198001010015，请查')).toBe('idNumber');
    expect(personalNumberIn('电话 139-0000-2222')).toBe('phone');
    expect(personalNumberIn('电话＋８６１３９００００２２２２')).toBe('phone');
    expect(personalNumberIn('三组12户没有通水，已经7天')).toBeUndefined();
    // Written so as to slip past (an attacking helper's list): each still found.
    for (const id of [
      'ID422822199001011234',
      '4228 2219 9001 0112 34',
      '4228.2219.9001.0112.34',
      '42282219\u200b9001011234',
      '四二二八二二一九九〇〇一〇一一二三四',
      '422822800101001',
      '٤٢٢٨٢٢١٩٩٠٠١٠١١٢٣٤',
      '42282219\n9001011234',
    ]) {
      expect(personalNumberIn(`我的号码${id}`), id).toBe('idNumber');
    }
    for (const phone of [
      '139.1234.5678',
      '139  1234  5678',
      '139/1234/5678',
      '(139)12345678',
      '139 123 45678',
      '0086 13912345678',
      '139\u200d12345678',
      '一三九一二三四五六七八',
    ]) {
      expect(personalNumberIn(`电话${phone}`), phone).toBe('phone');
    }
    // Ordinary counting stays ordinary.
    expect(personalNumberIn('一二三组共有45户，2026年12月1日起停水')).toBeUndefined();
    expect(appealSchema.safeParse({ ...raised, phoneMasked: '13900002222' }).success).toBe(false);
  });
});
