import {
  attributeKpi,
  type Attribution,
  type AttributionLine,
} from '@/lib/domain/attribution/tree';
import type { MeasureUnit } from '@/lib/domain/format';
import { periodLabel, periodStart, type Cadence } from '@/lib/domain/periods';
import type { Direction } from '@/lib/domain/progress';
import { AppError, notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { kpiWithClosure } from './kpi-closure';

/** A KPI's attribution for one period, with what a reader needs to show it. */
export type KpiAttribution = {
  kpi: {
    id: string;
    key: string | null;
    name: string;
    direction: Direction;
    measureUnit: MeasureUnit;
    currency: string | null;
    decimals: number;
    cadence: Cadence;
  };
  period: { start: string; label: string };
  attribution: Attribution;
};

/** What a line shows of a KPI the reader may not see (another person's individual KPI). */
export const HIDDEN_KPI_NAME = 'A KPI you cannot see';

/**
 * The gap of KPI `kpiId` to its target in its period starting `start`, split into its children's
 * or drivers' contributions down the cascade (lib/domain/attribution/tree.ts), from the stored
 * period values and targets of its subtree and formula inputs (kpiWithClosure: one load per
 * request, shared with the projection).
 * NOT_FOUND for a KPI of another org, a missing one, or one the actor may not see; VALIDATION when
 * `start` is not the first day of one of the KPI's periods. A line for a KPI the actor may not
 * see keeps its contribution (so the parts still add up) but not its name, key or parts.
 * Tenant-scoped by ctx.org.id; read permission only.
 */
export async function getKpiAttribution(
  ctx: OrgContext,
  kpiId: string,
  start: string,
): Promise<KpiAttribution> {
  const loaded = await kpiWithClosure(ctx, kpiId);
  if (!loaded) throw notFoundError();
  const { root, catalogue, visible } = loaded;
  if (periodStart(start, root.cadence, ctx.org.fyStartMonth) !== start) {
    throw new AppError('VALIDATION', 'Please fix the highlighted fields.', {
      period: [
        `Give the first day of one of the KPI's periods, such as ${periodStart(start, root.cadence, ctx.org.fyStartMonth)}`,
      ],
    });
  }
  const attribution = attributeKpi(catalogue, root.id, start);
  return {
    kpi: {
      id: root.id,
      key: root.key,
      name: root.name,
      direction: root.direction,
      measureUnit: root.measureUnit,
      currency: root.currency,
      decimals: root.decimals,
      cadence: root.cadence,
    },
    period: {
      start,
      label: periodLabel(start, root.cadence, ctx.org.fyStartMonth, ctx.org.locale),
    },
    attribution: { ...attribution, lines: redact(attribution.lines, visible) },
  };
}

function redact(
  lines: readonly AttributionLine[],
  visible: ReadonlySet<string>,
): AttributionLine[] {
  return lines.map((line) =>
    line.kpiId === null || visible.has(line.kpiId)
      ? { ...line, parts: redact(line.parts, visible) }
      : {
          ...line,
          kpiId: null,
          key: null,
          name: HIDDEN_KPI_NAME,
          ownerName: null,
          unitName: null,
          read: null,
          actual: null,
          target: null,
          parts: [],
        },
  );
}
