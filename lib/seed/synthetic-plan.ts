import { randomUUID } from 'node:crypto';
import { addMonths, dateParts, daysInMonth, isoDate, todayInTimeZone } from '@/lib/domain/dates';
import { cadenceMonths, periodEndExclusive, periodStart } from '@/lib/domain/periods';
import type { SeedCheckin, SeedKpi, SeedPlan, SeedUnit } from './plan';
import { createRng, toFixedDecimal } from './random';
import {
  DEPARTMENTS,
  FAMILIES,
  FIRST_NAMES,
  LAST_NAMES,
  WEIGHTS,
  type Family,
} from './synthetic-data';
import { combine, levelCounts, levelKinds, pickCadence } from './synthetic-shape';

export type SyntheticOptions = {
  kpis: number;
  people: number;
  months: number;
  depth: number;
  seed: number;
  /** Fixes the clock (tests); the data covers `months` months up to today (UTC). */
  now?: Date;
};

export type SyntheticSignIn = { label: string; email: string; detail: string };

type PersonRow = {
  id: string;
  email: string;
  name: string;
  homeUnitId: string;
  role: 'owner' | 'admin' | 'member';
  label: string;
};

type Node = SeedKpi & { level: number; family: Family; children: Node[]; monthlyLevel: number };

/** Builds the plan in memory (no I/O). */
export function buildSyntheticPlan(options: SyntheticOptions & { orgId: string; slug: string }): {
  plan: SeedPlan;
  signIns: SyntheticSignIn[];
  depth: number;
} {
  const { orgId, slug } = options;
  const rng = createRng(options.seed);
  const now = options.now ?? new Date();
  const timeZone = 'UTC';
  const fyStartMonth = 1;
  const today = todayInTimeZone(timeZone, now);
  const domain = `${slug}.test`;

  // Units: about 18 people per team, departments about the square root of the team count.
  const teamCount = Math.max(2, Math.round(options.people / 18));
  const departmentCount = Math.min(teamCount, Math.max(2, Math.round(Math.sqrt(teamCount))));
  const units: SeedUnit[] = [];
  const root: SeedUnit = {
    id: randomUUID(),
    parentId: null,
    kind: 'company',
    name: 'Synthetic Corp',
    leadUserId: null,
    sortOrder: 0,
  };
  units.push(root);
  const departments: SeedUnit[] = [];
  const teamsOf = new Map<string, SeedUnit[]>();
  for (let d = 0; d < departmentCount; d += 1) {
    const base = DEPARTMENTS[d % DEPARTMENTS.length] ?? 'Department';
    const name =
      d < DEPARTMENTS.length ? base : `${base} ${Math.floor(d / DEPARTMENTS.length) + 1}`;
    const dept: SeedUnit = {
      id: randomUUID(),
      parentId: root.id,
      kind: 'department',
      name,
      leadUserId: null,
      sortOrder: d,
    };
    departments.push(dept);
    teamsOf.set(dept.id, []);
    units.push(dept);
  }
  const teams: SeedUnit[] = [];
  for (let t = 0; t < teamCount; t += 1) {
    const dept = departments[t % departmentCount];
    if (!dept) throw new Error('no department');
    const siblings = teamsOf.get(dept.id) ?? [];
    const team: SeedUnit = {
      id: randomUUID(),
      parentId: dept.id,
      kind: 'team',
      name: `${dept.name} team ${siblings.length + 1}`,
      leadUserId: null,
      sortOrder: siblings.length,
    };
    siblings.push(team);
    teams.push(team);
    units.push(team);
  }

  // People: owner, up to two admins, a head per department, a lead per team, then members.
  const people: PersonRow[] = [];
  const makePerson = (
    homeUnitId: string,
    role: PersonRow['role'],
    local: string,
    label: string,
  ): PersonRow => {
    const name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
    const row = { id: randomUUID(), email: `${local}@${domain}`, name, homeUnitId, role, label };
    people.push(row);
    return row;
  };
  const owner = makePerson(root.id, 'owner', 'owner', 'Owner');
  root.leadUserId = owner.id;
  const adminCount = Math.min(2, Math.max(0, options.people - 1));
  for (let a = 1; a <= adminCount; a += 1) makePerson(root.id, 'admin', `admin-${a}`, 'Admin');
  departments.forEach((dept, i) => {
    if (people.length >= options.people) return;
    dept.leadUserId = makePerson(
      dept.id,
      'member',
      `head-${String(i + 1).padStart(2, '0')}`,
      `Head of ${dept.name}`,
    ).id;
  });
  teams.forEach((team, i) => {
    if (people.length >= options.people) return;
    team.leadUserId = makePerson(
      team.id,
      'member',
      `lead-${String(i + 1).padStart(3, '0')}`,
      `Lead of ${team.name}`,
    ).id;
  });
  for (let i = 0; people.length < options.people; i += 1) {
    const team = teams[i % teams.length];
    if (!team) throw new Error('no team');
    makePerson(team.id, 'member', `member-${String(i + 1).padStart(5, '0')}`, 'Member');
  }
  const peopleInTeam = new Map<string, PersonRow[]>();
  for (const p of people) {
    const list = peopleInTeam.get(p.homeUnitId);
    if (list) list.push(p);
    else peopleInTeam.set(p.homeUnitId, [p]);
  }
  const unitById = new Map(units.map((u) => [u.id, u]));
  const staffedTeamsUnder = (unitId: string): SeedUnit[] => {
    const unit = unitById.get(unitId);
    const candidates =
      unit?.kind === 'team'
        ? [unit]
        : unit?.kind === 'department'
          ? (teamsOf.get(unit.id) ?? [])
          : teams;
    return candidates.filter((t) => (peopleInTeam.get(t.id)?.length ?? 0) > 0);
  };

  // The cascade, top down. Each level's KPIs are dealt round-robin to the previous level's, so
  // every parent gets children whenever the level below is at least as large.
  const kinds = levelKinds(options.depth);
  const counts = levelCounts(options.kpis, kinds.length);
  const levels: Node[][] = [];
  const cursor = new Map<string, number>();
  const roundRobin = <T>(key: string, items: readonly T[]): T => {
    const i = cursor.get(key) ?? 0;
    cursor.set(key, i + 1);
    const item = items[i % items.length];
    if (item === undefined) throw new Error(`nothing to pick for ${key}`);
    return item;
  };
  let serial = 0;
  kinds.forEach((kind, levelIndex) => {
    const nodes: Node[] = [];
    const parents = levelIndex === 0 ? [] : (levels[levelIndex - 1] ?? []);
    for (let i = 0; i < (counts[levelIndex] ?? 0); i += 1) {
      const parent = parents.length > 0 ? (parents[i % parents.length] ?? null) : null;
      const family = parent ? parent.family : (FAMILIES[i % FAMILIES.length] ?? FAMILIES[0]!);
      let unitId = root.id;
      let owner: PersonRow | null = null;
      if (kind === 'department') {
        const parentUnit = parent ? unitById.get(parent.unitId) : root;
        unitId =
          parentUnit?.kind === 'department'
            ? parentUnit.id
            : roundRobin('departments', departments).id;
      } else if (kind === 'team') {
        const parentUnit = parent ? unitById.get(parent.unitId) : root;
        unitId =
          parentUnit?.kind === 'team'
            ? parentUnit.id
            : roundRobin(`teams:${parentUnit?.id}`, staffedTeamsUnder(parentUnit?.id ?? root.id))
                .id;
      } else if (kind === 'individual') {
        const team = roundRobin(
          `staffed:${parent?.unitId}`,
          staffedTeamsUnder(parent?.unitId ?? root.id),
        );
        owner = roundRobin(`people:${team.id}`, peopleInTeam.get(team.id) ?? []);
        unitId = team.id;
      }
      const unit = unitById.get(unitId);
      serial += 1;
      const node: Node = {
        id: randomUUID(),
        key: `syn.l${levelIndex + 1}.${String(serial).padStart(5, '0')}`,
        name: owner
          ? `${family.label} (${owner.name})`
          : `${family.label}: ${unit?.name ?? 'company'}`,
        description: '',
        unitId,
        ownerUserId: owner?.id ?? unit?.leadUserId ?? null,
        parentId: parent?.id ?? null,
        isIndividual: owner !== null,
        measureUnit: family.measureUnit,
        currency: family.currency,
        decimals: family.decimals,
        direction: family.direction,
        cadence: pickCadence(rng, parent?.cadence ?? null, levelIndex === kinds.length - 1),
        timeAggregation: family.timeAggregation,
        rollup: 'manual',
        weight: '1',
        baseline: null,
        defaultTarget: null,
        validMin: null,
        validMax: null,
        category: levelIndex === 0 ? 'strategic' : family.category,
        indicator: family.indicator,
        isNorthStar: levelIndex === 0 && i < 2,
        sortOrder: parent ? parent.children.length : i,
        level: levelIndex,
        family,
        children: [],
        monthlyLevel: 0,
      };
      parent?.children.push(node);
      nodes.push(node);
    }
    levels.push(nodes);
  });

  // Rollups: a KPI with children computes them (8% stay manual: alignment only); leaves are manual.
  const all = levels.flat();
  for (const node of all) {
    if (node.children.length > 0 && !rng.chance(0.08)) node.rollup = rng.pick(node.family.rollups);
    if (node.rollup === 'weighted_average') {
      for (const child of node.children) child.weight = rng.pick(WEIGHTS);
    }
  }

  // Targets bottom-up: a computing KPI's target is its rollup of its children's targets.
  const toNumber = (v: string | null) => (v === null ? 0 : Number(v));
  for (const node of [...all].reverse()) {
    const [lo, hi] = node.family.base;
    node.monthlyLevel = lo + (hi - lo) * rng.next();
    const periodFactor = node.timeAggregation === 'sum' ? cadenceMonths(node.cadence) : 1;
    let target: number;
    if (node.rollup === 'manual' || node.rollup === 'formula') {
      target = node.monthlyLevel * periodFactor * (0.95 + 0.17 * rng.next());
    } else {
      const childTargets = node.children.map((c) => {
        const t = toNumber(c.defaultTarget);
        return node.timeAggregation === 'sum'
          ? (t * cadenceMonths(node.cadence)) / cadenceMonths(c.cadence)
          : t;
      });
      target = combine(
        node.rollup,
        childTargets,
        node.children.map((c) => Number(c.weight)),
      );
    }
    node.defaultTarget = toFixedDecimal(target, node.family.decimals);
    if (
      node.family.measureUnit === 'percent' &&
      node.family.direction === 'decrease' &&
      rng.chance(0.3)
    ) {
      node.baseline = toFixedDecimal(target * 1.6, node.family.decimals);
    }
  }

  // Check-ins: one per manual KPI per month, dated inside the month and never after today.
  const currentMonth = periodStart(today, 'month', fyStartMonth);
  const months = Array.from({ length: options.months }, (_, i) =>
    addMonths(currentMonth, i - options.months + 1),
  );
  const todayParts = dateParts(today);
  const elapsed = todayParts.day / daysInMonth(todayParts.year, todayParts.month);
  const checkins: SeedCheckin[] = [];
  const season = [0.92, 0.96, 1.05, 0.98, 1.0, 1.04, 0.9, 0.88, 1.06, 1.04, 1.02, 1.08];
  for (const node of all) {
    if (node.rollup !== 'manual') continue;
    const trend = (rng.next() - 0.3) * 0.02;
    const noise = 0.04 + 0.1 * rng.next();
    const author = node.ownerUserId;
    months.forEach((month, m) => {
      const { year, month: monthNumber } = dateParts(month);
      const isCurrent = m === months.length - 1;
      const lastDay = isCurrent ? todayParts.day : daysInMonth(year, monthNumber);
      const day = Math.min(
        lastDay,
        isCurrent ? lastDay : rng.int(Math.max(1, lastDay - 6), lastDay),
      );
      const offset = m - (months.length - 1);
      let value =
        node.monthlyLevel *
        (1 + trend) ** offset *
        (season[monthNumber - 1] ?? 1) *
        (1 + noise * rng.gauss());
      if (isCurrent && node.timeAggregation === 'sum') value *= elapsed;
      value = Math.max(0, node.measureUnit === 'percent' ? Math.min(100, value) : value);
      const observedOn = isoDate(year, monthNumber, day);
      const createdAt = new Date(
        Date.UTC(year, monthNumber - 1, day, 12, rng.int(0, 59), rng.int(0, 59)),
      );
      checkins.push({
        id: randomUUID(),
        kpiId: node.id,
        observedOn,
        value: toFixedDecimal(value, node.decimals),
        note: '',
        authorUserId: author,
        source: 'api',
        createdAt:
          createdAt.getTime() < now.getTime() ? createdAt : new Date(now.getTime() - 60_000),
      });
    });
  }

  // Per-period overrides for about 3% of the KPIs: a stretch ramp over the current fiscal year.
  const targets: SeedPlan['targets'] = [];
  const fyStart = periodStart(today, 'year', fyStartMonth);
  const fyEnd = periodEndExclusive(fyStart, 'year');
  for (const node of all) {
    if (!rng.chance(0.03) || node.defaultTarget === null) continue;
    const base = Number(node.defaultTarget);
    let step = 0;
    for (let p = fyStart; p < fyEnd; p = periodEndExclusive(p, node.cadence)) {
      step += 1;
      const factor = node.direction === 'increase' ? 1 + 0.02 * step : 1 - 0.01 * step;
      targets.push({
        kpiId: node.id,
        periodStart: p,
        target: toFixedDecimal(base * factor, node.decimals),
      });
    }
  }

  // Formulas first: the north star they add takes over the first one's flag.
  const departmentKpis = all.filter(
    (n) => !n.isIndividual && unitById.get(n.unitId)?.kind === 'department',
  );
  const formulas = syntheticFormulas(departmentKpis, levels[0] ?? [], departments, root);
  const kpis: SeedKpi[] = [
    ...all.map(
      ({ level: _level, family: _family, children: _children, monthlyLevel: _m, ...kpi }) => kpi,
    ),
    ...formulas,
  ];
  const plan: SeedPlan = {
    org: {
      id: orgId,
      name: `Synthetic ${slug.slice('synthetic-'.length)}`,
      slug,
      fyStartMonth,
      timeZone,
    },
    today,
    users: people.map((p) => ({ id: p.id, email: p.email, name: p.name })),
    memberships: people.map((p) => ({ userId: p.id, role: p.role, homeUnitId: p.homeUnitId })),
    units,
    kpis,
    targets,
    checkins,
  };

  const ownsKpi = new Set(kpis.filter((k) => k.isIndividual).map((k) => k.ownerUserId));
  const signIns: SyntheticSignIn[] = [];
  const describe = (p: PersonRow | undefined, label: string, detail: string) => {
    if (p) signIns.push({ label, email: p.email, detail });
  };
  describe(owner, 'Owner', 'whole organization');
  describe(
    people.find((p) => p.label === 'Admin'),
    'Admin',
    'whole organization',
  );
  const head = people.find((p) => p.label.startsWith('Head of'));
  describe(head, 'Department lead', head?.label ?? '');
  const lead = people.find((p) => p.label.startsWith('Lead of'));
  describe(lead, 'Team lead', lead?.label ?? '');
  const member = people.find((p) => p.label === 'Member' && ownsKpi.has(p.id));
  describe(
    member,
    'Member',
    `${kpis.filter((k) => k.isIndividual && k.ownerUserId === member?.id).length} individual KPIs`,
  );
  return { plan, signIns, depth: levels.filter((l) => l.length > 0).length };
}

