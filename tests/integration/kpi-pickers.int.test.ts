/**
 * The KPI form's search-as-you-type pickers: kpi-parent-search (the KPIs a drafted KPI may roll
 * up into: every link rule applied on the server, cycles included, only KPIs the actor may see)
 * and owner-search (the people the actor may make an owner); search by text, the limit and the
 * total, authorization (members and leads outside the unit refused; another org's slug, unit or
 * KPI exactly like a missing one) and bad input; lead-candidates (the leading-KPI picker) and
 * members (a next action's owner) searched the same way. The save refusing a cycle is pinned in
 * one-save.int.test.ts ("a parent that would close a loop refuses the whole save").
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as parentGET } from '@/app/api/o/[orgSlug]/kpi-parent-search/route';
import { GET as ownerGET } from '@/app/api/o/[orgSlug]/owner-search/route';
import { GET as optionsGET } from '@/app/api/o/[orgSlug]/kpi-editor-options/route';
import { GET as leadGET } from '@/app/api/o/[orgSlug]/lead-candidates/route';
import { GET as membersGET } from '@/app/api/o/[orgSlug]/members/route';
import * as kpiActions from '@/lib/actions/kpis';
import * as unitActions from '@/lib/actions/units';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import type { AssigneeDto } from '@/lib/dal/dashboards/assignees';
import type { LinkCandidate } from '@/lib/dal/kpis/editor-options';
import { actAs, countKpi } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

type World = Awaited<ReturnType<typeof buildOrg>>;

/**
 * company > Sales > Field team, company > Engineering (led by `leadElsewhere`; Sales by
 * `leadAbove`). KPIs: `northStar` (company, sum) <- `salesKpi` (Sales, sum) <- `teamKpi` (team)
 * <- `teamChild` (team); `quarterly` (Sales, quarterly, manual); `revenue` (company, EUR, sum);
 * `engKpi` (Engineering); `individual` (team, individualOwner's); `archived` (Sales, archived).
 */
async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const run = actAs(owner);
  const unit = (parentId: string, kind: 'department' | 'team', name: string) =>
    run(() => unitActions.createUnitAction(org.slug, { parentId, kind, name }));
  const sales = await unit(rootUnitId, 'department', 'Sales');
  const eng = await unit(rootUnitId, 'department', 'Engineering');
  const team = await unit(sales.id, 'team', 'Field team');
  const member = await addTestMember(org.id, { role: 'member', homeUnitId: team.id });
  const individualOwner = await addTestMember(org.id, { role: 'member', homeUnitId: team.id });
  const leadAbove = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id });
  const leadElsewhere = await addTestMember(org.id, { role: 'member', homeUnitId: eng.id });
  await run(() =>
    unitActions.setUnitLeadAction(org.slug, { unitId: sales.id, leadUserId: leadAbove.userId }),
  );
  await run(() =>
    unitActions.setUnitLeadAction(org.slug, { unitId: eng.id, leadUserId: leadElsewhere.userId }),
  );
  const tag = randomUUID().slice(0, 8);
  const kpi = (input: Record<string, unknown>) =>
    run(() => kpiActions.createKpiAction(org.slug, { ...countKpi, ...input } as never));
  const northStar = await kpi({
    name: `Bookings ${tag}`,
    key: 'pick.bookings',
    unitId: rootUnitId,
    rollup: 'sum',
  });
  const salesKpi = await kpi({
    name: `Sales bookings ${tag}`,
    unitId: sales.id,
    parentId: northStar.id,
    rollup: 'sum',
  });
  const teamKpi = await kpi({
    name: `Field calls ${tag}`,
    unitId: team.id,
    parentId: salesKpi.id,
  });
  const teamChild = await kpi({
    name: `Field call prep ${tag}`,
    unitId: team.id,
    parentId: teamKpi.id,
  });
  const quarterly = await kpi({
    name: `Quarterly deals 100% ${tag}`,
    unitId: sales.id,
    cadence: 'quarter',
  });
  const revenue = await kpi({
    name: `Revenue ${tag}`,
    unitId: rootUnitId,
    rollup: 'sum',
    measureUnit: 'currency',
    currency: 'EUR',
  });
  const engKpi = await kpi({ name: `Deploys ${tag}`, unitId: eng.id });
  const individual = await kpi({
    name: `Private pipeline ${tag}`,
    unitId: team.id,
    isIndividual: true,
    ownerUserId: individualOwner.userId,
  });
  const archived = await kpi({ name: `Old bookings ${tag}`, unitId: sales.id });
  await run(() =>
    kpiActions.archiveKpiAction(org.slug, { kpiId: archived.id, version: archived.version }),
  );
  return {
    org,
    tag,
    units: { root: rootUnitId, sales: sales.id, eng: eng.id, team: team.id },
    people: { owner, member, individualOwner, leadAbove, leadElsewhere },
    kpis: {
      northStar,
      salesKpi,
      teamKpi,
      teamChild,
      quarterly,
      revenue,
      engKpi,
      individual,
      archived,
    },
  };
}

