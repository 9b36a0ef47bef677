import { toDec } from '@/lib/domain/decimal';
import type { Direction } from '@/lib/domain/progress';
import type { Attribution, AttributionLine } from './tree';

/*
 * The attribution as one sentence a leadership meeting reads aloud (issue 24): "ARR is 120,000
 * short of target: new ARR -90,000 (Enterprise -70,000, Mid-market -20,000), churn -40,000,
 * expansion +10,000". Words say whether the gap is good or bad, so the sentence never relies on
 * colour. Lines are ordered by size (largest first); lines of 0 are left out; nested parts
 * appear one level deep in brackets.
 */

/** Formats an exact decimal amount in the KPI's unit (without a sign on zero). */
export type AmountFormatter = (value: string) => string;

/** "+10,000" / "-90,000" / "0". */
export function signedAmount(value: string, fmt: AmountFormatter): string {
  const d = toDec(value);
  if (d.isZero()) return fmt('0');
  return d.isNegative() ? `−${fmt(d.abs().toFixed())}` : `+${fmt(value)}`;
}

/** Whether a gap (actual - target) is on the good side for the KPI's direction. */
export function gapIsGood(gap: string, direction: Direction): boolean {
  const d = toDec(gap);
  return direction === 'increase' ? d.gte(0) : d.lte(0);
}

/** "120,000 short of target", "10,000 ahead of target", "on target" (by direction). */
export function gapPhrase(gap: string, direction: Direction, fmt: AmountFormatter): string {
  const d = toDec(gap);
  if (d.isZero()) return 'on target';
  const amount = fmt(d.abs().toFixed());
  if (direction === 'increase')
    return d.isNegative() ? `${amount} short of target` : `${amount} ahead of target`;
  return d.isNegative() ? `${amount} below target (better)` : `${amount} above target (worse)`;
}

/** The lines worth naming (not 0), largest contribution first, then in their order. */
export function significantLines(lines: readonly AttributionLine[]): AttributionLine[] {
  return lines
    .map((line, index) => ({ line, index, size: toDec(line.contribution).abs() }))
    .filter((x) => !x.size.isZero())
    .sort((a, b) => b.size.cmp(a.size) || a.index - b.index)
    .map((x) => x.line);
}

function lineLabel(line: AttributionLine): string {
  return line.read ?? line.name;
}

/** The sentence for an attribution of KPI `name`; null without a gap. */
export function attributionSentence(
  name: string,
  attribution: Pick<Attribution, 'gap' | 'lines'>,
  direction: Direction,
  fmt: AmountFormatter,
): string | null {
  if (attribution.gap === null) return null;
  const head = `${name} is ${gapPhrase(attribution.gap, direction, fmt)}`;
  const lines = significantLines(attribution.lines);
  if (lines.length === 0) return head;
  const parts = lines.map((line) => {
    const nested = significantLines(line.parts);
    const inner =
      nested.length > 0
        ? ` (${nested.map((p) => `${lineLabel(p)} ${signedAmount(p.contribution, fmt)}`).join(', ')})`
        : '';
    return `${lineLabel(line)} ${signedAmount(line.contribution, fmt)}${inner}`;
  });
  return `${head}: ${parts.join(', ')}`;
}
