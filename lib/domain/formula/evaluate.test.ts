import { describe, expect, it } from 'vitest';
import type { MissingPolicy } from './catalogue';
import { Dec40, plainDec40, roundHalfEven, toDec40 } from './decimal40';
import { coverageLabel, evaluateFormula, type FormulaEnv, type FormulaOutcome } from './evaluate';
import { parseFormula } from './parser';

/** Environment from `{ "key": value, "key@2": value two periods back }`; absent keys are missing. */
function env(values: Record<string, string>): FormulaEnv {
  return (key, back) => values[back === 0 ? key : `${key}@${back}`] ?? null;
}

function run(
  text: string,
  values: Record<string, string> = {},
  policy: MissingPolicy = 'strict',
): FormulaOutcome {
  return evaluateFormula(parseFormula(text), env(values), policy);
}

const value = (o: FormulaOutcome): string | null => (o.value === null ? null : plainDec40(o.value));

describe('evaluateFormula: arithmetic', () => {
  it.each([
    ['1 + 2 * 3', '7'],
    ['(1 + 2) * 3', '9'],
    ['10 - 4 - 3', '3'],
    ['2 / 4 / 5', '0.1'],
    ['-3 * -2', '6'],
    ['-(2 - 5)', '3'],
    ['0.1 + 0.2', '0.3'],
    ['abs(-7.25)', '7.25'],
    ['min(3, -1, 2)', '-1'],
    ['max(3, -1, 2)', '3'],
    ['coalesce(4, 5)', '4'],
    ['123456789012345678.123456 * 1000000', '123456789012345678123456'],
  ])('%s = %s', (text, expected) => {
    expect(value(run(text))).toBe(expected);
  });

  it('divides to 40 significant digits, rounding half even', () => {
    expect(value(run('1 / 3'))).toBe(`0.${'3'.repeat(40)}`);
    expect(value(run('2 / 3'))).toBe(`0.${'6'.repeat(39)}7`);
    expect(value(run('1 / 3 * 3'))).toBe(`0.${'9'.repeat(40)}`);
    // A 41st digit of exactly 5 rounds to the even neighbour: down after a 0, up after a 1.
    expect(plainDec40(new Dec40('1').plus(new Dec40('5e-40')))).toBe('1');
    expect(plainDec40(new Dec40('1').plus(new Dec40('15e-40')))).toBe(`1.${'0'.repeat(38)}2`);
  });

  it('reads inputs in the period and n periods back', () => {
    const o = run('prev(arr) + new - churn', { 'arr@1': '1000', new: '200.5', churn: '50' });
    expect([value(o), o.reason, coverageLabel(o)]).toEqual(['1150.5', null, '3 of 3 inputs']);
    expect(value(run('x / prev(x, 12) - 1', { x: '110', 'x@12': '100' }))).toBe('0.1');
  });

  it('counts each distinct read once', () => {
    const o = run('a * a + prev(a) - prev(a, 1)', { a: '3' });
    expect([o.reported, o.expected]).toEqual([1, 2]);
    expect(coverageLabel({ reported: 1, expected: 1 })).toBe('1 of 1 input');
  });
});

describe('evaluateFormula: missing inputs and division by zero', () => {
  it('strict: a missing operand leaves no value, with the coverage', () => {
    const o = run('a + b + c', { a: '1', b: '2' });
    expect([o.value, o.reason, coverageLabel(o)]).toEqual([
      null,
      'missing inputs',
      '2 of 3 inputs',
    ]);
    expect(run('-a + b', { b: '1' }).reason).toBe('missing inputs');
    expect(run('max(a, b) + c', { a: '1', c: '2' }).reason).toBe('missing inputs');
  });

  it('zero: + - * / read a missing operand as 0', () => {
    expect(value(run('a + b + c', { a: '1', b: '2' }, 'zero'))).toBe('3');
    expect(value(run('a - b', { b: '2' }, 'zero'))).toBe('-2');
    expect(value(run('a * b', { b: '2' }, 'zero'))).toBe('0');
    expect(run('a / b', { a: '2' }, 'zero').reason).toBe('division by zero');
  });

  it('coalesce takes its first argument with a value, under both policies', () => {
    for (const policy of ['strict', 'zero'] as const) {
      expect(value(run('coalesce(a, b, 7)', { b: '4' }, policy))).toBe('4');
      expect(value(run('coalesce(a, b, 7)', { c: '4' }, policy))).toBe(null); // reads nothing present
      expect(value(run('coalesce(a, b, 7) + c', { c: '1' }, policy))).toBe('8');
      expect(value(run('coalesce(a * 2, 5) + c', { c: '1' }, policy))).toBe(
        policy === 'zero' ? '1' : '6',
      );
    }
  });

  it('min, max and abs: strict leaves no value, zero counts the missing argument as 0', () => {
    expect(run('max(a, b, -5)', { a: '-9' }).reason).toBe('missing inputs');
    expect(value(run('max(a, b, -5)', { a: '-9' }, 'zero'))).toBe('0');
    expect(value(run('min(a, b)', { b: '4' }, 'zero'))).toBe('0');
    expect(run('abs(a) + b', { b: '1' }).reason).toBe('missing inputs');
    expect(value(run('abs(a) - b', { b: '1' }, 'zero'))).toBe('-1');
    expect(value(run('-a + b', { b: '1' }, 'zero'))).toBe('1');
    expect(value(run('max(a, b)', { a: '-2' }, 'zero'))).toBe('0');
  });

  it('no input with a value: no data, under both policies', () => {
    expect(run('a + b').reason).toBe('no data');
    expect(run('coalesce(a, 0)', {}, 'zero')).toMatchObject({
      value: null,
      reason: 'no data',
      reported: 0,
      expected: 1,
    });
    expect(value(run('2 + 3'))).toBe('5'); // no inputs at all: a constant
  });

  it('division by zero gives no value with its reason, which nothing hides', () => {
    for (const text of [
      'a / b',
      'a / (b - b)',
      'coalesce(a / b, 0)',
      'max(a / b, 1)',
      'abs(-(a / 0))',
      'x / b + a',
    ]) {
      const o = run(text, { a: '5', b: '0' });
      expect([text, o.value, o.reason]).toEqual([text, null, 'division by zero']);
    }
    expect(run('0 / 0').reason).toBe('division by zero');
    expect(value(run('a / b', { a: '0', b: '2' }))).toBe('0');
    expect(run('a / b', { b: '4' }).reason).toBe('missing inputs');
  });

  it('never yields Infinity or NaN, and refuses them as inputs', () => {
    expect(() => run('a', { a: 'Infinity' })).toThrow(RangeError);
    expect(() => run('a', { a: 'NaN' })).toThrow(RangeError);
    expect(() => toDec40('abc')).toThrow(RangeError);
  });
});

describe('display rounding', () => {
  it('rounds half even to the KPI decimals, only for display', () => {
    expect(roundHalfEven(new Dec40('2.5'), 0)).toBe('2');
    expect(roundHalfEven(new Dec40('3.5'), 0)).toBe('4');
    expect(roundHalfEven(new Dec40('1.005'), 2)).toBe('1.00');
    expect(roundHalfEven(new Dec40('1.015'), 2)).toBe('1.02');
    expect(roundHalfEven(new Dec40('-0.004'), 2)).toBe('0.00');
    expect(roundHalfEven(run('1 / 3').value ?? new Dec40(0), 3)).toBe('0.333');
  });
});
