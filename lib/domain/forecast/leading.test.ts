import { describe, expect, it } from 'vitest';
import {
  lagCorrelations,
  leadIdsOf,
  leadSentence,
  leadVerdict,
  pearson,
  type LeadRuleKpi,
} from './leading';

const months = { one: 'month', many: 'months' };

describe('leading indicators', () => {
  it('finds a lead of two periods in the changes', () => {
    // pipeline changes show up in new ARR two months later
    const pipeline = [10, 14, 11, 19, 15, 22, 18, 25, 21, 30, 24, 28, 35, 29, 33, 40];
    const newArr = [5, 5, ...pipeline.slice(0, -2).map((v) => v * 2)];
    const correlations = lagCorrelations(pipeline, newArr);
    const verdict = leadVerdict(correlations);
    expect(verdict).toMatchObject({ kind: 'leads', lag: 2 });
    expect(verdict.kind === 'leads' && verdict.r).toBeCloseTo(1, 6);
    expect(leadSentence('Pipeline', 'new ARR', verdict, months)).toMatch(
      /^Pipeline leads new ARR by 2 months, r = 1\.00 over 13 months$/,
    );
  });

  it('says when the history is too short, and when an indicator predicts nothing', () => {
    const short = leadVerdict(lagCorrelations([1, 2, 3, 5], [2, 3, 5, 4]));
    expect(short).toEqual({ kind: 'too_little_history', n: 3 });
    expect(leadSentence('A', 'B', short, months)).toContain('Too little history');
    const a = [1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2];
    const b = [5, 5, 6, 6, 5, 5, 6, 6, 5, 5, 6, 6, 5, 5];
    expect(leadVerdict(lagCorrelations(a, b)).kind).toBe('predicts_nothing');
    expect(pearson([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 10);
    expect(pearson([1, 1, 1], [2, 4, 6])).toBeNull();
  });
});

describe('leadIdsOf', () => {
  const k = (id: string, over: Partial<LeadRuleKpi> = {}): LeadRuleKpi => ({
    id,
    key: id,
    parentId: null,
    cadence: 'month',
    indicator: 'lagging',
    formulaInputs: [],
    ...over,
  });

  it('takes leading children and formula inputs, explicit links, and nothing longer or itself', () => {
    const kpis = [
      k('arr', { formulaInputs: ['pipe', 'churn'] }),
      k('pipe', { indicator: 'leading' }),
      k('churn'), // feeds, but is not marked leading
      k('team', { parentId: 'arr', indicator: 'leading' }),
      k('survey', { cadence: 'quarter', indicator: 'leading', parentId: 'arr' }),
      k('ads'),
      k('weekly', { parentId: 'ads', indicator: 'leading' }),
    ];
    const links = [
      { leadKpiId: 'ads', laggingKpiId: 'arr' },
      { leadKpiId: 'arr', laggingKpiId: 'arr' },
      { leadKpiId: 'gone', laggingKpiId: 'arr' },
    ];
    expect(Object.fromEntries(leadIdsOf(kpis, links))).toEqual({
      arr: ['ads', 'pipe', 'team'],
      ads: ['weekly'],
    });
  });
});
