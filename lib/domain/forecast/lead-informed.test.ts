import { describe, expect, it } from 'vitest';
import { toDec } from '@/lib/domain/decimal';
import { syntheticLeadGroups } from '@/lib/seed/synthetic-leads';
import { runLeadBacktest } from './lead-backtest';
import { leadInformedForecast, provenLead, provenLeadOf } from './lead-informed';
import { trendForecast } from './methods';

const dec = (xs: readonly (string | null)[]) => xs.map((v) => (v === null ? null : toDec(v)));

describe('lead-informed forecast', () => {
  const groups = syntheticLeadGroups({ count: 6, months: 30, first: '2024-01-01', seed: 7 });

  it('finds the 2-period lead the synthetic pairs were built with', () => {
    for (const g of groups) {
      const p = provenLeadOf(dec(g.leads[0] ?? []), dec(g.lagging));
      expect(p?.lag).toBe(2);
      expect(p?.r).toBeGreaterThan(0.5);
    }
  });

  it('beats the trend where the lead truly leads by 2 periods', () => {
    let informed = 0;
    let trend = 0;
    let n = 0;
    for (const g of groups) {
      const y = dec(g.lagging);
      const x = dec(g.leads[0] ?? []);
      for (let t = 14; t < y.length; t += 1) {
        const actual = y[t] as NonNullable<(typeof y)[number]>;
        const f = leadInformedForecast(y.slice(0, t), x.slice(0, t), 2);
        const g2 = trendForecast(y.slice(0, t));
        if (f === null || g2 === null) throw new Error('no forecast');
        informed += f.minus(actual).abs().div(actual).toNumber();
        trend += g2.minus(actual).abs().div(actual).toNumber();
        n += 1;
      }
    }
    expect(n).toBe(6 * 16);
    expect(informed / n).toBeLessThan((trend / n) * 0.9);
  });

  it('is scored in the backtest only where a lead was proven on the past', () => {
    const { scores, kpisWithProvenLead } = runLeadBacktest(groups.slice(0, 1), '2025-04-01');
    expect(kpisWithProvenLead).toBe(1);
    expect(scores.map((s) => s.method)).toEqual(['naive', 'trend', 'lead_informed', 'lead_gated']);
    expect(scores.every((s) => s.n === scores[0]?.n && s.n > 0)).toBe(true);
  });

  it('adds nothing when the lead change that lands next period is zero and the errors are', () => {
    // a lagging KPI on an exact line: the trend is right and the errors' line is flat at 0
    const lagging = Array.from({ length: 20 }, (_, i) => toDec(String(100 + 10 * i)));
    const lead = Array.from({ length: 20 }, (_, i) => toDec(i % 2 === 0 ? '50' : '60'));
    const informed = leadInformedForecast(lagging, lead, 2);
    expect(informed?.toFixed()).toBe(trendForecast(lagging)?.toFixed());
  });

  it('says nothing with too little history or a lag below 1', () => {
    const short = Array.from({ length: 6 }, (_, i) => toDec(String(i)));
    expect(leadInformedForecast(short, short, 1)).toBeNull();
    const long = Array.from({ length: 20 }, (_, i) => toDec(String(i * i)));
    expect(leadInformedForecast(long, long, 0)).toBeNull();
  });

  it('counts only a lead at a lag of at least one period as proven', () => {
    expect(provenLead({ kind: 'leads', lag: 0, r: 0.9, n: 20 })).toBeNull();
    expect(provenLead({ kind: 'weak', lag: 2, r: 0.4, n: 20 })).toBeNull();
    expect(provenLead({ kind: 'leads', lag: 2, r: -0.7, n: 20 })).toEqual({
      lag: 2,
      r: -0.7,
      n: 20,
    });
  });
});
