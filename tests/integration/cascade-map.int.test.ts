/**
 * The cascade map's route (app/api/o/[orgSlug]/cascade-map): the first view opens the company and
 * its departments only; a branch opens on demand with only the KPIs the viewer may see (another
 * person's individual KPI: the person, the leads above, admins); another org's unit looks exactly
 * like a missing one; the search by name or key keeps to the same visibility.
 */
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET } from '@/app/api/o/[orgSlug]/cascade-map/route';
import * as kpiActions from '@/lib/actions/kpis';
import * as unitActions from '@/lib/actions/units';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import type { MapSearchHit, MapSlice } from '@/lib/domain/cascade-map';
import { actAs, countKpi } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

type World = Awaited<ReturnType<typeof buildOrg>>;

/** company > Sales > Field team; a north star, a Sales KPI under it, a team KPI and an individual KPI. */
async function buildOrg() {
  const { org, owner, rootUnitId } = await createTestOrg();
  const run = actAs(owner);
  const sales = await run(() =>
    unitActions.createUnitAction(org.slug, {
      parentId: rootUnitId,
      kind: 'department',
      name: 'Sales',
    }),
  );
  const team = await run(() =>
    unitActions.createUnitAction(org.slug, {
      parentId: sales.id,
      kind: 'team',
      name: 'Field team',
    }),
  );
  const member = await addTestMember(org.id, { role: 'member', homeUnitId: team.id });
  const individualOwner = await addTestMember(org.id, { role: 'member', homeUnitId: team.id });
  const leadAbove = await addTestMember(org.id, { role: 'member', homeUnitId: sales.id });
  await run(() =>
    unitActions.setUnitLeadAction(org.slug, { unitId: sales.id, leadUserId: leadAbove.userId }),
  );
  const tag = randomUUID().slice(0, 8);
  const kpi = (input: Record<string, unknown>) =>
    run(() => kpiActions.createKpiAction(org.slug, { ...countKpi, ...input } as never));
  const northStar = await kpi({
    name: `Bookings ${tag}`,
    key: `map.bookings`,
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
    key: `map.field_calls`,
    unitId: team.id,
    parentId: salesKpi.id,
    ownerUserId: member.userId,
    defaultTarget: '10',
  });
  const individual = await kpi({
    name: `Private pipeline ${tag}`,
    unitId: team.id,
    isIndividual: true,
    ownerUserId: individualOwner.userId,
  });
  return {
    org,
    tag,
    units: { root: rootUnitId, sales: sales.id, team: team.id },
    people: { owner, member, individualOwner, leadAbove },
    kpis: { northStar, salesKpi, teamKpi, individual },
  };
}

let a: World;
let b: World;

beforeAll(async () => {
  [a, b] = await Promise.all([buildOrg(), buildOrg()]);
}, 120_000);

async function call(who: SessionClaims | null, slug: string, query = '') {
  const res = await runWithSession(who, () =>
    GET(new Request(`http://localhost/api/o/${slug}/cascade-map${query}`), {
      params: Promise.resolve({ orgSlug: slug }),
    }),
  );
  return { status: res.status, text: await res.text() };
}

const ids = (slice: MapSlice) => slice.kpis.map((k) => k.id);

describe('cascade map route', () => {
  it('opens the company and its departments first, with the teams closed', async () => {
    const res = await call(a.people.owner, a.org.slug);
    expect(res.status).toBe(200);
    const slice = JSON.parse(res.text) as MapSlice;
    expect(slice.opened.sort()).toEqual([a.units.root, a.units.sales].sort());
    expect(ids(slice).sort()).toEqual([a.kpis.northStar.id, a.kpis.salesKpi.id].sort());
    const team = slice.units.find((u) => u.id === a.units.team);
    expect(team).toMatchObject({ parentId: a.units.sales, childUnitCount: 0 });
    expect(slice.units.find((u) => u.id === a.units.sales)?.childUnitCount).toBe(1);
    const star = slice.kpis.find((k) => k.id === a.kpis.northStar.id)!;
    expect(star).toMatchObject({ key: 'map.bookings', status: 'no_data', driverIds: [] });
    expect(res.text).not.toContain(b.tag);
  });

  it('opens a branch with only what the viewer may see', async () => {
    const open = async (who: SessionClaims) => {
      const res = await call(who, a.org.slug, `?unit=${a.units.team}`);
      expect(res.status).toBe(200);
      return JSON.parse(res.text) as MapSlice;
    };
    const forMember = await open(a.people.member);
    expect(forMember.opened).toEqual([a.units.team]);
    expect(ids(forMember)).toEqual([a.kpis.teamKpi.id]);
    const teamKpi = forMember.kpis[0]!;
    expect(teamKpi).toMatchObject({
      parentId: a.kpis.salesKpi.id,
      targetText: expect.stringContaining('10'),
    });
    expect(JSON.stringify(forMember)).not.toContain('Private pipeline');
    for (const who of [a.people.owner, a.people.leadAbove, a.people.individualOwner])
      expect(ids(await open(who)).sort()).toEqual([a.kpis.teamKpi.id, a.kpis.individual.id].sort());
  });

  it("answers another org's unit exactly like a missing one", async () => {
    const other = await call(a.people.owner, a.org.slug, `?unit=${b.units.team}`);
    const missing = await call(a.people.owner, a.org.slug, `?unit=${randomUUID()}`);
    expect(other.status).toBe(404);
    expect(other.text).toBe(missing.text);
    expect(other.text).not.toContain(b.tag);
    // And a member of org B cannot read org A through its own slug's unit ids either.
    expect((await call(b.people.member, a.org.slug, `?unit=${a.units.team}`)).status).toBe(404);
    expect((await call(null, a.org.slug, `?unit=${a.units.team}`)).status).toBe(401);
  });

  it('searches by name or key with the same visibility, giving the path to open', async () => {
    const search = async (who: SessionClaims, q: string) => {
      const res = await call(who, a.org.slug, `?q=${encodeURIComponent(q)}`);
      expect(res.status).toBe(200);
      return (JSON.parse(res.text) as { hits: MapSearchHit[] }).hits;
    };
    const byKey = await search(a.people.member, 'MAP.FIELD');
    expect(byKey.map((h) => h.id)).toEqual([a.kpis.teamKpi.id]);
    expect(byKey[0]!.unitPath).toEqual([a.units.root, a.units.sales, a.units.team]);
    expect(await search(a.people.member, `Private pipeline ${a.tag}`)).toEqual([]);
    expect((await search(a.people.owner, `Private pipeline ${a.tag}`)).map((h) => h.id)).toEqual([
      a.kpis.individual.id,
    ]);
    // Another org's KPIs never match; a LIKE wildcard is taken literally.
    expect(await search(a.people.owner, b.tag)).toEqual([]);
    expect(await search(a.people.owner, '%')).toEqual([]);
  });

  it('refuses a malformed query', async () => {
    for (const query of [
      '?unit=not-a-uuid',
      '?other=1',
      `?unit=${a.units.team}&q=x`,
      `?q=${'x'.repeat(101)}`,
    ]) {
      const res = await call(a.people.owner, a.org.slug, query);
      expect(res.status, query).toBe(400);
    }
  });
});
