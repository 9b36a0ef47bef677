import { and, asc, eq } from 'drizzle-orm';
import { withOrgRead, withOrgTx, type Tx } from '@/db/client';
import { sqlSources } from '@/db/schema';
import { assertCan, type AuthzTarget } from '@/lib/authz/can';
import { notFoundError, validationError } from '@/lib/errors';
import { describeSourceUrl, SqlSourceError, testSqlSource } from '@/lib/integrations/sql-source';
import { openSecret, sealSecret } from '@/lib/security/secret-box';
import { secretKeyFor } from '@/lib/security/secret-key';
import type { OrgContext } from '@/lib/server/org-context';
import type { CreateSqlSourceInput, DeleteSqlSourceInput } from '@/lib/validation/sql-sources';
import { appendAudit } from '../audit';

/*
 * SQL sources, the admins' side: list, create (after the action has tested the connection),
 * delete. The connection URL is sealed with the `integrations` key and never read back out but
 * by a pull (getSqlSourceUrl); pages show its host and database only.
 */

/** A source as pages show it: never its URL. */
export type SqlSourceDto = {
  id: string;
  name: string;
  host: string;
  database: string;
  createdAt: string;
};

const columns = {
  id: sqlSources.id,
  name: sqlSources.name,
  host: sqlSources.host,
  database: sqlSources.database,
  createdAt: sqlSources.createdAt,
};

/**
 * The organization's sources, by name. Tenant: ctx.org. Permission: `settings.manage`, or
 * `kpis.write` on `forKpi` (the KPI page's source picker).
 */
export async function listSqlSources(
  ctx: OrgContext,
  forKpi?: AuthzTarget,
): Promise<SqlSourceDto[]> {
  if (forKpi) assertCan(ctx, 'kpis.write', forKpi);
  else assertCan(ctx, 'settings.manage');
  const rows = await withOrgRead(ctx.org.id, (db) =>
    db
      .select(columns)
      .from(sqlSources)
      .where(eq(sqlSources.orgId, ctx.org.id))
      .orderBy(asc(sqlSources.name), asc(sqlSources.id)),
  );
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/**
 * Saves a source whose URL the caller has tested; a name already used is refused (VALIDATION on
 * `name`). Audited without the URL. Tenant: ctx.org. Permission: `settings.manage`.
 */
export async function createSqlSource(
  ctx: OrgContext,
  tx: Tx,
  input: CreateSqlSourceInput,
): Promise<SqlSourceDto> {
  assertCan(ctx, 'settings.manage');
  const orgId = ctx.org.id;
  const [taken] = await tx
    .select({ id: sqlSources.id })
    .from(sqlSources)
    .where(and(eq(sqlSources.orgId, orgId), eq(sqlSources.name, input.name)));
  if (taken) {
    throw validationError('A source with this name already exists.', {
      name: ['A source with this name already exists'],
    });
  }
  const { host, database } = describeSourceUrl(input.url);
  const [row] = await tx
    .insert(sqlSources)
    .values({
      orgId,
      name: input.name,
      urlEncrypted: sealSecret(input.url, secretKeyFor('integrations')),
      host,
      database,
      createdByUserId: ctx.actor.userId,
    })
    .returning(columns);
  const dto = { ...row!, createdAt: row!.createdAt.toISOString() };
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'sql_source.create',
    entityType: 'sql_source',
    entityId: dto.id,
    after: { name: dto.name, host, database },
  });
  return dto;
}

/**
 * Tests a new source (connect, `select 1` read-only; outside any transaction of ours), then saves
 * it; a failed test is VALIDATION on `url` saying why, and nothing is saved. Tenant: ctx.org.
 * Permission: `settings.manage`.
 */
export async function registerSqlSource(
  ctx: OrgContext,
  input: CreateSqlSourceInput,
): Promise<SqlSourceDto> {
  assertCan(ctx, 'settings.manage');
  try {
    await testSqlSource(input.url);
  } catch (error) {
    if (!(error instanceof SqlSourceError)) throw error;
    const message = `The connection test failed: ${error.message}`;
    throw validationError(message, { url: [message] });
  }
  return withOrgTx(ctx.org.id, (tx) => createSqlSource(ctx, tx, input));
}

/**
 * Deletes a source with its KPIs' pulls and its pull log (the values pulled stay). Another
 * organization's source and a missing one are NOT_FOUND alike. Audited. Tenant: ctx.org.
 * Permission: `settings.manage`.
 */
export async function deleteSqlSource(
  ctx: OrgContext,
  tx: Tx,
  input: DeleteSqlSourceInput,
): Promise<{ id: string }> {
  assertCan(ctx, 'settings.manage');
  const orgId = ctx.org.id;
  const [row] = await tx
    .delete(sqlSources)
    .where(and(eq(sqlSources.orgId, orgId), eq(sqlSources.id, input.sourceId)))
    .returning(columns);
  if (!row) throw notFoundError();
  await appendAudit(tx, {
    orgId,
    actorUserId: ctx.actor.userId,
    action: 'sql_source.delete',
    entityType: 'sql_source',
    entityId: row.id,
    before: { name: row.name, host: row.host, database: row.database },
  });
  return { id: row.id };
}

/**
 * A source's connection URL, for a pull (never for a page). NOT_FOUND for another
 * organization's source or a missing one; a URL sealed under another key fails loudly.
 * Tenant: orgId. Permission: the caller's (a pull's KPI check).
 */
export async function getSqlSourceUrl(orgId: string, sourceId: string): Promise<string> {
  const [row] = await withOrgRead(orgId, (db) =>
    db
      .select({ urlEncrypted: sqlSources.urlEncrypted })
      .from(sqlSources)
      .where(and(eq(sqlSources.orgId, orgId), eq(sqlSources.id, sourceId))),
  );
  if (!row) throw notFoundError();
  const url = openSecret(row.urlEncrypted, secretKeyFor('integrations'));
  if (url === null) {
    throw validationError(
      'The connection URL of this source cannot be read (INTEGRATIONS_SECRET_KEY changed?): register it again.',
    );
  }
  return url;
}
