import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { execRows, getOwnerDb } from '@/db/client';

/*
 * Keeps docs/scaling.md true: the schema distributes by org_id (Citus). Every table with an
 * org_id leads a primary key or unique index with it (what Citus needs of a distributed table),
 * every foreign key between two such tables includes org_id (co-located joins), and the tables
 * without one are exactly the person and pre-organization tables the plan names.
 */

/** Tables with an org_id that the plan makes reference tables instead (docs/scaling.md). */
const REFERENCE_TABLES_WITH_ORG = ['org_sso_domains'];

/** Tables without org_id: the tenant root, the person tables, the pre-organization limits. */
const TABLES_WITHOUT_ORG = [
  'auth_tokens',
  'organizations',
  'rate_limits',
  'sign_in_attempts',
  'user_recovery_codes',
  'user_sessions',
  'user_totp',
  'users',
];

async function rows<T extends Record<string, unknown>>(query: ReturnType<typeof sql>) {
  return execRows<T>(await getOwnerDb(), query);
}

describe('tenant keys (the plan to distribute by organization)', () => {
  it('every table with org_id leads its primary key or a unique index with it', async () => {
    const found = await rows<{ table: string; led: boolean }>(sql`
      select c.relname as table,
        coalesce(bool_or((i.indisprimary or i.indisunique) and a.attname = 'org_id'), false) as led
      from pg_class c
      left join pg_index i on i.indrelid = c.oid
      left join pg_attribute a on a.attrelid = c.oid and a.attnum = i.indkey[0]
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
        and exists (select 1 from pg_attribute o
                    where o.attrelid = c.oid and o.attname = 'org_id' and not o.attisdropped)
      group by c.relname order by c.relname`);
    expect(found.length).toBeGreaterThan(20);
    const distributed = found.filter((t) => !REFERENCE_TABLES_WITH_ORG.includes(t.table));
    expect(distributed.filter((t) => !t.led).map((t) => t.table)).toEqual([]);
  });

  it('every foreign key between two tenant tables includes org_id', async () => {
    const loose = await rows<{ name: string }>(sql`
      select c.conname as name
      from pg_constraint c
      where c.contype = 'f' and c.connamespace = 'public'::regnamespace
        and exists (select 1 from pg_attribute a where a.attrelid = c.conrelid and a.attname = 'org_id')
        and exists (select 1 from pg_attribute a where a.attrelid = c.confrelid and a.attname = 'org_id')
        and not exists (
          select 1 from unnest(c.conkey) k
          join pg_attribute a on a.attrelid = c.conrelid and a.attnum = k
          where a.attname = 'org_id')
      order by 1`);
    expect(loose.map((r) => r.name)).toEqual([]);
  });

  it('the tables without org_id are exactly the ones the plan names, and the plan names every table', async () => {
    const without = await rows<{ table: string }>(sql`
      select c.relname as table from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
        and c.relname not like '\\_\\_%'
        and not exists (select 1 from pg_attribute o
                        where o.attrelid = c.oid and o.attname = 'org_id' and not o.attisdropped)
      order by 1`);
    expect(without.map((r) => r.table)).toEqual(TABLES_WITHOUT_ORG);
    const plan = readFileSync('docs/scaling.md', 'utf8');
    const all = await rows<{ table: string }>(sql`
      select c.relname as table from pg_class c
      where c.relnamespace = 'public'::regnamespace and c.relkind in ('r', 'p')
        and c.relname not like '\\_\\_%'`);
    expect(all.filter((r) => !plan.includes(`\`${r.table}\``)).map((r) => r.table)).toEqual([]);
  });
});
