/**
 * The history: readable changes from the audit records the app writes, filtered by person, kind,
 * days (in the org's time zone) and KPI, in keyset pages, scoped to what the reader may see, and
 * its CSV export. Everything is written through the real server actions.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as historyCsvGET } from '@/app/api/o/[orgSlug]/history.csv/route';
import HistoryPage from '@/app/(app)/o/[orgSlug]/history/page';
import KpiPage from '@/app/(app)/o/[orgSlug]/kpis/[kpiId]/page';
import { recordCheckinAction } from '@/lib/actions/checkins';
import { setTargetAction, updateKpiAction } from '@/lib/actions/kpis';
import { createUnitAction, renameUnitAction } from '@/lib/actions/units';
import type { SessionClaims } from '@/lib/auth/session';
import { listHistory, type HistoryEntry, type HistoryFilter } from '@/lib/dal/audit-history';
import { addDays, todayInTimeZone } from '@/lib/domain/dates';
import { AppError } from '@/lib/errors';
import { resolveOrgContext } from '@/lib/server/org-context';
import { as, kpiVersion, must } from './cascade-helpers';
import { addTestMember, createTestKpi, createTestOrg, makeLead } from './factories';

const TZ = 'Europe/Berlin';

type World = {
  slug: string;
  owner: SessionClaims;
  admin: SessionClaims;
  lead: SessionClaims & { email: string };
  member: SessionClaims;
  other: SessionClaims;
  salesKpi: { id: string; name: string };
  engKpi: { id: string; name: string };
  salesUnitId: string;
};

let w: World;
let otherOrg: { slug: string; owner: SessionClaims; kpiId: string };

async function buildWorld(): Promise<World> {
  const { org, owner, rootUnitId } = await createTestOrg({ timeZone: TZ });
  const slug = org.slug;
  const sales = await as(owner, async () =>
    must(await createUnitAction(slug, { parentId: rootUnitId, kind: 'department', name: 'Sales' })),
  );
  const eng = await as(owner, async () =>
    must(await createUnitAction(slug, { parentId: rootUnitId, kind: 'department', name: 'Eng' })),
  );
  const admin = await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId });
  const lead = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id, name: 'Lena Lead' });
  const member = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id, name: 'Mia Member' });
  const other = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id });
  await makeLead(org.id, sales.id, lead.userId);
  const salesKpi = await createTestKpi(owner, slug, sales.id, {
    name: 'New ARR',
    measureUnit: 'currency',
    currency: 'USD',
    ownerUserId: member.userId,
  });
  const engKpi = await createTestKpi(owner, slug, eng.id, { name: 'Deploys' });
  // Targets: set, then changed.
  for (const target of ['100000', '120000']) {
    await as(owner, async () =>
      must(await setTargetAction(slug, { kpiId: salesKpi.id, periodStart: '2026-12-01', target })),
    );
  }
  // The member records a value on their KPI, with a note a spreadsheet would run.
  await as(member, async () =>
    must(
      await recordCheckinAction(slug, {
        kpiId: salesKpi.id,
        observedOn: todayInTimeZone(TZ),
        value: '2500',
        note: '=HYPERLINK("http://x.test")',
      }),
    ),
  );
  await as(admin, async () =>
    must(
      await updateKpiAction(slug, {
        kpiId: engKpi.id,
        version: await kpiVersion(engKpi.id),
        name: 'Deploys per week',
      }),
    ),
  );
  await as(owner, async () => must(await renameUnitAction(slug, { unitId: eng.id, name: 'Engineering' })));
  // A refused attempt (recorded as authz.denied): the member edits a KPI they may not.
  const refused = await as(member, () =>
    updateKpiAction(slug, { kpiId: engKpi.id, version: 2, name: 'Nope' }),
  );
  expect(refused.ok).toBe(false);
  return {
    slug,
    owner,
    admin,
    lead,
    member,
    other,
    salesKpi: { id: salesKpi.id, name: 'New ARR' },
    engKpi: { id: engKpi.id, name: 'Deploys per week' },
    salesUnitId: sales.id,
  };
}

function history(claims: SessionClaims, filter: HistoryFilter = {}, slug = w.slug) {
  return as(claims, async () => listHistory(await resolveOrgContext(slug), filter));
}

/** Every page of a filter, following the cursor. */
async function allPages(claims: SessionClaims, filter: HistoryFilter, limit: number) {
  const entries: HistoryEntry[] = [];
  let before: number | undefined;
  for (let i = 0; i < 100; i += 1) {
    const page = await history(claims, { ...filter, limit, before });
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    entries.push(...page.entries);
    if (page.nextCursor === null) return entries;
    before = page.nextCursor;
  }
  throw new Error('pages never ended');
}

const actions = (entries: HistoryEntry[]) => entries.map((e) => e.action);

