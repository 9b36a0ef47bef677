import { z } from 'zod';
import { PULL_SCHEDULES } from '@/lib/domain/sql-pull';
import { idString } from './fields';
import { safeName, safeText } from './text';

/*
 * SQL sources and KPI pulls (issue 23, item 3): what the settings page and the KPI page send.
 */

/** Is `text` a PostgreSQL connection URL naming a host and a database? */
function isPostgresUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (
      (url.protocol === 'postgres:' || url.protocol === 'postgresql:') &&
      url.hostname !== '' &&
      url.pathname.replace(/^\//, '') !== ''
    );
  } catch {
    return false;
  }
}

export const sqlSourceUrlString = safeText('connection URL', { error: 'Enter the connection URL' })
  .trim()
  .min(1, 'Enter the connection URL')
  .max(2000, 'Use at most 2000 characters')
  .refine(isPostgresUrl, {
    message: 'Enter a URL such as postgres://reader:secret@db.example.com:5432/analytics',
  });

/** A new source: its name and connection URL (tested before it is saved). */
export const createSqlSourceSchema = z
  .object({
    name: safeName('name', {
      max: 80,
      empty: 'Enter a name',
      tooLong: 'Use at most 80 characters',
    }),
    url: sqlSourceUrlString,
  })
  .strict();
export type CreateSqlSourceInput = z.output<typeof createSqlSourceSchema>;

export const deleteSqlSourceSchema = z.object({ sourceId: idString }).strict();
export type DeleteSqlSourceInput = z.output<typeof deleteSqlSourceSchema>;

const queryString = safeText('query', { multiline: true, error: 'Write a query' })
  .trim()
  .min(1, 'Write a query returning rows of (date, value)')
  .max(10_000, 'Use at most 10000 characters');

/** A query to try on a source for a KPI (nothing is saved). */
export const previewKpiSqlPullSchema = z
  .object({ kpiId: idString, sourceId: idString, query: queryString })
  .strict();
export type PreviewKpiSqlPullInput = z.output<typeof previewKpiSqlPullSchema>;

/** A KPI's pull: source, query and schedule. */
export const saveKpiSqlPullSchema = z
  .object({
    kpiId: idString,
    sourceId: idString,
    query: queryString,
    schedule: z.enum(PULL_SCHEDULES, { error: 'Choose how often to pull' }),
  })
  .strict();
export type SaveKpiSqlPullInput = z.output<typeof saveKpiSqlPullSchema>;

/** One KPI's pull (run it now, or delete it). */
export const kpiSqlPullSchema = z.object({ kpiId: idString }).strict();
export type KpiSqlPullInput = z.output<typeof kpiSqlPullSchema>;
