import { describe, expect, it } from 'vitest';
import {
  biggestMovers,
  describeReportCadence,
  digestDateAt,
  digestDedupKey,
  digestForScope,
  formatRelativeChange,
  isEmptyDigest,
  isoWeekday,
  isoWeekKey,
  scheduleOccursOn,
  type MoverCandidate,
} from './digest';

describe('ISO weeks', () => {
  it.each([
    ['2026-12-07', 1, '2026-W50'],
    ['2026-12-13', 7, '2026-W50'],
    ['2026-12-14', 1, '2026-W51'],
    ['2027-01-01', 5, '2026-W53'], // a Friday: still 2026's last week
    ['2021-01-04', 1, '2021-W01'],
    ['2020-12-31', 4, '2020-W53'],
    ['2024-12-30', 1, '2025-W01'],
  ])('%s is weekday %i of %s', (date, weekday, week) => {
    expect(isoWeekday(date)).toBe(weekday);
    expect(isoWeekKey(date)).toBe(week);
  });

  it('keys one digest a person and week', () => {
    expect(digestDedupKey('2026-12-14')).toBe('digest:2026-W51');
  });
});

describe('when a digest is due', () => {
  it('on Monday from 09:00 local, the rest of that day, never on another day', () => {
    // Berlin is UTC+1 in December.
    expect(digestDateAt(new Date('2026-12-14T07:59:00Z'), 'Europe/Berlin')).toBeNull();
    expect(digestDateAt(new Date('2026-12-14T08:00:00Z'), 'Europe/Berlin')).toBe('2026-12-14');
    expect(digestDateAt(new Date('2026-12-14T22:00:00Z'), 'Europe/Berlin')).toBe('2026-12-14');
    expect(digestDateAt(new Date('2026-12-14T23:30:00Z'), 'Europe/Berlin')).toBeNull(); // Tuesday
    expect(digestDateAt(new Date('2026-12-15T08:00:00Z'), 'Europe/Berlin')).toBeNull();
    // Monday 09:00 in Auckland is Sunday evening in UTC.
    expect(digestDateAt(new Date('2026-12-13T20:00:00Z'), 'Pacific/Auckland')).toBe('2026-12-14');
  });
});

describe('scheduled report occurrences', () => {
  it('weekly on a weekday, monthly on a day', () => {
    expect(scheduleOccursOn({ frequency: 'weekly', weekday: 3 }, '2026-12-09')).toBe(true);
    expect(scheduleOccursOn({ frequency: 'weekly', weekday: 3 }, '2026-12-10')).toBe(false);
    expect(scheduleOccursOn({ frequency: 'monthly', dayOfMonth: 1 }, '2027-01-01')).toBe(true);
    expect(scheduleOccursOn({ frequency: 'monthly', dayOfMonth: 28 }, '2027-02-28')).toBe(true);
    expect(scheduleOccursOn({ frequency: 'monthly', dayOfMonth: 28 }, '2027-02-27')).toBe(false);
    expect(describeReportCadence({ frequency: 'weekly', weekday: 1 })).toBe('Weekly on Monday');
    expect(describeReportCadence({ frequency: 'monthly', dayOfMonth: 5 })).toBe('Monthly on day 5');
  });
});

describe('biggest movers', () => {
  const c = (
    name: string,
    value: string | null,
    previous: string | null,
    unitId = 'u',
  ): MoverCandidate => ({
    kpiId: name,
    name,
    unitId,
    value,
    previous,
    previousLabel: 'Nov 1-14',
  });

  it('ranks by relative change, either way, leaving out what cannot be compared', () => {
    const movers = biggestMovers([
      c('Flat', '10', '10'),
      c('Up half', '15', '10'),
      c('Down 90%', '1', '10'),
      c('From zero', '5', '0'),
      c('No value', null, '3'),
      c('Negative base', '-5', '-10'),
    ]);
    expect(movers.map((m) => [m.name, m.relativeChange])).toEqual([
      ['Down 90%', -0.9],
      ['Negative base', 0.5],
      ['Up half', 0.5],
    ]);
    expect(biggestMovers([c('A', '2', '1'), c('B', '3', '1'), c('C', '4', '1')], 2)).toHaveLength(
      2,
    );
  });

  it('formats a signed relative change', () => {
    expect(formatRelativeChange(0.25, 'en-US')).toBe('+25%');
    expect(formatRelativeChange(-0.04, 'en-US')).toBe('-4%');
    expect(formatRelativeChange(12, 'en-US')).toBe('>999%');
  });

  it('keeps a scope and knows an empty digest', () => {
    const all = {
      statusChanges: [{ unitId: 'a' }, { unitId: 'b' }],
      missing: [{ unitId: 'b' }],
      movers: [c('In', '2', '1', 'a'), c('Out', '9', '1', 'b')],
    };
    const mine = digestForScope(new Set(['a']), all);
    expect(mine.statusChanges).toEqual([{ unitId: 'a' }]);
    expect(mine.missing).toEqual([]);
    expect(mine.movers.map((m) => m.name)).toEqual(['In']);
    expect(digestForScope(null, all).movers.map((m) => m.name)).toEqual(['Out', 'In']);
    expect(isEmptyDigest(digestForScope(new Set(['z']), all))).toBe(true);
  });
});
