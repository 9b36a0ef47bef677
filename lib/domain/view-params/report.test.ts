import { describe, expect, it } from 'vitest';
import { COMPANY_SCOPE, parseReportView, reportViewQuery } from './report';

const org = { fyStartMonth: 4, timeZone: 'UTC', locale: 'en-US' };
const TODAY = '2026-12-05';
const UNIT = '9b2e1c3a-5d4f-4e6a-8b7c-0d1e2f3a4b5c';

describe('report view params', () => {
  it('round-trips a scope and a period', () => {
    const query = reportViewQuery({ scope: UNIT, period: 'quarter-2026-07-01' });
    expect(query).toBe(`?scope=${UNIT}&period=quarter-2026-07-01`);
    const view = parseReportView(
      Object.fromEntries(new URLSearchParams(query.slice(1))),
      org,
      TODAY,
    );
    expect(view).toMatchObject({
      scope: UNIT,
      period: { key: 'quarter-2026-07-01' },
      refused: { scope: false, period: false },
    });
    expect(reportViewQuery({ scope: view.scope, period: view.period.key })).toBe(query);
  });

  it('defaults to the company and the last complete month', () => {
    expect(parseReportView({}, org, TODAY)).toMatchObject({
      scope: COMPANY_SCOPE,
      period: { key: 'month-2026-11-01' },
      refused: { scope: false, period: false },
    });
    expect(parseReportView({ scope: '' }, org, TODAY).refused.scope).toBe(false);
  });

  it('reads a malformed scope or period as the default, part by part, and says so', () => {
    for (const scope of ['../company', "1' or '1'='1", 'COMPANY', [UNIT, UNIT]]) {
      const view = parseReportView({ scope, period: 'month-2026-10-01' }, org, TODAY);
      expect(view).toMatchObject({
        scope: COMPANY_SCOPE,
        period: { key: 'month-2026-10-01' },
        refused: { scope: true, period: false },
      });
    }
    expect(parseReportView({ scope: UNIT, period: 'year-2026-01-01' }, org, TODAY)).toMatchObject({
      scope: UNIT,
      period: { key: 'month-2026-11-01' },
      refused: { scope: false, period: true },
    });
  });
});
