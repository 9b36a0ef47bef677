import { describe, expect, it } from 'vitest';
import { balanceText, indicatorBalance, onlyLaggingHint } from './kpi-kinds';

describe('indicator balance', () => {
  it('counts leading and lagging KPIs', () => {
    const b = indicatorBalance([
      { indicator: 'leading' },
      { indicator: 'lagging' },
      { indicator: 'lagging' },
    ]);
    expect(b).toEqual({ leading: 1, lagging: 2 });
    expect(balanceText(b)).toBe('1 leading, 2 lagging');
    expect(onlyLaggingHint(b)).toBeNull();
  });

  it('hints only when every KPI is lagging', () => {
    expect(onlyLaggingHint({ leading: 0, lagging: 3 })).toMatch(/^Only lagging indicators/);
    expect(onlyLaggingHint({ leading: 2, lagging: 0 })).toBeNull();
    expect(onlyLaggingHint({ leading: 0, lagging: 0 })).toBeNull();
    expect(balanceText({ leading: 0, lagging: 0 })).toBe('');
  });
});