beforeAll(async () => {
  w = await buildWorld();
  const b = await createTestOrg();
  const kpi = await createTestKpi(b.owner, b.org.slug, b.rootUnitId, { name: 'Other org KPI' });
  otherOrg = { slug: b.org.slug, owner: b.owner, kpiId: kpi.id };
}, 120_000);

describe('listHistory', () => {
  it('reads a target change with before and after in the KPI unit, newest first', async () => {
    const { entries } = await history(w.owner);
    const ids = entries.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const targetChange = entries.find(
      (e) => e.action === 'target.set' && e.summary === 'changed the target',
    );
    expect(targetChange).toMatchObject({
      kind: 'targets',
      subject: { kpiId: w.salesKpi.id, name: 'New ARR' },
      changes: [
        { label: 'Target (Dec 2026)', before: '$100,000', after: '$120,000' },
      ],
    });
    expect(targetChange!.atLocal).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00$/);
    const rename = entries.find((e) => e.action === 'kpi.update');
    expect(rename?.changes).toEqual([
      { field: 'name', label: 'Name', before: 'Deploys', after: 'Deploys per week' },
    ]);
    const unit = entries.find((e) => e.action === 'unit.rename');
    expect(unit).toMatchObject({ subject: { kpiId: null, name: 'Unit Engineering' }, kind: 'units' });
    const checkin = entries.find((e) => e.action === 'checkin.create');
    expect(checkin?.changes.find((c) => c.field === 'value')?.after).toBe('$2,500');
    expect(checkin?.actor.name).toBe('Mia Member');
    expect(actions(entries)).toContain('authz.denied');
  });

  it('filters by kind, person, KPI and days (in the organization time zone)', async () => {
    const targets = await history(w.owner, { kind: 'targets' });
    expect(actions(targets.entries)).toEqual(['target.set', 'target.set']);
    const checkins = await history(w.owner, { kind: 'checkins' });
    expect(actions(checkins.entries)).toEqual(['checkin.create']);
    const access = await history(w.owner, { kind: 'access' });
    expect(actions(access.entries)).toEqual(['authz.denied']);

    const byMember = await history(w.owner, { person: w.member.userId });
    expect(actions(byMember.entries).sort()).toEqual(['authz.denied', 'checkin.create']);
    const byAdmin = await history(w.owner, { person: w.admin.userId, kind: 'kpis' });
    expect(actions(byAdmin.entries)).toEqual(['kpi.update']);

    const aboutSales = await history(w.owner, { kpi: w.salesKpi.id });
    expect(actions(aboutSales.entries)).toEqual([
      'checkin.create',
      'target.set',
      'target.set',
      'kpi.create',
    ]);
    expect(aboutSales.kpi).toEqual({ id: w.salesKpi.id, name: 'New ARR' });

    const today = todayInTimeZone(TZ);
    const all = await history(w.owner);
    expect((await history(w.owner, { from: today, to: today })).entries.length).toBe(
      all.entries.length,
    );
    expect((await history(w.owner, { from: addDays(today, 1) })).entries).toEqual([]);
    expect((await history(w.owner, { to: addDays(today, -1) })).entries).toEqual([]);
  });

  it('pages by keyset: every entry exactly once, newest first', async () => {
    const whole = (await history(w.owner)).entries;
    expect(whole.length).toBeGreaterThan(5);
    const paged = await allPages(w.owner, {}, 2);
    expect(paged.map((e) => e.id)).toEqual(whole.map((e) => e.id));
    const first = await history(w.owner, { limit: 50 });
    expect(first.nextCursor).toBeNull();
  });

  it('a lead reads the history of KPIs in their subtree only; a member of the KPIs they own', async () => {
    const lead = await history(w.lead);
    expect(lead.entries.length).toBeGreaterThan(0);
    expect(new Set(lead.entries.map((e) => e.subject.kpiId))).toEqual(new Set([w.salesKpi.id]));
    expect(actions(lead.entries)).not.toContain('authz.denied');
    expect((await history(w.lead, { kpi: w.engKpi.id })).entries).toEqual([]);

    const member = await history(w.member);
    expect(new Set(member.entries.map((e) => e.subject.kpiId))).toEqual(new Set([w.salesKpi.id]));
    expect(actions(member.entries)).not.toContain('authz.denied');
    expect((await history(w.other)).entries).toEqual([]);
    expect((await history(w.other, { kpi: w.salesKpi.id })).entries).toEqual([]);
  });

  it("another organization's KPI id and a missing one look the same: not found", async () => {
    const answer = async (kpi: string) => {
      try {
        await history(w.owner, { kpi });
        return 'found';
      } catch (error) {
        return error instanceof AppError ? `${error.code} ${error.message}` : String(error);
      }
    };
    const foreign = await answer(otherOrg.kpiId);
    expect(foreign).toBe('NOT_FOUND Not found.');
    expect(await answer(randomUUID())).toBe(foreign);
    expect(await answer('not-a-uuid')).toBe(foreign);
    // And the other organization's records never show here.
    const mine = await history(w.owner);
    expect(mine.entries.some((e) => e.subject.name === 'Other org KPI')).toBe(false);
  });
});

