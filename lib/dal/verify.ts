import { asc } from 'drizzle-orm';
import { getDb, withOrgTx } from '@/db/client';
import { organizations } from '@/db/schema';
import type { PeriodValue } from '@/lib/domain/cascade-compute';
import { archivedFormulaValues, computeAllWithFormulas } from '@/lib/domain/formula/cascade';
import { decEquals } from '@/lib/domain/decimal';
import { loadFormulaCatalogue } from './cascade/formulas';
import { loadCascadeKpis } from './cascade/load-kpis';
import { loadCascadeCheckins, loadStoredPeriodValues } from './cascade/load-values';
import { lockOrgCascade } from './cascade/locks';

/** One stored period value that differs from its from-scratch recomputation. */
export type Drift = {
  orgId: string;
  orgSlug: string;
  kpiId: string;
  periodStart: string;
  kind: 'missing' | 'extra' | 'value' | 'counts';
  expected: PeriodValue | null;
  stored: PeriodValue | null;
};

/** What `db:verify` found. */
export type VerifyReport = {
  organizations: number;
  /** Distinct (KPI, period) pairs compared: the union of expected and stored ones. */
  valuesChecked: number;
  drifts: Drift[];
  /** Organizations whose cascade could not be recomputed at all (for example a cycle of links). */
  errors: { orgId: string; orgSlug: string; message: string }[];
};

/**
 * Compares every stored period value of one organization with the from-scratch computation of
 * `lib/domain/cascade-compute.ts` and, for formula KPIs, `lib/domain/formula/cascade.ts`
 * (values compared numerically, counts exactly). Runs in its own
 * tenant transaction under the org cascade lock, so it sees a state no writer is halfway through.
 * Maintenance code: no actor, no permission check (CLI and tests only).
 */
export async function verifyOrganization(org: {
  id: string;
  slug: string;
  fyStartMonth: number;
}): Promise<Omit<VerifyReport, 'organizations' | 'errors'>> {
  return withOrgTx(org.id, async (tx) => {
    await lockOrgCascade(tx, org.id);
    const [kpis, checkins, stored, catalogue] = await Promise.all([
      loadCascadeKpis(tx, org.id),
      loadCascadeCheckins(tx, org.id),
      loadStoredPeriodValues(tx, org.id),
      loadFormulaCatalogue(tx, org.id),
    ]);
    const expected = computeAllWithFormulas(
      kpis,
      checkins,
      org.fyStartMonth,
      catalogue.formulas,
      catalogue.keys,
      archivedFormulaValues(kpis, stored),
    );
    const drifts: Drift[] = [];
    let valuesChecked = 0;
    const kpiIds = new Set([...expected.keys(), ...stored.keys()]);
    for (const kpiId of [...kpiIds].sort()) {
      const want = expected.get(kpiId) ?? new Map<string, PeriodValue>();
      const have = stored.get(kpiId) ?? new Map<string, PeriodValue>();
      const starts = [...new Set([...want.keys(), ...have.keys()])].sort();
      for (const periodStart of starts) {
        valuesChecked += 1;
        const e = want.get(periodStart) ?? null;
        const s = have.get(periodStart) ?? null;
        const drift = (kind: Drift['kind']): void => {
          drifts.push({
            orgId: org.id,
            orgSlug: org.slug,
            kpiId,
            periodStart,
            kind,
            expected: e,
            stored: s,
          });
        };
        if (e && !s) drift('missing');
        else if (!e && s) drift('extra');
        else if (e && s) {
          if (!decEquals(e.value, s.value)) drift('value');
          else if (
            e.sampleCount !== s.sampleCount ||
            e.childrenReported !== s.childrenReported ||
            e.childrenExpected !== s.childrenExpected
          ) {
            drift('counts');
          }
        }
      }
    }
    return { valuesChecked, drifts };
  });
}

/**
 * Verifies every organization (or those with the given ids): see `verifyOrganization`.
 * Maintenance code for `npm run db:verify` and tests.
 */
export async function verifyAllOrganizations(
  options: { orgIds?: readonly string[] } = {},
): Promise<VerifyReport> {
  const db = await getDb();
  const orgs = await db
    .select({
      id: organizations.id,
      slug: organizations.slug,
      fyStartMonth: organizations.fyStartMonth,
    })
    .from(organizations)
    .orderBy(asc(organizations.createdAt), asc(organizations.id));
  const selected = options.orgIds ? orgs.filter((o) => options.orgIds?.includes(o.id)) : orgs;
  const report: VerifyReport = { organizations: 0, valuesChecked: 0, drifts: [], errors: [] };
  for (const org of selected) {
    report.organizations += 1;
    try {
      const result = await verifyOrganization(org);
      report.valuesChecked += result.valuesChecked;
      report.drifts.push(...result.drifts);
    } catch (error) {
      report.errors.push({
        orgId: org.id,
        orgSlug: org.slug,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return report;
}

/** One line per drift, for the CLI and test failure messages. */
export function describeDrift(d: Drift): string {
  const show = (v: PeriodValue | null) =>
    v === null
      ? 'none'
      : `${v.value} (samples ${v.sampleCount}, children ${v.childrenReported}/${v.childrenExpected})`;
  return `${d.orgSlug} kpi ${d.kpiId} period ${d.periodStart}: ${d.kind}: expected ${show(d.expected)}, stored ${show(d.stored)}`;
}