let a: World;
let b: World;

beforeAll(async () => {
  [a, b] = await Promise.all([buildOrg(), buildOrg()]);
}, 120_000);

type Get = typeof parentGET;

async function call(GET: Get, who: SessionClaims | null, slug: string, path: string) {
  const res = await runWithSession(who, () =>
    GET(new Request(`http://localhost/api/o/${slug}/${path}`), {
      params: Promise.resolve({ orgSlug: slug }),
    }),
  );
  return { status: res.status, text: await res.text() };
}

/** A monthly count KPI drafted in `unit` (the team by default), searched with `extra`. */
function parentPath(w: World, extra: Record<string, string> = {}) {
  const params = new URLSearchParams({
    unit: w.units.team,
    cadence: 'month',
    rollup: 'manual',
    measure: 'count',
    ...extra,
  });
  return `kpi-parent-search?${params}`;
}

async function parents(who: SessionClaims, w: World, extra: Record<string, string> = {}) {
  const res = await call(parentGET, who, w.org.slug, parentPath(w, extra));
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text) as { hits: LinkCandidate[]; total: number };
}

const idsOf = (page: { hits: { id: string }[] }) => page.hits.map((h) => h.id);

describe('kpi-parent-search', () => {
  it('offers every KPI a monthly team KPI may roll up into, by name, with the total', async () => {
    const page = await parents(a.people.owner, a);
    const k = a.kpis;
    // Unit at or above the team, cadence no shorter, same measure under a computing parent.
    expect(new Set(idsOf(page))).toEqual(
      new Set([
        k.northStar.id,
        k.salesKpi.id,
        k.teamKpi.id,
        k.teamChild.id,
        k.quarterly.id,
        k.individual.id,
      ]),
    );
    expect(page.total).toBe(6);
    const names = page.hits.map((h) => h.name);
    expect(names).toEqual([...names].sort((x, y) => x.localeCompare(y)));
    // Never: another unit's (Engineering), another measure under a sum, an archived KPI.
    expect(idsOf(page)).not.toContain(k.engKpi.id);
    expect(idsOf(page)).not.toContain(k.revenue.id);
    expect(idsOf(page)).not.toContain(k.archived.id);
  });

  it('never offers the KPI itself or one under it (no cycle), nor anything of another org', async () => {
    const page = await parents(a.people.owner, a, { kpi: a.kpis.teamKpi.id });
    expect(idsOf(page)).not.toContain(a.kpis.teamKpi.id);
    expect(idsOf(page)).not.toContain(a.kpis.teamChild.id);
    expect(idsOf(page)).toContain(a.kpis.salesKpi.id);
    // Three levels down: the north star drafted into the team may go under none of its own tree.
    const top = await parents(a.people.owner, a, { kpi: a.kpis.northStar.id });
    expect(new Set(idsOf(top))).toEqual(new Set([a.kpis.quarterly.id, a.kpis.individual.id]));
    const text = JSON.stringify(page);
    expect(text).not.toContain(b.tag);
  });

  it('follows the draft: a yearly KPI only under yearly ones, a EUR one under the EUR sum', async () => {
    const yearly = await parents(a.people.owner, a, { cadence: 'year' });
    expect(yearly.hits).toEqual([]);
    expect(yearly.total).toBe(0);
    const eur = await parents(a.people.owner, a, { measure: 'currency', currency: 'EUR' });
    expect(idsOf(eur)).toContain(a.kpis.revenue.id);
    expect(idsOf(eur)).not.toContain(a.kpis.northStar.id);
    // Under a manual parent the measure is free.
    expect(idsOf(eur)).toContain(a.kpis.teamKpi.id);
  });

  it('searches name, key and unit name, case-insensitive, with % taken literally', async () => {
    expect(idsOf(await parents(a.people.owner, a, { q: 'FIELD CALL' }))).toEqual([
      a.kpis.teamChild.id,
      a.kpis.teamKpi.id,
    ]);
    expect(idsOf(await parents(a.people.owner, a, { q: 'pick.book' }))).toEqual([
      a.kpis.northStar.id,
    ]);
    const bySales = await parents(a.people.owner, a, { q: 'sales' });
    expect(new Set(idsOf(bySales))).toEqual(new Set([a.kpis.salesKpi.id, a.kpis.quarterly.id]));
    expect(idsOf(await parents(a.people.owner, a, { q: '100%' }))).toEqual([a.kpis.quarterly.id]);
    expect(idsOf(await parents(a.people.owner, a, { q: '0%' }))).toEqual([a.kpis.quarterly.id]);
    expect((await parents(a.people.owner, a, { q: 'nothing like this' })).total).toBe(0);
  });

  it('returns at most `limit` matches and the total of all of them', async () => {
    const page = await parents(a.people.owner, a, { limit: '2' });
    expect(page.hits).toHaveLength(2);
    expect(page.total).toBe(6);
    const all = await parents(a.people.owner, a);
    expect(idsOf(page)).toEqual(idsOf(all).slice(0, 2));
  });

  it('shows another person’s individual KPI only to whom it shows elsewhere', async () => {
    expect(idsOf(await parents(a.people.leadAbove, a))).toContain(a.kpis.individual.id);
    expect(idsOf(await parents(a.people.owner, a))).toContain(a.kpis.individual.id);
  });

  it('refuses whoever may not write KPIs in the drafted unit', async () => {
    for (const who of [a.people.member, a.people.individualOwner, a.people.leadElsewhere]) {
      const res = await call(parentGET, who, a.org.slug, parentPath(a));
      expect(res.status).toBe(403);
      expect(res.text).not.toContain(a.tag);
    }
    // The Engineering lead in their own unit: Engineering's and the company's KPIs.
    const own = await parents(a.people.leadElsewhere, a, { unit: a.units.eng });
    expect(new Set(idsOf(own))).toEqual(new Set([a.kpis.engKpi.id, a.kpis.northStar.id]));
    // A lead may edit a KPI of their subtree only: the north star is above them.
    const res = await call(
      parentGET,
      a.people.leadAbove,
      a.org.slug,
      parentPath(a, { kpi: a.kpis.northStar.id }),
    );
    expect(res.status).toBe(403);
  });

  it('answers another org’s slug, unit or KPI exactly like a missing one', async () => {
    const missing = await call(parentGET, a.people.owner, `no-such-${randomUUID()}`, parentPath(a));
    const otherSlug = await call(parentGET, a.people.owner, b.org.slug, parentPath(a));
    expect(otherSlug.status).toBe(404);
    expect(otherSlug.text).toBe(missing.text);
    const otherUnit = await call(
      parentGET,
      a.people.owner,
      a.org.slug,
      parentPath(a, { unit: b.units.team }),
    );
    const randomUnit = await call(
      parentGET,
      a.people.owner,
      a.org.slug,
      parentPath(a, { unit: randomUUID() }),
    );
    expect(otherUnit.status).toBe(404);
    expect(otherUnit.text).toBe(randomUnit.text);
    const otherKpi = await call(
      parentGET,
      a.people.owner,
      a.org.slug,
      parentPath(a, { kpi: b.kpis.teamKpi.id }),
    );
    const randomKpi = await call(
      parentGET,
      a.people.owner,
      a.org.slug,
      parentPath(a, { kpi: randomUUID() }),
    );
    expect(otherKpi.status).toBe(404);
    expect(otherKpi.text).toBe(randomKpi.text);
    expect((await call(parentGET, null, a.org.slug, parentPath(a))).status).toBe(401);
  });
});

