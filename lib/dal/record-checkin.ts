import type { OrgContext } from '@/lib/server/org-context';
import {
  recordTogether,
  type Outcome,
  type RecordCheckinRequest,
} from './cascade/checkin-transaction';
import type { CheckinDto } from './checkins/rules';

/*
 * New check-ins, the hottest write of the product. Each runs in a pipelined transaction of two
 * round trips: BEGIN, the org setting, the locks and every read (checkinRollupReadSql) go out
 * together; the checks and the rollup walk (planRecompute / walkRecompute, as for every other
 * write) run in memory with the new check-in added; then one statement writing the check-in,
 * the changed period values and the audit record goes out with COMMIT.
 *
 * Group commit: while an organization's check-in transaction is in flight, the check-ins that
 * arrive for it in this process wait and then go together in one transaction (one lock, one
 * walk, one write, one commit for all of them), each checked with its own actor and answered on
 * its own: a refused one fails alone. A lone check-in goes at once, so nothing waits when the
 * app is quiet. If a shared transaction fails in the database, each of its check-ins is retried
 * alone, so no request fails because of another's. Check-ins of one group share the
 * transaction's timestamp: two of them on the same KPI and day were concurrent requests, whose
 * order was never defined (the check-in id breaks the tie, as in every computation).
 */

type Queued = {
  ctx: OrgContext;
  input: RecordCheckinRequest;
  resolve: (dto: CheckinDto) => void;
  reject: (error: unknown) => void;
};

/** Most check-ins one shared transaction takes (the rest wait for the next). */
const MAX_GROUP = 64;

/** Per organization (and fiscal-year setting, which the walk depends on): waiting check-ins. */
const queues = new Map<string, { pending: Queued[]; running: boolean }>();

/**
 * Records one value of a manual KPI and recomputes that period of the KPI and its ancestors, in
 * a tenant transaction of its own (shared with concurrent check-ins of the org, see above). The
 * date may not be after today in the org's time zone. Tenant: ctx.org. Permission:
 * `checkins.write` with target { unitId, ownerUserId } of the KPI (an individual KPI the actor
 * cannot see is NOT_FOUND). A lone check-in holds the org cascade lock shared and its KPI tree's
 * exclusively; a group holds the org cascade lock exclusively.
 */
export function recordCheckin(ctx: OrgContext, input: RecordCheckinRequest): Promise<CheckinDto> {
  const key = `${ctx.org.id}|${ctx.org.fyStartMonth}`;
  let queue = queues.get(key);
  if (!queue) queues.set(key, (queue = { pending: [], running: false }));
  const q = queue;
  return new Promise<CheckinDto>((resolve, reject) => {
    q.pending.push({ ctx, input, resolve, reject });
    if (!q.running) void drain(key, q);
  });
}

async function drain(key: string, q: { pending: Queued[]; running: boolean }): Promise<void> {
  q.running = true;
  try {
    while (q.pending.length > 0) await recordGroup(q.pending.splice(0, MAX_GROUP));
  } finally {
    q.running = false;
    if (q.pending.length === 0) queues.delete(key);
  }
}

/**
 * Records a group in one transaction and answers each of its check-ins. When that transaction
 * fails in the database, a group of several retries each one alone (side by side, each under its
 * own tree lock), so none fails for another; a lone check-in gets the error.
 */
async function recordGroup(group: Queued[]): Promise<void> {
  let outcomes: Outcome[];
  try {
    outcomes = await recordTogether(group[0]!.ctx, group);
  } catch (error) {
    if (group.length === 1) outcomes = [{ error }];
    else {
      await Promise.all(group.map((item) => recordGroup([item])));
      return;
    }
  }
  group.forEach((item, i) => {
    const outcome = outcomes[i] ?? { error: new Error('check-in gave no outcome') };
    if ('dto' in outcome) item.resolve(outcome.dto);
    else item.reject(outcome.error);
  });
}
