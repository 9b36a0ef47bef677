/*
 * Pulls from a SQL source (issue 23, item 3), imported by notifications.int.test.ts so they run
 * in that file's sequence: the scheduled pulls are a job that serves every organization of the
 * database. The source is a SECOND real database on the same server, read through a role that
 * may only SELECT from a view and is read-only by default (e2e/sql-source-db.ts).
 */
import { randomBytes } from 'node:crypto';
import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDbHandle, getOwnerDb } from '@/db/client';
import { auditLog, checkins, kpiSqlPulls, sqlPullRuns, sqlSources } from '@/db/schema';
import { recordCheckinAction } from '@/lib/actions/checkins';
import {
  createSqlSourceAction,
  deleteKpiSqlPullAction,
  deleteSqlSourceAction,
  previewKpiSqlPullAction,
  runKpiSqlPullAction,
  saveKpiSqlPullAction,
} from '@/lib/actions/sql-sources';
import { getKpiSqlPull } from '@/lib/dal/sql-sources/pulls';
import { listSqlSources } from '@/lib/dal/sql-sources/sources';
import { sqlPullsJob } from '@/lib/jobs/handlers/sql-pulls';
import { openSecret, sealSecret } from '@/lib/security/secret-box';
import { secretKeyFor } from '@/lib/security/secret-key';
import { createSourceDatabase, type SourceDatabase } from '../../e2e/sql-source-db';
import { as, contextFor, expectNoDrift, must, refused, valuesOf } from './cascade-helpers';
import { addTestMember, createTestKpi, createTestOrg } from './factories';
import { thisFileScope } from './job-scope';
import { realPostgres } from './real-postgres';

const ROWS = [
  ['2026-01-31', '100'],
  ['2026-02-28', '120.5'],
  ['2026-03-31', '130'],
] as const;
const QUERY = 'select day, amount from kpi_values order by day';
const config = {
  from: 'x@kpi.test',
  appUrl: 'http://kpi.test',
  secret: 'sql-pulls-test-secret-0123456789abcdef',
};