const CADENCE_ORDER = ['month', 'quarter', 'year'] as const;

/** The longest of some cadences (a formula's cadence may not be shorter than its inputs'). */
function longestCadence(nodes: readonly Pick<SeedKpi, 'cadence'>[]): SeedKpi['cadence'] {
  let best = 0;
  for (const n of nodes) best = Math.max(best, CADENCE_ORDER.indexOf(n.cadence));
  return CADENCE_ORDER[best] ?? 'month';
}

/**
 * Formula KPIs over the department-level KPIs (`departmentKpis`) (no targets of their own: they show the target
 * their inputs imply), so the benchmark and large-org pages cover them:
 * - the company's north star `syn.north_star` = prev(itself) + two flows - a third, a stock with
 *   an opening balance (the flows: department KPIs of the first currency `sum` family, whose
 *   subtrees hold many of the deepest manual KPIs, so check-ins there reach it);
 * - up to two ratios per department, `a / b` over two of its KPIs in the same unit.
 * The former first north star stops being one. Pure; mutates `level0` north-star flags only.
 */
function syntheticFormulas(
  departmentKpis: readonly Node[],
  level0: Node[],
  departments: readonly SeedUnit[],
  root: SeedUnit,
): SeedKpi[] {
  const out: SeedKpi[] = [];
  const base = (over: Partial<SeedKpi> & Pick<SeedKpi, 'key' | 'name' | 'unitId'>): SeedKpi => ({
    id: randomUUID(),
    description: '',
    ownerUserId: null,
    parentId: null,
    isIndividual: false,
    measureUnit: 'ratio',
    currency: null,
    decimals: 2,
    direction: 'increase',
    cadence: 'month',
    timeAggregation: 'last',
    rollup: 'formula',
    weight: '1',
    baseline: null,
    defaultTarget: null,
    validMin: null,
    validMax: null,
    category: 'operational',
    indicator: 'lagging',
    isNorthStar: false,
    sortOrder: 1000,
    missingPolicy: 'strict',
    ...over,
  });
  const flows = departmentKpis.filter(
    (n) => n.key !== null && n.measureUnit === 'currency' && n.timeAggregation === 'sum',
  );
  const currency = flows[0]?.currency ?? null;
  const drivers = flows.filter((n) => n.currency === currency).slice(0, 3);
  if (drivers.length >= 2) {
    const [a, b, c] = drivers as [Node, Node, Node | undefined];
    const opening = drivers.reduce((sum, n) => sum + n.monthlyLevel, 0) * 12;
    for (const n of level0) if (n.isNorthStar) n.isNorthStar = false;
    const second = level0[1];
    if (second) second.isNorthStar = true;
    out.push(
      base({
        key: 'syn.north_star',
        name: 'Recurring revenue (formula)',
        unitId: root.id,
        ownerUserId: root.leadUserId,
        measureUnit: 'currency',
        currency,
        decimals: 0,
        cadence: longestCadence(drivers),
        category: 'strategic',
        isNorthStar: true,
        sortOrder: -1,
        missingPolicy: 'zero',
        baseline: toFixedDecimal(opening, 0),
        formula: `prev(syn.north_star) + ${a.key} + ${b.key}${c ? ` - ${c.key}` : ''}`,
      }),
    );
  }
  departments.forEach((dept, d) => {
    const own = departmentKpis.filter(
      (n) =>
        n.unitId === dept.id &&
        n.key !== null &&
        (n.measureUnit === 'count' || n.measureUnit === 'currency'),
    );
    const groups = new Map<string, Node[]>();
    for (const n of own) {
      const unit = `${n.measureUnit}:${n.currency ?? ''}`;
      groups.set(unit, [...(groups.get(unit) ?? []), n]);
    }
    let made = 0;
    for (const group of groups.values()) {
      for (let i = 0; i + 1 < group.length && made < 2; i += 2) {
        const [x, y] = [group[i]!, group[i + 1]!];
        made += 1;
        out.push(
          base({
            key: `syn.ratio.${String(d + 1).padStart(2, '0')}.${made}`,
            name: `${x.name} per ${y.name}`,
            unitId: dept.id,
            ownerUserId: dept.leadUserId,
            cadence: longestCadence([x, y]),
            formula: `${x.key} / ${y.key}`,
          }),
        );
      }
    }
  });
  return out;
}
