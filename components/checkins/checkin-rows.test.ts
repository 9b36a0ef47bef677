import { describe, expect, it } from 'vitest';
import type { CheckinRowDto } from '@/lib/domain/dashboard/my-dashboard';
import {
  pendingCheckins,
  placeholderOf,
  planRow,
  rowErrorsOf,
  rowHint,
  unitSuffix,
  withPending,
  type Draft,
} from './checkin-rows';

const TODAY = '2026-12-06';

function row(over: Partial<CheckinRowDto> = {}): CheckinRowDto {
  return {
    kpiId: 'k1',
    name: 'Demos booked',
    periodLabel: 'Dec 2026',
    periodStart: '2026-12-01',
    measure: { measureUnit: 'count', currency: null, decimals: 0 },
    timeAggregation: 'last',
    periodValue: '4',
    target: '10',
    last: { value: '4', observedOn: '2026-12-03' },
    inPeriod: { id: 'r1', value: '4', observedOn: '2026-12-03', version: 2 },
    ...over,
  };
}

describe('planRow', () => {
  it('skips an empty field and reports a typo', () => {
    expect(planRow(row(), '  ', TODAY, 'en-US').kind).toBe('skip');
    const typo = planRow(row(), '1,0', TODAY, 'en-US');
    expect(typo.kind).toBe('skip');
    expect(typo.error).toMatch(/1,234\.5/);
  });

  it('records a new reading unless the KPI has one dated today, which it corrects', () => {
    expect(planRow(row(), '7', TODAY, 'en-US')).toEqual({ kind: 'record', value: '7' });
    const today = row({ inPeriod: { id: 'r9', value: '5', observedOn: TODAY, version: 3 } });
    expect(planRow(today, '6', TODAY, 'en-US')).toEqual({
      kind: 'update',
      value: '6',
      reading: { id: 'r9', version: 3 },
    });
    // The same value as today's reading changes nothing.
    expect(planRow(today, '5', TODAY, 'en-US').kind).toBe('skip');
  });

  it("reads the text the organization's way", () => {
    expect(planRow(row(), '1.234,5', TODAY, 'de-DE')).toEqual({ kind: 'record', value: '1234.5' });
  });
});

describe('pendingCheckins', () => {
  const draft = (over: Partial<Draft> = {}): Draft => ({
    kpiId: 'k1',
    value: '7',
    kind: 'record',
    ...over,
  });

  it("a level's period value becomes the new reading; a flow's adds to the total", () => {
    const level = pendingCheckins([row()], [draft()], TODAY, 'en-US').get('k1');
    expect(level).toMatchObject({ periodValue: '7', valueText: '7', periodLabel: 'Dec 2026' });
    expect(level?.reading).toEqual({ id: 'pending-k1', version: 1, value: '7', observedOn: TODAY });
    const flow = row({ timeAggregation: 'sum', periodValue: '1000.5' });
    expect(
      pendingCheckins([flow], [draft({ value: '2' })], TODAY, 'en-US').get('k1'),
    ).toMatchObject({ periodValue: '1002.5', valueText: '1,003' });
  });

  it("keeps an average's period value (the server computes it) and a correction's reading id", () => {
    const rate = row({ timeAggregation: 'average', periodValue: '3' });
    const p = pendingCheckins(
      [rate],
      [draft({ kind: 'update', reading: { id: 'r1', version: 2 } })],
      TODAY,
      'en-US',
    ).get('k1');
    expect(p).toMatchObject({ periodValue: '3', reading: { id: 'r1', version: 2, value: '7' } });
  });

  it('ignores a draft for a row the screen does not show', () => {
    expect(pendingCheckins([row()], [draft({ kpiId: 'other' })], TODAY, 'en-US').size).toBe(0);
  });
});

describe('withPending and the row lines', () => {
  it("shows the pending reading as today's, so the hint and placeholder follow the save", () => {
    const pending = pendingCheckins(
      [row()],
      [{ kpiId: 'k1', value: '7', kind: 'record' }],
      TODAY,
      'en-US',
    );
    const shown = withPending(row(), pending.get('k1'));
    expect(shown.periodValue).toBe('7');
    expect(placeholderOf(shown, TODAY, 'en-US')).toBe('7');
    expect(rowHint(shown, 'skip', TODAY, 'en-US')).toMatch(/^Today's reading 7 /);
    expect(withPending(row(), undefined)).toEqual(row());
  });

  it('says what a save will do', () => {
    expect(rowHint(row(), 'record', TODAY, 'en-US')).toMatch(
      /^Saving records a new reading dated .*; last reading 4 \(.*\) is kept\.$/,
    );
    const flow = row({ timeAggregation: 'sum', last: null });
    expect(placeholderOf(flow, TODAY, 'en-US')).toBe('amount');
    expect(rowHint(flow, 'skip', TODAY, 'en-US')).toBe(
      "Type an amount to add to Dec 2026's total.",
    );
    expect(rowHint(row({ last: null, inPeriod: null }), 'skip', TODAY, 'en-US')).toBe(
      'No reading yet.',
    );
  });

  it('names the unit after the field', () => {
    expect(
      unitSuffix(row({ measure: { measureUnit: 'currency', currency: 'EUR', decimals: 2 } })),
    ).toBe('EUR');
    expect(
      unitSuffix(row({ measure: { measureUnit: 'percent', currency: null, decimals: 1 } })),
    ).toBe('%');
    expect(unitSuffix(row())).toBe('');
  });
});

describe('rowErrorsOf', () => {
  it("keeps each row's first error, by KPI id, from the action's field errors", () => {
    const drafts: Draft[] = [
      { kpiId: 'a', value: '1', kind: 'record' },
      { kpiId: 'b', value: '2', kind: 'record' },
    ];
    expect(
      rowErrorsOf(
        { 'items.1.value': ['too big', 'second'], 'items.1.version': ['stale'], other: ['x'] },
        drafts,
      ),
    ).toEqual({ b: 'too big' });
    expect(rowErrorsOf(undefined, drafts)).toEqual({});
  });
});
