import { toDec } from '@/lib/domain/decimal';
import type { Direction } from '@/lib/domain/progress';
import { gapIsGood } from './text';

/*
 * The geometry of a horizontal waterfall (target -> each contribution -> actual), display only,
 * so plain numbers: each bar's left edge and width as percentages of the track. The axis spans
 * 0 and the running totals; when they lie far from 0 (an ARR of millions moved by thousands)
 * it spans only the lowest to the highest running total with a margin and says so (`axisFromZero` false), so small
 * contributions stay visible.
 */

/** One bar: `total` rows (target, actual) start at the axis; steps float. */
export type WaterfallBar = {
  label: string;
  /** Exact decimal: the target or actual for totals, the contribution for steps. */
  amount: string;
  kind: 'total' | 'step';
  /** For steps: whether it moves the KPI towards the good side of its direction. */
  good: boolean | null;
  left: number;
  width: number;
};

/** The bars of a waterfall from `target` through `steps` to `actual`. */
export function waterfallBars(
  target: string,
  actual: string,
  steps: readonly { label: string; amount: string }[],
  direction: Direction,
  labels: { target: string; actual: string } = { target: 'Target', actual: 'Actual' },
): { bars: WaterfallBar[]; axisFromZero: boolean } {
  const running: number[] = [toDec(target).toNumber()];
  for (const s of steps)
    running.push((running[running.length - 1] ?? 0) + toDec(s.amount).toNumber());
  const all = [...running, toDec(actual).toNumber()];
  let lo = Math.min(...all);
  let hi = Math.max(...all);
  const span = hi - lo || Math.abs(hi) || 1;
  // from 0 while the movement is at least about a sixth of the track; else cropped
  const fromZero = lo >= 0 ? lo <= span * 5 : hi >= -span * 5;
  if (fromZero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  } else {
    lo -= span * 0.15;
    hi += span * 0.15;
  }
  const width = hi - lo || 1;
  const pos = (v: number) => ((v - lo) / width) * 100;
  const base = fromZero ? 0 : lo >= 0 ? lo : hi;
  const total = (label: string, amount: string): WaterfallBar => {
    const v = toDec(amount).toNumber();
    const [a, b] = [pos(Math.min(base, v)), pos(Math.max(base, v))];
    return { label, amount, kind: 'total', good: null, left: a, width: Math.max(b - a, 0.5) };
  };
  const bars: WaterfallBar[] = [total(labels.target, target)];
  steps.forEach((s, i) => {
    const from = running[i] ?? 0;
    const to = running[i + 1] ?? 0;
    const [a, b] = [pos(Math.min(from, to)), pos(Math.max(from, to))];
    bars.push({
      label: s.label,
      amount: s.amount,
      kind: 'step',
      good: toDec(s.amount).isZero() ? null : gapIsGood(s.amount, direction),
      left: a,
      width: Math.max(b - a, 0.5),
    });
  });
  bars.push(total(labels.actual, actual));
  return { bars, axisFromZero: fromZero };
}
