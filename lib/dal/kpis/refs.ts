import { and, eq, inArray } from 'drizzle-orm';
import { withOrgRead } from '@/db/client';
import { kpis } from '@/db/schema';
import { notFoundError } from '@/lib/errors';
import type { OrgContext } from '@/lib/server/org-context';
import { KPI_KEY_PATTERN } from '@/lib/validation/kpis';

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The ids of the KPIs `refs` name: ids pass through, KPI keys (`sales.new_mrr`) are looked up in
 * the org in one query; an unknown key maps to null. Visibility is checked by what follows (a key
 * of another org is simply unknown here). Tenant-scoped by ctx.org.id.
 */
export async function resolveKpiRefs(
  ctx: OrgContext,
  refs: readonly string[],
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  const keys: string[] = [];
  for (const ref of new Set(refs)) {
    if (UUID_PATTERN.test(ref)) out.set(ref, ref.toLowerCase());
    // Neither an id nor a key's shape (garbage, a NUL): unknown, without asking the database.
    else if (KPI_KEY_PATTERN.test(ref)) keys.push(ref);
    else out.set(ref, null);
  }
  if (keys.length > 0) {
    const rows = await withOrgRead(ctx.org.id, (db) =>
      db
        .select({ id: kpis.id, key: kpis.key })
        .from(kpis)
        .where(and(eq(kpis.orgId, ctx.org.id), inArray(kpis.key, keys))),
    );
    const byKey = new Map(rows.map((r) => [r.key, r.id]));
    for (const key of keys) out.set(key, byKey.get(key) ?? null);
  }
  return out;
}

/** The id of the KPI `ref` (an id or a key) names; NOT_FOUND for an unknown key. */
export async function resolveKpiRef(ctx: OrgContext, ref: string): Promise<string> {
  const id = (await resolveKpiRefs(ctx, [ref])).get(ref);
  if (!id) throw notFoundError();
  return id;
}

/**
 * The current version of a KPI of the org (null when there is none): what a client is told when
 * its write was refused for a stale version. Tenant-scoped by ctx.org.id.
 */
export async function getKpiVersion(ctx: OrgContext, kpiId: string): Promise<number | null> {
  const [row] = await withOrgRead(ctx.org.id, (db) =>
    db
      .select({ version: kpis.version })
      .from(kpis)
      .where(and(eq(kpis.orgId, ctx.org.id), eq(kpis.id, kpiId)))
      .limit(1),
  );
  return row?.version ?? null;
}
