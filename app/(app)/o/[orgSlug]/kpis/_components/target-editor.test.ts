import { describe, expect, it } from 'vitest';
import { targetChanges, type TargetPeriod } from './target-editor';

const period = (start: string, override: string | null): TargetPeriod => ({
  start,
  label: start,
  override,
  isCurrent: false,
});

describe('targetChanges (the KPI form’s per-period targets)', () => {
  const periods = [
    period('2026-10-01', '1500.5'),
    period('2026-11-01', null),
    period('2026-12-01', '7'),
  ];

  it('reads targets the way the locale writes them and sends exact plain decimals', () => {
    const { changes, errors } = targetChanges(
      periods,
      { '2026-10-01': '1.500,5', '2026-11-01': '2.000,25', '2026-12-01': '' },
      'de-DE',
    );
    expect(errors).toEqual({});
    // The October override typed again the German way is no change; December is cleared.
    expect(changes).toEqual([
      { periodStart: '2026-11-01', target: '2000.25' },
      { periodStart: '2026-12-01', target: null },
    ]);
  });

  it('refuses text that is no number in the locale, naming the expected form, and sends nothing for it', () => {
    const { changes, errors } = targetChanges(periods, { '2026-11-01': '1,2,3' }, 'en-US');
    expect(changes).toEqual([]);
    expect(errors['2026-11-01']).toMatch(/1,234\.5/);
  });

  it('leaves untouched rows out', () => {
    expect(targetChanges(periods, {}, 'fr-FR')).toEqual({ changes: [], errors: {} });
  });
});
