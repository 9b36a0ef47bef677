import { and, asc, eq, gt, isNotNull, isNull, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { checkins, kpiPeriodValues, kpis } from '@/db/schema';
import {
  deleteCheckinAction,
  recordCheckinAction,
  updateCheckinAction,
} from '@/lib/actions/checkins';
import {
  archiveKpiAction,
  createKpiAction,
  linkKpiAction,
  unlinkKpiAction,
  updateKpiAction,
} from '@/lib/actions/kpis';
import { createUnitAction } from '@/lib/actions/units';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { describeDrift, verifyAllOrganizations } from '@/lib/dal/verify';
import type { Result } from '@/lib/result';
import { createTestOrg } from './factories';
import { as, kpiInput, kpiVersion, must } from './cascade-helpers';

const CADENCES = ['month', 'quarter', 'year'] as const;
const AGGS = ['sum', 'last', 'average'] as const;
const ROLLUPS = ['manual', 'sum', 'average', 'weighted_average', 'min', 'max'] as const;

const decimalArb = fc
  .tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 0, max: 3 }))
  .map(([n, scale]) => {
    const negative = n < 0;
    const digits = String(Math.abs(n)).padStart(scale + 1, '0');
    const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return `${negative ? '-' : ''}${text}`;
  });
const weightArb = fc.integer({ min: 1, max: 500 }).map((n) => (n / 100).toFixed(2));

const commandArb = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.record({
      t: fc.constant('record' as const),
      k: fc.nat(),
      anyKpi: fc.boolean(),
      day: fc.nat({ max: 240 }),
      value: decimalArb,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('edit' as const),
      c: fc.nat(),
      day: fc.option(fc.nat({ max: 240 })),
      value: fc.option(decimalArb),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('delete' as const), c: fc.nat() }) },
  {
    weight: 5,
    arbitrary: fc.record({ t: fc.constant('link' as const), k: fc.nat(), p: fc.nat() }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ t: fc.constant('unlink' as const), k: fc.nat(), anyKpi: fc.boolean() }),
  },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('archive' as const), k: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('rollup' as const),
      k: fc.nat(),
      method: fc.constantFrom(...ROLLUPS),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('weight' as const), k: fc.nat(), weight: weightArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('cadence' as const),
      k: fc.nat(),
      cadence: fc.constantFrom(...CADENCES),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('aggregation' as const),
      k: fc.nat(),
      agg: fc.constantFrom(...AGGS),
    }),
  },
);
type Command = typeof commandArb extends fc.Arbitrary<infer C> ? C : never;

const scenarioArb = fc.record({
  fyStartMonth: fc.integer({ min: 1, max: 12 }),
  /** For each department: how many teams under it; plus teams directly under the company. */
  departments: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 2 }),
  companyTeams: fc.integer({ min: 0, max: 1 }),
  kpis: fc.array(
    fc.record({
      unit: fc.oneof(fc.constant(0), fc.nat()),
      cadence: fc.constantFrom(...CADENCES),
      timeAggregation: fc.constantFrom(...AGGS),
      rollup: fc.constantFrom('manual', 'sum', 'sum', 'average', 'weighted_average', 'min', 'max'),
      measureUnit: fc.constantFrom('count', 'count', 'count', 'percent'),
      weight: weightArb,
      /** Tried at set-up: link under an earlier KPI (index modulo its position). */
      parent: fc.option(fc.nat(), { nil: null }),
    }),
    { minLength: 3, maxLength: 8 },
  ),
  commands: fc.array(commandArb, { minLength: 6, maxLength: 30 }),
});

const tally = new Map<string, { ok: number; refused: number }>();
function count(t: string, result: Result<unknown>): void {
  if (!result.ok && !['VALIDATION', 'CONFLICT'].includes(result.error.code)) {
    throw new Error(`${t} failed unexpectedly: ${result.error.code} ${result.error.message}`);
  }
  const entry = tally.get(t) ?? { ok: 0, refused: 0 };
  if (result.ok) entry.ok += 1;
  else entry.refused += 1;
  tally.set(t, entry);
}

/** Verifies one org; returns how many stored values are rollups of children. */
async function verifyOrg(orgId: string, after: string): Promise<{ rolledUp: number }> {
  const report = await verifyAllOrganizations({ orgIds: [orgId] });
  if (report.drifts.length > 0 || report.errors.length > 0) {
    throw new Error(
      `${JSON.stringify(report.errors)} drift after ${after}:\n${report.drifts.map(describeDrift).join('\n')}`,
    );
  }
  const db = await getOwnerDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(kpiPeriodValues)
    .where(and(eq(kpiPeriodValues.orgId, orgId), gt(kpiPeriodValues.childrenExpected, 0)));
  return { rolledUp: row?.n ?? 0 };
}

