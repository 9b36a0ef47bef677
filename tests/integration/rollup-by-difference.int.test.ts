import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { and, eq, sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { execRows, getOwnerDb, withOrgTx } from '@/db/client';
import { checkins, kpiPeriodValues, kpis, kpiValueEvents } from '@/db/schema';
import { rebuildOrgPeriodValues } from '@/lib/dal/cascade/rebuild';
import { lockOrgCascade } from '@/lib/dal/cascade/locks';
import { rollupByDifferenceSql, type DifferenceItem } from '@/lib/dal/cascade/rollup-by-difference';
import { describeDrift, verifyOrganization } from '@/lib/dal/verify';
import { Dec, roundValue } from '@/lib/domain/decimal';
import { recordTogether } from '@/lib/dal/cascade/checkin-transaction';
import { recordCheckin } from '@/lib/dal/record-checkin';
import { contextFor } from './cascade-helpers';
import { createTestOrg } from './factories';

/*
 * The check-in rollup in the server (kpi_rollup_checkins, migration 0028) against the
 * TypeScript engine: on random trees (every rollup and time aggregation, shorter-cadence children,
 * archived KPIs, fiscal years), after any batch of new check-ins it either leaves the org exactly
 * as the from-scratch recompute has it (values, counts and rollup state: db:verify), or refuses
 * (a source that is not manual) and changes nothing.
 */

const CADENCES = ['month', 'quarter', 'year'] as const;
const AGGS = ['sum', 'sum', 'average', 'last'] as const;
const ROLLUPS = [
  'sum',
  'sum',
  'average',
  'weighted_average',
  'weighted_average',
  'min',
  'max',
  'manual',
] as const;

const decimalArb = fc
  .tuple(fc.integer({ min: -100_000, max: 100_000 }), fc.integer({ min: 0, max: 4 }))
  .map(([n, scale]) => (scale === 0 ? String(n) : new Dec(n).div(10 ** scale).toFixed()));
const weightArb = fc.integer({ min: 1, max: 700 }).map((n) => (n / 100).toFixed(2));
const dayArb = fc.integer({ min: 0, max: 500 });

const scenarioArb = fc.record({
  fyStartMonth: fc.integer({ min: 1, max: 12 }),
  kpis: fc.array(
    fc.record({
      cadence: fc.constantFrom(...CADENCES),
      timeAggregation: fc.constantFrom(...AGGS),
      rollup: fc.constantFrom(...ROLLUPS),
      weight: weightArb,
      parent: fc.option(fc.nat(), { nil: null, freq: 4 }),
      archivedDay: fc.option(dayArb, { nil: null, freq: 6 }),
    }),
    { minLength: 3, maxLength: 10 },
  ),
  initial: fc.array(fc.record({ k: fc.nat(), day: dayArb, value: decimalArb }), {
    maxLength: 25,
  }),
  batches: fc.array(
    fc.array(
      fc.record({
        k: fc.nat(),
        /** Now and then any KPI (a computing one is refused, with the items before it undone). */
        anyKpi: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
        day: dayArb,
        value: decimalArb,
      }),
      {
        minLength: 1,
        maxLength: 4,
      },
    ),
    { minLength: 1, maxLength: 5 },
  ),
});

const BASE = '2025-01-01';
function dayOf(n: number): string {
  const d = new Date(`${BASE}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

const CADENCE_RANK = { month: 0, quarter: 1, year: 2 } as const;
const tally = { applied: 0, refused: 0, changedRows: 0 };

type Row = { kpi_id: string; period_start: string; value: string; state_sum: string | null };
async function periodValues(orgId: string): Promise<Row[]> {
  const db = await getOwnerDb();
  const rows = await execRows<Row & { state_weight: string | null }>(
    db,
    sql`select kpi_id, period_start::text, value::text, sample_count, children_reported,
               children_expected, state_sum::text, state_weight::text
          from kpi_period_values where org_id = ${orgId}::uuid order by kpi_id, period_start`,
  );
  return rows.map((r) => ({
    ...r,
    value: norm(r.value)!,
    state_sum: norm(r.state_sum),
    state_weight: norm(r.state_weight),
  }));
}

async function assertVerified(
  org: { id: string; slug: string; fyStartMonth: number },
  after: string,
) {
  const { drifts } = await verifyOrganization(org);
  if (drifts.length > 0)
    throw new Error(`drift after ${after}:\n${drifts.map(describeDrift).join('\n')}`);
}

describe('check-ins rolled up by difference in the server', () => {
  afterAll(() => {
    // Not vacuous: both outcomes happened, and the applied batches changed values.
    expect(tally.applied).toBeGreaterThan(5);
    expect(tally.refused).toBeGreaterThan(2);
    expect(tally.changedRows).toBeGreaterThan(10);
  });

  it('equals the TypeScript engine on random trees, or refuses and changes nothing', async () => {
    const db = await getOwnerDb();
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const { org, rootUnitId } = await createTestOrg({ fyStartMonth: scenario.fyStartMonth });
        const orgRef = { id: org.id, slug: org.slug, fyStartMonth: scenario.fyStartMonth };
        // The tree: a parent is an earlier KPI with a cadence at least as long.
        const ids: string[] = [];
        for (const [i, k] of scenario.kpis.entries()) {
          let parentId: string | null = null;
          if (k.parent !== null && i > 0) {
            const p = k.parent % i;
            if (CADENCE_RANK[scenario.kpis[p]!.cadence] >= CADENCE_RANK[k.cadence])
              parentId = ids[p]!;
          }
          const [row] = await db
            .insert(kpis)
            .values({
              orgId: org.id,
              name: `K${i}`,
              unitId: rootUnitId,
              parentId,
              measureUnit: 'count',
              direction: 'increase',
              cadence: k.cadence,
              timeAggregation: k.timeAggregation,
              rollup: k.rollup,
              weight: k.weight,
              archivedOn: k.archivedDay === null ? null : dayOf(k.archivedDay),
            })
            .returning({ id: kpis.id });
          ids.push(row!.id);
        }
        const manual = scenario.kpis.flatMap((k, i) => (k.rollup === 'manual' ? [ids[i]!] : []));
        if (manual.length === 0) return;
        const pick = (k: number) => manual[k % manual.length]!;
        if (scenario.initial.length > 0) {
          await db.insert(checkins).values(
            scenario.initial.map((c) => ({
              orgId: org.id,
              kpiId: pick(c.k),
              observedOn: dayOf(c.day),
              value: c.value,
            })),
          );
        }
        await withOrgTx(org.id, async (tx) => {
          await lockOrgCascade(tx, org.id);
          await rebuildOrgPeriodValues(tx, org.id, scenario.fyStartMonth);
        });
        await assertVerified(orgRef, 'the rebuild');

        for (const [b, batch] of scenario.batches.entries()) {
          const items: DifferenceItem[] = batch.map((c) => ({
            kpiId: c.anyKpi ? ids[c.k % ids.length]! : pick(c.k),
            observedOn: dayOf(c.day),
            value: c.value,
          }));
          const before = await periodValues(org.id);
          const [eventsBefore] = await execRows<{ n: number }>(
            db,
            sql`select count(*)::int as n from kpi_value_events where org_id = ${org.id}::uuid`,
          );
          const ok = await withOrgTx(org.id, async (tx) => {
            await lockOrgCascade(tx, org.id);
            await tx.insert(checkins).values(items.map((c) => ({ orgId: org.id, ...c })));
            const [row] = await execRows<{ ok: boolean }>(
              tx,
              rollupByDifferenceSql(org.id, items, scenario.fyStartMonth),
            );
            if (!row?.ok) throw new Refused(); // the check-ins go too: nothing of the batch stays
            return true;
          }).catch((e: unknown) => {
            if (e instanceof Refused) return false;
            throw e;
          });
          const after = await periodValues(org.id);
          if (!ok) {
            tally.refused += 1;
            expect(after).toEqual(before);
            continue;
          }
          tally.applied += 1;
          await assertVerified(orgRef, `batch ${b} ${JSON.stringify(items)}`);
          // One outbox row per (KPI, period) whose value changed, old before and new after.
          const old = new Map(before.map((r) => [`${r.kpi_id}|${r.period_start}`, r.value]));
          const changed = after.filter(
            (r) => !new Dec(old.get(`${r.kpi_id}|${r.period_start}`) ?? 'NaN').eq(new Dec(r.value)),
          );
          tally.changedRows += changed.length;
          const events = await execRows<{
            kpi_id: string;
            period_start: string;
            old_value: string | null;
            new_value: string;
          }>(
            db,
            sql`select kpi_id, period_start::text, old_value::text, new_value::text
                  from kpi_value_events where org_id = ${org.id}::uuid
                 order by seq offset ${eventsBefore!.n}`,
          );
          expect(
            events
              .map((e) => `${e.kpi_id}|${e.period_start}|${norm(e.old_value)}|${norm(e.new_value)}`)
              .sort(),
          ).toEqual(
            changed
              .map((r) => {
                const was = old.get(`${r.kpi_id}|${r.period_start}`) ?? null;
                return `${r.kpi_id}|${r.period_start}|${norm(was)}|${norm(r.value)}`;
              })
              .sort(),
          );
        }
      }),
      { numRuns: 60, seed: 2112, endOnFailure: true },
    );
  }, 600_000);

  it('never reaches another org: a KPI of another org is refused and nothing changes', async () => {
    const a = await createTestOrg();
    const b = await createTestOrg();
    const db = await getOwnerDb();
    const [kpi] = await db
      .insert(kpis)
      .values({
        orgId: b.org.id,
        name: 'B',
        unitId: b.rootUnitId,
        measureUnit: 'count',
        direction: 'increase',
        cadence: 'month',
        timeAggregation: 'sum',
      })
      .returning({ id: kpis.id });
    const item = { kpiId: kpi!.id, observedOn: '2025-03-04', value: '5' };
    for (const orgId of [a.org.id, b.org.id]) {
      const [row] = await withOrgTx(orgId, (tx) =>
        execRows<{ ok: boolean }>(tx, rollupByDifferenceSql(a.org.id, [item], 1)),
      );
      expect(row?.ok).toBe(false);
    }
    const rows = await db.select().from(kpiPeriodValues).where(eq(kpiPeriodValues.kpiId, kpi!.id));
    expect(rows).toEqual([]);
    const events = await db
      .select()
      .from(kpiValueEvents)
      .where(and(eq(kpiValueEvents.orgId, a.org.id)));
    expect(events).toEqual([]);
  });

  it('divides as the TypeScript engine rounds (kpi_div_round = roundValue of a Decimal quotient)', async () => {
    const db = await getOwnerDb();
    const cases: [string, string][] = [
      ['1', '3'],
      ['2', '3'],
      ['-2', '3'],
      ['1', '7'],
      ['0.00000000005', '1'],
      ['-0.00000000005', '1'],
      ['0.000000000049999999999', '1'],
      ['123456789012345678.1234567891', '0.07'],
      ['99999999999999999999999999.9999999999', '3.000001'],
      ['1', '3000000000000000000000000'],
      ['0', '5'],
    ];
    const rng = fc.sample(fc.tuple(decimalArb, weightArb, fc.integer({ min: 1, max: 40 })), {
      numRuns: 300,
      seed: 7,
    });
    for (const [a, w, n] of rng)
      cases.push([new Dec(a).times(w).toFixed(), new Dec(w).times(n).toFixed()]);
    const rows = await execRows<{ q: string }>(
      db,
      sql`select kpi_div_round(a, b)::text as q
            from json_to_recordset(${JSON.stringify(cases.map(([a, b]) => ({ a, b })))}::json)
              as x(a numeric, b numeric)`,
    );
    expect(rows.map((r) => norm(r.q))).toEqual(
      cases.map(([a, b]) => roundValue(new Dec(a).div(new Dec(b)))),
    );
  });

  it('a level KPI takes its newest check-in, a complete tie going to the greatest id', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const db = await getOwnerDb();
    const make = async (name: string, v: Partial<typeof kpis.$inferInsert>) => {
      const [row] = await db
        .insert(kpis)
        .values({
          orgId: org.id,
          name,
          unitId: rootUnitId,
          measureUnit: 'count',
          direction: 'increase',
          cadence: 'month',
          timeAggregation: 'last',
          ...v,
        })
        .returning({ id: kpis.id });
      return row!.id;
    };
    const top = await make('top', { rollup: 'max' });
    const level = await make('level', { parentId: top });
    await make('other', { parentId: top });
    const orgRef = { id: org.id, slug: org.slug, fyStartMonth: 1 };
    // Same date, same transaction (same created_at): the greater id wins, whatever the order.
    const [low, high] = [randomUUID(), randomUUID()].sort();
    const items = [
      { id: high!, value: '30' },
      { id: low!, value: '10' },
    ];
    const ok = await withOrgTx(org.id, async (tx) => {
      await lockOrgCascade(tx, org.id);
      await tx
        .insert(checkins)
        .values(
          items.map((c) => ({ orgId: org.id, kpiId: level, observedOn: '2025-04-05', ...c })),
        );
      const list = items.map((c) => ({ kpiId: level, observedOn: '2025-04-05', value: c.value }));
      const [row] = await execRows<{ ok: boolean }>(tx, rollupByDifferenceSql(org.id, list, 1));
      return row?.ok;
    });
    expect(ok).toBe(true);
    await assertVerified(orgRef, 'the tie');
    const values = await periodValues(org.id);
    expect(values.find((v) => v.kpi_id === level)?.value).toBe('30');
    expect(values.find((v) => v.kpi_id === top)?.value).toBe('30');
  });

  it('refuses a state that does not give the stored value (a writer that did not keep it)', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const db = await getOwnerDb();
    const [leaf] = await db
      .insert(kpis)
      .values({
        orgId: org.id,
        name: 'rate',
        unitId: rootUnitId,
        measureUnit: 'count',
        direction: 'increase',
        cadence: 'month',
        timeAggregation: 'average',
      })
      .returning({ id: kpis.id });
    await db.insert(checkins).values([
      { orgId: org.id, kpiId: leaf!.id, observedOn: '2025-03-02', value: '4' },
      { orgId: org.id, kpiId: leaf!.id, observedOn: '2025-03-09', value: '6' },
    ]);
    await withOrgTx(org.id, async (tx) => {
      await lockOrgCascade(tx, org.id);
      await rebuildOrgPeriodValues(tx, org.id, 1);
    });
    // An older writer changed the value and left the state: 5 = (4 + 6) / 2 no longer holds.
    await db.update(kpiPeriodValues).set({ value: '7' }).where(eq(kpiPeriodValues.kpiId, leaf!.id));
    const before = await periodValues(org.id);
    const [row] = await withOrgTx(org.id, (tx) =>
      execRows<{ ok: boolean }>(
        tx,
        rollupByDifferenceSql(
          org.id,
          [{ kpiId: leaf!.id, observedOn: '2025-03-20', value: '8' }],
          1,
        ),
      ),
    );
    expect(row?.ok).toBe(false);
    expect(await periodValues(org.id)).toEqual(before);
  });

  it('a check-in on a stale state is retried through the full recompute, and is exact', async () => {
    const { org, owner, rootUnitId } = await createTestOrg();
    const db = await getOwnerDb();
    const [leaf] = await db
      .insert(kpis)
      .values({
        orgId: org.id,
        name: 'rate',
        unitId: rootUnitId,
        ownerUserId: owner.userId,
        measureUnit: 'count',
        direction: 'increase',
        cadence: 'month',
        timeAggregation: 'average',
      })
      .returning({ id: kpis.id });
    const ctx = await contextFor(owner, org.slug);
    for (const value of ['4', '6']) {
      await recordCheckin(ctx, { kpiId: leaf!.id, observedOn: '2025-03-02', value });
    }
    // An older writer left the state behind: the server refuses the chain, the group is retried.
    await db
      .update(kpiPeriodValues)
      .set({ stateSum: '1' })
      .where(eq(kpiPeriodValues.kpiId, leaf!.id));
    const [outcome] = await recordTogether(ctx, [
      { ctx, input: { kpiId: leaf!.id, observedOn: '2025-03-20', value: '8' } },
    ]);
    expect(outcome && 'dto' in outcome).toBe(true);
    await assertVerified({ id: org.id, slug: org.slug, fyStartMonth: 1 }, 'the retry');
    const values = await periodValues(org.id);
    expect(values.map((v) => [v.value, v.state_sum])).toEqual([['6', '18']]);
  });

  it('backfills the state of existing values as the engine computes it', async () => {
    const { org, rootUnitId } = await createTestOrg({ fyStartMonth: 4 });
    const db = await getOwnerDb();
    const make = async (name: string, v: Partial<typeof kpis.$inferInsert>) => {
      const [row] = await db
        .insert(kpis)
        .values({
          orgId: org.id,
          name,
          unitId: rootUnitId,
          measureUnit: 'count',
          direction: 'increase',
          cadence: 'month',
          timeAggregation: 'sum',
          ...v,
        })
        .returning({ id: kpis.id });
      return row!.id;
    };
    const top = await make('top', { rollup: 'weighted_average', cadence: 'year' });
    const avg = await make('avg', {
      rollup: 'average',
      cadence: 'quarter',
      parentId: top,
      weight: '2.5',
    });
    const leafA = await make('a', { timeAggregation: 'average', parentId: avg });
    const leafB = await make('b', { timeAggregation: 'last', parentId: avg });
    const leafC = await make('c', {
      timeAggregation: 'sum',
      parentId: top,
      cadence: 'quarter',
      weight: '0.75',
    });
    const values: [string, string, string][] = [
      [leafA, '2025-04-03', '10'],
      [leafA, '2025-04-20', '11.5'],
      [leafA, '2025-05-02', '-3'],
      [leafB, '2025-04-09', '7'],
      [leafB, '2025-06-09', '8.25'],
      [leafC, '2025-05-09', '100'],
      [leafC, '2025-08-09', '1'],
    ];
    await db
      .insert(checkins)
      .values(
        values.map(([kpiId, observedOn, value]) => ({ orgId: org.id, kpiId, observedOn, value })),
      );
    await withOrgTx(org.id, async (tx) => {
      await lockOrgCascade(tx, org.id);
      await rebuildOrgPeriodValues(tx, org.id, 4);
    });
    const orgRef = { id: org.id, slug: org.slug, fyStartMonth: 4 };
    await assertVerified(orgRef, 'the rebuild');
    const withState = await periodValues(org.id);
    // leaf a's two months, the average's quarter and the weighted average's year
    expect(withState.filter((r) => r.state_sum !== null)).toHaveLength(4);

    await db
      .update(kpiPeriodValues)
      .set({ stateSum: null, stateWeight: null })
      .where(eq(kpiPeriodValues.orgId, org.id));
    const { drifts } = await verifyOrganization(orgRef);
    expect(drifts.some((d) => d.kind === 'state')).toBe(true);

    // The migration's backfill statements, as written there.
    const migration = readFileSync('db/migrations/0028_rollup_state.sql', 'utf8');
    const backfills = migration
      .split('--> statement-breakpoint')
      .filter((s) => /^-- Backfill/m.test(s));
    expect(backfills).toHaveLength(2);
    for (const statement of backfills) await db.execute(sql.raw(statement));
    await assertVerified(orgRef, 'the backfill');
    expect(await periodValues(org.id)).toEqual(withState);
  });
});

class Refused extends Error {}

function norm(v: string | null): string | null {
  return v === null ? null : new Dec(v).toFixed();
}
