// Defense in depth: row-level security on every tenant table, the least-privilege runtime role
// the app connects as, and the append-only audit log. Runs on the real server (TEST_DATABASE_URL,
// app as kpi_app) and on the embedded database (SET ROLE kpi_app) alike.
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { execRows, getDb, getOwnerDb, withOrgTx, withUserRead } from '@/db/client';
import { RUNTIME_ROLE, RUNTIME_ROLE_TIMEOUTS } from '@/db/runtime-role';
import { auditLog, kpis, units } from '@/db/schema';
import { runWithSession } from '@/lib/auth/session';
import { createUnitAction } from '@/lib/actions/units';
import { myOrganizationsQuery, type MyOrganization } from '@/lib/dal/memberships';
import { addTestMember, createTestOrg } from './factories';
import { realPostgres } from './real-postgres';

/** The error a failed statement reports (drizzle wraps the driver's error as its cause). */
async function failure(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (error) {
    const cause = (error as { cause?: { message?: string } }).cause;
    return `${(error as Error).message} ${cause?.message ?? ''}`;
  }
  throw new Error('expected the statement to fail');
}

async function orgIdTables(): Promise<string[]> {
  const rows = await execRows<{ name: string }>(
    await getOwnerDb(),
    sql`select c.relname as name from pg_class c
      join pg_namespace n on n.oid = c.relnamespace
      join pg_attribute a on a.attrelid = c.oid and a.attname = 'org_id' and not a.attisdropped
      where n.nspname = 'public' and c.relkind in ('r', 'p') order by 1`,
  );
  return rows.map((r) => r.name);
}

