// GET /api/o/<slug>/history.csv?person&kind&from&to&kpi: the history under those filters as CSV (owners and admins).
import { assertCan } from '@/lib/authz/can';
import { HISTORY_MAX_PAGE, listHistory, type HistoryEntry } from '@/lib/dal/audit-history';
import { actorLabel, kindLabel } from '@/lib/domain/audit-history';
import { toCsv } from '@/lib/domain/csv';
import { parseOrThrow, queryOf } from '@/lib/server/api-route';
import { historyQuerySchema } from '@/lib/validation/history';
import { orgGetRoute } from '../_lib/org-route';

export const dynamic = 'force-dynamic';

/** The most entries one export holds (the newest ones); narrower filters give the rest. */
const HISTORY_CSV_MAX_ENTRIES = 10_000;

const HEADER = ['time', 'person', 'kind', 'action', 'entity', 'field', 'before', 'after'];

/** One row per changed field (an entry without field changes: one row with them empty). */
function rowsOf(entry: HistoryEntry): (string | null)[][] {
  const head = [
    entry.atLocal,
    actorLabel(entry.actor),
    kindLabel(entry.kind),
    entry.action,
    entry.subject.name,
  ];
  if (entry.changes.length === 0) return [[...head, null, null, null]];
  return entry.changes.map((c) => [...head, c.label, c.before, c.after]);
}

export const GET = orgGetRoute(async (ctx, request) => {
  assertCan(ctx, 'history.read_all');
  const filter = parseOrThrow(historyQuerySchema, queryOf(request));
  const rows: (string | null)[][] = [HEADER];
  let entries = 0;
  // From the newest entry, whatever page the screen showed.
  let cursor: number | undefined;
  let truncated = false;
  // Bounded: pages of 500, newest first, up to the cap.
  for (;;) {
    const page = await listHistory(ctx, { ...filter, before: cursor, limit: HISTORY_MAX_PAGE });
    for (const entry of page.entries) rows.push(...rowsOf(entry));
    entries += page.entries.length;
    if (page.nextCursor === null) break;
    if (entries >= HISTORY_CSV_MAX_ENTRIES) {
      truncated = true;
      break;
    }
    cursor = page.nextCursor;
  }
  return new Response(`\uFEFF${toCsv(rows)}`, {
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': `attachment; filename="${ctx.org.slug}-history.csv"`,
      'x-history-truncated': truncated ? 'true' : 'false',
    },
  });
});