describe.runIf(realPostgres)('pulls from a SQL source (issue 23)', () => {
  let source: SourceDatabase;
  let orgIds: string[] = [];

  beforeAll(async () => {
    await getDbHandle();
    source = await createSourceDatabase(process.env.TEST_DATABASE_URL!, ROWS);
  }, 60_000);

  afterAll(async () => {
    // Nothing of these organizations stays due for the jobs of the suites that follow.
    if (orgIds.length > 0) {
      await (await getOwnerDb()).delete(kpiSqlPulls).where(inArray(kpiSqlPulls.orgId, orgIds));
    }
    await source?.drop();
  });

  /** An organization with the source registered and a monthly level KPI (`last`). */
  async function scenario(over: Record<string, unknown> = {}) {
    const { org, owner, rootUnitId } = await createTestOrg();
    orgIds = [...orgIds, org.id];
    const registered = await as(owner, async () =>
      must(await createSqlSourceAction(org.slug, { name: 'Warehouse', url: source.readerUrl })),
    );
    const kpi = await createTestKpi(owner, org.slug, rootUnitId, {
      name: 'Active customers',
      timeAggregation: 'last',
      ...over,
    });
    const act = <T>(fn: () => Promise<T>) => as(owner, fn);
    /** Saves the KPI's pull (as the owner), failing the test if it is refused. */
    const savePull = async (query: string, schedule: 'hourly' | 'daily' | 'weekly') =>
      must(
        await act(() =>
          saveKpiSqlPullAction(org.slug, {
            kpiId: kpi.id,
            sourceId: registered.id,
            query,
            schedule,
          }),
        ),
      );
    /** "Pull now" (as the owner): what the pull did. */
    const pullNow = async () =>
      must(await act(() => runKpiSqlPullAction(org.slug, { kpiId: kpi.id })));
    return { org, owner, rootUnitId, sourceId: registered.id, kpi, act, savePull, pullNow };
  }

  async function readingsOf(kpiId: string) {
    const db = await getOwnerDb();
    return db
      .select({
        id: checkins.id,
        observedOn: checkins.observedOn,
        value: checkins.value,
        version: checkins.version,
        source: checkins.source,
      })
      .from(checkins)
      .where(eq(checkins.kpiId, kpiId))
      .orderBy(asc(checkins.observedOn), asc(checkins.id));
  }

  async function auditCount(orgId: string) {
    const db = await getOwnerDb();
    const [row] = await db.select({ n: count() }).from(auditLog).where(eq(auditLog.orgId, orgId));
    return row!.n;
  }

  async function runsOf(kpiId: string) {
    const db = await getOwnerDb();
    return db
      .select({
        status: sqlPullRuns.status,
        rowsRead: sqlPullRuns.rowsRead,
        rowsWritten: sqlPullRuns.rowsWritten,
        error: sqlPullRuns.error,
        trigger: sqlPullRuns.trigger,
      })
      .from(sqlPullRuns)
      .where(eq(sqlPullRuns.kpiId, kpiId))
      .orderBy(desc(sqlPullRuns.finishedAt), desc(sqlPullRuns.id));
  }

  it('registers a source only after a successful test; the URL is sealed, host and database shown', async () => {
    const { org, owner } = await createTestOrg();
    orgIds = [...orgIds, org.id];
    const wrongDb = new URL(source.readerUrl);
    wrongDb.pathname = '/kpi_source_missing';
    const closed = new URL(source.readerUrl);
    closed.port = '1';
    await as(owner, async () => {
      for (const url of [wrongDb.toString(), closed.toString()]) {
        const error = refused(await createSqlSourceAction(org.slug, { name: 'Broken', url }));
        expect(error.code).toBe('VALIDATION');
        expect(error.fieldErrors?.url?.[0]).toMatch(/^The connection test failed: /);
      }
      const bad = refused(
        await createSqlSourceAction(org.slug, { name: 'Broken', url: 'mysql://a@b/c' }),
      );
      expect(bad.fieldErrors?.url?.[0]).toContain('postgres://');
    });
    const db = await getOwnerDb();
    expect(await db.select().from(sqlSources).where(eq(sqlSources.orgId, org.id))).toEqual([]);

    const saved = await as(owner, async () =>
      must(await createSqlSourceAction(org.slug, { name: 'Warehouse', url: source.readerUrl })),
    );
    const dbName = new URL(source.readerUrl).pathname.slice(1);
    expect(saved).toMatchObject({ name: 'Warehouse', host: '127.0.0.1', database: dbName });
    expect(Object.keys(saved).sort()).toEqual(['createdAt', 'database', 'host', 'id', 'name']);
    const [row] = await db.select().from(sqlSources).where(eq(sqlSources.id, saved.id));
    const password = new URL(source.readerUrl).password;
    expect(row!.urlEncrypted).not.toContain(password);
    expect(openSecret(row!.urlEncrypted, secretKeyFor('integrations'))).toBe(source.readerUrl);
    const listed = await listSqlSources(await contextFor(owner, org.slug));
    expect(listed.map((s) => s.name)).toEqual(['Warehouse']);
    expect(JSON.stringify(listed)).not.toContain(password);

    const again = await as(owner, async () =>
      refused(await createSqlSourceAction(org.slug, { name: 'Warehouse', url: source.readerUrl })),
    );
    expect(again.fieldErrors?.name).toEqual(['A source with this name already exists']);
  });

  it('previews a query: its first rows and every problem, writing nothing', async () => {
    const { org, sourceId, kpi, act } = await scenario();
    const preview = (query: string) =>
      act(async () => previewKpiSqlPullAction(org.slug, { kpiId: kpi.id, sourceId, query }));
    const good = must(await preview(QUERY));
    expect(good).toEqual({
      rowCount: 3,
      rows: ROWS.map(([observedOn, value]) => ({ observedOn, value })),
      problems: [],
    });
    const problems = async (query: string) => must(await preview(query)).problems;
    expect(
      await problems(`${QUERY.replace('order by day', '')} union all select '2026-01-31', 1`),
    ).toEqual(['Row 4: 2026-01-31 is also on row 1: return one row a date.']);
    expect(await problems("select day::text || 'x', amount from kpi_values")).toHaveLength(3);
    expect((await problems("select day, amount::text || 'x' from kpi_values"))[0]).toContain(
      'is not a value',
    );
    expect(await problems('select day, amount, 1 from kpi_values')).toEqual([
      'The query must return two columns, a date and a value (it returns 3).',
    ]);
    const syntax = refused(await preview('selec day, amount from kpi_values'));
    expect(syntax.code).toBe('VALIDATION');
    expect(syntax.fieldErrors?.query?.[0]).toContain('syntax error');
    expect(await readingsOf(kpi.id)).toEqual([]);
  });

  it('pulls through the job; a re-pull changes nothing; a changed value corrects its date', async () => {
    const { org, owner, kpi, savePull, pullNow } = await scenario();
    await savePull(QUERY, 'daily');
    const ran = (await sqlPullsJob.run(new Date(), config, thisFileScope())) as {
      pulled: number;
      failed: number;
    };
    expect(ran.pulled).toBeGreaterThanOrEqual(1);
    const first = await readingsOf(kpi.id);
    expect(first.map((r) => [r.observedOn, r.value, r.source, r.version])).toEqual([
      ['2026-01-31', '100.000000', 'sql', 1],
      ['2026-02-28', '120.500000', 'sql', 1],
      ['2026-03-31', '130.000000', 'sql', 1],
    ]);
    expect(await valuesOf(org.id, kpi.id)).toMatchObject({
      '2026-01-01': '100',
      '2026-02-01': '120.5',
      '2026-03-01': '130',
    });
    expect(await runsOf(kpi.id)).toEqual([
      { status: 'ok', rowsRead: 3, rowsWritten: 3, error: null, trigger: 'schedule' },
    ]);
    // Claimed: not due again before its next day.
    await sqlPullsJob.run(new Date(), config, thisFileScope());
    expect(await runsOf(kpi.id)).toHaveLength(1);

    // The same rows again: nothing changes, no audit record.
    const audits = await auditCount(org.id);
    const again = await pullNow();
    expect(again).toEqual({ status: 'ok', rowsRead: 3, rowsWritten: 0, error: null });
    expect(await readingsOf(kpi.id)).toEqual(first);
    expect(await auditCount(org.id)).toBe(audits);

    // A changed value corrects the reading of its date in place (versioned, audited).
    await source.exec(`update daily_amounts set amount = 125 where day = '2026-02-28'`);
    try {
      const changed = await pullNow();
      expect(changed).toMatchObject({ status: 'ok', rowsRead: 3, rowsWritten: 1 });
    } finally {
      await source.exec(`update daily_amounts set amount = 120.5 where day = '2026-02-28'`);
    }
    const corrected = await readingsOf(kpi.id);
    expect(corrected[1]).toEqual({ ...first[1]!, value: '125.000000', version: 2 });
    expect(corrected[0]).toEqual(first[0]);
    expect((await valuesOf(org.id, kpi.id))['2026-02-01']).toBe('125');
    const db = await getOwnerDb();
    const updates = await db
      .select({ before: auditLog.before, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, 'checkin.update')));
    expect(updates).toHaveLength(1);
    expect(updates[0]!.before).toMatchObject({ value: '120.5', source: 'sql' });
    expect(updates[0]!.after).toMatchObject({ value: '125', source: 'sql' });
    await expectNoDrift(org.id);

    const pull = await getKpiSqlPull(await contextFor(owner, org.slug), kpi.id);
    expect(pull?.lastRun).toMatchObject({ status: 'ok', rowsWritten: 1, trigger: 'manual' });
  });

  it("a flow's pull corrects only its own readings: pulled twice, counted once", async () => {
    const { org, owner, kpi, act, savePull, pullNow } = await scenario({ timeAggregation: 'sum' });
    // A hand-recorded entry on a pulled date adds to the month; the pull never touches it.
    await act(async () =>
      must(
        await recordCheckinAction(org.slug, {
          kpiId: kpi.id,
          observedOn: '2026-01-31',
          value: '5',
        }),
      ),
    );
    await savePull(QUERY, 'weekly');
    for (let i = 0; i < 2; i += 1) {
      await pullNow();
    }
    const readings = await readingsOf(kpi.id);
    expect(readings.map((r) => `${r.observedOn} ${r.source} ${r.value}`).sort()).toEqual([
      '2026-01-31 manual 5.000000',
      '2026-01-31 sql 100.000000',
      '2026-02-28 sql 120.500000',
      '2026-03-31 sql 130.000000',
    ]);
    expect((await valuesOf(org.id, kpi.id))['2026-01-01']).toBe('105');
    // Stopping the pull keeps its values and its log.
    must(await as(owner, () => deleteKpiSqlPullAction(org.slug, { kpiId: kpi.id })));
    expect(await readingsOf(kpi.id)).toHaveLength(4);
    expect(await runsOf(kpi.id)).toHaveLength(2);
  });

  describe('a failing pull writes nothing and is logged', () => {
    it.each([
      ['a syntax error', 'selec day, amount from kpi_values', 'syntax error'],
      [
        'too many rows',
        "select d::date, 1 from generate_series('1990-01-01'::date, '2020-01-01'::date, '1 day') d",
        'more than 10,000 rows',
      ],
      [
        'a second statement',
        'select day, amount from kpi_values; delete from daily_amounts',
        'one query only',
      ],
      ['a delete', 'delete from daily_amounts returning day, amount', 'syntax error'],
      [
        'a delete in a WITH',
        'with gone as (delete from daily_amounts returning day, amount) select * from gone',
        'data-modifying statement',
      ],
      [
        'a timeout',
        'select day, amount from kpi_values, pg_sleep(11) as s(x)',
        'longer than 10 seconds',
      ],
      [
        'a value the KPI refuses, after a correction of another date',
        "select day, case when day = '2026-01-31' then 101 else amount end from kpi_values union all select '2026-04-30', 5000",
        'must be at most 1,000',
      ],
    ])('%s', { timeout: 60_000 }, async (_what, query, message) => {
      const { org, owner, sourceId, kpi, act, savePull, pullNow } = await scenario({
        validMax: '1000',
      });
      await savePull(QUERY, 'hourly');
      await pullNow();
      const before = await readingsOf(kpi.id);
      const values = await valuesOf(org.id, kpi.id);
      const audits = await auditCount(org.id);
      await savePull(query, 'hourly');
      const outcome = await pullNow();
      expect(outcome.status).toBe('failed');
      expect(outcome.rowsWritten).toBe(0);
      expect(outcome.error).toContain(message);
      expect(await readingsOf(kpi.id)).toEqual(before);
      expect(await valuesOf(org.id, kpi.id)).toEqual(values);
      expect(await auditCount(org.id)).toBe(audits + 1); // the pull's save, nothing else
      const [last] = await runsOf(kpi.id);
      expect(last).toMatchObject({ status: 'failed', rowsWritten: 0, trigger: 'manual' });
      expect(last!.error).toContain(message);
      const pull = await getKpiSqlPull(await contextFor(owner, org.slug), kpi.id);
      expect(pull?.lastRun?.status).toBe('failed');
      // The source still holds its rows (the read-only role and transaction wrote nothing).
      const rows = must(
        await act(() =>
          previewKpiSqlPullAction(org.slug, { kpiId: kpi.id, sourceId, query: QUERY }),
        ),
      );
      expect(rows.rowCount).toBe(3);
    });
  });

  it('a URL sealed under another key fails the pull, saying so, and writes nothing', async () => {
    const { sourceId, kpi, savePull, pullNow } = await scenario();
    await savePull(QUERY, 'daily');
    await (
      await getOwnerDb()
    )
      .update(sqlSources)
      .set({ urlEncrypted: sealSecret(source.readerUrl, randomBytes(32)) })
      .where(eq(sqlSources.id, sourceId));
    const outcome = await pullNow();
    expect(outcome.status).toBe('failed');
    expect(outcome.error).toContain('cannot be read');
    expect(await readingsOf(kpi.id)).toEqual([]);
  });

  it("another organization's source and KPI look missing; members may not register sources", async () => {
    const a = await scenario();
    const b = await scenario();
    const member = await addTestMember(a.org.id, { role: 'member', homeUnitId: a.rootUnitId });
    await as(b.owner, async () => {
      expect(refused(await deleteSqlSourceAction(b.org.slug, { sourceId: a.sourceId })).code).toBe(
        'NOT_FOUND',
      );
      const foreignSource = refused(
        await saveKpiSqlPullAction(b.org.slug, {
          kpiId: b.kpi.id,
          sourceId: a.sourceId,
          query: QUERY,
          schedule: 'daily',
        }),
      );
      expect(foreignSource.code).toBe('NOT_FOUND');
      const foreignKpi = refused(
        await previewKpiSqlPullAction(b.org.slug, {
          kpiId: a.kpi.id,
          sourceId: b.sourceId,
          query: QUERY,
        }),
      );
      expect(foreignKpi.code).toBe('NOT_FOUND');
    });
    await as(member, async () => {
      const error = refused(
        await createSqlSourceAction(a.org.slug, { name: 'Mine', url: source.readerUrl }),
      );
      expect(error.code).toBe('FORBIDDEN');
    });
    const db = await getOwnerDb();
    expect(await db.select().from(kpiSqlPulls).where(eq(kpiSqlPulls.orgId, b.org.id))).toEqual([]);
    expect(
      await db.select({ id: sqlSources.id }).from(sqlSources).where(eq(sqlSources.orgId, a.org.id)),
    ).toHaveLength(1);
  });
});
