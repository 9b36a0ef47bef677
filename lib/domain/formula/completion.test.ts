import { describe, expect, it } from 'vitest';
import { applyCompletion, completionOptions, completionWord } from './completion';

const KPIS = [
  { key: 'sales.new_arr', name: 'New ARR' },
  { key: 'cs.churned_arr', name: 'Churned ARR' },
  { key: 'marketing.sqls', name: 'Sales-qualified leads' },
  { key: 'marketing.mqls', name: 'Marketing-qualified leads' },
  { key: 'company.arr', name: 'Annual recurring revenue' },
];

describe('completionWord', () => {
  it('finds the name the caret is in or after', () => {
    expect(completionWord('sales.ne', 8)).toEqual({ prefix: 'sales.ne', start: 0, end: 8 });
    expect(completionWord('a + mark', 8)).toEqual({ prefix: 'mark', start: 4, end: 8 });
    expect(completionWord('prev(comp) + 1', 9)).toEqual({ prefix: 'comp', start: 5, end: 9 });
    // The caret inside a word: the prefix ends at the caret, the word runs on.
    expect(completionWord('a + marketing.sqls', 8)).toEqual({ prefix: 'mark', start: 4, end: 18 });
  });

  it('is null after an operator, a space or inside a number', () => {
    expect(completionWord('a + ', 4)).toBeNull();
    expect(completionWord('12', 2)).toBeNull();
    expect(completionWord('', 0)).toBeNull();
  });
});

describe('completionOptions', () => {
  it('lists keys that start with the prefix first, then functions, then other matches', () => {
    expect(completionOptions('ma', KPIS).map((o) => o.key)).toEqual([
      'marketing.mqls',
      'marketing.sqls',
      'max',
    ]);
    expect(completionOptions('p', KPIS).map((o) => o.key)).toEqual(['prev']);
  });

  it('matches a later key segment and the KPI name, case-insensitively', () => {
    expect(completionOptions('arr', KPIS).map((o) => o.key)).toEqual([
      'company.arr',
      'cs.churned_arr',
      'sales.new_arr',
    ]);
    expect(completionOptions('Qualified', KPIS).map((o) => o.key)).toEqual([
      'marketing.mqls',
      'marketing.sqls',
    ]);
  });

  it('does not offer a key already typed in full, and honours the limit', () => {
    expect(completionOptions('company.arr', KPIS)).toEqual([]);
    expect(completionOptions('a', KPIS, 2)).toHaveLength(2);
  });
});

describe('applyCompletion', () => {
  it('replaces the whole word and puts the caret after the key', () => {
    const word = { start: 4, end: 8 };
    expect(
      applyCompletion('a + mark / 2', word, { kind: 'key', key: 'marketing.sqls', name: '' }),
    ).toEqual({ text: 'a + marketing.sqls / 2', caret: 18 });
  });

  it('opens the parenthesis of a function once', () => {
    const opt = { kind: 'function' as const, key: 'prev', name: '' };
    expect(applyCompletion('pr', { start: 0, end: 2 }, opt)).toEqual({ text: 'prev(', caret: 5 });
    expect(applyCompletion('pr(x)', { start: 0, end: 2 }, opt)).toEqual({
      text: 'prev(x)',
      caret: 5,
    });
  });
});
