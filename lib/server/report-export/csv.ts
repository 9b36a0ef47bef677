import { toCsv } from '@/lib/domain/csv';
import { normalizeDecimal } from '@/lib/domain/decimal';
import { reportRows } from '@/lib/dal/reports/report';
import type { Report } from '@/lib/dal/reports/types';
import { statusText } from '@/lib/domain/status-text';

/**
 * CSV exports stay machine-readable: plain decimals and ISO dates, en-US words for the pace. The
 * `period` and `previous_period` columns are display labels, the report's own (written in the
 * organization's locale: `Dez. 2026`, `Q4 GJ2026`); `kpi_id` and the numbers are the keys.
 */
const CSV_LOCALE = 'en-US';

/*
 * A computed report as CSV: one row per KPI, exact numbers, formula-safe cells (toCsv). It takes
 * the same Report the page renders, so they never disagree.
 */

/** The report as CSV: one row per KPI in print order, numbers as exact decimals (no trailing zeros). */
export function reportToCsv(report: Report): string {
  const header = [
    'section',
    'kpi_id',
    'key',
    'kpi',
    'unit',
    'owner',
    'period',
    'measure',
    'actual',
    'target',
    'pct_of_target',
    'status',
    'previous_period',
    'previous_actual',
    'change',
    'children_reported',
    'children_expected',
    'commentary',
    'next_action',
    'action_owner',
    'action_due',
    'projected',
    'projected_pct_of_target',
    'projected_status',
  ];
  const dec = (v: string | null) => (v === null ? null : normalizeDecimal(v));
  const rows = reportRows(report).map(({ group, row }) => [
    group,
    row.kpiId,
    row.key,
    row.name,
    row.unitName,
    row.ownerName,
    row.periodLabel,
    row.measure.measureUnit === 'currency' ? row.measure.currency : row.measure.measureUnit,
    dec(row.value),
    dec(row.target),
    row.share === null ? null : Math.round(row.share * 1000) / 10,
    statusText(row.status, row.paceProgress, CSV_LOCALE),
    row.previous?.label ?? null,
    dec(row.previous?.value ?? null),
    dec(row.change),
    row.coverage?.reported ?? null,
    row.coverage?.expected ?? null,
    row.commentary?.analysis ?? null,
    row.commentary?.nextAction || null,
    row.commentary?.actionOwnerName ?? null,
    row.commentary?.actionDueOn ?? null,
    dec(row.projected?.value ?? null),
    row.projected?.share == null ? null : Math.round(row.projected.share * 1000) / 10,
    row.projected ? statusText(row.projected.status, null, CSV_LOCALE) : null,
  ]);
  return toCsv([header, ...rows]);
}
