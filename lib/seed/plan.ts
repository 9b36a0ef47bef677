import { allowedParentKinds, checkKpiLink, type UnitKind } from '@/lib/domain/tree';
import type { Role } from '@/lib/authz/permissions';
import { isOwnerRole } from '@/lib/authz/roles';
import type { KpiDto } from '@/lib/dal/cascade/kpi-rows';
import { isInRange } from '@/lib/domain/value-range';

/**
 * An organization to seed, fully generated in memory before anything is written: the demo and the
 * synthetic generators both produce one, `validateSeedPlan` checks it against the same rules the
 * app enforces, and `writeSeedPlan` bulk-inserts it. Ids are generated up front so rows can
 * reference each other without round trips.
 */
export type SeedPlan = {
  org: { id: string; name: string; slug: string; fyStartMonth: number; timeZone: string };
  users: SeedUser[];
  memberships: SeedMembership[];
  units: SeedUnit[];
  kpis: SeedKpi[];
  targets: SeedTarget[];
  checkins: SeedCheckin[];
  /** The org-local date the data was generated for: no check-in may be dated after it. */
  today: string;
};

export type SeedUser = { id: string; email: string; name: string };

export type SeedMembership = { userId: string; role: Role; homeUnitId: string };

export type SeedUnit = {
  id: string;
  parentId: string | null;
  kind: UnitKind;
  name: string;
  leadUserId: string | null;
  sortOrder: number;
};

/** A seed plan's KPI: the DAL's KpiDto (new, so no archive date or version) in sibling order. */
export type SeedKpi = Omit<KpiDto, 'archivedOn' | 'version' | 'formula' | 'missingPolicy'> &
  Partial<Pick<KpiDto, 'formula' | 'missingPolicy'>> & { sortOrder: number };

export type SeedTarget = { kpiId: string; periodStart: string; target: string };

export type SeedCheckin = {
  id: string;
  kpiId: string;
  observedOn: string;
  value: string;
  note: string;
  authorUserId: string | null;
  source: 'manual' | 'csv' | 'api';
  createdAt: Date;
};

/** Same limits as the `numeric(20, 6)` input columns and `parseDecimalInput`. */
const INPUT_DECIMAL = /^-?(0|[1-9]\d{0,13})(\.\d{1,6})?$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Every problem of a plan, worded for a developer (empty when the plan is valid): the unit tree
 * rules, membership and lead rules, the KPI check constraints of the schema (currency iff currency
 * unit, individual KPIs have an owner, weight > 0, decimals 0..6), every cascade link through
 * `checkKpiLink` (no cycle, child unit inside the parent KPI's unit subtree, cadence no longer than
 * the parent's, same measure unit under a computing parent), and check-ins (on a manual KPI, not
 * dated after `today`, exact decimals within the input limits). Stops listing after 20 problems.
 */
