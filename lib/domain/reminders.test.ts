import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REMINDER_SETTINGS,
  groupByRecipient,
  localInstant,
  reminderDateAt,
  reminderDedupKey,
  reminderSlotsOn,
  type DueItem,
} from './reminders';

const defaults = DEFAULT_REMINDER_SETTINGS;

describe('reminderSlotsOn', () => {
  it('sends the "before" reminder N days before a month ends', () => {
    expect(reminderSlotsOn('2026-11-27', 1, defaults)).toEqual([
      {
        stage: 'before',
        cadence: 'month',
        periodStart: '2026-11-01',
        lastDay: '2026-11-30',
        dueDate: '2026-12-02',
      },
    ]);
  });

  it('sends the "due" reminder on the last day + grace days', () => {
    expect(reminderSlotsOn('2026-12-02', 1, defaults)).toEqual([
      {
        stage: 'due',
        cadence: 'month',
        periodStart: '2026-11-01',
        lastDay: '2026-11-30',
        dueDate: '2026-12-02',
      },
    ]);
  });

  it('has nothing on an ordinary day', () => {
    expect(reminderSlotsOn('2026-11-15', 1, defaults)).toEqual([]);
    expect(reminderSlotsOn('2026-11-26', 1, defaults)).toEqual([]);
    expect(reminderSlotsOn('2026-12-01', 1, defaults)).toEqual([]);
  });

  it('covers quarters and years of the fiscal calendar when their end coincides', () => {
    // Fiscal year starting in April: Q3 ends Dec 31, the year ends March 31.
    const dec28 = reminderSlotsOn('2026-12-28', 4, defaults).map((s) => [
      s.stage,
      s.cadence,
      s.periodStart,
    ]);
    expect(dec28).toEqual([
      ['before', 'month', '2026-12-01'],
      ['before', 'quarter', '2026-10-01'],
    ]);
    const apr2 = reminderSlotsOn('2027-04-02', 4, defaults).map((s) => [
      s.stage,
      s.cadence,
      s.periodStart,
    ]);
    expect(apr2).toEqual([
      ['due', 'month', '2027-03-01'],
      ['due', 'quarter', '2027-01-01'],
      ['due', 'year', '2026-04-01'],
    ]);
  });

  it('follows the settings, February and leap years included', () => {
    const s = { daysBefore: 1, graceDays: 5 };
    expect(reminderSlotsOn('2028-02-28', 1, s).map((x) => x.lastDay)).toEqual(['2028-02-29']);
    expect(reminderSlotsOn('2027-03-05', 1, s).map((x) => [x.stage, x.lastDay])).toEqual([
      ['due', '2027-02-28'],
    ]);
  });

  it('a zero grace day makes the due date the last day itself', () => {
    const slots = reminderSlotsOn('2026-11-30', 1, { daysBefore: 3, graceDays: 0 });
    expect(slots.map((s) => [s.stage, s.dueDate])).toEqual([['due', '2026-11-30']]);
  });
});

describe('localInstant and reminderDateAt', () => {
  it('is 09:00 local in the organization time zone', () => {
    expect(localInstant('2026-12-02', 9, 'UTC').toISOString()).toBe('2026-12-02T09:00:00.000Z');
    expect(localInstant('2026-12-02', 9, 'Europe/Berlin').toISOString()).toBe(
      '2026-12-02T08:00:00.000Z',
    );
    expect(localInstant('2026-07-02', 9, 'Europe/Berlin').toISOString()).toBe(
      '2026-07-02T07:00:00.000Z',
    );
    expect(localInstant('2026-12-02', 9, 'America/New_York').toISOString()).toBe(
      '2026-12-02T14:00:00.000Z',
    );
    expect(localInstant('2026-12-02', 9, 'Asia/Kolkata').toISOString()).toBe(
      '2026-12-02T03:30:00.000Z',
    );
    expect(localInstant('2026-12-02', 9, 'Pacific/Auckland').toISOString()).toBe(
      '2026-12-01T20:00:00.000Z',
    );
  });

  it('handles the days of a daylight-saving change', () => {
    // Berlin springs forward on 2026-03-29 at 02:00 and falls back on 2026-10-25 at 03:00.
    expect(localInstant('2026-03-29', 9, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T07:00:00.000Z',
    );
    expect(localInstant('2026-10-25', 9, 'Europe/Berlin').toISOString()).toBe(
      '2026-10-25T08:00:00.000Z',
    );
    // 02:30 does not exist that night: the instant after the jump.
    expect(localInstant('2026-03-29', 2, 'Europe/Berlin').toISOString()).toBe(
      '2026-03-29T01:00:00.000Z',
    );
  });

  it('gives the local date only once its 09:00 has passed', () => {
    expect(reminderDateAt(new Date('2026-12-02T07:59:59Z'), 'Europe/Berlin')).toBeNull();
    expect(reminderDateAt(new Date('2026-12-02T08:00:00Z'), 'Europe/Berlin')).toBe('2026-12-02');
    expect(reminderDateAt(new Date('2026-12-02T22:59:00Z'), 'Europe/Berlin')).toBe('2026-12-02');
    // Already Dec 3 in Auckland, past 09:00 there.
    expect(reminderDateAt(new Date('2026-12-02T21:00:00Z'), 'Pacific/Auckland')).toBe('2026-12-03');
    expect(reminderDateAt(new Date('2026-12-02T13:59:00Z'), 'America/New_York')).toBeNull();
  });

  it('keys one reminder per person and local day', () => {
    expect(reminderDedupKey('2026-12-02')).toBe('reminder:2026-12-02');
  });
});

describe('groupByRecipient', () => {
  const item = (
    ownerUserId: string,
    kpiName: string,
    stage: DueItem['stage'],
    dueDate: string,
  ): DueItem => ({
    ownerUserId,
    kpiId: `${ownerUserId}-${kpiName}`,
    kpiName,
    stage,
    cadence: 'month',
    periodStart: '2026-11-01',
    lastDay: '2026-11-30',
    dueDate,
  });

  it('gives one group per person listing everything, overdue first', () => {
    const groups = groupByRecipient([
      item('b', 'Zeta', 'before', '2026-12-02'),
      item('a', 'NPS', 'before', '2026-12-02'),
      item('b', 'Alpha', 'before', '2026-12-02'),
      item('b', 'Churn', 'due', '2026-11-02'),
    ]);
    expect(groups.map((g) => [g.userId, g.items.map((i) => i.kpiName)])).toEqual([
      ['a', ['NPS']],
      ['b', ['Churn', 'Alpha', 'Zeta']],
    ]);
  });

  it('is empty without items', () => {
    expect(groupByRecipient([])).toEqual([]);
  });
});
