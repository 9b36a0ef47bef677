import { toDec } from '@/lib/domain/decimal';

/**
 * The percent people see: the actual as a share of the FULL target (1 = 100%), the same meaning
 * for both directions (11% of a churn budget is 0.11; whether that is good is the status's job,
 * decided by the baseline-aware progress in `progress.ts`). Null without an actual or a target,
 * and for a zero or negative target, where "a share of the target" means nothing. Computed on the
 * exact decimals; the number returned is for display only. Not clamped.
 */
export function shareOfTarget(actual: string | null, target: string | null): number | null {
  if (actual === null || target === null) return null;
  const t = toDec(target);
  if (t.lte(0)) return null;
  const share = toDec(actual).div(t).toNumber();
  return share === 0 ? 0 : share;
}