export function validateSeedPlan(plan: SeedPlan): string[] {
  const problems: string[] = [];
  const add = (message: string): boolean => {
    problems.push(message);
    return problems.length >= 20;
  };

  const unitById = new Map(plan.units.map((u) => [u.id, u]));
  const unitParentOf = new Map(plan.units.map((u) => [u.id, u.parentId]));
  const members = new Map(plan.memberships.map((m) => [m.userId, m]));
  const userIds = new Set(plan.users.map((u) => u.id));
  const emails = new Set<string>();
  for (const user of plan.users) {
    if (user.email !== user.email.toLowerCase() || !user.email.includes('@')) {
      if (add(`user ${user.email}: email must be lowercase and contain @`)) return problems;
    }
    if (emails.has(user.email) && add(`user ${user.email}: duplicate email`)) return problems;
    emails.add(user.email);
  }
  for (const m of plan.memberships) {
    if (!userIds.has(m.userId) && add(`membership of unknown user ${m.userId}`)) return problems;
    if (!unitById.has(m.homeUnitId) && add(`membership ${m.userId}: unknown home unit`))
      return problems;
  }
  if (plan.memberships.filter((m) => isOwnerRole(m.role)).length !== 1) {
    if (add('an organization needs exactly one owner')) return problems;
  }

  const roots = plan.units.filter((u) => u.parentId === null);
  if (roots.length !== 1 || roots[0]?.kind !== 'company') {
    if (add('the unit tree needs exactly one company root')) return problems;
  }
  for (const unit of plan.units) {
    if (unit.parentId !== null) {
      const parent = unitById.get(unit.parentId);
      if (!parent) {
        if (add(`unit ${unit.name}: unknown parent`)) return problems;
      } else if (!allowedParentKinds(unit.kind).includes(parent.kind)) {
        if (add(`unit ${unit.name}: a ${unit.kind} cannot sit under a ${parent.kind}`))
          return problems;
      }
    }
    if (unit.leadUserId !== null && !members.has(unit.leadUserId)) {
      if (add(`unit ${unit.name}: its lead is not a member`)) return problems;
    }
  }

  const kpiById = new Map(plan.kpis.map((k) => [k.id, k]));
  const kpiParentOf = new Map(plan.kpis.map((k) => [k.id, k.parentId]));
  const keys = new Set<string>();
  for (const kpi of plan.kpis) {
    const label = `KPI ${kpi.key ?? kpi.name}`;
    if (kpi.key !== null) {
      if (keys.has(kpi.key) && add(`${label}: duplicate key`)) return problems;
      keys.add(kpi.key);
    }
    if (!unitById.has(kpi.unitId) && add(`${label}: unknown unit`)) return problems;
    if (kpi.ownerUserId !== null && !members.has(kpi.ownerUserId)) {
      if (add(`${label}: its owner is not a member`)) return problems;
    }
    if (
      kpi.isIndividual &&
      kpi.ownerUserId === null &&
      add(`${label}: an individual KPI needs an owner`)
    ) {
      return problems;
    }
    if ((kpi.measureUnit === 'currency') !== (kpi.currency !== null)) {
      if (add(`${label}: a currency is required exactly for currency KPIs`)) return problems;
    }
    if (!INPUT_DECIMAL.test(kpi.weight) || !(Number(kpi.weight) > 0)) {
      if (add(`${label}: weight must be a positive decimal, got ${kpi.weight}`)) return problems;
    }
    for (const [field, value] of [
      ['baseline', kpi.baseline],
      ['default target', kpi.defaultTarget],
    ] as const) {
      if (value !== null && !INPUT_DECIMAL.test(value) && add(`${label}: bad ${field} ${value}`)) {
        return problems;
      }
    }
    if (!Number.isInteger(kpi.decimals) || kpi.decimals < 0 || kpi.decimals > 6) {
      if (add(`${label}: decimals must be 0..6`)) return problems;
    }
    if (kpi.isNorthStar && unitById.get(kpi.unitId)?.kind !== 'company') {
      if (add(`${label}: only company-level KPIs can be north stars`)) return problems;
    }
    if (kpi.parentId === null) continue;
    const parent = kpiById.get(kpi.parentId);
    if (!parent) {
      if (add(`${label}: unknown parent KPI`)) return problems;
      continue;
    }
    for (const problem of checkKpiLink({ child: kpi, parent, unitParentOf, kpiParentOf })) {
      if (add(`${label} -> ${parent.key ?? parent.name}: ${problem.code} (${problem.message})`)) {
        return problems;
      }
    }
  }

  const targetKeys = new Set<string>();
  for (const t of plan.targets) {
    if (!kpiById.has(t.kpiId) && add(`target for unknown KPI ${t.kpiId}`)) return problems;
    if (!INPUT_DECIMAL.test(t.target) && add(`target ${t.target}: not an input decimal`))
      return problems;
    const key = `${t.kpiId}|${t.periodStart}`;
    if (targetKeys.has(key) && add(`duplicate target ${key}`)) return problems;
    targetKeys.add(key);
  }

  for (const c of plan.checkins) {
    const kpi = kpiById.get(c.kpiId);
    if (!kpi) {
      if (add(`check-in for unknown KPI ${c.kpiId}`)) return problems;
      continue;
    }
    // A computing KPI ignores its own check-ins: seeding them would only hide a generator bug.
    if (kpi.rollup !== 'manual' && add(`check-in on computing KPI ${kpi.key ?? kpi.name}`))
      return problems;
    if (!ISO_DATE.test(c.observedOn) || c.observedOn > plan.today) {
      if (add(`check-in on ${kpi.key ?? kpi.name}: date ${c.observedOn} after ${plan.today}`))
        return problems;
    }
    if (
      !INPUT_DECIMAL.test(c.value) &&
      add(`check-in on ${kpi.key ?? kpi.name}: bad value ${c.value}`)
    ) {
      return problems;
    }
    // The app refuses a reading outside the KPI's valid range: so does the seed.
    if (INPUT_DECIMAL.test(c.value) && !isInRange(c.value, kpi)) {
      const range = `${kpi.validMin ?? '-inf'}..${kpi.validMax ?? 'inf'}`;
      if (add(`check-in on ${kpi.key ?? kpi.name}: ${c.value} outside ${range}`)) return problems;
    }
  }
  return problems;
}

/** Throws one error listing every problem of the plan (the seed refuses to write a bad tree). */
export function assertValidSeedPlan(plan: SeedPlan): void {
  const problems = validateSeedPlan(plan);
  if (problems.length > 0) {
    throw new Error(`The generated organization is invalid:\n  - ${problems.join('\n  - ')}`);
  }
}
