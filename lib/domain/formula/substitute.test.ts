import { describe, expect, it } from 'vitest';
import { caretLine, formulaSegments, problemPosition } from './substitute';

describe('formulaSegments', () => {
  it('cuts the text into plain text and reads, prev() calls whole', () => {
    expect(formulaSegments('prev(company.arr) + sales.new_arr - prev(cs.churned_arr, 2)')).toEqual([
      { kind: 'read', text: 'prev(company.arr)', key: 'company.arr', periodsBack: 1 },
      { kind: 'text', text: ' + ' },
      { kind: 'read', text: 'sales.new_arr', key: 'sales.new_arr', periodsBack: 0 },
      { kind: 'text', text: ' - ' },
      { kind: 'read', text: 'prev(cs.churned_arr, 2)', key: 'cs.churned_arr', periodsBack: 2 },
    ]);
  });

  it('keeps literals, functions and parentheses as text; joins back to the formula', () => {
    const text = '(a.x - b.y) / max(a.x, 1) * 100';
    const segments = formulaSegments(text);
    expect(segments?.map((s) => s.text).join('')).toBe(text);
    expect(segments?.filter((s) => s.kind === 'read').map((s) => s.text)).toEqual([
      'a.x',
      'b.y',
      'a.x',
    ]);
  });

  it('is null for a formula that does not parse', () => {
    expect(formulaSegments('a +')).toBeNull();
  });
});

describe('problem positions', () => {
  it('reads the position at the end of a message and draws a caret under it', () => {
    expect(problemPosition("Unknown KPI 'x'; did you mean 'y'? at 17")).toBe(17);
    expect(problemPosition('no position')).toBeNull();
    expect(caretLine(3)).toBe('   ^');
  });
});
