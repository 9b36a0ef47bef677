'use server';
// SQL sources (admins, on Settings → SQL sources) and KPI pulls (whoever may edit the KPI):
// register / delete a source, preview / save / delete a KPI's pull, and "pull now".
import { consumeRateLimit } from '@/lib/dal/rate-limit';
import { deleteKpiSqlPull, saveKpiSqlPull } from '@/lib/dal/sql-sources/pulls';
import { previewKpiSqlPull, runKpiSqlPull } from '@/lib/dal/sql-sources/run-pull';
import { deleteSqlSource, registerSqlSource } from '@/lib/dal/sql-sources/sources';
import { orgAction } from '@/lib/server/org-action';
import type { OrgContext } from '@/lib/server/org-context';
import {
  createSqlSourceSchema,
  deleteSqlSourceSchema,
  kpiSqlPullSchema,
  previewKpiSqlPullSchema,
  saveKpiSqlPullSchema,
} from '@/lib/validation/sql-sources';

/** Each person may reach out to sources (tests, previews, pulls now) this often. */
const SOURCE_QUERIES_PER_ACTOR = { limit: 120, windowSeconds: 60 * 60 };

function countSourceQuery(ctx: OrgContext): Promise<void> {
  return consumeRateLimit(
    'sql-source-queries',
    `${ctx.org.id}:${ctx.actor.userId}`,
    SOURCE_QUERIES_PER_ACTOR,
  );
}

export const createSqlSourceAction = orgAction({
  permission: 'settings.manage',
  input: createSqlSourceSchema,
  // Tests the connection first (outside any transaction of ours); nothing is saved on failure.
  runOwnTransaction: async ({ ctx, input }) => {
    await countSourceQuery(ctx);
    return registerSqlSource(ctx, input);
  },
});

export const deleteSqlSourceAction = orgAction({
  permission: 'settings.manage',
  input: deleteSqlSourceSchema,
  run: ({ ctx, input, tx }) => deleteSqlSource(ctx, tx, input),
});

export const previewKpiSqlPullAction = orgAction({
  permission: 'kpis.write',
  input: previewKpiSqlPullSchema,
  readOnly: true,
  runOwnTransaction: async ({ ctx, input }) => {
    await countSourceQuery(ctx);
    return previewKpiSqlPull(ctx, input);
  },
});

export const saveKpiSqlPullAction = orgAction({
  permission: 'kpis.write',
  input: saveKpiSqlPullSchema,
  run: ({ ctx, input, tx }) => saveKpiSqlPull(ctx, tx, input),
});

export const deleteKpiSqlPullAction = orgAction({
  permission: 'kpis.write',
  input: kpiSqlPullSchema,
  run: ({ ctx, input, tx }) => deleteKpiSqlPull(ctx, tx, input),
});

export const runKpiSqlPullAction = orgAction({
  permission: 'kpis.write',
  input: kpiSqlPullSchema,
  runOwnTransaction: async ({ ctx, input }) => {
    await countSourceQuery(ctx);
    return runKpiSqlPull(ctx, input.kpiId, 'manual');
  },
});
