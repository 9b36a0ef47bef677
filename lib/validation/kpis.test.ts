import { describe, expect, it } from 'vitest';
import { recordCheckinSchema } from './checkins';
import { decimalString, isoDateString, positiveDecimalString } from './fields';
import { createKpiSchema, updateKpiSchema } from './kpis';

const base = {
  name: 'New MRR',
  unitId: '3f2504e0-4f89-41d3-9a0c-0305e82c3301',
  measureUnit: 'count',
  direction: 'increase',
  cadence: 'month',
  timeAggregation: 'sum',
} as const;

describe('cascade field schemas', () => {
  it.each([
    ['12', '12'],
    ['-3.500000', '-3.5'],
    [' 0.1 ', '0.1'],
    ['99999999999999.999999', '99999999999999.999999'],
  ])('accepts the decimal %j as %j', (raw, normalized) => {
    expect(decimalString.parse(raw)).toBe(normalized);
  });

  it.each([
    'NaN',
    'Infinity',
    '-Infinity',
    '1e309',
    '1e3',
    '',
    '  ',
    '1,000',
    '.5',
    '123456789012345678901',
    '1.1234567',
  ])('refuses the decimal %j', (raw) => {
    expect(decimalString.safeParse(raw).success).toBe(false);
  });

  it('refuses JS numbers: values travel as strings', () => {
    expect(decimalString.safeParse(0.1).success).toBe(false);
    expect(decimalString.safeParse(Number.NaN).success).toBe(false);
  });

  it('weights must be positive', () => {
    expect(positiveDecimalString.safeParse('0').success).toBe(false);
    expect(positiveDecimalString.safeParse('-2').success).toBe(false);
    expect(positiveDecimalString.parse('0.000001')).toBe('0.000001');
  });

  it.each(['infinity', 'epoch', '2025-02-30', '2025-13-01', '2025-1-5', 'today', '1899-12-31'])(
    'refuses the date %j',
    (raw) => {
      expect(isoDateString.safeParse(raw).success).toBe(false);
    },
  );

  it('accepts a real date, including 29 February of a leap year', () => {
    expect(isoDateString.parse('2024-02-29')).toBe('2024-02-29');
  });
});

describe('KPI schemas', () => {
  it('requires a currency code exactly for currency KPIs', () => {
    expect(createKpiSchema.safeParse({ ...base, measureUnit: 'currency' }).success).toBe(false);
    expect(
      createKpiSchema.safeParse({ ...base, measureUnit: 'currency', currency: 'EUR' }).success,
    ).toBe(true);
    expect(createKpiSchema.safeParse({ ...base, currency: 'EUR' }).success).toBe(false);
    expect(
      createKpiSchema.safeParse({ ...base, measureUnit: 'currency', currency: 'eur' }).success,
    ).toBe(false);
  });

  it('checks the key format and turns an empty key into none', () => {
    expect(createKpiSchema.parse({ ...base, key: '' }).key).toBeNull();
    expect(createKpiSchema.parse({ ...base, key: 'sales.new_mrr' }).key).toBe('sales.new_mrr');
    for (const key of ['Sales', '1abc', 'a', 'a b', `a${'b'.repeat(63)}`]) {
      expect(createKpiSchema.safeParse({ ...base, key }).success, key).toBe(false);
    }
  });

  it('refuses unknown keys, long names and individual KPIs without an owner', () => {
    expect(createKpiSchema.safeParse({ ...base, orgId: base.unitId }).success).toBe(false);
    expect(createKpiSchema.safeParse({ ...base, name: 'x'.repeat(121) }).success).toBe(false);
    expect(createKpiSchema.safeParse({ ...base, isIndividual: true }).success).toBe(false);
  });

  it('an edit needs the version and only carries the given fields', () => {
    expect(updateKpiSchema.safeParse({ kpiId: base.unitId, name: 'x' }).success).toBe(false);
    expect(updateKpiSchema.parse({ kpiId: base.unitId, version: 3, rollup: 'sum' })).toEqual({
      kpiId: base.unitId,
      version: 3,
      rollup: 'sum',
    });
  });

  it('a check-in carries an exact string value and a real date', () => {
    const ok = recordCheckinSchema.parse({
      kpiId: base.unitId,
      observedOn: '2025-03-01',
      value: '1.50',
    });
    expect(ok.value).toBe('1.5');
    expect(
      recordCheckinSchema.safeParse({ kpiId: base.unitId, observedOn: '2025-03-01', value: 1.5 })
        .success,
    ).toBe(false);
  });
});
