import { describe, expect, it } from 'vitest';
import { toDec, type DecValue } from '@/lib/domain/decimal';
import { createRng } from '@/lib/seed/random';
import { syntheticLeadGroups } from '@/lib/seed/synthetic-leads';
import { runLeadBacktest } from './lead-backtest';
import {
  leadChecks,
  leadInformedForecast,
  LEAD_MIN_SCORED,
  provenLead,
  provenLeadOf,
} from './lead-informed';
import { trendForecast } from './methods';
import { PROJECTION_HISTORY } from './projection';

const dec = (xs: readonly (string | number | null)[]): (DecValue | null)[] =>
  xs.map((v) => (v === null ? null : toDec(typeof v === 'number' ? v.toFixed(2) : v)));

/** The projection's history of a monthly KPI: the last 27 complete months. */
const WINDOW = PROJECTION_HISTORY.month;

const gateOf = (lagging: (DecValue | null)[], lead: (DecValue | null)[]) =>
  leadChecks(lagging, [{ leadId: 'lead', values: lead }]);

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
        const actual = y[t] as DecValue;
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

  it('adds nothing when the lead moves as it usually does', () => {
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

describe('the gate: a lead informs the projection only where it earned it', () => {
  it('opens on pairs built to lead by 2 months, adding what the lead predicts', () => {
    const built = syntheticLeadGroups({ count: 20, months: WINDOW, first: '2024-01-01', seed: 3 });
    let opened = 0;
    for (const g of built) {
      const lagging = dec(g.lagging);
      const { checks, used } = gateOf(lagging, dec(g.leads[0] ?? []));
      if (!used) continue;
      opened += 1;
      expect(used).toBe(checks[0]);
      const gate = used.gate;
      if (gate.kind !== 'earned') throw new Error('used without being earned');
      expect(gate.lead.lag).toBe(2);
      expect(gate.record.scored).toBeGreaterThanOrEqual(LEAD_MIN_SCORED);
      expect(gate.record.leadMae).toBeLessThanOrEqual(gate.record.trendMae * 0.9);
    }
    expect(opened).toBeGreaterThanOrEqual(16);
  });

  it('stays shut on noise: independent series, however well they correlate in hindsight', () => {
    const rng = createRng(11);
    const kinds: Record<string, number> = {};
    for (let k = 0; k < 200; k += 1) {
      const walk = (level: number, step: number) => {
        let v = level;
        return Array.from({ length: WINDOW }, () => (v = Math.max(10, v + step * rng.gauss())));
      };
      const { checks, used } = gateOf(dec(walk(5000, 100)), dec(walk(1000, 80)));
      const kind = checks[0]?.gate.kind ?? 'none';
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      expect(used).toBeNull();
    }
    // some independent pairs look like leads on the whole history; walking forward, out of
    // sample, none did better than the trend by the margin
    expect(kinds.not_better).toBeGreaterThan(0);
    expect(kinds.earned).toBeUndefined();
  });

  it('stays shut on seasonal co-movement: a shared season is not a lead', () => {
    const rng = createRng(5);
    let proven = 0;
    let opened = 0;
    for (let k = 0; k < 100; k += 1) {
      const phase = rng.next() * 12;
      const season = (t: number) => Math.sin((2 * Math.PI * (t + phase)) / 12);
      const lagging = dec(
        Array.from(
          { length: WINDOW },
          (_, t) => 5000 + 10 * t + 400 * season(t) + 150 * rng.gauss(),
        ),
      );
      const lead = dec(
        Array.from({ length: WINDOW }, (_, t) => 1000 + 200 * season(t) + 150 * rng.gauss()),
      );
      const { checks, used } = gateOf(lagging, lead);
      if (checks[0]?.gate.kind !== 'not_proven') proven += 1;
      if (used) opened += 1;
    }
    expect(proven).toBeGreaterThan(0);
    expect(opened).toBe(0);
  });

  it('needs enough history to judge', () => {
    const [g] = syntheticLeadGroups({ count: 1, months: 16, first: '2024-01-01', seed: 3 });
    const { checks, used } = gateOf(dec(g?.lagging ?? []), dec(g?.leads[0] ?? []));
    expect(used).toBeNull();
    expect(checks[0]?.gate.kind).toMatch(/^(not_proven|too_few_scored)$/);
  });
});

describe('the lead backtest', () => {
  it('scores naive, trend, lead always and lead gated on the same periods', () => {
    const groups = syntheticLeadGroups({ count: 2, months: 30, first: '2024-01-01', seed: 7 });
    const { scores, kpisWithProvenLead, gateOpened } = runLeadBacktest(groups, '2025-04-01');
    expect(kpisWithProvenLead).toBe(2);
    expect(scores.map((s) => s.method)).toEqual(['naive', 'trend', 'lead_always', 'lead_gated']);
    expect(scores.every((s) => s.n === scores[0]?.n && s.n > 0)).toBe(true);
    expect(gateOpened.periods).toBeLessThanOrEqual(scores[0]?.n ?? 0);
  });
});
