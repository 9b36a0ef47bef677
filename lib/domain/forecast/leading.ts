import { isCadenceNoLongerThan, type Cadence } from '@/lib/domain/periods';

/*
 * Do leading indicators lead? (issue 24, item 3), pure: which KPIs are measured as leading which
 * (leadsInto, leadIdsOf), and the correlation of period-on-period changes of a leading KPI with
 * those of the KPI it leads, with the leading KPI's changes taken 0 to MAX_LAG periods earlier,
 * the number of periods each correlation rests on and a plain verdict. A statistic for display, so plain numbers (the values themselves stay exact elsewhere).
 */

/** Largest lag tried, in periods. */
export const MAX_LAG = 3;

/** Fewest pairs of changes a correlation needs before it says anything. */
export const MIN_PAIRS = 8;

/** |r| from which a lag counts as a lead. */
export const STRONG_R = 0.5;

/** |r| below which the indicator predicts nothing. */
export const WEAK_R = 0.3;

/** The correlation at one lag. */
export type LagCorrelation = { lag: number; r: number | null; n: number };

/** What the history says about a leading KPI and the KPI it feeds. */
export type LeadVerdict =
  | { kind: 'too_little_history'; n: number }
  | { kind: 'leads'; lag: number; r: number; n: number }
  | { kind: 'weak'; lag: number; r: number; n: number }
  | { kind: 'predicts_nothing'; r: number; n: number };

/** Pearson's r of paired numbers; null with fewer than 3 pairs or no variation. */
export function pearson(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 3) return null;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i += 1) {
    mx += xs[i] as number;
    my += ys[i] as number;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i += 1) {
    const dx = (xs[i] as number) - mx;
    const dy = (ys[i] as number) - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return null;
  return sxy / Math.sqrt(sxx * syy);
}

/** Period-on-period changes of a series (null where either period has no value). */
function changes(series: readonly (number | null)[]): (number | null)[] {
  return series.map((v, i) => {
    const before = i > 0 ? series[i - 1] : null;
    return v === null || before == null ? null : v - before;
  });
}

/**
 * Correlations of the changes of `leading` (lagged 0..MAX_LAG periods) with the changes of
 * `lagging`; both series cover the same periods, oldest first (null: no value).
 */
export function lagCorrelations(
  leading: readonly (number | null)[],
  lagging: readonly (number | null)[],
): LagCorrelation[] {
  const dx = changes(leading);
  const dy = changes(lagging);
  const out: LagCorrelation[] = [];
  for (let lag = 0; lag <= MAX_LAG; lag += 1) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (let t = lag; t < dy.length; t += 1) {
      const x = dx[t - lag];
      const y = dy[t];
      if (x == null || y == null) continue;
      xs.push(x);
      ys.push(y);
    }
    out.push({ lag, r: xs.length >= MIN_PAIRS ? pearson(xs, ys) : null, n: xs.length });
  }
  return out;
}

/** The plain verdict: the lag with the strongest correlation, if the history is long enough. */
export function leadVerdict(correlations: readonly LagCorrelation[]): LeadVerdict {
  const usable = correlations.filter((c): c is LagCorrelation & { r: number } => c.r !== null);
  const n = Math.max(0, ...correlations.map((c) => c.n));
  if (usable.length === 0) return { kind: 'too_little_history', n };
  const best = usable.reduce((a, b) => (Math.abs(b.r) > Math.abs(a.r) ? b : a));
  if (Math.abs(best.r) >= STRONG_R) return { kind: 'leads', lag: best.lag, r: best.r, n: best.n };
  if (Math.abs(best.r) >= WEAK_R) return { kind: 'weak', lag: best.lag, r: best.r, n: best.n };
  return { kind: 'predicts_nothing', r: best.r, n: best.n };
}

/** "pipeline leads new ARR by 2 months, r = 0.71 over 20 months". */
export function leadSentence(
  leading: string,
  lagging: string,
  verdict: LeadVerdict,
  periodWord: { one: string; many: string },
): string {
  const periods = (k: number) => `${k} ${k === 1 ? periodWord.one : periodWord.many}`;
  const r = (x: number) => `r = ${x.toFixed(2)}`;
  switch (verdict.kind) {
    case 'too_little_history':
      return `Too little history to tell whether ${leading} leads ${lagging} (${periods(verdict.n)} of changes; ${MIN_PAIRS} needed)`;
    case 'leads':
      return verdict.lag === 0
        ? `${leading} moves with ${lagging} in the same ${periodWord.one} (no lead), ${r(verdict.r)} over ${periods(verdict.n)}`
        : `${leading} leads ${lagging} by ${periods(verdict.lag)}, ${r(verdict.r)} over ${periods(verdict.n)}`;
    case 'weak':
      return `${leading} barely predicts ${lagging}: at best ${r(verdict.r)} at a lag of ${periods(verdict.lag)}, over ${periods(verdict.n)}`;
    case 'predicts_nothing':
      return `${leading} predicts nothing of ${lagging} on this history (|r| below ${WEAK_R} at every lag up to ${MAX_LAG}, over ${periods(verdict.n)})`;
  }
}

/** A KPI as the lead rule reads it. */
export type LeadRuleKpi = {
  id: string;
  key: string | null;
  parentId: string | null;
  cadence: Cadence;
  indicator: 'leading' | 'lagging';
  /** The keys its formula reads (empty without a formula). */
  formulaInputs: readonly string[];
};

/**
 * Is `lead` measured as leading `lagging`? Another KPI, of a cadence no longer than the lagging
 * KPI's (it is read period by period at the lagging KPI's cadence), and either linked explicitly
 * as leading it (`linked`: kpi_leads) or marked `leading` and feeding it (as its child, or as an
 * input of its formula).
 */
export function leadsInto(lead: LeadRuleKpi, lagging: LeadRuleKpi, linked: boolean): boolean {
  if (lead.id === lagging.id || !isCadenceNoLongerThan(lead.cadence, lagging.cadence)) return false;
  if (linked) return true;
  return (
    lead.indicator === 'leading' &&
    (lead.parentId === lagging.id ||
      (lead.key !== null && lagging.formulaInputs.includes(lead.key)))
  );
}

/**
 * The leads of every KPI among `kpis` by leadsInto (only leads that are among them), ids sorted:
 * lagging KPI id -> lead ids. Linear in the KPIs, their formula inputs and the links.
 */
export function leadIdsOf(
  kpis: readonly LeadRuleKpi[],
  links: readonly { leadKpiId: string; laggingKpiId: string }[],
): Map<string, string[]> {
  const byId = new Map(kpis.map((k) => [k.id, k]));
  const byKey = new Map<string, LeadRuleKpi>();
  for (const k of kpis) if (k.key !== null) byKey.set(k.key, k);
  const out = new Map<string, Set<string>>();
  const add = (
    lead: LeadRuleKpi | undefined,
    lagging: LeadRuleKpi | undefined,
    linked: boolean,
  ) => {
    if (!lead || !lagging || !leadsInto(lead, lagging, linked)) return;
    let own = out.get(lagging.id);
    if (!own) out.set(lagging.id, (own = new Set()));
    own.add(lead.id);
  };
  for (const k of kpis) {
    if (k.parentId !== null) add(k, byId.get(k.parentId), false);
    for (const key of k.formulaInputs) add(byKey.get(key), k, false);
  }
  for (const l of links) add(byId.get(l.leadKpiId), byId.get(l.laggingKpiId), true);
  return new Map([...out].map(([id, leads]) => [id, [...leads].sort()]));
}