async function owners(who: SessionClaims, w: World, query = '') {
  const res = await call(ownerGET, who, w.org.slug, `owner-search${query}`);
  expect(res.status, res.text).toBe(200);
  return JSON.parse(res.text) as { hits: AssigneeDto[]; total: number };
}

describe('owner-search', () => {
  it('offers an admin everyone, a lead only the people at home in their subtree', async () => {
    const p = a.people;
    const all = await owners(p.owner, a);
    expect(all.hits.map((h) => h.userId)).toEqual(
      expect.arrayContaining([p.owner.userId, p.member.userId, p.leadElsewhere.userId]),
    );
    expect(all.total).toBe(5);
    const lead = await owners(p.leadAbove, a);
    expect(new Set(lead.hits.map((h) => h.userId))).toEqual(
      new Set([p.leadAbove.userId, p.member.userId, p.individualOwner.userId]),
    );
    const elsewhere = await owners(p.leadElsewhere, a);
    expect(elsewhere.hits.map((h) => h.userId)).toEqual([p.leadElsewhere.userId]);
  });

  it('searches by name or home unit, case-insensitive, within the limit', async () => {
    const p = a.people;
    const byUnit = await owners(p.owner, a, '?q=ENGINEER');
    expect(byUnit.hits.map((h) => h.userId)).toEqual([p.leadElsewhere.userId]);
    expect(byUnit.hits[0]!.unitName).toBe('Engineering');
    const all = await owners(p.owner, a);
    const first = all.hits[0]!;
    const byName = await owners(p.owner, a, `?q=${encodeURIComponent(first.name.toUpperCase())}`);
    expect(byName.hits.map((h) => h.userId)).toContain(first.userId);
    const limited = await owners(p.owner, a, '?limit=2');
    expect(limited.hits.map((h) => h.userId)).toEqual(all.hits.slice(0, 2).map((h) => h.userId));
    expect(limited.total).toBe(all.total);
    // The lead's search never reaches past their subtree, whatever is typed.
    expect((await owners(p.leadAbove, a, '?q=engineering')).total).toBe(0);
  });

  it('refuses members, and answers another org’s slug like a missing one', async () => {
    for (const who of [a.people.member, a.people.individualOwner]) {
      expect((await call(ownerGET, who, a.org.slug, 'owner-search')).status).toBe(403);
    }
    const missing = await call(ownerGET, a.people.owner, `no-such-${randomUUID()}`, 'owner-search');
    const other = await call(ownerGET, a.people.owner, b.org.slug, 'owner-search');
    expect(other.status).toBe(404);
    expect(other.text).toBe(missing.text);
    expect((await call(ownerGET, null, a.org.slug, 'owner-search')).status).toBe(401);
  });
});

