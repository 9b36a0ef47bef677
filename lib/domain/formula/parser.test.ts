import { describe, expect, it } from 'vitest';
import { MAX_FORMULA_DEPTH, MAX_FORMULA_LENGTH, withoutSpans } from './ast';
import { ParseError } from './parse-error';
import { parseFormula } from './parser';
import { printFormula } from './printer';

const canonical = (text: string): string => printFormula(parseFormula(text));

function parseError(text: string): ParseError {
  try {
    parseFormula(text);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error(`parsed: ${text}`);
}

describe('parseFormula: what it reads', () => {
  it.each([
    ['1', '1'],
    ['007.50', '7.5'],
    ['0.000', '0'],
    ['sales.new_arr', 'sales.new_arr'],
    ['ops-team.nps_2', 'ops-team.nps_2'],
    ['a+b*c', 'a + b * c'],
    ['(a+b)*c', '(a + b) * c'],
    ['a-b-c', 'a-b-c'],
    ['a - b - c', 'a - b - c'],
    ['a - (b - c)', 'a - (b - c)'],
    ['a / (b / c)', 'a / (b / c)'],
    ['(a / b) / c', 'a / b / c'],
    ['a * (b + c) / d', 'a * (b + c) / d'],
    ['-a', '-a'],
    ['--a', '-(-a)'],
    ['-(a + b)', '-(a + b)'],
    ['-a * b', '-a * b'],
    ['a * -b', 'a * -b'],
    ['a - -1', 'a - -1'],
    ['prev(company.arr)', 'prev(company.arr)'],
    ['prev( company.arr , 1 )', 'prev(company.arr)'],
    ['prev(company.arr, 12)', 'prev(company.arr, 12)'],
    ['min(a,b,c)', 'min(a, b, c)'],
    ['max (a, 0)', 'max(a, 0)'],
    ['abs(a - b)', 'abs(a - b)'],
    ['coalesce(a, prev(a), 0)', 'coalesce(a, prev(a), 0)'],
    ['max + min', 'max + min'],
    [
      '\tprev(company.arr)\n + sales.new_arr + cs.expansion_arr - cs.churned_arr ',
      'prev(company.arr) + sales.new_arr + cs.expansion_arr - cs.churned_arr',
    ],
  ])('%j reads as %j', (text, expected) => {
    expect(canonical(text)).toBe(expected);
  });

  it('builds the tree with precedence, left associativity and spans', () => {
    const ast = parseFormula('a - b * 2');
    expect(withoutSpans(ast)).toEqual({
      type: 'binary',
      op: '-',
      left: { type: 'key', key: 'a' },
      right: {
        type: 'binary',
        op: '*',
        left: { type: 'key', key: 'b' },
        right: { type: 'number', value: '2' },
      },
    });
    expect(ast.span).toEqual({ start: 0, end: 9 });
    expect(ast.type === 'binary' && ast.opSpan).toEqual({ start: 2, end: 3 });
  });

  it('keeps the key span of prev', () => {
    const ast = parseFormula('1 + prev(x.y, 3)');
    expect(ast.type === 'binary' && ast.right).toMatchObject({
      type: 'prev',
      key: 'x.y',
      offset: 3,
      keySpan: { start: 9, end: 12 },
      span: { start: 4, end: 16 },
    });
  });

  it('accepts the longest formula and the deepest nesting allowed', () => {
    const long = `a${' + a'.repeat((MAX_FORMULA_LENGTH - 1) / 4 - 1)}`.padEnd(
      MAX_FORMULA_LENGTH,
      ' ',
    );
    expect(long).toHaveLength(MAX_FORMULA_LENGTH);
    expect(() => parseFormula(long)).not.toThrow();
    const deep = `${'('.repeat(MAX_FORMULA_DEPTH)}a${')'.repeat(MAX_FORMULA_DEPTH)}`;
    expect(canonical(deep)).toBe('a');
  });
});

describe('parseFormula: what it refuses, and where', () => {
  it.each([
    ['', 'Enter a formula at 0', 0],
    ['   ', 'Enter a formula at 0', 0],
    ['sqrt(a)', "Unknown function 'sqrt' at 0", 0],
    ['a + company.sqrt (b)', "Unknown function 'company.sqrt' at 4", 4],
    ['a ^ 2', "Unexpected character '^' at 2", 2],
    ['a % b', "Unexpected character '%' at 2", 2],
    ['a; b', "Unexpected character ';' at 1", 1],
    ['a + €', "Unexpected character '€' at 4", 4],
    ['a + "b"', "Unexpected character '\"' at 4", 4],
    ['Sales.arr', "Keys and functions are lowercase: 'Sales.arr' at 0", 0],
    ['.5', 'Write numbers with a leading zero (0.5, not .5) at 0', 0],
    ['5.', "Expected a digit after '.' at 2", 2],
    ['1e3', "Expected an operator before 'e3' at 1", 1],
    ['a b', "Expected an operator before 'b' at 2", 2],
    ['a +', 'Expected a number, a KPI key or ( but the formula ends at 3', 3],
    ['a + * b', "Expected a number, a KPI key or ( instead of '*' at 4", 4],
    ['(a + b', "Expected ')' but the formula ends at 6", 6],
    ['a + b)', "Unmatched ')' at 5", 5],
    ['()', "Expected a number, a KPI key or ( instead of ')' at 1", 1],
    ['prev()', 'prev() takes a KPI key, such as prev(company.arr) at 5', 5],
    ['prev(1)', 'prev() takes a KPI key, such as prev(company.arr) at 5', 5],
    ['prev(a + b)', "Expected ')' after prev's arguments instead of '+' at 7", 7],
    ['prev(max(a, b))', 'prev() takes a KPI key, such as prev(company.arr) at 5', 5],
    ['prev(a, 0)', 'prev(key, n) takes a whole number n from 1 to 60 at 8', 8],
    ['prev(a, 1.5)', 'prev(key, n) takes a whole number n from 1 to 60 at 8', 8],
    ['prev(a, 61)', 'prev(key, n) takes a whole number n from 1 to 60 at 8', 8],
    ['prev(a, -1)', 'prev(key, n) takes a whole number n from 1 to 60 at 8', 8],
    ['prev(a, b)', 'prev(key, n) takes a whole number n from 1 to 60 at 8', 8],
    ['prev(a, 1, 2)', "Expected ')' after prev's arguments instead of ',' at 9", 9],
    ['min(a)', 'min() needs at least 2 arguments at 0', 0],
    ['coalesce(a)', 'coalesce() needs at least 2 arguments at 0', 0],
    ['abs(a, b)', 'abs() takes exactly 1 argument at 0', 0],
    ['max(a,)', "Expected a number, a KPI key or ( instead of ')' at 6", 6],
    ['max(a b)', "Expected ',' or ')' instead of 'b' at 6", 6],
    ['1234567890123456789012345678901', 'A number has at most 30 digits at 0', 0],
  ])('%j: %s', (text, message, start) => {
    const e = parseError(text);
    expect(e.message).toBe(message);
    expect(e.start).toBe(start);
    expect(e.end).toBeGreaterThanOrEqual(e.start);
  });

  it('refuses text over the length limit before reading it', () => {
    const e = parseError('a'.repeat(MAX_FORMULA_LENGTH + 1));
    expect(e.message).toMatch(/too long/);
    expect(e.start).toBe(MAX_FORMULA_LENGTH);
  });

  it('refuses nesting past the depth limit, by parentheses, calls or unary minus', () => {
    const n = MAX_FORMULA_DEPTH + 1;
    expect(parseError(`${'('.repeat(n)}a${')'.repeat(n)}`).message).toMatch(/Nested too deeply/);
    expect(parseError(`${'abs('.repeat(n)}a${')'.repeat(n)}`).message).toMatch(/Nested too deeply/);
    expect(parseError(`${'-'.repeat(n)}a`).message).toMatch(/Nested too deeply/);
    expect(parseError('('.repeat(100_000)).message).toMatch(/too long/);
  });

  it('marks the whole offending name', () => {
    const e = parseError('1 + sqrt(2)');
    expect([e.start, e.end, e.detail]).toEqual([4, 8, "Unknown function 'sqrt'"]);
  });
});
