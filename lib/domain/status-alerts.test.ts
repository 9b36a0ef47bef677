import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, STATUSES, type Status } from './progress';
import {
  mergeSameWrite,
  statusAlertDedupKey,
  statusAlertRecipients,
  statusCrossing,
  valueChangeCrossing,
  type ValueChange,
} from './status-alerts';

describe('statusCrossing', () => {
  it('alerts on entering at risk or off track from anything else', () => {
    for (const from of ['on_track', 'no_data', 'in_progress', 'off_track'] as Status[]) {
      expect(statusCrossing(from, 'at_risk')).toEqual({ from, to: 'at_risk' });
    }
    for (const from of ['on_track', 'no_data', 'in_progress', 'at_risk'] as Status[]) {
      expect(statusCrossing(from, 'off_track')).toEqual({ from, to: 'off_track' });
    }
  });

  it('notes a recovery to on track only from at risk or off track', () => {
    expect(statusCrossing('off_track', 'on_track')).toEqual({ from: 'off_track', to: 'on_track' });
    expect(statusCrossing('at_risk', 'on_track')).toEqual({ from: 'at_risk', to: 'on_track' });
    expect(statusCrossing('no_data', 'on_track')).toBeNull();
    expect(statusCrossing('in_progress', 'on_track')).toBeNull();
  });

  it('is never a crossing without a change, or into in progress or no data', () => {
    for (const s of STATUSES) expect(statusCrossing(s, s)).toBeNull();
    for (const from of STATUSES) {
      expect(statusCrossing(from, 'in_progress')).toBeNull();
      expect(statusCrossing(from, 'no_data')).toBeNull();
    }
  });
});

describe('valueChangeCrossing', () => {
  const closedMonth: Omit<ValueChange, 'oldValue' | 'newValue'> = {
    target: '100',
    baseline: null,
    direction: 'increase',
    timeAggregation: 'sum',
    periodStart: '2026-11-01',
    cadence: 'month',
    today: '2026-12-05',
    thresholds: DEFAULT_THRESHOLDS,
  };

  it('grades a closed period: a first bad value is off track, a better one recovers', () => {
    const bad = valueChangeCrossing({ ...closedMonth, oldValue: null, newValue: '50' });
    expect(bad?.crossing).toEqual({ from: 'no_data', to: 'off_track' });
    expect(bad?.evaluation.target).toBe('100');
    expect(
      valueChangeCrossing({ ...closedMonth, oldValue: '50', newValue: '90' })?.crossing,
    ).toEqual({ from: 'off_track', to: 'at_risk' });
    expect(
      valueChangeCrossing({ ...closedMonth, oldValue: '90', newValue: '110' })?.crossing,
    ).toEqual({ from: 'at_risk', to: 'on_track' });
  });

  it('says nothing when the status stays, or the value goes, or there is no target', () => {
    expect(valueChangeCrossing({ ...closedMonth, oldValue: '40', newValue: '50' })).toBeNull();
    expect(valueChangeCrossing({ ...closedMonth, oldValue: '50', newValue: null })).toBeNull();
    expect(
      valueChangeCrossing({ ...closedMonth, target: null, oldValue: null, newValue: '1' }),
    ).toBeNull();
  });

  it('an open flow period not graded yet is in progress: no crossing', () => {
    const open = { ...closedMonth, periodStart: '2026-12-01', today: '2026-12-05' };
    expect(valueChangeCrossing({ ...open, oldValue: null, newValue: '1' })).toBeNull();
    expect(valueChangeCrossing({ ...open, oldValue: '1', newValue: '2' })).toBeNull();
  });

  it('an open period once graded (against pace) does cross', () => {
    // Two thirds of December elapsed: the pace target is about 60; 30 is off track.
    const graded = { ...closedMonth, periodStart: '2026-12-01', today: '2026-12-20' };
    expect(valueChangeCrossing({ ...graded, oldValue: null, newValue: '30' })?.crossing).toEqual({
      from: 'no_data',
      to: 'off_track',
    });
  });

  it('follows the direction: a cost over its budget is off track', () => {
    const cost = {
      ...closedMonth,
      direction: 'decrease' as const,
      timeAggregation: 'last' as const,
    };
    expect(valueChangeCrossing({ ...cost, oldValue: '90', newValue: '150' })?.crossing).toEqual({
      from: 'on_track',
      to: 'off_track',
    });
  });
});

describe('statusAlertDedupKey and recipients', () => {
  it('names KPI, period, crossing and the causing event', () => {
    const key = statusAlertDedupKey({
      kpiId: 'k1',
      periodStart: '2026-11-01',
      crossing: { from: 'on_track', to: 'off_track' },
      eventId: 'e1',
    });
    expect(key).toBe('status:k1:2026-11-01:on_track->off_track:e1');
    expect(
      statusAlertDedupKey({
        kpiId: 'k1',
        periodStart: '2026-11-01',
        crossing: { from: 'on_track', to: 'off_track' },
        eventId: 'e2',
      }),
    ).not.toBe(key);
  });

  it('owner and unit lead, each once', () => {
    expect(statusAlertRecipients({ ownerUserId: 'a', unitLeadUserId: 'b' })).toEqual(['a', 'b']);
    expect(statusAlertRecipients({ ownerUserId: 'a', unitLeadUserId: 'a' })).toEqual(['a']);
    expect(statusAlertRecipients({ ownerUserId: null, unitLeadUserId: 'b' })).toEqual(['b']);
    expect(statusAlertRecipients({ ownerUserId: null, unitLeadUserId: null })).toEqual([]);
  });
});

describe('mergeSameWrite', () => {
  it('merges the steps of one write of a (KPI, period) into first old, last new', () => {
    const t1 = new Date('2026-12-05T10:00:00Z');
    const t2 = new Date('2026-12-05T10:00:01Z');
    const ev = (
      id: string,
      kpiId: string,
      at: Date,
      oldValue: string | null,
      newValue: string | null,
    ) => ({
      id,
      kpiId,
      periodStart: '2026-11-01',
      at,
      oldValue,
      newValue,
    });
    expect(
      mergeSameWrite([
        ev('a', 'k', t1, '10', '20'),
        ev('b', 'other', t1, null, '1'),
        ev('c', 'k', t1, '20', '30'),
        ev('d', 'k', t2, '30', '40'),
      ]),
    ).toEqual([
      ev('a', 'k', t1, '10', '30'),
      ev('b', 'other', t1, null, '1'),
      ev('d', 'k', t2, '30', '40'),
    ]);
  });
});
