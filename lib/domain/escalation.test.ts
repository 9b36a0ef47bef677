import { describe, expect, it } from 'vitest';
import { escalationDedupKey, escalationSlotsOn, leadChain, type UnitNode } from './escalation';

const settings = { daysBefore: 3, graceDays: 2 };

describe('escalationSlotsOn', () => {
  it('escalates 3 days after the due date, then one step further every 3 days', () => {
    // November: last day Nov 30, due Dec 2.
    expect(escalationSlotsOn('2026-12-05', 1, settings, 5)).toEqual([
      {
        cadence: 'month',
        periodStart: '2026-11-01',
        lastDay: '2026-11-30',
        dueDate: '2026-12-02',
        step: 1,
      },
    ]);
    expect(
      escalationSlotsOn('2026-12-08', 1, settings, 5).map((s) => [s.periodStart, s.step]),
    ).toEqual([['2026-11-01', 2]]);
    expect(escalationSlotsOn('2026-12-06', 1, settings, 5)).toEqual([]);
  });

  it('stops after the given number of steps', () => {
    expect(escalationSlotsOn('2026-12-08', 1, settings, 1)).toEqual([]);
  });

  it('follows the grace days', () => {
    expect(
      escalationSlotsOn('2026-12-03', 1, { daysBefore: 3, graceDays: 0 }, 3).map((s) => s.dueDate),
    ).toEqual(['2026-11-30']);
  });
});

describe('leadChain', () => {
  const units = new Map<string, UnitNode>([
    ['root', { parentId: null, leadUserId: 'ceo' }],
    ['sales', { parentId: 'root', leadUserId: 'vp' }],
    ['emea', { parentId: 'sales', leadUserId: 'vp' }],
    ['team', { parentId: 'emea', leadUserId: 'tl' }],
    ['nolead', { parentId: 'team', leadUserId: null }],
  ]);

  it('lists the leads above the owner, nearest first, each once', () => {
    expect(leadChain('nolead', 'ana', units)).toEqual(['tl', 'vp', 'ceo']);
  });

  it('skips the owner when they lead their own unit', () => {
    expect(leadChain('team', 'tl', units)).toEqual(['vp', 'ceo']);
    expect(leadChain('root', 'ceo', units)).toEqual([]);
  });

  it('ends at an unknown unit', () => {
    expect(leadChain('gone', 'ana', units)).toEqual([]);
  });

  it('keys one escalation per lead and day', () => {
    expect(escalationDedupKey('2026-12-05')).toBe('escalation:2026-12-05');
  });
});