describe('kpi-editor-options', () => {
  it('carries units and the unit tree only: no KPI and no person', async () => {
    const res = await call(optionsGET, a.people.owner, a.org.slug, 'kpi-editor-options');
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['unitParents', 'units']);
    for (const k of Object.values(a.kpis)) expect(res.text).not.toContain(k.id);
    expect(res.text).not.toContain(a.people.member.userId);
    expect(res.text).toContain(a.units.team);
  });
});

describe('lead-candidates', () => {
  async function leads(who: SessionClaims, query: string) {
    const res = await call(
      leadGET,
      who,
      a.org.slug,
      `lead-candidates?kpi=${a.kpis.teamKpi.id}${query}`,
    );
    return {
      status: res.status,
      body:
        res.status === 200
          ? (JSON.parse(res.text) as { hits: { id: string; name: string }[]; total: number })
          : null,
      text: res.text,
    };
  }

  it('searches the KPIs that could lead it by name or key, within the limit', async () => {
    const all = (await leads(a.people.owner, '')).body!;
    const ids = all.hits.map((h) => h.id);
    // Never itself nor the KPI feeding it; another person's individual KPI only for whom it shows.
    expect(ids).not.toContain(a.kpis.teamKpi.id);
    expect(ids).not.toContain(a.kpis.teamChild.id);
    expect(ids).toContain(a.kpis.engKpi.id);
    expect(all.total).toBe(all.hits.length);
    const byKey = (await leads(a.people.owner, '&q=PICK.BOOK')).body!;
    expect(byKey.hits.map((h) => h.id)).toEqual([a.kpis.northStar.id]);
    const limited = (await leads(a.people.owner, '&limit=2')).body!;
    expect(limited.hits.map((h) => h.id)).toEqual(ids.slice(0, 2));
    expect(limited.total).toBe(all.total);
    expect((await leads(a.people.member, '')).body!.hits.map((h) => h.id)).not.toContain(
      a.kpis.individual.id,
    );
  });

  it('answers another org’s KPI exactly like a missing one', async () => {
    const other = await call(
      leadGET,
      a.people.owner,
      a.org.slug,
      `lead-candidates?kpi=${b.kpis.teamKpi.id}`,
    );
    const missing = await call(
      leadGET,
      a.people.owner,
      a.org.slug,
      `lead-candidates?kpi=${randomUUID()}`,
    );
    expect(other.status).toBe(404);
    expect(other.text).toBe(missing.text);
  });
});

