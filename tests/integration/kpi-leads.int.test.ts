/**
 * Explicit "leads" links on a real database (issue 24, item 3): a KPI linked as leading another
 * it does not feed is measured with the other lead pairs (from both KPIs' pages) and, once
 * proven, named next to the lagging KPI's projection; the refusals (itself, a duplicate, one that
 * already feeds it, a longer cadence, another org's KPI, a member without `kpis.write`) leave the
 * database unchanged, and another org's KPI looks exactly like a missing one.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { auditLog, kpiLeads } from '@/db/schema';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { addKpiLeadAction, createKpiAction, removeKpiLeadAction } from '@/lib/actions/kpis';
import { listLeadPairs } from '@/lib/dal/kpis/leading-indicators';
import { getKpiProjection } from '@/lib/dal/kpis/projection';
import { as, contextFor, kpiInput, must, refused, snapshotOrg } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

async function leadRows(orgId: string) {
  const db = await getOwnerDb();
  return db
    .select({ lead: kpiLeads.leadKpiId, lagging: kpiLeads.laggingKpiId })
    .from(kpiLeads)
    .where(eq(kpiLeads.orgId, orgId));
}

async function auditActions(orgId: string, action: string) {
  const db = await getOwnerDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(auditLog)
    .where(and(eq(auditLog.orgId, orgId), eq(auditLog.action, action)));
  return row?.n ?? 0;
}

async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const create = (over: Record<string, unknown>) =>
    as(owner, async () => must(await createKpiAction(org.slug, kpiInput(rootUnitId, over))));
  const newArr = await create({ name: 'New ARR', rollup: 'sum' });
  const pipeline = await create({ name: 'Pipeline', indicator: 'leading' });
  const child = await create({ name: 'Team new ARR', parentId: newArr.id });
  const quarterly = await create({ name: 'Quarterly survey', cadence: 'quarter' });
  // The pipeline moves first; new ARR follows a month later (twice the pipeline's change).
  const pipelineValues = [10, 14, 11, 19, 15, 22, 18, 25, 21, 30, 24, 28, 26, 33];
  for (const [i, v] of pipelineValues.entries()) {
    const month = (i % 12) + 1;
    const day = `${2025 + Math.floor(i / 12)}-${String(month).padStart(2, '0')}-10`;
    const next = pipelineValues[i - 1];
    await as(owner, async () => {
      must(
        await recordCheckinAction(org.slug, {
          kpiId: pipeline.id,
          observedOn: day,
          value: String(v),
        }),
      );
      if (next !== undefined) {
        must(
          await recordCheckinAction(org.slug, {
            kpiId: child.id,
            observedOn: day,
            value: String(100 + 2 * next),
          }),
        );
      }
    });
  }
  const member = await addTestMember(org.id, { role: 'member', homeUnitId: rootUnitId });
  return { org, owner, newArr, pipeline, child, quarterly, member, rootUnitId };
}

describe('explicit leads links', () => {
  it('links a KPI as leading another, measures it from both pages, and removes it', async () => {
    const { org, owner, newArr, pipeline } = await buildOrg();
    const input = { leadKpiId: pipeline.id, laggingKpiId: newArr.id };
    const created = await as(owner, async () => must(await addKpiLeadAction(org.slug, input)));
    expect(created).toEqual(input);
    expect(await leadRows(org.id)).toEqual([{ lead: pipeline.id, lagging: newArr.id }]);
    expect(await auditActions(org.id, 'kpi.lead_add')).toBe(1);

    const ctx = await contextFor(owner, org.slug);
    const fromLagging = await listLeadPairs(ctx, newArr.id);
    const linked = fromLagging.find((p) => p.leading.id === pipeline.id);
    expect(linked).toMatchObject({
      lagging: { id: newArr.id, name: 'New ARR' },
      explicit: true,
      canUnlink: true,
      verdict: { kind: 'leads', lag: 1 },
    });
    expect(linked?.verdict.kind === 'leads' && linked.verdict.r).toBeCloseTo(1, 6);
    // The child feeds New ARR but is not marked leading: no pair of its own.
    expect(fromLagging).toHaveLength(1);
    const fromLead = await listLeadPairs(ctx, pipeline.id);
    expect(fromLead.map((p) => [p.leading.id, p.lagging.id, p.explicit])).toEqual([
      [pipeline.id, newArr.id, true],
    ]);
    // Proven: named next to the lagging KPI's projection, which adds up its children's (so the
    // lead does not inform it).
    const projection = await getKpiProjection(ctx, newArr.id);
    expect(projection.lead).toMatchObject({
      kind: 'not_used',
      id: pipeline.id,
      name: 'Pipeline',
      lag: 1,
      why: 'from_parts',
    });

    must(await as(owner, () => removeKpiLeadAction(org.slug, input)));
    expect(await leadRows(org.id)).toEqual([]);
    expect(await auditActions(org.id, 'kpi.lead_remove')).toBe(1);
    expect(await listLeadPairs(ctx, newArr.id)).toEqual([]);
    expect((await getKpiProjection(ctx, newArr.id)).lead).toBeNull();
  });

  it('refuses itself, a duplicate, a feeding KPI, a longer cadence and a member, changing nothing', async () => {
    const { org, owner, newArr, pipeline, child, quarterly, member } = await buildOrg();
    must(
      await as(owner, () =>
        addKpiLeadAction(org.slug, { leadKpiId: pipeline.id, laggingKpiId: newArr.id }),
      ),
    );
    const before = { snapshot: await snapshotOrg(org.id), links: await leadRows(org.id) };
    const cases: [string, { leadKpiId: string; laggingKpiId: string }, string, RegExp][] = [
      ['itself', { leadKpiId: newArr.id, laggingKpiId: newArr.id }, 'VALIDATION', /itself/],
      [
        'a duplicate',
        { leadKpiId: pipeline.id, laggingKpiId: newArr.id },
        'VALIDATION',
        /already linked/,
      ],
      [
        'a feeding child',
        { leadKpiId: child.id, laggingKpiId: newArr.id },
        'VALIDATION',
        /already feeds/,
      ],
      [
        'a longer cadence',
        { leadKpiId: quarterly.id, laggingKpiId: newArr.id },
        'VALIDATION',
        /cadence/,
      ],
    ];
    for (const [, input, code, message] of cases) {
      const error = refused(await as(owner, () => addKpiLeadAction(org.slug, input)));
      expect(error.code).toBe(code);
      // a field error (itself) or the message on top
      expect(`${error.message} ${JSON.stringify(error.fieldErrors ?? {})}`).toMatch(message);
    }
    const denied = refused(
      await as(member, () =>
        addKpiLeadAction(org.slug, { leadKpiId: quarterly.id, laggingKpiId: pipeline.id }),
      ),
    );
    expect(denied.code).toBe('FORBIDDEN');
    const removeDenied = refused(
      await as(member, () =>
        removeKpiLeadAction(org.slug, { leadKpiId: pipeline.id, laggingKpiId: newArr.id }),
      ),
    );
    expect(removeDenied.code).toBe('FORBIDDEN');
    const noLink = refused(
      await as(owner, () =>
        removeKpiLeadAction(org.slug, { leadKpiId: child.id, laggingKpiId: newArr.id }),
      ),
    );
    expect(noLink.code).toBe('NOT_FOUND');
    const after = { snapshot: await snapshotOrg(org.id), links: await leadRows(org.id) };
    // the refusals by the member are audited as denials; nothing else changed
    expect({ ...after.snapshot, audit: 0 }).toEqual({ ...before.snapshot, audit: 0 });
    expect(after.links).toEqual(before.links);
  });

  it('answers another org’s KPI exactly like a missing one, writing nothing', async () => {
    const a = await buildOrg();
    const b = await buildOrg();
    const before = [await snapshotOrg(a.org.id), await snapshotOrg(b.org.id)];
    const attempt = (leadKpiId: string, laggingKpiId: string) =>
      as(a.owner, () => addKpiLeadAction(a.org.slug, { leadKpiId, laggingKpiId }));
    const foreignLead = refused(await attempt(b.pipeline.id, a.newArr.id));
    const missingLead = refused(await attempt(randomUUID(), a.newArr.id));
    const foreignLagging = refused(await attempt(a.pipeline.id, b.newArr.id));
    const missingLagging = refused(await attempt(a.pipeline.id, randomUUID()));
    for (const e of [foreignLead, missingLead, foreignLagging, missingLagging]) {
      expect(e.code).toBe('NOT_FOUND');
    }
    expect(foreignLead.message).toBe(missingLead.message);
    expect(foreignLagging.message).toBe(missingLagging.message);
    expect([await snapshotOrg(a.org.id), await snapshotOrg(b.org.id)]).toEqual(before);
    expect(await leadRows(a.org.id)).toEqual([]);
    expect(await leadRows(b.org.id)).toEqual([]);
  });
});
