// Check-in latency with its rollup through a depth-6 KPI chain: `DATABASE_URL=... npx tsx bench/checkin-latency.ts [count]`.
import { randomUUID } from 'node:crypto';
import { closeDb, getDbHandle, withOrgTx } from '@/db/client';
import { createAccountWithOrganization } from '@/lib/dal/accounts';
import { recordCheckin } from '@/lib/dal/record-checkin';
import { createKpi } from '@/lib/dal/kpis/create';
import { getMembershipBySlug } from '@/lib/dal/memberships';
import { verifyAllOrganizations } from '@/lib/dal/verify';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import type { OrgContext } from '@/lib/server/org-context';

const COUNT = Number(process.argv[2] ?? 500);
const WARMUP = 25;
const SIBLINGS_PER_LEVEL = 4;

function percentile(sorted: readonly number[], p: number): number {
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, index)] ?? Number.NaN;
}

async function main(): Promise<void> {
  const handle = await getDbHandle();
  if (handle.driver !== 'postgres') {
    console.warn(
      'DATABASE_URL is not set: measuring the embedded database, not a Postgres server.',
    );
  }
  const suffix = randomUUID().slice(0, 8);
  const { user, orgSlug } = await createAccountWithOrganization({
    name: 'Bench',
    email: `bench-${suffix}@example.test`,
    password: 'a long enough bench passphrase',
    orgName: `Bench ${suffix}`,
  });
  const claims = { userId: user.id, sessionVersion: user.sessionVersion };
  // What the action pipeline does per request: resolve the membership, then one tenant transaction.
  const contextFor = async (): Promise<OrgContext> => {
    const found = await getMembershipBySlug(claims, orgSlug);
    if (!found) throw new Error('bench org not found');
    return { ...found, requestId: randomUUID() };
  };
  const ctx = await contextFor();
  const rootUnitId = ctx.actor.homeUnitId;
  const today = todayInTimeZone(ctx.org.timeZone);

  // Depth 6: year <- year <- quarter <- quarter <- month <- month (leaf), all sums, with
  // siblings at every level that already hold a year of values.
  const cadences = ['year', 'year', 'quarter', 'quarter', 'month', 'month'] as const;
  const chain: string[] = [];
  for (const [depth, cadence] of cadences.entries()) {
    const leaf = depth === cadences.length - 1;
    const kpi = await withOrgTx(ctx.org.id, (tx) =>
      createKpi(ctx, tx, {
        name: `Level ${depth}`,
        unitId: rootUnitId,
        measureUnit: 'count',
        direction: 'increase',
        cadence,
        timeAggregation: 'sum',
        rollup: leaf ? 'manual' : 'sum',
        parentId: chain[depth - 1] ?? null,
        // One unit holds the whole bench tree: past the per-unit guard rail, on purpose.
        confirmOverLimit: true,
      }),
    );
    chain.push(kpi.id);
    const parentId = chain[depth - 1];
    if (!parentId) continue;
    for (let s = 0; s < SIBLINGS_PER_LEVEL; s += 1) {
      const sibling = await withOrgTx(ctx.org.id, (tx) =>
        createKpi(ctx, tx, {
          name: `Level ${depth} sibling ${s}`,
          unitId: rootUnitId,
          measureUnit: 'count',
          direction: 'increase',
          cadence: 'month',
          timeAggregation: 'sum',
          parentId,
          confirmOverLimit: true,
        }),
      );
      for (let m = 0; m < 12; m += 1) {
        await recordCheckin(ctx, {
          kpiId: sibling.id,
          observedOn: addDays(today, -30 * m),
          value: `${m + s}.5`,
        });
      }
    }
  }
  const leafId = chain[chain.length - 1] ?? '';

  const timings: number[] = [];
  const dalTimings: number[] = [];
  for (let i = 0; i < WARMUP + COUNT; i += 1) {
    const observedOn = addDays(today, -((i * 7) % 365));
    const value = `${(i % 97) + 1}.${String(i % 100).padStart(2, '0')}`;
    const started = performance.now();
    const requestCtx = await contextFor();
    const dalStarted = performance.now();
    // Arbitrary load values: confirmed, so none is refused as unusual (the check still reads).
    await recordCheckin(requestCtx, { kpiId: leafId, observedOn, value, confirmUnusual: true });
    const ended = performance.now();
    if (i >= WARMUP) {
      timings.push(ended - started);
      dalTimings.push(ended - dalStarted);
    }
  }

  const report = (label: string, values: number[]): void => {
    const sorted = [...values].sort((a, b) => a - b);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    console.log(
      `${label}: n=${values.length} p50=${percentile(sorted, 50).toFixed(2)} ms p95=${percentile(sorted, 95).toFixed(2)} ms ` +
        `mean=${mean.toFixed(2)} ms max=${(sorted[sorted.length - 1] ?? 0).toFixed(2)} ms (${(1000 / mean).toFixed(0)} check-ins/s sequential)`,
    );
  };
  console.log(
    `Depth-6 chain, ${SIBLINGS_PER_LEVEL} siblings with a year of values per level, ${handle.driver}.`,
  );
  report('check-in incl. org context (as the action)', timings);
  report('check-in transaction only (recordCheckin)', dalTimings);
  const verify = await verifyAllOrganizations({ orgIds: [ctx.org.id] });
  console.log(
    `db:verify on the bench org: ${verify.valuesChecked} values, ${verify.drifts.length} drifts.`,
  );
  await closeDb();
  if (verify.drifts.length > 0 || verify.errors.length > 0) process.exit(1);
}

await main();