describe('property: the incremental cascade always equals a from-scratch recompute', () => {
  afterAll(() => {
    // Not vacuous: every kind of write succeeded at least once across the runs.
    for (const t of [
      'record',
      'edit',
      'delete',
      'link',
      'unlink',
      'archive',
      'rollup',
      'weight',
      'cadence',
      'aggregation',
    ]) {
      expect(tally.get(t)?.ok ?? 0, `successful ${t} writes`).toBeGreaterThan(0);
    }
  });

  it('after every write of random sequences on random trees', async () => {
    const db = await getOwnerDb();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { org, owner, rootUnitId } = await createTestOrg({
          fyStartMonth: scenario.fyStartMonth,
        });
        const act = <T>(fn: () => Promise<T>) => as(owner, fn);
        const unitIds = [rootUnitId];
        for (const teams of scenario.departments) {
          const dept = must(
            await act(() =>
              createUnitAction(org.slug, {
                parentId: rootUnitId,
                kind: 'department',
                name: 'Dept',
              }),
            ),
          );
          unitIds.push(dept.id);
          for (let i = 0; i < teams; i += 1) {
            unitIds.push(
              must(
                await act(() =>
                  createUnitAction(org.slug, { parentId: dept.id, kind: 'team', name: 'Team' }),
                ),
              ).id,
            );
          }
        }
        for (let i = 0; i < scenario.companyTeams; i += 1) {
          unitIds.push(
            must(
              await act(() =>
                createUnitAction(org.slug, { parentId: rootUnitId, kind: 'team', name: 'Team' }),
              ),
            ).id,
          );
        }
        const kpiIds: string[] = [];
        // Longer cadences and the company unit first, so set-up links to earlier KPIs mostly pass.
        const rank = (k: (typeof scenario.kpis)[number]) =>
          CADENCES.indexOf(k.cadence) * -10 + (k.unit % unitIds.length === 0 ? 0 : 1);
        const ordered = [...scenario.kpis].sort((a, b) => rank(a) - rank(b));
        for (const k of ordered) {
          const created = must(
            await act(() =>
              createKpiAction(
                org.slug,
                kpiInput(unitIds[k.unit % unitIds.length] ?? rootUnitId, {
                  cadence: k.cadence,
                  timeAggregation: k.timeAggregation,
                  measureUnit: k.measureUnit,
                  weight: k.weight,
                }),
              ),
            ),
          );
          if (k.parent !== null && kpiIds.length > 0) {
            const parentId = kpiIds[k.parent % kpiIds.length] ?? '';
            count(
              'link',
              await act(() => linkKpiAction(org.slug, { kpiId: created.id, parentId, version: 1 })),
            );
          }
          kpiIds.push(created.id);
        }
        // KPIs that got children at set-up mostly compute from them (leaves stay manual).
        for (const [i, k] of ordered.entries()) {
          const id = kpiIds[i] ?? '';
          const [child] = await db
            .select({ id: kpis.id })
            .from(kpis)
            .where(and(eq(kpis.orgId, org.id), eq(kpis.parentId, id)))
            .limit(1);
          if (child && k.rollup !== 'manual') {
            count(
              'rollup',
              await act(async () =>
                updateKpiAction(org.slug, {
                  kpiId: id,
                  version: await kpiVersion(id),
                  rollup: k.rollup,
                }),
              ),
            );
          }
        }
        const today = todayInTimeZone(org.timeZone);
        const pick = (n: number) => kpiIds[n % kpiIds.length] ?? '';
        const run = async (cmd: Command): Promise<void> => {
          switch (cmd.t) {
            case 'record': {
              // Half the time only among KPIs that take check-ins, so values pile up.
              const open = cmd.anyKpi
                ? kpiIds
                : (
                    await db
                      .select({ id: kpis.id })
                      .from(kpis)
                      .where(
                        and(
                          eq(kpis.orgId, org.id),
                          eq(kpis.rollup, 'manual'),
                          isNull(kpis.archivedOn),
                        ),
                      )
                      .orderBy(asc(kpis.id))
                  ).map((r) => r.id);
              const kpiId = open[cmd.k % Math.max(open.length, 1)];
              if (!kpiId) return;
              count(
                cmd.t,
                await act(() =>
                  recordCheckinAction(org.slug, {
                    kpiId,
                    observedOn: addDays(today, -cmd.day),
                    value: cmd.value,
                  }),
                ),
              );
              return;
            }
            case 'edit':
            case 'delete': {
              const rows = await db
                .select({ id: checkins.id, version: checkins.version })
                .from(checkins)
                .where(eq(checkins.orgId, org.id))
                .orderBy(asc(checkins.id));
              const row = rows[cmd.c % Math.max(rows.length, 1)];
              if (!row) return;
              if (cmd.t === 'delete') {
                count(
                  cmd.t,
                  await act(() =>
                    deleteCheckinAction(org.slug, { checkinId: row.id, version: row.version }),
                  ),
                );
              } else {
                count(
                  cmd.t,
                  await act(() =>
                    updateCheckinAction(org.slug, {
                      checkinId: row.id,
                      version: row.version,
                      ...(cmd.day === null ? {} : { observedOn: addDays(today, -cmd.day) }),
                      ...(cmd.value === null ? {} : { value: cmd.value }),
                    }),
                  ),
                );
              }
              return;
            }
            case 'link':
              count(
                cmd.t,
                await act(async () =>
                  linkKpiAction(org.slug, {
                    kpiId: pick(cmd.k),
                    parentId: pick(cmd.p),
                    version: await kpiVersion(pick(cmd.k)),
                  }),
                ),
              );
              return;
            case 'unlink': {
              // Half the time only among linked KPIs, so unlinks do happen.
              const linked = cmd.anyKpi
                ? kpiIds
                : (
                    await db
                      .select({ id: kpis.id })
                      .from(kpis)
                      .where(and(eq(kpis.orgId, org.id), isNotNull(kpis.parentId)))
                      .orderBy(asc(kpis.id))
                  ).map((r) => r.id);
              const kpiId = linked[cmd.k % Math.max(linked.length, 1)];
              if (!kpiId) return;
              count(
                cmd.t,
                await act(async () =>
                  unlinkKpiAction(org.slug, { kpiId, version: await kpiVersion(kpiId) }),
                ),
              );
              return;
            }
            case 'archive':
              count(
                cmd.t,
                await act(async () =>
                  archiveKpiAction(org.slug, {
                    kpiId: pick(cmd.k),
                    version: await kpiVersion(pick(cmd.k)),
                  }),
                ),
              );
              return;
            case 'rollup':
              count(
                cmd.t,
                await act(async () =>
                  updateKpiAction(org.slug, {
                    kpiId: pick(cmd.k),
                    version: await kpiVersion(pick(cmd.k)),
                    rollup: cmd.method,
                  }),
                ),
              );
              return;
            case 'weight':
              count(
                cmd.t,
                await act(async () =>
                  updateKpiAction(org.slug, {
                    kpiId: pick(cmd.k),
                    version: await kpiVersion(pick(cmd.k)),
                    weight: cmd.weight,
                  }),
                ),
              );
              return;
            case 'cadence':
              count(
                cmd.t,
                await act(async () =>
                  updateKpiAction(org.slug, {
                    kpiId: pick(cmd.k),
                    version: await kpiVersion(pick(cmd.k)),
                    cadence: cmd.cadence,
                  }),
                ),
              );
              return;
            case 'aggregation':
              count(
                cmd.t,
                await act(async () =>
                  updateKpiAction(org.slug, {
                    kpiId: pick(cmd.k),
                    version: await kpiVersion(pick(cmd.k)),
                    timeAggregation: cmd.agg,
                  }),
                ),
              );
              return;
          }
        };
        for (const [i, cmd] of scenario.commands.entries()) {
          await run(cmd);
          const checked = await verifyOrg(org.id, `command ${i} ${JSON.stringify(cmd)}`);
          if (checked.rolledUp > 0)
            tally.set('verifiedWithRollups', {
              ok: (tally.get('verifiedWithRollups')?.ok ?? 0) + 1,
              refused: 0,
            });
        }
        const stored = await db
          .select({ expected: kpiPeriodValues.childrenExpected })
          .from(kpiPeriodValues)
          .where(eq(kpiPeriodValues.orgId, org.id));
        const add = (key: string, n: number) =>
          tally.set(key, { ok: (tally.get(key)?.ok ?? 0) + n, refused: 0 });
        add('storedValues', stored.length);
        add('rolledUpValues', stored.filter((r) => r.expected > 0).length);
      }),
      { numRuns: 35, endOnFailure: true },
    );
    // Not vacuous: many verifications ran while rolled-up values existed.
    expect(tally.get('verifiedWithRollups')?.ok ?? 0).toBeGreaterThan(40);
    expect(tally.get('storedValues')?.ok ?? 0).toBeGreaterThan(40);
  }, 120_000);
});
