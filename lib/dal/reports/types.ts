import type { OrgLocale } from '@/lib/domain/org-settings';
import type { Cadence } from '@/lib/domain/periods';
import type { MeasureUnit } from '@/lib/domain/format';
import type { Direction, Status } from '@/lib/domain/progress';
import type { ProjectedEnd, StatusCounts } from '@/lib/domain/dashboard/types';
import type { UnitKind } from '@/lib/domain/tree';
import type { CommentaryDto } from '@/lib/dal/commentaries';

/*
 * The period report as plain JSON (the page, the exports and share snapshots all take it).
 */

export type ReportRow = {
  kpiId: string;
  name: string;
  key: string | null;
  unitName: string;
  ownerName: string | null;
  isNorthStar: boolean;
  isIndividual: boolean;
  measure: { measureUnit: MeasureUnit; currency: string | null; decimals: number };
  direction: Direction;
  /** The period the numbers are for (the KPI's own when its cadence is longer than the report's). */
  periodLabel: string;
  value: string | null;
  target: string | null;
  /** True when `target` is the one a formula KPI's inputs imply (absent in older snapshots). */
  targetImplied?: boolean;
  /** The actual as a share of the full target (the percent shown; see `shareOfTarget`). */
  share: number | null;
  paceProgress: number | null;
  status: Status;
  /**
   * What "Change" compares with: the previous period, or for an open period the previous one up
   * to the same day ("Nov 1-5"), with its value and status then.
   */
  previous: { label: string; value: string | null; status: Status } | null;
  change: string | null;
  /**
   * The report's periods up to the selected one, oldest first (numbers for drawing only); the
   * open period is `partial` (absent in snapshots shared before it existed).
   */
  trend: { label: string; value: number | null; partial?: boolean }[];
  /** `text`: "7 of 9 reported", "2 of 3 inputs · missing …" (absent in older snapshots). */
  coverage: { reported: number; expected: number; text?: string } | null;
  commentary: CommentaryDto | null;
  /**
   * Where an open period is projected to end (value, share of target, projected status); null
   * for a closed period or without a projection (absent in older snapshots).
   */
  projected?: ProjectedEnd | null;
};

export type ReportSection = {
  unit: { id: string; name: string; kind: UnitKind; depth: number };
  rows: ReportRow[];
};

export type ReportRef = {
  kpiId: string;
  name: string;
  unitName: string;
  /**
   * Who should have reported it (an owned KPI recorded by hand without a value): on live
   * "without a value" refs only, for "remind"; share snapshots leave it out.
   */
  owner?: { userId: string; name: string };
};

export type Report = {
  version: 1;
  /** `locale`: how the report writes numbers and dates (absent in snapshots shared before it: en-US). */
  org: { name: string; locale?: OrgLocale };
  scope: { key: string; name: string; kind: UnitKind };
  period: {
    key: string;
    label: string;
    cadence: Cadence;
    start: string;
    isCurrent: boolean;
    asOf: string;
  };
  previousPeriod: { key: string; label: string };
  /**
   * What "Change" compares with: "Nov 2026" for a complete period, "Nov 1 – 5" (toDate) for an
   * open one, in the organization's locale ("1.–5. Nov." in de-DE; older snapshots "Nov 1-5").
   * Absent in snapshots shared before like-for-like change.
   */
  comparison?: { label: string; toDate: boolean };
  generatedAt: string;
  /** Over the scope's team KPIs (not individual ones), like the dashboard's scorecards. */
  summary: {
    counts: StatusCounts;
    turnedRed: ReportRef[];
    turnedGreen: ReportRef[];
    withoutValue: ReportRef[];
    withoutOwner: ReportRef[];
  };
  northStars: ReportRow[];
  sections: ReportSection[];
  /** Individual KPIs in scope the actor may see (never in a shared snapshot). */
  individual: ReportRow[];
};

export type ReportScopeOption = { key: string; name: string; kind: UnitKind; depth: number };