describe('members', () => {
  it('searches members by name for any member, within the limit', async () => {
    const res = await call(membersGET, a.people.member, a.org.slug, 'members');
    const all = JSON.parse(res.text) as { hits: { userId: string; name: string }[]; total: number };
    expect(all.total).toBe(5);
    expect(all.hits.map((h) => h.userId)).toContain(a.people.leadElsewhere.userId);
    const first = all.hits[0]!;
    const byName = JSON.parse(
      (
        await call(
          membersGET,
          a.people.member,
          a.org.slug,
          `members?q=${encodeURIComponent(first.name.toUpperCase())}`,
        )
      ).text,
    ) as { hits: { userId: string }[] };
    expect(byName.hits.map((h) => h.userId)).toContain(first.userId);
    const limited = JSON.parse(
      (await call(membersGET, a.people.member, a.org.slug, 'members?limit=2')).text,
    ) as { hits: { userId: string }[]; total: number };
    expect(limited.hits.map((h) => h.userId)).toEqual(all.hits.slice(0, 2).map((h) => h.userId));
    expect(limited.total).toBe(5);
    // `exclude` leaves one person out of the hits and the count (the owner, for a new owner).
    const without = JSON.parse(
      (await call(membersGET, a.people.member, a.org.slug, `members?exclude=${first.userId}`)).text,
    ) as { hits: { userId: string }[]; total: number };
    expect(without.total).toBe(4);
    expect(without.hits.map((h) => h.userId)).toEqual(all.hits.slice(1).map((h) => h.userId));
    expect(res.text).not.toContain(b.tag);
  });
});

describe('bad input', () => {
  const BAD_PARENT_DRAFTS: Record<string, string>[] = [
    { limit: '0' },
    { limit: '51' },
    { limit: 'ten' },
    { limit: '2.5' },
    { q: 'x'.repeat(101) },
    { cadence: 'week' },
    { measure: 'furlongs' },
    { rollup: 'median' },
    { unit: 'not-a-uuid' },
    { kpi: 'not-a-uuid' },
    { measure: 'currency', currency: 'eur' },
    { extra: '1' },
  ];
  // Every search route of the pickers, with the queries it must refuse (400 and a message).
  const BAD: { route: string; GET: Get; paths: (w: World) => string[] }[] = [
    {
      route: 'kpi-parent-search',
      GET: parentGET,
      paths: (w) => [
        ...BAD_PARENT_DRAFTS.map((extra) => parentPath(w, extra)),
        'kpi-parent-search?cadence=month&rollup=manual&measure=count',
      ],
    },
    {
      route: 'owner-search',
      GET: ownerGET,
      paths: () =>
        ['?limit=0', '?limit=51', '?limit=x', `?q=${'y'.repeat(101)}`, '?who=1'].map(
          (query) => `owner-search${query}`,
        ),
    },
    {
      route: 'lead-candidates',
      GET: leadGET,
      paths: (w) =>
        ['&limit=0', '&limit=51', `&q=${'z'.repeat(101)}`, '&x=1'].map(
          (query) => `lead-candidates?kpi=${w.kpis.teamKpi.id}${query}`,
        ),
    },
    {
      route: 'members',
      GET: membersGET,
      paths: () =>
        ['?limit=0', '?limit=99', '?who=1', '?exclude=me'].map((query) => `members${query}`),
    },
  ];

  for (const { route, GET, paths } of BAD) {
    it(`${route} refuses bad input with 400 and a message`, async () => {
      for (const path of paths(a)) {
        const res = await call(GET, a.people.owner, a.org.slug, path);
        expect(res.status, path).toBe(400);
        expect(JSON.parse(res.text), path).toEqual({
          error: { code: 'VALIDATION', message: expect.any(String) },
        });
      }
    });
  }
});
