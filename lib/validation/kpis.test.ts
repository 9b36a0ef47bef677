import { describe, expect, it } from 'vitest';
import { recordCheckinSchema, saveCheckinsSchema } from './checkins';
import { decimalString, isoDateString, positiveDecimalString } from './fields';
import { createKpiSchema, saveKpiFormSchema, updateKpiSchema } from './kpis';

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

/** The dotted paths of a failed parse, for comparing where errors point. */
function errorPaths(result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) {
  return (result.error?.issues ?? []).map((i) => i.path.join('.'));
}

describe('the one-save schemas', () => {
  const edit = { mode: 'edit', kpiId: base.unitId, version: 2 } as const;

  it('the KPI form: create carries north star, edit carries owner, parent and targets', () => {
    expect(saveKpiFormSchema.parse({ mode: 'create', ...base, isNorthStar: true })).toMatchObject({
      mode: 'create',
      isNorthStar: true,
    });
    expect(
      saveKpiFormSchema.parse({
        ...edit,
        ownerUserId: null,
        parentId: base.unitId,
        targets: [
          { periodStart: '2026-01-01', target: '12.50' },
          { periodStart: '2026-02-01', target: null },
        ],
      }),
    ).toEqual({
      ...edit,
      ownerUserId: null,
      parentId: base.unitId,
      targets: [
        { periodStart: '2026-01-01', target: '12.5' },
        { periodStart: '2026-02-01', target: null },
      ],
    });
  });

  it('the KPI form: errors point at the field, a target at its row', () => {
    expect(errorPaths(saveKpiFormSchema.safeParse({ ...edit, name: ' ' }))).toEqual(['name']);
    const targetsPaths = (second: { periodStart: string; target: string }) =>
      errorPaths(
        saveKpiFormSchema.safeParse({
          ...edit,
          targets: [{ periodStart: '2026-01-01', target: '1' }, second],
        }),
      );
    expect(targetsPaths({ periodStart: '2026-02-01', target: '1,000' })).toEqual([
      'targets.1.target',
    ]);
    expect(targetsPaths({ periodStart: '2026-01-01', target: '2' })).toEqual([
      'targets.1.periodStart',
    ]);
    expect(errorPaths(saveKpiFormSchema.safeParse({ ...edit, measureUnit: 'currency' }))).toEqual([
      'currency',
    ]);
  });

  it('the KPI form: strict, versioned, and no edit-only part on a new KPI', () => {
    expect(saveKpiFormSchema.safeParse({ ...edit, orgId: base.unitId }).success).toBe(false);
    expect(saveKpiFormSchema.safeParse({ mode: 'edit', kpiId: base.unitId }).success).toBe(false);
    expect(saveKpiFormSchema.safeParse({ mode: 'create', ...base, targets: [] }).success).toBe(
      false,
    );
    expect(saveKpiFormSchema.safeParse({ ...base }).success).toBe(false);
  });

  it('save all: each row records or corrects that date, and errors name the row', () => {
    const record = { kind: 'record', kpiId: base.unitId, observedOn: '2025-03-01', value: '1' };
    const update = {
      kind: 'update',
      checkinId: base.unitId,
      version: 1,
      observedOn: '2025-03-01',
      value: '2.50',
    };
    expect(saveCheckinsSchema.parse({ items: [record, update] }).items[1]).toEqual({
      ...update,
      value: '2.5',
    });
    expect(
      errorPaths(saveCheckinsSchema.safeParse({ items: [record, { ...update, value: '1,5' }] })),
    ).toEqual(['items.1.value']);
    expect(
      errorPaths(saveCheckinsSchema.safeParse({ items: [{ ...record, checkinId: base.unitId }] })),
    ).toEqual(['items.0']);
    expect(saveCheckinsSchema.safeParse({ items: [] }).success).toBe(false);
    // A correction names the screen's date: the server refuses one of a reading of another date.
    const { observedOn: _date, ...undated } = update;
    expect(errorPaths(saveCheckinsSchema.safeParse({ items: [undated] }))).toEqual([
      'items.0.observedOn',
    ]);
  });
});

describe('valid range fields', () => {
  const base = {
    name: 'Availability',
    unitId: '6f1c1b8e-8c1a-4c5e-9a59-2f1b7d1c0a11',
    measureUnit: 'percent',
    direction: 'increase',
    cadence: 'month',
    timeAggregation: 'average',
  } as const;

  it('parses bounds as exact decimals; empty or null is unbounded, absent is the default', () => {
    const parsed = createKpiSchema.parse({ ...base, validMin: '0', validMax: '100.50' });
    expect(parsed).toMatchObject({ validMin: '0', validMax: '100.5' });
    expect(createKpiSchema.parse({ ...base, validMin: '', validMax: null })).toMatchObject({
      validMin: null,
      validMax: null,
    });
    const absent = createKpiSchema.parse(base);
    expect(absent.validMin).toBeUndefined();
    expect(absent.validMax).toBeUndefined();
  });

  it('refuses a lower bound above the upper one on every KPI schema, on validMax', () => {
    const bad = { validMin: '100', validMax: '9' };
    for (const result of [
      createKpiSchema.safeParse({ ...base, ...bad }),
      updateKpiSchema.safeParse({ kpiId: base.unitId, version: 1, ...bad }),
      saveKpiFormSchema.safeParse({ mode: 'create', ...base, ...bad }),
      saveKpiFormSchema.safeParse({ mode: 'edit', kpiId: base.unitId, version: 1, ...bad }),
    ]) {
      expect(result.success).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['validMax']);
    }
    expect(createKpiSchema.safeParse({ ...base, validMin: '9', validMax: '10' }).success).toBe(
      true,
    );
    expect(createKpiSchema.safeParse({ ...base, validMin: 'abc' }).success).toBe(false);
  });

  it('takes confirmUnusual on a check-in and nothing else new', () => {
    const checkin = {
      kpiId: base.unitId,
      observedOn: '2026-12-01',
      value: '5',
    };
    expect(recordCheckinSchema.parse({ ...checkin, confirmUnusual: true }).confirmUnusual).toBe(
      true,
    );
    expect(recordCheckinSchema.safeParse({ ...checkin, confirmUnusual: 'yes' }).success).toBe(
      false,
    );
  });
});
