import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, toPlainString } from '@/lib/domain/decimal';
import { MAX_FORMULA_LENGTH, withoutSpans, type BareNode, type FunctionName } from './ast';
import { ParseError } from './parse-error';
import { parseFormula } from './parser';
import { printFormula } from './printer';

/*
 * Fuzzing the parser (random strings and random token soups: it returns a tree or throws a
 * ParseError, nothing else) and the printer round trip on random trees.
 */

/** Parses, and fails the property on any throw that is not a ParseError. */
function parseOrParseError(text: string): BareNode | ParseError {
  try {
    return withoutSpans(parseFormula(text));
  } catch (e) {
    if (e instanceof ParseError) {
      expect(e.start).toBeGreaterThanOrEqual(0);
      expect(e.start).toBeLessThanOrEqual(Math.max(text.length, MAX_FORMULA_LENGTH));
      expect(e.end).toBeGreaterThanOrEqual(e.start);
      expect(e.message).toBe(`${e.detail} at ${e.start}`);
      return e;
    }
    throw e;
  }
}

const SOUP = [
  'a',
  'sales.new_arr',
  'x-y',
  'prev',
  'min',
  'max',
  'abs',
  'coalesce',
  'sqrt',
  'eval',
  'Function',
  '(',
  ')',
  ',',
  '+',
  '-',
  '*',
  '/',
  '^',
  '%',
  '1',
  '0',
  '0.5',
  '007',
  '1.',
  '.5',
  '1e9',
  ' ',
  '\n',
  '.',
  '_',
  'Ä',
  '😀',
  '"',
  "'",
  '`',
  '${',
  '\\',
  '12345678901234567890123456789012',
  '60',
  '61',
];

const segment = fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/);
const keyArb = fc
  .tuple(
    segment,
    fc.array(fc.tuple(fc.constantFrom('.', '-'), fc.stringMatching(/^[a-z0-9_]{1,5}$/)), {
      maxLength: 2,
    }),
  )
  .map(([head, rest]) => head + rest.map(([sep, s]) => sep + s).join(''));
const numberArb = fc
  .tuple(fc.bigInt({ min: 0n, max: 10n ** 15n }), fc.integer({ min: 0, max: 8 }))
  .map(([n, scale]) => toPlainString(new Dec(n.toString()).div(new Dec(10).pow(scale))));

const { node: nodeArb } = fc.letrec<{ node: BareNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    numberArb.map((value): BareNode => ({ type: 'number', value })),
    keyArb.map((key): BareNode => ({ type: 'key', key })),
    fc
      .tuple(keyArb, fc.integer({ min: 1, max: 60 }))
      .map(([key, offset]): BareNode => ({ type: 'prev', key, offset })),
    tie('node').map((operand): BareNode => ({ type: 'neg', operand })),
    fc
      .tuple(fc.constantFrom('+', '-', '*', '/' as const), tie('node'), tie('node'))
      .map(([op, left, right]): BareNode => ({ type: 'binary', op, left, right })),
    tie('node').map((x): BareNode => ({ type: 'call', fn: 'abs', args: [x] })),
    fc
      .tuple(
        fc.constantFrom<FunctionName>('min', 'max', 'coalesce'),
        fc.array(tie('node'), { minLength: 2, maxLength: 4 }),
      )
      .map(([fn, args]): BareNode => ({ type: 'call', fn, args })),
  ),
}));

describe('parser fuzz', () => {
  it('random strings: a tree or a ParseError, never anything else', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        parseOrParseError(text);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('random token soups: a tree or a ParseError; a tree prints to text with the same tree', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...SOUP), { maxLength: 40 }), (tokens) => {
        const parsed = parseOrParseError(tokens.join(''));
        if (!(parsed instanceof ParseError)) {
          expect(parseOrParseError(printFormula(parsed))).toEqual(parsed);
        }
      }),
      { numRuns: 5000 },
    );
  }, 60_000);

  it('huge and deep inputs end in a ParseError, not a stack overflow', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('(', '-', 'abs(', 'max(1,', '-(', 'prev('),
        fc.integer({ min: 30, max: 400 }),
        (open, n) => {
          parseOrParseError(open.repeat(n) + 'a');
        },
      ),
      { numRuns: 300 },
    );
  }, 60_000);
});

describe('printer', () => {
  it('round trip: parse(print(tree)) is the tree', () => {
    fc.assert(
      fc.property(nodeArb, (tree) => {
        const text = printFormula(tree);
        fc.pre(text.length <= MAX_FORMULA_LENGTH);
        expect(withoutSpans(parseFormula(text))).toEqual(tree);
      }),
      { numRuns: 3000 },
    );
  }, 60_000);

  it('canonical: printing a parsed canonical text gives the same text', () => {
    fc.assert(
      fc.property(nodeArb, (tree) => {
        const text = printFormula(tree);
        fc.pre(text.length <= MAX_FORMULA_LENGTH);
        expect(printFormula(parseFormula(text))).toBe(text);
      }),
      { numRuns: 1000 },
    );
  }, 60_000);

  it('spans cover the text each node was read from', () => {
    fc.assert(
      fc.property(nodeArb, (tree) => {
        const text = printFormula(tree);
        fc.pre(text.length <= MAX_FORMULA_LENGTH);
        const parsed = parseFormula(text);
        if (parsed.type === 'binary') {
          expect(text.slice(parsed.opSpan.start, parsed.opSpan.end)).toBe(parsed.op);
          const right = text.slice(parsed.right.span.start, parsed.right.span.end);
          expect(withoutSpans(parseFormula(right))).toEqual(withoutSpans(parsed.right));
        }
        expect(parsed.span.end).toBeLessThanOrEqual(text.length);
      }),
      { numRuns: 500 },
    );
  }, 60_000);
});