describe('row-level security: the catalog', () => {
  it('every table with org_id has row-level security enabled and forced, with policies on app.org_id', async () => {
    const tables = await orgIdTables();
    // Not vacuous: the tenant tables of the schema are all there.
    expect(tables).toEqual(
      expect.arrayContaining(['units', 'memberships', 'kpis', 'checkins', 'audit_log', 'api_keys']),
    );
    expect(tables.length).toBeGreaterThanOrEqual(14);
    const owner = await getOwnerDb();
    const problems: string[] = [];
    for (const table of tables) {
      const [flags] = await execRows<{ enabled: boolean; forced: boolean }>(
        owner,
        sql`select relrowsecurity as enabled, relforcerowsecurity as forced from pg_class
          where oid = ${`public.${table}`}::regclass`,
      );
      if (!flags?.enabled) problems.push(`${table}: row-level security not enabled`);
      if (!flags?.forced) problems.push(`${table}: row-level security not forced`);
      const policies = await execRows<{ name: string; cmd: string; qual: string | null; check: string | null }>(
        owner,
        sql`select policyname as name, cmd, qual, with_check as check from pg_policies
          where schemaname = 'public' and tablename = ${table}`,
      );
      const keyed = (expr: string | null) =>
        expr !== null && /org_id = \(?NULLIF\(current_setting\('app\.org_id'::text, true\), ''::text\)\)?::uuid/i.test(expr);
      const reads = policies.filter((p) => (p.cmd === 'SELECT' || p.cmd === 'ALL') && keyed(p.qual));
      const writes = policies.filter((p) => (p.cmd === 'INSERT' || p.cmd === 'ALL') && keyed(p.check));
      if (reads.length === 0) problems.push(`${table}: no read policy keyed on app.org_id`);
      if (writes.length === 0) problems.push(`${table}: no write policy keyed on app.org_id`);
      for (const p of policies) {
        const mentions = `${p.qual ?? ''} ${p.check ?? ''}`;
        if (!/current_setting\('app\.(org_id|user_id|token_hash|sso_domain)'::text, true\)/.test(mentions)) {
          problems.push(`${table}: policy ${p.name} is keyed on something else: ${mentions}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('the audit log has no policy that lets a row be updated or deleted', async () => {
    const rows = await execRows<{ cmd: string }>(
      await getOwnerDb(),
      sql`select cmd from pg_policies where schemaname = 'public' and tablename = 'audit_log'`,
    );
    expect(rows.map((r) => r.cmd).sort()).toEqual(['INSERT', 'SELECT']);
  });
});

describe('the runtime role', () => {
  it('is what the app connects as: not a superuser, not BYPASSRLS, owning nothing', async () => {
    const [me] = await execRows<{ user: string }>(await getDb(), sql`select current_user as user`);
    expect(me?.user).toBe(RUNTIME_ROLE);
    const [role] = await execRows<{
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
      owned: number;
    }>(
      await getOwnerDb(),
      sql`select rolsuper, rolbypassrls, rolcreaterole, rolcreatedb,
        (select count(*)::int from pg_class c where c.relowner = r.oid) as owned
        from pg_roles r where rolname = ${RUNTIME_ROLE}`,
    );
    expect(role).toEqual({
      rolsuper: false,
      rolbypassrls: false,
      rolcreaterole: false,
      rolcreatedb: false,
      owned: 0,
    });
  });

  it('runs with a statement, lock and idle-in-transaction timeout', async () => {
    const db = await getDb();
    const show = async (name: string) =>
      (await execRows<Record<string, string>>(db, sql.raw(`show ${name}`)))[0]?.[name];
    expect(await show('statement_timeout')).toBe(RUNTIME_ROLE_TIMEOUTS.statement_timeout);
    expect(await show('lock_timeout')).toBe(RUNTIME_ROLE_TIMEOUTS.lock_timeout);
    if (realPostgres) {
      // The embedded database leaves this one out: ending its only session would end it.
      expect(await show('idle_in_transaction_session_timeout')).toBe(
        RUNTIME_ROLE_TIMEOUTS.idle_in_transaction_session_timeout,
      );
    }
  });

  it.runIf(realPostgres)('cancels a statement that runs past the statement timeout', async () => {
    const db = await getDb();
    const message = await failure(() =>
      db.transaction(async (tx) => {
        await tx.execute(sql`set local statement_timeout = '200ms'`);
        await tx.execute(sql`select pg_sleep(2)`);
      }),
    );
    expect(message).toMatch(/statement timeout/);
  });

  it('may not truncate, create tables or change the schema', async () => {
    const { org } = await createTestOrg();
    const db = await getDb();
    expect(
      await failure(() => withOrgTx(org.id, (tx) => tx.execute(sql`truncate kpis`))),
    ).toMatch(/permission denied/);
    expect(
      await failure(() => db.execute(sql`create table public.rls_probe (id int)`)),
    ).toMatch(/permission denied/);
    expect(
      await failure(() => db.execute(sql`alter table kpis disable row level security`)),
    ).toMatch(/must be owner/);
  });
});

describe('row-level security: what the runtime role sees and may write', () => {
  it('with no organization set, reads return nothing and writes fail', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const db = await getDb();
    // The rows exist (the owner sees them) ...
    const owned = await execRows<{ n: number }>(
      await getOwnerDb(),
      sql`select count(*)::int as n from units where org_id = ${org.id}`,
    );
    expect(owned[0]?.n).toBe(1);
    // ... but the app's connection without app.org_id sees no tenant row at all.
    for (const table of await orgIdTables()) {
      const [row] = await execRows<{ n: number }>(
        db,
        sql.raw(`select count(*)::int as n from ${table}`),
      );
      expect(row?.n, table).toBe(0);
    }
    // An empty setting (what a session sees after a transaction that set it) is the same.
    await db.transaction(async (tx) => {
      await tx.execute(sql`select set_config('app.org_id', '', true)`);
      const rows = await tx.select({ id: units.id }).from(units);
      expect(rows).toEqual([]);
    });
    expect(
      await failure(() =>
        db.insert(units).values({ orgId: org.id, parentId: rootUnitId, kind: 'team', name: 'Sneaky' }),
      ),
    ).toMatch(/row-level security/);
    const updated = await db
      .update(units)
      .set({ name: 'Renamed' })
      .where(eq(units.orgId, org.id))
      .returning({ id: units.id });
    expect(updated).toEqual([]);
    const deleted = await db.execute(sql`delete from memberships where org_id = ${org.id}`);
    expect(deleted).toBeDefined();
    const [still] = await execRows<{ n: number }>(
      await getOwnerDb(),
      sql`select count(*)::int as n from memberships where org_id = ${org.id}`,
    );
    expect(still?.n).toBe(1);
  });

  it("with one organization set, another organization's rows are invisible and cannot be written or referenced", async () => {
    const a = await createTestOrg();
    const b = await createTestOrg();
    await withOrgTx(a.org.id, async (tx) => {
      const visible = await tx.select({ orgId: units.orgId }).from(units);
      expect(new Set(visible.map((r) => r.orgId))).toEqual(new Set([a.org.id]));
      // A row claiming the other organization is refused by the policy ...
      expect(
        await failure(() =>
          tx.transaction((sp) =>
            sp.insert(units).values({ orgId: b.org.id, parentId: b.rootUnitId, kind: 'team', name: 'X' }),
          ),
        ),
      ).toMatch(/row-level security/);
      // ... and a row of this organization pointing at the other's unit by the composite key.
      expect(
        await failure(() =>
          tx.transaction((sp) =>
            sp.insert(kpis).values({
              orgId: a.org.id,
              name: 'Cross-tenant KPI',
              unitId: b.rootUnitId,
              measureUnit: 'count',
              direction: 'increase',
              cadence: 'month',
              timeAggregation: 'sum',
            }),
          ),
        ),
      ).toMatch(/foreign key|kpis_unit_fk/);
      // Writing the other organization's audit trail is refused too.
      expect(
        await failure(() =>
          tx.transaction((sp) =>
            sp.insert(auditLog).values({
              orgId: b.org.id,
              action: 'forged',
              entityType: 'organization',
              entityId: b.org.id,
            }),
          ),
        ),
      ).toMatch(/row-level security/);
      const touched = await tx
        .update(units)
        .set({ name: 'Hijacked' })
        .where(eq(units.orgId, b.org.id))
        .returning({ id: units.id });
      expect(touched).toEqual([]);
    });
  });

  it("a person's own memberships are readable across organizations by app.user_id, nothing else", async () => {
    const a = await createTestOrg({ name: `Alpha ${randomUUID().slice(0, 6)}` });
    const b = await createTestOrg({ name: `Beta ${randomUUID().slice(0, 6)}` });
    const person = await addTestMember(a.org.id, { role: 'member', homeUnitId: a.rootUnitId });
    await (
      await getOwnerDb()
    ).execute(
      sql`insert into memberships (org_id, user_id, role, home_unit_id)
        values (${b.org.id}, ${person.userId}, 'admin', ${b.rootUnitId})`,
    );
    const mine = await withUserRead(person.userId, (tx) =>
      execRows<MyOrganization>(tx, myOrganizationsQuery(person.userId)),
    );
    expect(mine.map((o) => o.slug).sort()).toEqual([a.org.slug, b.org.slug].sort());
    await withUserRead(person.userId, async (tx) => {
      const others = await tx.execute(sql`select 1 from memberships where user_id <> ${person.userId}`);
      expect(Array.isArray(others) ? others : (others as { rows: unknown[] }).rows).toEqual([]);
      const unitsSeen = await tx.select({ id: units.id }).from(units);
      expect(unitsSeen).toEqual([]);
    });
  });
});

describe('the audit log is append-only', () => {
  it('the runtime role may insert and read it, never update, delete or truncate it', async () => {
    const { org, owner } = await createTestOrg();
    await withOrgTx(org.id, (tx) =>
      tx.insert(auditLog).values({
        orgId: org.id,
        actorUserId: owner.userId,
        action: 'probe',
        entityType: 'test',
        entityId: 'x',
      }),
    );
    const rows = await withOrgTx(org.id, (tx) =>
      tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.orgId, org.id)),
    );
    expect(rows.map((r) => r.action)).toContain('probe');
    for (const statement of [
      sql`update audit_log set action = 'rewritten' where org_id = ${org.id}`,
      sql`delete from audit_log where org_id = ${org.id}`,
      sql`truncate audit_log`,
    ]) {
      expect(await failure(() => withOrgTx(org.id, (tx) => tx.execute(statement)))).toMatch(
        /permission denied/,
      );
    }
    const after = await withOrgTx(org.id, (tx) =>
      tx.select({ action: auditLog.action }).from(auditLog).where(eq(auditLog.orgId, org.id)),
    );
    expect(after).toEqual(rows);
  });

  it('a refused server action is recorded, in its own transaction', async () => {
    const { org, rootUnitId } = await createTestOrg();
    const member = await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId });
    const result = await runWithSession(member, () =>
      createUnitAction(org.slug, { parentId: rootUnitId, kind: 'department', name: 'Not yours' }),
    );
    expect(result.ok).toBe(false);
    expect(result.ok ? null : result.error.code).toBe('FORBIDDEN');
    const denied = await (
      await getOwnerDb()
    )
      .select({ actor: auditLog.actorUserId, entityId: auditLog.entityId, after: auditLog.after })
      .from(auditLog)
      .where(and(eq(auditLog.orgId, org.id), eq(auditLog.action, 'authz.denied')));
    expect(denied).toHaveLength(1);
    expect(denied[0]).toMatchObject({ actor: member.userId, entityId: 'units.manage' });
    const created = await (
      await getOwnerDb()
    )
      .select({ id: units.id })
      .from(units)
      .where(and(eq(units.orgId, org.id), eq(units.name, 'Not yours')));
    expect(created).toEqual([]);
  });
});
