import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, normalizeDecimal, toDec } from '@/lib/domain/decimal';
import { roundHalfEven } from '@/lib/domain/formula/decimal40';
import { evaluateFormula } from '@/lib/domain/formula/evaluate';
import { parseFormula } from '@/lib/domain/formula/parser';
import { rollupChildren, type ArithmeticRollup } from '@/lib/domain/rollup';
import { scaledToString } from '@/lib/domain/test-arbitraries';
import { allocateExactly } from './split';
import { testAttributionKpi } from './test-kpis';
import { attributeKpi, sumContributions, type AttributionKpi, type AttributionLine } from './tree';

const P = '2026-03-01';

/** Every level adds up: the lines to the gap, each line's parts to its contribution. */
function expectExact(lines: readonly AttributionLine[], total: string): void {
  expect(sumContributions(lines).eq(toDec(total))).toBe(true);
  for (const line of lines) {
    if (line.parts.length > 0) expectExact(line.parts, line.contribution);
  }
}

const amount = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((n) => scaledToString(n, 3));
const weight = fc.bigInt({ min: 1n, max: 10n ** 6n }).map((n) => scaledToString(n, 2));
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { freq: 5, nil: null });

type Spec = {
  method: ArithmeticRollup | null;
  value: string | null;
  target: string | null;
  weight: string;
  children: readonly Spec[];
};

const specArb = fc.letrec<{ node: Spec }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.record({
      method: fc.constant(null),
      value: maybe(amount),
      target: maybe(amount),
      weight,
      children: fc.constant<Spec[]>([]),
    }),
    fc.record({
      method: fc.constantFrom<ArithmeticRollup>('sum', 'average', 'weighted_average', 'min', 'max'),
      value: fc.constant(null),
      target: maybe(amount),
      weight,
      children: fc.array(tie('node'), { minLength: 1, maxLength: 4 }),
    }),
  ),
})).node;

/** Builds the KPIs of a tree, each computed value rolled up exactly as the engine does. */
function buildTree(spec: Spec): AttributionKpi[] {
  const out: AttributionKpi[] = [];
  let next = 0;
  const walk = (s: Spec, parentId: string | null): string | null => {
    const id = `k${(next += 1)}`;
    const self = testAttributionKpi(id, {
      parentId,
      rollup: s.method ?? 'manual',
      weight: s.weight,
      ownTarget: (start) => (start === P ? s.target : null),
    });
    out.push(self);
    let value = s.value;
    if (s.method) {
      const kids = s.children.map((c) => ({ value: walk(c, id), weight: c.weight }));
      value = rollupChildren(s.method, kids).value;
    }
    if (value !== null) (self.values as Map<string, string>).set(P, value);
    return value;
  };
  walk(spec, null);
  return out;
}

describe('attribution adds up exactly (decimals)', () => {
  it('allocateExactly rounds and puts the residue on the largest part', () => {
    fc.assert(
      fc.property(fc.array(amount, { minLength: 1, maxLength: 8 }), amount, (raw, total) => {
        const parts = raw.map((r) => toDec(r).div(7));
        const got = allocateExactly(parts, toDec(total));
        expect(got.reduce((a, b) => a.plus(b), new Dec(0)).eq(toDec(total))).toBe(true);
        for (const g of got) expect(g.decimalPlaces()).toBeLessThanOrEqual(10);
      }),
    );
  });

  it('on random rollup trees, every level sums to the gap above it', () => {
    let attributed = 0;
    fc.assert(
      fc.property(specArb, (spec) => {
        const kpis = buildTree(spec);
        const a = attributeKpi(kpis, 'k1', P);
        if (a.reason !== null) return;
        expect(a.gap).not.toBeNull();
        expectExact(a.lines, a.gap as string);
        if (a.lines.some((l) => l.parts.length > 0)) attributed += 1;
      }),
      { numRuns: 300 },
    );
    expect(attributed).toBeGreaterThan(30); // nested splits were exercised
  });

  const expr = fc.letrec<{ e: string }>((tie) => ({
    e: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      fc.constantFrom('a', 'b', 'c', 'd', 'prev(a)'),
      fc.integer({ min: 1, max: 9 }).map(String),
      fc
        .tuple(tie('e'), fc.constantFrom('+', '-', '*', '/'), tie('e'))
        .map(([l, op, r]) => `(${l} ${op} ${r})`),
      fc
        .tuple(fc.constantFrom('min', 'max'), tie('e'), tie('e'))
        .map(([fn, l, r]) => `${fn}(${l}, ${r})`),
      tie('e').map((e) => `abs(${e})`),
      tie('e').map((e) => `-${e}`),
    ),
  })).e;

  it('on random formulas, the Shapley parts sum to the gap', () => {
    let attributed = 0;
    fc.assert(
      fc.property(
        expr,
        fc.array(fc.tuple(maybe(amount), maybe(amount)), { minLength: 4, maxLength: 4 }),
        maybe(amount),
        amount,
        fc.constantFrom<'strict' | 'zero'>('strict', 'zero'),
        (text, facts, ownTarget, prevA, missingPolicy) => {
          const node = parseFormula(text);
          const keys = ['a', 'b', 'c', 'd'];
          const inputs: AttributionKpi[] = keys.map((key, i) =>
            testAttributionKpi(key, {
              values: new Map([
                ...(facts[i]?.[0] == null ? [] : [[P, facts[i]?.[0] as string] as const]),
                ...(key === 'a' ? [['2026-02-01', prevA] as const] : []),
              ]),
              ownTarget: (s) => (s === P ? (facts[i]?.[1] ?? null) : null),
            }),
          );
          const actualOf = (k: string, back: number) =>
            back > 0 ? prevA : (facts[keys.indexOf(k)]?.[0] ?? null);
          const outcome = evaluateFormula(node, actualOf, missingPolicy);
          const value =
            outcome.value === null ? null : normalizeDecimal(roundHalfEven(outcome.value, 10));
          const f: AttributionKpi = {
            ...(inputs[0] as AttributionKpi),
            id: 'f',
            key: 'f',
            name: 'f',
            rollup: 'formula',
            formula: { node, missingPolicy },
            values: new Map(value === null ? [] : [[P, value]]),
            ownTarget: (s) => (s === P ? ownTarget : null),
          };
          const a = attributeKpi([f, ...inputs], 'f', P);
          if (a.reason !== null) return;
          expectExact(a.lines, a.gap as string);
          if (a.lines.filter((l) => !toDec(l.contribution).isZero()).length > 1) attributed += 1;
        },
      ),
      { numRuns: 300 },
    );
    expect(attributed).toBeGreaterThan(30); // splits over several moving inputs were exercised
  });
});
