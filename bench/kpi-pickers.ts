// The KPI edit form's payloads on a large organization, in-process through the route handlers:
// what opening "Edit KPI" fetches (kpi-editor-options: units and the unit tree; every visible KPI
// and every member before the pickers, see RESULTS) and what one keystroke of each picker fetches
// (owner-search, kpi-parent-search), as the owner and as a team lead: bytes (raw and gzip) and
// this process's CPU per call (median of `--n`, from process.cpuUsage, comparable on a shared
// machine). The parent search is also measured, as the owner, for a new team KPI and for the
// top KPI of the largest tree (the most KPIs under it: the cycle rule's worst case).
// `--parent-only` measures the parent searches alone.
// `NODE_ENV=test DATABASE_URL=... npx tsx bench/kpi-pickers.ts --slug <org> [--n 5] [--parent-only]`
import { gzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { execRows, getOwnerDb } from '@/db/client';
import { kpis, organizations, units } from '@/db/schema';
import { GET as optionsGET } from '@/app/api/o/[orgSlug]/kpi-editor-options/route';
import { GET as ownerGET } from '@/app/api/o/[orgSlug]/owner-search/route';
import { GET as parentGET } from '@/app/api/o/[orgSlug]/kpi-parent-search/route';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { listOrgPeople } from './support/org-people';

const { values } = parseArgs({
  options: {
    slug: { type: 'string' },
    n: { type: 'string', default: '5' },
    'parent-only': { type: 'boolean', default: false },
  },
});
const slug = values.slug!;
const n = Number(values.n);
const parentOnly = values['parent-only'];

type Get = typeof optionsGET;

async function cpuMs(fn: () => Promise<string>): Promise<{ body: string; ms: number }> {
  const start = process.cpuUsage();
  const body = await fn();
  const used = process.cpuUsage(start);
  return { body, ms: (used.user + used.system) / 1000 };
}

async function measure(label: string, who: SessionClaims, fn: () => Promise<string>) {
  const runs: number[] = [];
  let body = '';
  await runWithSession(who, async () => {
    await fn(); // warm (module loads, first connection)
    for (let i = 0; i < n; i += 1) {
      const r = await cpuMs(fn);
      runs.push(r.ms);
      body = r.body;
    }
  });
  runs.sort((x, y) => x - y);
  const raw = Buffer.byteLength(body);
  const gz = gzipSync(body).length;
  console.log(
    `${label.padEnd(58)} ${(raw / 1024).toFixed(1).padStart(9)} KB  gzip ${(gz / 1024).toFixed(1).padStart(7)} KB  CPU ${runs[Math.floor(runs.length / 2)]!.toFixed(0).padStart(5)} ms`,
  );
}

function route(GET: Get, url: string): () => Promise<string> {
  return async () => {
    const res = await GET(new Request(`http://localhost/api/o/${slug}/${url}`), {
      params: Promise.resolve({ orgSlug: slug }),
    });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status} ${text}`);
    return text;
  };
}

async function main(): Promise<void> {
  const db = await getOwnerDb();
  const people = await listOrgPeople(slug);
  const owner = people.find((p) => p.role === 'owner');
  if (!owner) throw new Error(`no owner in ${slug}`);
  // A team lead: the lead of the deepest-named team unit with a lead.
  const [team] = await db
    .select({ id: units.id, leadUserId: units.leadUserId })
    .from(units)
    .innerJoin(organizations, eq(organizations.id, units.orgId))
    .where(and(eq(organizations.slug, slug), eq(units.kind, 'team')))
    .orderBy(units.name)
    .limit(1);
  const lead = people.find((p) => p.userId === team?.leadUserId);
  // The deepest active KPI of that team: its parent search walks the whole chain above it.
  const [deep] = await db
    .select({
      id: kpis.id,
      unitId: kpis.unitId,
      cadence: kpis.cadence,
      rollup: kpis.rollup,
      measureUnit: kpis.measureUnit,
      currency: kpis.currency,
    })
    .from(kpis)
    .where(and(eq(kpis.unitId, team!.id), isNull(kpis.archivedOn)))
    .orderBy(desc(kpis.name))
    .limit(1);
  if (!lead || !deep) throw new Error('no team lead or team KPI');
  // The top KPI with the most KPIs under it.
  const [top] = await execRows<{
    id: string;
    unitId: string;
    cadence: string;
    rollup: string;
    measureUnit: string;
    currency: string | null;
    below: number;
  }>(
    db,
    sql`with recursive tree as (
          select k.id as top, k.id from kpis k join organizations o on o.id = k.org_id
          where o.slug = ${slug} and k.parent_id is null
          union all
          select t.top, k.id from kpis k join tree t on k.parent_id = t.id
        )
        select k.id, k.unit_id as "unitId", k.cadence, k.rollup, k.measure_unit as "measureUnit",
               k.currency, count(*)::int - 1 as below
        from tree t join kpis k on k.id = t.top group by k.org_id, k.id order by below desc limit 1`,
  );
  if (!top) throw new Error('no top KPI');
  const draftQuery = (kpi: {
    unitId: string;
    cadence: string;
    rollup: string;
    measureUnit: string;
    currency: string | null;
  }) =>
    `unit=${kpi.unitId}&cadence=${kpi.cadence}&rollup=${kpi.rollup}&measure=${kpi.measureUnit}${kpi.currency ? `&currency=${kpi.currency}` : ''}`;
  const parentQuery = (q: string) => `kpi-parent-search?kpi=${deep.id}&${draftQuery(deep)}&q=${q}`;
  for (const [who, claims] of [
    ['owner', owner],
    ['team lead', lead],
  ] as const) {
    if (!parentOnly) {
      await measure(
        `${who}: now, kpi-editor-options`,
        claims,
        route(optionsGET, 'kpi-editor-options'),
      );
      await measure(`${who}: owner-search, q empty`, claims, route(ownerGET, 'owner-search'));
      await measure(`${who}: owner-search?q=an`, claims, route(ownerGET, 'owner-search?q=an'));
    }
    await measure(`${who}: kpi-parent-search, q empty`, claims, route(parentGET, parentQuery('')));
    await measure(`${who}: kpi-parent-search?q=syn`, claims, route(parentGET, parentQuery('syn')));
  }
  await measure(
    'owner: kpi-parent-search, a new team KPI, q=syn',
    owner,
    route(parentGET, `kpi-parent-search?${draftQuery(deep)}&q=syn`),
  );
  await measure(
    `owner: kpi-parent-search, top KPI (${top.below} under it), q=syn`,
    owner,
    route(parentGET, `kpi-parent-search?kpi=${top.id}&${draftQuery(top)}&q=syn`),
  );
  process.exit(0);
}

await main();