/* ------------------------------------------------------------------------------------------ */

async function csv(claims: SessionClaims | null, query: string, slug = w.slug) {
  const response = await as(claims as SessionClaims, () =>
    historyCsvGET(new Request(`http://localhost/api/o/${slug}/history.csv${query}`), {
      params: Promise.resolve({ orgSlug: slug }),
    }),
  );
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe('history CSV', () => {
  it('one row per changed field, times with the offset, formula-safe cells', async () => {
    const res = await csv(w.owner, '?kind=targets');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const lines = res.text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('time,person,kind,action,entity,field,before,after');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+0[12]:00,Owner [^,]+,Targets,target\.set,New ARR,Target \(Dec 2026\),"\$100,000","\$120,000"$/,
    );
    const checkins = await csv(w.owner, `?kind=checkins&person=${w.member.userId}`);
    expect(checkins.text).toContain(`Note,—,"'=HYPERLINK(""http://x.test"")"`);
    expect(checkins.text).not.toMatch(/,=HYPERLINK/);
  });

  it('filters like the page; refuses members and leads, bad filters and other orgs', async () => {
    const forKpi = await csv(w.admin, `?kpi=${w.engKpi.id}`);
    expect(forKpi.status).toBe(200);
    expect(forKpi.text).toContain('Deploys per week');
    expect(forKpi.text).not.toContain('New ARR');
    expect((await csv(w.member, '')).status).toBe(403);
    expect((await csv(w.lead, '')).status).toBe(403);
    expect((await csv(w.owner, '?kind=nope')).status).toBe(400);
    expect((await csv(w.owner, '?from=2026-12-05&to=2026-12-01')).status).toBe(400);
    const foreign = await csv(w.owner, `?kpi=${otherOrg.kpiId}`);
    expect(foreign.status).toBe(404);
    expect(foreign.text).toBe((await csv(w.owner, `?kpi=${randomUUID()}`)).text);
    expect((await csv(otherOrg.owner, '')).text).not.toContain('New ARR');
  });
});

/* ------------------------------------------------------------------------------------------ */

type Rendered = { kind: 'visible'; strings: string[] } | { kind: 'not-found' };

function strings(value: unknown): string[] {
  const out: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      for (const [k, item] of Object.entries(v)) if (!k.startsWith('_')) walk(item);
    }
  };
  walk(value);
  return out;
}

async function render(
  claims: SessionClaims,
  Page: (p: never) => Promise<unknown>,
  params: Record<string, string>,
  searchParams: Record<string, string> = {},
): Promise<Rendered> {
  try {
    const element = await as(claims, () =>
      Page({
        params: Promise.resolve({ orgSlug: w.slug, ...params }),
        searchParams: Promise.resolve(searchParams),
      } as never),
    );
    return { kind: 'visible', strings: strings(element) };
  } catch (error) {
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest === 'string' && digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;404'))
      return { kind: 'not-found' };
    throw error;
  }
}

describe('pages', () => {
  it('the org history page: owners and admins, filtered from the URL', async () => {
    const page = await render(w.owner, HistoryPage, {}, { kind: 'targets' });
    expect(page.kind).toBe('visible');
    const text = (page as { strings: string[] }).strings;
    expect(text).toContain('Target (Dec 2026)');
    expect(text).toContain('$120,000');
    expect(text).not.toContain('Deploys per week');
    expect((await render(w.admin, HistoryPage, {})).kind).toBe('visible');
    expect((await render(w.lead, HistoryPage, {})).kind).toBe('not-found');
    expect((await render(w.member, HistoryPage, {})).kind).toBe('not-found');
    expect((await render(w.owner, HistoryPage, {}, { kpi: otherOrg.kpiId })).kind).toBe(
      'not-found',
    );
  });

  it("the KPI page shows the KPI's readable history to those who may read it, and no more", async () => {
    const seen = async (claims: SessionClaims) => {
      const page = await render(claims, KpiPage, { kpiId: w.salesKpi.id });
      expect(page.kind).toBe('visible');
      return (page as { strings: string[] }).strings;
    };
    const owner = await seen(w.owner);
    expect(owner).toContain('changed the target');
    expect(owner).toContain('See all');
    const member = await seen(w.member);
    expect(member).toContain('changed the target');
    expect(member).not.toContain('See all');
    const lead = await seen(w.lead);
    expect(lead).toContain('changed the target');
    const other = await seen(w.other);
    expect(other).not.toContain('changed the target');
    expect(other).not.toContain('History');
  });
});
