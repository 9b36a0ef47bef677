import { createHash } from 'node:crypto';
import type { Point } from '@/lib/domain/forecast/projection';
import { SeriesMemo } from '@/lib/domain/forecast/series-memo';
import { heapShareBytes, LruCache } from '@/lib/dal/read-cache';
import { processWide } from '@/lib/server/process-wide';

/*
 * The series projections kept across data versions (lib/domain/forecast/series-memo.ts), one
 * memo per organization and day, in a bounded in-process LRU: the first dashboard view after a
 * write recomputes only the KPIs whose own inputs the write changed (a check-in: its KPI; the
 * parents above it are combined again anyway). Keyed by the org's id, so one organization's
 * points can never be read for another's (and inside a memo by KPI id and a SHA-256 digest of
 * the node's inputs); the day is in the key, so a memo lives one day and holds only that day's
 * periods. Per instance, like the dashboards' models (lib/dal/dashboards/read-model.ts).
 */

const MB = 1024 * 1024;

/**
 * Heap estimate of one kept node: its key (~60 characters), digest, entry and point (three
 * decimals), and the lead checks of the few KPIs with leads. Measured on the 10,023-KPI synthetic
 * organization: 7,879 nodes held 9.2 MB after full collections, 1,160 bytes a node
 * (bench/RESULTS.md).
 */
const NODE_BYTES = 1200;

type Memos = LruCache<SeriesMemo<Point>>;

/**
 * A twentieth of the heap limit, at most 48 MB: a 10,000-KPI organization's memo is about 9 MB,
 * so an instance as `npm start` bounds it (560 MB heap limit: 28 MB) keeps three that size,
 * Node's default heap five.
 */
function memos(): Memos {
  return processWide(
    'projection-memos',
    () => new LruCache<SeriesMemo<Point>>(heapShareBytes(1 / 20, 48 * MB), 256),
  );
}

function digest(inputs: string): string {
  return createHash('sha256').update(inputs).digest('base64url');
}

/**
 * The series memo of organization `orgId` on `today` (a new, empty one the first time), and the
 * function to call once a run has filled it (it is sized again then). Tenant: orgId, which the
 * caller takes from its OrgContext.
 */
export function seriesMemoFor(
  orgId: string,
  today: string,
): { memo: SeriesMemo<Point>; keep: () => void } {
  const key = `${orgId}|${today}`;
  const memo = memos().get(key) ?? new SeriesMemo<Point>(digest);
  return { memo, keep: () => memos().set(key, memo, 4096 + memo.size * NODE_BYTES) };
}

/** Empties the memos (tests and benchmarks that compare cold and warm reads). */
export function clearSeriesMemos(): void {
  memos().clear();
}
