import { describe, expect, it } from 'vitest';
import { dashboardViewQuery, parseDashboardView } from './dashboard';

const org = { fyStartMonth: 1, timeZone: 'UTC', locale: 'en-US' };
const TODAY = '2026-12-05';

describe('dashboard view params', () => {
  it('round-trips a period key', () => {
    for (const key of ['month-2026-11-01', 'quarter-2026-10-01', 'year-2025-01-01']) {
      const query = dashboardViewQuery({ period: key });
      expect(query).toBe(`?period=${key}`);
      const view = parseDashboardView(
        Object.fromEntries(new URLSearchParams(query.slice(1))),
        org,
        TODAY,
      );
      expect(view).toMatchObject({ period: { key }, refused: false });
    }
  });

  it('defaults to the last complete month, quietly without a period and with a notice on garbage', () => {
    expect(parseDashboardView({}, org, TODAY)).toMatchObject({
      period: { key: 'month-2026-11-01', isCurrent: false },
      refused: false,
    });
    for (const bad of [
      'week-2026-11-01',
      'month-2026-11-15',
      'month-2027-01-01',
      '<script>',
      ['month-2026-10-01', 'month-2026-09-01'],
    ])
      expect(parseDashboardView({ period: bad }, org, TODAY)).toMatchObject({
        period: { key: 'month-2026-11-01' },
        refused: true,
      });
  });
});
