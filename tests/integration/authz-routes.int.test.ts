/**
 * The wall for every org-scoped read: the GET route handlers under app/api/o/[orgSlug]/ and the
 * pages under app/(app)/o/[orgSlug]/, each called directly for every actor against the actor's own
 * organization, another organization and a slug that does not exist. Expected answers come from
 * the tables below, written from DESIGN section 2 (not from lib/authz): signed out -> 401 / the
 * sign-in page; not a member, another org or a random slug -> the same 404; members -> the data,
 * where another person's individual KPI shows only to that person, the leads above their home
 * unit, admins and the owner. The KPI detail read (getKpiDetail) is checked per KPI the same way.
 * Meta-tests fail when a route or page is added without being covered here.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GET as assigneesGET } from '@/app/api/o/[orgSlug]/assignees/route';
import { GET as attributionGET } from '@/app/api/o/[orgSlug]/attribution/route';
import { GET as cascadeMapGET } from '@/app/api/o/[orgSlug]/cascade-map/route';
import { GET as dashboardGET } from '@/app/api/o/[orgSlug]/dashboard/route';
import { GET as kpiEditorOptionsGET } from '@/app/api/o/[orgSlug]/kpi-editor-options/route';
import { GET as kpiParentSearchGET } from '@/app/api/o/[orgSlug]/kpi-parent-search/route';
import { GET as ownerSearchGET } from '@/app/api/o/[orgSlug]/owner-search/route';
import { GET as leadCandidatesGET } from '@/app/api/o/[orgSlug]/lead-candidates/route';
import { GET as membersGET } from '@/app/api/o/[orgSlug]/members/route';
import { GET as meGET } from '@/app/api/o/[orgSlug]/me/route';
import { GET as exportCsvGET } from '@/app/api/o/[orgSlug]/checkins.csv/route';
import { GET as templateCsvGET } from '@/app/api/o/[orgSlug]/checkins-template.csv/route';
import { GET as reportCsvGET } from '@/app/api/o/[orgSlug]/reports/csv/route';
import { GET as reportPdfGET } from '@/app/api/o/[orgSlug]/reports/pdf/route';
import { GET as historyCsvGET } from '@/app/api/o/[orgSlug]/history.csv/route';
import * as apiKeyActions from '@/lib/actions/api-keys';
import * as kpiActions from '@/lib/actions/kpis';
import * as peopleActions from '@/lib/actions/people';
import * as unitActions from '@/lib/actions/units';
import { runWithSession, type SessionClaims } from '@/lib/auth/session';
import { getKpiDetail, type KpiDetail } from '@/lib/dal/kpis/detail';
import { todayInTimeZone } from '@/lib/domain/dates';
import { missingListPeriods } from '@/lib/domain/missing-values';
import { DEFAULT_REMINDER_SETTINGS } from '@/lib/domain/reminders';
import { AppError } from '@/lib/errors';
import { requireOrgPage } from '@/lib/server/page-context';
import { pdfPageTexts } from '@/lib/server/report-export/test-pdf-text';
import { actAs, countKpi } from './cascade-helpers';
import { addTestMember, createTestOrg } from './factories';

type Actor =
  | 'owner'
  | 'admin'
  | 'leadAbove' // leads Sales, above the team that is the individual KPI owner's home unit
  | 'leadElsewhere' // leads Engineering
  | 'individualOwner' // member whose individual KPI it is
  | 'member' // member of the same team, not the individual KPI's owner
  | 'removed' // was a member, removed before the requests
  | 'outsider' // member of another organization
  | 'anonymous';
const ACTORS: Actor[] = [
  'owner',
  'admin',
  'leadAbove',
  'leadElsewhere',
  'individualOwner',
  'member',
  'removed',
  'outsider',
  'anonymous',
];

/** Who may see the individual KPI of `individualOwner` (DESIGN: the person, leads above, admins). */
const SEES_INDIVIDUAL: Actor[] = ['owner', 'admin', 'leadAbove', 'individualOwner'];

type SlugKind = 'orgA' | 'orgB' | 'random';
const SLUGS: SlugKind[] = ['orgA', 'orgB', 'random'];

/** HTTP status of every GET route per actor and slug. The outsider belongs to org B only. */
const ROUTE_STATUS: Record<Actor, Record<SlugKind, number>> = {
  owner: { orgA: 200, orgB: 404, random: 404 },
  admin: { orgA: 200, orgB: 404, random: 404 },
  leadAbove: { orgA: 200, orgB: 404, random: 404 },
  leadElsewhere: { orgA: 200, orgB: 404, random: 404 },
  individualOwner: { orgA: 200, orgB: 404, random: 404 },
  member: { orgA: 200, orgB: 404, random: 404 },
  removed: { orgA: 404, orgB: 404, random: 404 },
  outsider: { orgA: 404, orgB: 200, random: 404 },
  anonymous: { orgA: 401, orgB: 401, random: 401 },
};

type Named = { id: string; name: string };
type Org = {
  id: string;
  slug: string;
  name: string;
  /** In every KPI name of this org, so another org's data is easy to spot in a payload. */
  tag: string;
  claims: Record<Exclude<Actor, 'outsider' | 'anonymous'>, SessionClaims & { email: string }>;
  unitIds: string[];
  kpis: {
    northStar: Named;
    normal: Named;
    individual: Named;
    aligned: Named;
    alignedElsewhere: Named;
  };
};

/**
 * company > Sales > Sales team, company > Engineering; a north star, a team KPI owned by `member`,
 * an individual KPI of `individualOwner` (no value yet, so admins see it as not reported) and two
 * team KPIs aligned under that individual KPI, owned by `member` and by `leadElsewhere` (their
 * dashboards show the line up from KPIs they own: the individual KPI must not be in it). Built
 * through the server actions as the owner.
 */
async function buildOrg(): Promise<Org> {
  const { org, owner, rootUnitId } = await createTestOrg();
  const run = actAs(owner);
  const sales = await run(() =>
    unitActions.createUnitAction(org.slug, {
      parentId: rootUnitId,
      kind: 'department',
      name: 'Sales',
    }),
  );
  const eng = await run(() =>
    unitActions.createUnitAction(org.slug, {
      parentId: rootUnitId,
      kind: 'department',
      name: 'Engineering',
    }),
  );
  const team = await run(() =>
    unitActions.createUnitAction(org.slug, {
      parentId: sales.id,
      kind: 'team',
      name: 'Sales team',
    }),
  );
  const people = {
    admin: await addTestMember(org.id, { role: 'admin', homeUnitId: rootUnitId }),
    leadAbove: await addTestMember(org.id, { role: 'member', homeUnitId: sales.id }),
    leadElsewhere: await addTestMember(org.id, { role: 'member', homeUnitId: eng.id }),
    individualOwner: await addTestMember(org.id, { role: 'member', homeUnitId: team.id }),
    member: await addTestMember(org.id, { role: 'member', homeUnitId: team.id }),
    removed: await addTestMember(org.id, { role: 'member', homeUnitId: team.id }),
  };
  await run(() =>
    unitActions.setUnitLeadAction(org.slug, {
      unitId: sales.id,
      leadUserId: people.leadAbove.userId,
    }),
  );
  await run(() =>
    unitActions.setUnitLeadAction(org.slug, {
      unitId: eng.id,
      leadUserId: people.leadElsewhere.userId,
    }),
  );
  await run(() => peopleActions.removeMemberAction(org.slug, { userId: people.removed.userId }));

  const tag = randomUUID().slice(0, 8);
  const kpi = async (input: Record<string, unknown>): Promise<Named> => {
    const created = await run(() =>
      kpiActions.createKpiAction(org.slug, { ...countKpi, ...input } as never),
    );
    return { id: created.id, name: created.name };
  };
  const northStar = await kpi({ name: `North star ${tag}`, unitId: rootUnitId, rollup: 'sum' });
  await run(() =>
    kpiActions.setNorthStarAction(org.slug, { kpiId: northStar.id, isNorthStar: true }),
  );
  const normal = await kpi({
    name: `Team calls ${tag}`,
    unitId: team.id,
    ownerUserId: people.member.userId,
    defaultTarget: '10',
  });
  const individual = await kpi({
    name: `Private pipeline ${tag}`,
    unitId: team.id,
    isIndividual: true,
    ownerUserId: people.individualOwner.userId,
    defaultTarget: '10',
  });
  const aligned = await kpi({
    name: `Aligned demos ${tag}`,
    unitId: team.id,
    parentId: individual.id,
    ownerUserId: people.member.userId,
  });
  const alignedElsewhere = await kpi({
    name: `Aligned reviews ${tag}`,
    unitId: team.id,
    parentId: individual.id,
    ownerUserId: people.leadElsewhere.userId,
  });
  return {
    id: org.id,
    slug: org.slug,
    name: org.name,
    tag,
    claims: { owner, ...people },
    unitIds: [rootUnitId, sales.id, eng.id, team.id],
    kpis: { northStar, normal, individual, aligned, alignedElsewhere },
  };
}

/* ------------------------------------------------------------------------------------------ */
/* Helpers                                                                                     */
/* ------------------------------------------------------------------------------------------ */

let a: Org;
let b: Org;
const randomSlug = `no-such-org-${randomUUID().slice(0, 8)}`;

function claimsOf(actor: Actor): SessionClaims | null {
  if (actor === 'anonymous') return null;
  if (actor === 'outsider') return b.claims.member;
  return a.claims[actor];
}

/** The organization the actor belongs to (the outsider is a plain member of org B). */
function homeOrg(actor: Actor): Org {
  return actor === 'outsider' ? b : a;
}

/** The actor's standing in their own organization, for the visibility tables. */
function standing(actor: Actor): Actor {
  return actor === 'outsider' ? 'member' : actor;
}

function slugOf(kind: SlugKind): string {
  return kind === 'orgA' ? a.slug : kind === 'orgB' ? b.slug : randomSlug;
}

function orgOfSlug(kind: SlugKind): Org | null {
  return kind === 'orgA' ? a : kind === 'orgB' ? b : null;
}

function otherOrg(org: Org): Org {
  return org === a ? b : a;
}

/**
 * Every string in a JSON payload or a React element tree (props, children), once per object;
 * values under the keys in `skip` are left out.
 */
function collectStrings(value: unknown, skip: ReadonlySet<string> = new Set()): string[] {
  const out: string[] = [];
  const seen = new WeakSet<object>();
  const walk = (v: unknown) => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v !== null && typeof v === 'object' && !seen.has(v)) {
      seen.add(v);
      if (v instanceof Map || v instanceof Set) {
        for (const item of v) walk(item);
        return;
      }
      for (const [key, item] of Object.entries(v)) {
        // React element internals (_owner, _store, _debug*) carry no data.
        if (!key.startsWith('_') && !skip.has(key)) walk(item);
      }
    }
  };
  walk(value);
  return out;
}

const contains = (strings: string[], needle: string) => strings.some((s) => s.includes(needle));

/** Nothing of `other` (its KPI names carry its tag; its KPI and unit ids) is in `strings`. */
function expectNothingOf(other: Org, strings: string[]) {
  const ids = new Set([...other.unitIds, ...Object.values(other.kpis).map((k) => k.id)]);
  expect(
    strings.filter((s) => s.includes(other.tag) || ids.has(s)),
    'data of another organization',
  ).toEqual([]);
}

/* ------------------------------------------------------------------------------------------ */
/* 1. GET route handlers                                                                       */
/* ------------------------------------------------------------------------------------------ */

type RouteGet = (
  request: Request,
  context: { params: Promise<{ orgSlug: string }> },
) => Promise<Response>;

type RouteCase = {
  GET: RouteGet;
  /** After /api/o/<slug>/; a function for a URL naming one of the org's KPIs (null: no org). */
  url: string | ((org: Org | null) => string);
  /** Standings (own org) whose answer includes the individual KPI of `individualOwner`. */
  showsIndividualTo: Actor[];
  /** Ids every member's answer must include (proves the 200 carries the org's data). */
  alwaysShows: (org: Org, standing: Actor) => string[];
  /**
   * Keys left out of the individual-KPI id check. Known and accepted: a visible KPI aligned under
   * an individual KPI carries that KPI's bare id as `parentId` (never its name, value or data).
   */
  idCheckSkips?: string[];
  /** A 200 answer that is a file, not JSON: the strings it shows. */
  fileStrings?: (body: Uint8Array) => Promise<string[]>;
  /** False for files that name KPIs without their ids (the PDF). */
  carriesIds?: false;
  /** Standings (own org) refused with 403 where the table says 200 (an admin-only route). */
  refusedTo?: Actor[];
};

/** Members of the organization who are neither its owner nor an admin. */
const NOT_ADMINS: Actor[] = ['leadAbove', 'leadElsewhere', 'individualOwner', 'member'];

/** The text of every page of a PDF, whitespace collapsed, as one string. */
async function pdfStrings(body: Uint8Array): Promise<string[]> {
  return [(await pdfPageTexts(body)).join(' ')];
}

/** Every route.ts under app/api/o/, by path. The meta-test below keeps this list complete. */
const ROUTES: Record<string, RouteCase> = {
  'app/api/o/[orgSlug]/me/route.ts': {
    GET: meGET,
    url: 'me',
    // My targets and check-ins: my own KPIs only, whoever I am.
    showsIndividualTo: ['individualOwner'],
    alwaysShows: (org, who) =>
      who === 'member'
        ? [org.kpis.normal.id, org.kpis.aligned.id]
        : who === 'leadElsewhere'
          ? [org.kpis.alignedElsewhere.id]
          : [],
  },
  // The people I may make a KPI owner (the dashboard's pickers): names and units, no KPIs.
  'app/api/o/[orgSlug]/assignees/route.ts': {
    GET: assigneesGET,
    url: 'assignees',
    showsIndividualTo: [],
    alwaysShows: () => [],
  },
  // The cascade map's search ("a" is in every KPI name of the org): what the explorer shows.
  'app/api/o/[orgSlug]/cascade-map/route.ts': {
    GET: cascadeMapGET,
    url: 'cascade-map?q=a',
    showsIndividualTo: SEES_INDIVIDUAL,
    alwaysShows: (org) => [org.kpis.northStar.id, org.kpis.normal.id, org.kpis.aligned.id],
  },
  // What the KPI page's edit form loads when it opens: units and the unit tree, no KPI and no
  // person (those are searched), for whoever may write KPIs in some unit (members: 403).
  'app/api/o/[orgSlug]/kpi-editor-options/route.ts': {
    GET: kpiEditorOptionsGET,
    url: 'kpi-editor-options',
    showsIndividualTo: [],
    alwaysShows: (org) => org.unitIds,
    refusedTo: ['individualOwner', 'member'],
  },
  // The edit form's parent picker, for a monthly count KPI of the Sales team searched with no
  // text: the KPIs it may roll up into that the actor may see, for whoever may write KPIs in
  // that unit (the Engineering lead and members: 403).
  'app/api/o/[orgSlug]/kpi-parent-search/route.ts': {
    GET: kpiParentSearchGET,
    url: (org) =>
      `kpi-parent-search?unit=${org ? org.unitIds[3] : randomUUID()}&cadence=month&rollup=manual&measure=count`,
    showsIndividualTo: ['owner', 'admin', 'leadAbove'],
    alwaysShows: (org) => [org.kpis.northStar.id, org.kpis.normal.id, org.kpis.aligned.id],
    idCheckSkips: ['parentId'],
    refusedTo: ['leadElsewhere', 'individualOwner', 'member'],
  },
  // The edit form's owner picker searched with no text: the people the actor may make an owner
  // (admins: everyone; a lead: people at home in their subtree), no KPIs; members: 403.
  'app/api/o/[orgSlug]/owner-search/route.ts': {
    GET: ownerSearchGET,
    url: 'owner-search',
    showsIndividualTo: [],
    alwaysShows: (org, who) =>
      who === 'leadElsewhere' ? [org.claims.leadElsewhere.userId] : [org.claims.member.userId],
    refusedTo: ['individualOwner', 'member'],
  },
  // The KPIs that could be linked as leading the normal KPI (the KPI page's picker): what the
  // actor may see.
  'app/api/o/[orgSlug]/lead-candidates/route.ts': {
    GET: leadCandidatesGET,
    url: (org) => `lead-candidates?kpi=${org ? org.kpis.normal.id : randomUUID()}`,
    showsIndividualTo: SEES_INDIVIDUAL,
    alwaysShows: (org) => [org.kpis.northStar.id, org.kpis.aligned.id],
  },
  // Every contribution to the north star's gap this month (the KPI page's folded list): no lines
  // here (nothing under it), so only the wall is checked.
  'app/api/o/[orgSlug]/attribution/route.ts': {
    GET: attributionGET,
    url: (org) =>
      `attribution?kpi=${org ? org.kpis.northStar.id : randomUUID()}&period=${new Date().toISOString().slice(0, 8)}01`,
    showsIndividualTo: [],
    alwaysShows: () => [],
  },
  // Every member's id and name (a commentary's next-action owner): no KPIs.
  'app/api/o/[orgSlug]/members/route.ts': {
    GET: membersGET,
    url: 'members',
    showsIndividualTo: [],
    alwaysShows: (org) => [org.claims.member.userId, org.claims.owner.userId],
  },
  'app/api/o/[orgSlug]/dashboard/route.ts': {
    GET: dashboardGET,
    url: 'dashboard',
    showsIndividualTo: SEES_INDIVIDUAL,
    alwaysShows: (org, who) => [
      org.kpis.northStar.id,
      ...(who === 'member'
        ? [org.kpis.aligned.id]
        : who === 'leadElsewhere'
          ? [org.kpis.alignedElsewhere.id]
          : []),
    ],
    idCheckSkips: ['parentId'],
  },
  // The period report (company scope, this month): every team KPI; individual KPIs as on the dashboard.
  'app/api/o/[orgSlug]/reports/csv/route.ts': {
    GET: reportCsvGET,
    url: 'reports/csv',
    showsIndividualTo: SEES_INDIVIDUAL,
    alwaysShows: (org) => [org.kpis.northStar.id, org.kpis.normal.id, org.kpis.aligned.id],
    fileStrings: async (body) => {
      const text = new TextDecoder().decode(body);
      return [text, ...text.split(/[\r\n,]+/)];
    },
  },
  // The period-value export (last 12 months, whole org): every KPI the actor may see, by name.
  'app/api/o/[orgSlug]/checkins.csv/route.ts': {
    GET: exportCsvGET,
    url: 'checkins.csv',
    showsIndividualTo: SEES_INDIVIDUAL,
    alwaysShows: () => [],
    fileStrings: async (body) => {
      const text = new TextDecoder().decode(body);
      return [text, ...text.split(/[\r\n,]+/)];
    },
    carriesIds: false,
  },
  // The import template: only KPIs the actor may record values on.
  'app/api/o/[orgSlug]/checkins-template.csv/route.ts': {
    GET: templateCsvGET,
    url: 'checkins-template.csv',
    showsIndividualTo: SEES_INDIVIDUAL,
    alwaysShows: () => [],
    fileStrings: async (body) => {
      const text = new TextDecoder().decode(body);
      return [text, ...text.split(/[\r\n,]+/)];
    },
    carriesIds: false,
  },
  // The organization's history as CSV (owners and admins; everyone else 403): records about the
  // individual KPI name it, as admins may see it.
  'app/api/o/[orgSlug]/history.csv/route.ts': {
    GET: historyCsvGET,
    url: 'history.csv',
    showsIndividualTo: ['owner', 'admin'],
    alwaysShows: (org) => [org.kpis.northStar.name, org.kpis.normal.name],
    fileStrings: async (body) => {
      const text = new TextDecoder().decode(body);
      return [text, ...text.split(/[\r\n,]+/)];
    },
    carriesIds: false,
    refusedTo: NOT_ADMINS,
  },
  'app/api/o/[orgSlug]/reports/pdf/route.ts': {
    GET: reportPdfGET,
    url: 'reports/pdf',
    showsIndividualTo: SEES_INDIVIDUAL,
    alwaysShows: () => [],
    fileStrings: pdfStrings,
    carriesIds: false,
  },
};

async function callRoute(route: RouteCase, actor: Actor, slug: string, org: Org | null) {
  const url = typeof route.url === 'string' ? route.url : route.url(org);
  const response = await runWithSession(claimsOf(actor), () =>
    route.GET(new Request(`http://localhost/api/o/${slug}/${url}`), {
      params: Promise.resolve({ orgSlug: slug }),
    }),
  );
  const bytes = new Uint8Array(await response.arrayBuffer());
  return {
    status: response.status,
    cacheControl: response.headers.get('cache-control'),
    bytes,
    text: new TextDecoder().decode(bytes),
  };
}

beforeAll(async () => {
  a = await buildOrg();
  b = await buildOrg();
}, 120_000);

describe('org-scoped GET routes', () => {
  for (const [file, route] of Object.entries(ROUTES)) {
    describe(file, () => {
      for (const actor of ACTORS) {
        for (const kind of SLUGS) {
          const allowed = ROUTE_STATUS[actor][kind];
          const expected =
            allowed === 200 && route.refusedTo?.includes(standing(actor)) ? 403 : allowed;
          it(`${actor} on ${kind}: ${expected}`, async () => {
            const res = await callRoute(route, actor, slugOf(kind), orgOfSlug(kind));
            expect(res.status).toBe(expected);
            expect(res.cacheControl, 'never cached').toBe('private, no-store');
            const file = expected === 200 ? route.fileStrings : undefined;
            const body = file ? null : (JSON.parse(res.text) as unknown);
            if (expected === 401) {
              expect(body).toEqual({
                error: { code: 'UNAUTHENTICATED', message: expect.any(String) },
              });
            } else if (expected === 403) {
              expect(body).toEqual({ error: { code: 'FORBIDDEN', message: expect.any(String) } });
              expect(res.text).not.toContain(orgOfSlug(kind)!.tag);
            } else if (expected === 404) {
              // Not a member, another org and a slug that does not exist: byte for byte the same.
              const unknownSlug = await callRoute(
                route,
                actor,
                `no-such-org-${randomUUID().slice(0, 8)}`,
                null,
              );
              expect(res.text).toBe(unknownSlug.text);
              expect(body).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found.' } });
            } else {
              const org = orgOfSlug(kind)!;
              const who = standing(actor);
              const strings = file ? await file(res.bytes) : collectStrings(body);
              expectNothingOf(otherOrg(org), strings);
              for (const id of route.alwaysShows(org, who))
                expect(strings, `includes ${id}`).toContain(id);
              const shows = route.showsIndividualTo.includes(who);
              const individual = org.kpis.individual;
              const idStrings = file ? strings : collectStrings(body, new Set(route.idCheckSkips));
              if (route.carriesIds !== false)
                expect(
                  idStrings.includes(individual.id),
                  `individual KPI id ${shows ? 'shown' : 'hidden'}`,
                ).toBe(shows);
              expect(
                contains(strings, individual.name),
                `individual KPI name ${shows ? 'shown' : 'hidden'}`,
              ).toBe(shows);
            }
          });
        }
      }
    });
  }
});

/* ------------------------------------------------------------------------------------------ */
/* 2. The KPI detail read (app/(app)/o/[orgSlug]/kpis/[kpiId]/page.tsx -> getKpiDetail)         */
/* ------------------------------------------------------------------------------------------ */

type KpiTarget = 'normal' | 'individual' | 'aligned' | 'otherOrg' | 'random';
const KPI_TARGETS: KpiTarget[] = ['normal', 'individual', 'aligned', 'otherOrg', 'random'];
type ReadOutcome = 'visible' | 'not-found' | 'sign-in';

const V = 'visible';
const NF = 'not-found';
const SIGN_IN = 'sign-in';

/**
 * getKpiDetail through requireOrgPage, per actor, for KPIs of the actor's own organization (the
 * outsider's is org B), a KPI of the other organization and a random id.
 */
const DETAIL: Record<Actor, Record<KpiTarget, ReadOutcome>> = {
  owner: { normal: V, individual: V, aligned: V, otherOrg: NF, random: NF },
  admin: { normal: V, individual: V, aligned: V, otherOrg: NF, random: NF },
  leadAbove: { normal: V, individual: V, aligned: V, otherOrg: NF, random: NF },
  leadElsewhere: { normal: V, individual: NF, aligned: V, otherOrg: NF, random: NF },
  individualOwner: { normal: V, individual: V, aligned: V, otherOrg: NF, random: NF },
  member: { normal: V, individual: NF, aligned: V, otherOrg: NF, random: NF },
  removed: { normal: NF, individual: NF, aligned: NF, otherOrg: NF, random: NF },
  outsider: { normal: V, individual: NF, aligned: V, otherOrg: NF, random: NF },
  anonymous: {
    normal: SIGN_IN,
    individual: SIGN_IN,
    aligned: SIGN_IN,
    otherOrg: SIGN_IN,
    random: SIGN_IN,
  },
};

type Read<T> =
  | { kind: 'visible'; value: T }
  | { kind: 'not-found'; answer: string }
  | { kind: 'sign-in'; location: string };

/** Runs `fn` as the actor and classifies the answer the way Next would show it. */
async function read<T>(actor: Actor, fn: () => Promise<T>): Promise<Read<T>> {
  try {
    return { kind: 'visible', value: await runWithSession(claimsOf(actor), fn) };
  } catch (error) {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      return {
        kind: 'not-found',
        answer: JSON.stringify({ code: error.code, message: error.message }),
      };
    }
    const digest = (error as { digest?: unknown }).digest;
    if (typeof digest === 'string' && digest.startsWith('NEXT_HTTP_ERROR_FALLBACK;404'))
      return { kind: 'not-found', answer: digest };
    if (typeof digest === 'string' && digest.startsWith('NEXT_REDIRECT;'))
      return { kind: 'sign-in', location: digest.split(';')[2]! };
    throw error;
  }
}

function kpiIdFor(actor: Actor, target: KpiTarget): string {
  const own = homeOrg(actor);
  if (target === 'otherOrg') return otherOrg(own).kpis.normal.id;
  if (target === 'random') return randomUUID();
  return own.kpis[target].id;
}

describe('KPI detail read (getKpiDetail)', () => {
  for (const actor of ACTORS) {
    for (const target of KPI_TARGETS) {
      const expected = DETAIL[actor][target];
      it(`${actor} reading ${target}: ${expected}`, async () => {
        const own = homeOrg(actor);
        const kpiId = kpiIdFor(actor, target);
        const detailOf = (id: string) =>
          read(actor, async () => getKpiDetail(await requireOrgPage(own.slug), id));
        const got = await detailOf(kpiId);
        expect(got.kind).toBe(expected);
        if (got.kind === 'visible') {
          expect(got.value.id).toBe(kpiId);
          expect(got.value.name).toBe((own.kpis as Record<string, Named>)[target]!.name);
          expectNothingOf(otherOrg(own), collectStrings(got.value));
        }
        if (got.kind === 'not-found') {
          // A hidden KPI, another org's KPI and a random id: one and the same answer.
          const random = await detailOf(randomUUID());
          expect(random.kind).toBe('not-found');
          expect(got).toEqual(random);
          // The DAL's NOT_FOUND (the page turns it into its 404), or the 404 itself when there is no context.
          expect([
            JSON.stringify({ code: 'NOT_FOUND', message: 'Not found.' }),
            'NEXT_HTTP_ERROR_FALLBACK;404',
          ]).toContain(got.answer);
        }
        if (got.kind === 'sign-in')
          expect(got.location).toBe(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${own.slug}`)}`);
      });
    }
  }

  // A team KPI aligned under someone's individual KPI must not reveal that KPI (its name) to
  // people who may not see it; and the individual KPI lists it as a child for those who may.
  for (const actor of ACTORS.filter((x) => DETAIL[x].aligned === V)) {
    const sees = SEES_INDIVIDUAL.includes(standing(actor));
    it(`${actor}: the aligned KPI's parent is ${sees ? 'shown' : 'hidden'}`, async () => {
      const own = homeOrg(actor);
      const got = await read(actor, async () =>
        getKpiDetail(await requireOrgPage(own.slug), own.kpis.aligned.id),
      );
      expect(got.kind).toBe('visible');
      const detail = (got as { value: KpiDetail }).value;
      expect(detail.parent).toEqual(sees ? own.kpis.individual : null);
      expect(contains(collectStrings(detail), own.kpis.individual.name)).toBe(sees);
      if (sees) {
        const parent = await read(actor, async () =>
          getKpiDetail(await requireOrgPage(own.slug), own.kpis.individual.id),
        );
        expect(parent.kind === 'visible' && parent.value.children.map((c) => c.id).sort()).toEqual(
          [own.kpis.aligned.id, own.kpis.alignedElsewhere.id].sort(),
        );
      }
    });
  }
});

/* ------------------------------------------------------------------------------------------ */
/* 3. Pages: each page component called as Next would, per actor and slug                      */
/* ------------------------------------------------------------------------------------------ */

const PAGES_DIR = path.join('app', '(app)', 'o', '[orgSlug]');

type PageCase = {
  /** The DAL reads the page imports (`file.function`), kept equal to its imports by the meta-test. */
  dal: string[];
  /** Standings (own org) for which the page renders; everyone else in the org gets the 404. */
  rendersFor: Actor[];
  /** Text a rendered page must carry (proves it shows the org's data). */
  shows: (org: Org, actor: Actor) => string[];
  /** Whether the page lists the org's KPIs, so a viewer of the individual KPI must see it. */
  listsIndividual: Actor[];
  /** Route params besides orgSlug. */
  params?: (org: Org | null) => Record<string, string>;
};

const MEMBERS: Actor[] = [
  'owner',
  'admin',
  'leadAbove',
  'leadElsewhere',
  'individualOwner',
  'member',
];
const KPI_WRITERS: Actor[] = ['owner', 'admin', 'leadAbove', 'leadElsewhere'];

/** Does the missing-values list show this month today (organizations in UTC, default days)? */
const OPEN_MONTH_LISTED = (() => {
  const today = todayInTimeZone('UTC');
  return missingListPeriods(today, 1, DEFAULT_REMINDER_SETTINGS).some(
    (p) => p.cadence === 'month' && p.lastDay >= today,
  );
})();

/**
 * Every org-scoped page and layout, by route (folder path with route groups left out), with the
 * DAL reads it depends on. Each must call requireOrgPage (asserted on its source).
 */
const PAGES: Record<string, PageCase> = {
  'layout.tsx': {
    // The switcher's organizations and the bell come with the context (getOrgPageChrome:
    // readOrgPageFrame, the person's own memberships and notifications).
    dal: ['accounts.touchLastOrg'],
    rendersFor: MEMBERS,
    shows: (org) => [org.name],
    listsIndividual: [],
  },
  'page.tsx': {
    dal: ['dashboards/dashboard.getDashboardView'],
    rendersFor: MEMBERS,
    shows: (org) => [org.kpis.northStar.name],
    listsIndividual: SEES_INDIVIDUAL,
  },
  'kpis/page.tsx': {
    dal: [
      'kpi-quality/smart.listSmartChecks',
      'kpis/editor-options.getKpiFormOptions',
      'kpis/list.listKpis',
      'units/refs.listUnitParents',
    ],
    rendersFor: MEMBERS,
    shows: (org) => [org.kpis.normal.name, org.kpis.aligned.name],
    listsIndividual: SEES_INDIVIDUAL,
  },
  'kpis/new/page.tsx': {
    dal: [
      'kpi-quality/limits.getKpiLoad',
      'kpi-quality/templates.listKpiTemplates',
      'kpis/editor-options.getKpiFormOptions',
      'kpis/parent-search.getLinkCandidate',
    ],
    // Only people who may create a KPI somewhere; the rest get the same 404. No KPI list: the
    // parent and owner pickers search (kpi-parent-search, owner-search above).
    rendersFor: KPI_WRITERS,
    shows: () => ['Sales team', 'Engineering'],
    listsIndividual: [],
  },
  'kpis/[kpiId]/page.tsx': {
    dal: [
      'audit-history.listHistory',
      'commentaries.getCommentaryPanel',
      'kpis/detail.getKpiDetail',
      'kpis/editor-options.listTargetOverrides',
      'kpis/editor-options.toLinkCandidate',
      'kpis/formula-explanation.explainFormulaKpi',
      'kpis/target-planning.getKpiTargetPlanning',
      'sql-sources/pulls.getKpiSqlPull',
      'sql-sources/sources.listSqlSources',
    ],
    rendersFor: MEMBERS,
    shows: (org) => [org.kpis.normal.name],
    // The normal KPI's page: no KPI list (the edit form's pickers search when used:
    // kpi-parent-search and owner-search above).
    listsIndividual: [],
    params: (org) => ({ kpiId: org ? org.kpis.normal.id : randomUUID() }),
  },
  'targets/page.tsx': {
    dal: ['kpis/target-grid.getTargetGrid'],
    // The targets grid: people who may set targets somewhere; the rest get the same 404.
    rendersFor: KPI_WRITERS,
    shows: (org, actor) =>
      actor === 'leadElsewhere'
        ? ['No KPI of this cadence whose targets you set.']
        : [org.kpis.normal.name],
    listsIndividual: ['owner', 'admin', 'leadAbove'],
  },
  'people/page.tsx': {
    dal: [
      'people/invitations.listInvitations',
      'people/members.listMembersPage',
      'people/members.listHomeUnitOptions',
    ],
    rendersFor: MEMBERS,
    shows: (org) => [org.claims.member.email, org.claims.owner.email],
    listsIndividual: [],
  },
  'reports/page.tsx': {
    dal: [
      'reports/report.getReport',
      'reports/report.listReportPeriods',
      'reports/report.listReportScopes',
      'reports/shares.listReportShares',
    ],
    rendersFor: MEMBERS,
    shows: (org) => [org.kpis.northStar.name, org.kpis.normal.name, org.kpis.aligned.name],
    listsIndividual: SEES_INDIVIDUAL,
  },
  'data/page.tsx': {
    dal: ['api-keys/keys.listApiKeys', 'units/tree-view.getUnitTree'],
    rendersFor: MEMBERS,
    shows: () => ['Data in and out', 'Import check-ins from CSV'],
    listsIndividual: [],
  },
  'settings/page.tsx': {
    dal: [
      'kpi-quality/templates.listKpiTemplates',
      'notifications/reminder-settings.getReminderSettings',
      'org-general-settings.getOrgGeneralSettings',
    ],
    // Organization settings: owners and admins; everyone else gets the same 404.
    rendersFor: ['owner', 'admin'],
    shows: () => ['Status thresholds', 'KPI limits', 'Your KPI templates'],
    listsIndividual: [],
  },
  'settings/mail/page.tsx': {
    dal: ['notifications/deliveries-log.listMailDeliveries'],
    // The mail deliveries log and outbox: owners and admins; everyone else gets the same 404.
    rendersFor: ['owner', 'admin'],
    shows: (org) => ['Mail deliveries', org.name],
    listsIndividual: [],
  },
  'history/page.tsx': {
    dal: ['audit-history.listHistory', 'people/members.getMemberChoice'],
    // The organization's history: owners and admins; everyone else gets the same 404. Its
    // records about the individual KPI name it (admins may see it).
    rendersFor: ['owner', 'admin'],
    shows: (org) => ['History', org.kpis.normal.name],
    listsIndividual: ['owner', 'admin'],
  },
  'settings/reports/page.tsx': {
    dal: ['reports/report.listReportScopes', 'reports/schedules.listReportSchedules'],
    // Scheduled reports: owners and admins; everyone else gets the same 404. The recipients are
    // searched as one types (the members route), not listed.
    rendersFor: ['owner', 'admin'],
    shows: (org) => ['Scheduled reports', 'Schedule a report', org.name],
    listsIndividual: [],
  },
  'settings/webhooks/page.tsx': {
    dal: ['webhooks/endpoints.listWebhookEndpoints', 'webhooks/log.listWebhookDeliveries'],
    // Webhook endpoints and their delivery log: owners and admins; everyone else gets the same 404.
    rendersFor: ['owner', 'admin'],
    shows: () => ['Webhooks', 'Add an endpoint'],
    listsIndividual: [],
  },
  'settings/sql-sources/page.tsx': {
    dal: ['sql-sources/sources.listSqlSources', 'sql-sources/pulls.listSqlPullLog'],
    // SQL sources and their pull log: owners and admins; everyone else gets the same 404.
    rendersFor: ['owner', 'admin'],
    shows: () => ['SQL sources', 'Pull log'],
    listsIndividual: [],
  },
  'settings/sso/page.tsx': {
    dal: ['sso/config.getSsoSettings'],
    // The single sign-on provider: owners and admins; everyone else gets the same 404.
    rendersFor: ['owner', 'admin'],
    shows: () => ['Single sign-on', 'Not set up: everyone signs in with a password.'],
    listsIndividual: [],
  },
  'missing/page.tsx': {
    dal: ['notifications/missing-list.listMissingValuesForActor'],
    // Missing values: owners and admins (everyone's), leads (their area's); members get the 404.
    rendersFor: ['owner', 'admin', 'leadAbove', 'leadElsewhere'],
    shows: () => ['Missing values'],
    // The individual KPI (made today, no value) is listed only in its month's last days, once
    // the month's first reminder has gone; then to those who may see it and remind its owner.
    listsIndividual: OPEN_MONTH_LISTED ? ['owner', 'admin', 'leadAbove'] : [],
  },
  'notifications/page.tsx': {
    dal: [
      'notifications/inbox.listMyNotifications',
      'notifications/preferences.getMyEmailPreferences',
    ],
    // Everyone's own inbox.
    rendersFor: MEMBERS,
    shows: () => ['Notifications'],
    listsIndividual: [],
  },
  'account/security/page.tsx': {
    dal: ['two-factor/enrol.getMySecondFactor'],
    // Everyone's own sign-in security (their second factor).
    rendersFor: MEMBERS,
    shows: () => ['Security', 'Two-factor sign-in'],
    listsIndividual: [],
  },
  'units/page.tsx': {
    dal: ['units/tree-view.getUnitTree'],
    rendersFor: MEMBERS,
    shows: () => ['Sales team', 'Engineering'],
    listsIndividual: [],
  },
};

/** Every page.tsx and layout.tsx under the org folder, keyed by its route (groups removed). */
function findPageFiles(): Map<string, string> {
  const found = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^(page|layout)\.(tsx|ts|jsx|js)$/.test(entry.name)) {
        const rel = path.relative(PAGES_DIR, full).split(path.sep);
        const key = rel
          .filter((segment) => !/^\(.*\)$/.test(segment))
          .join('/')
          .replace(/\.(ts|jsx|js)$/, '.tsx');
        found.set(key, full);
      }
    }
  };
  walk(path.join(process.cwd(), PAGES_DIR));
  return found;
}

type PageComponent = (props: {
  params: Promise<Record<string, string>>;
  searchParams: Promise<Record<string, string>>;
  children: null;
}) => Promise<unknown>;

describe('org-scoped pages', () => {
  const files = findPageFiles();

  for (const [route, page] of Object.entries(PAGES)) {
    describe(route, () => {
      for (const actor of ACTORS) {
        for (const kind of SLUGS) {
          const member =
            actor !== 'anonymous' &&
            ((kind === 'orgA' && actor !== 'outsider') ||
              (kind === 'orgB' && actor === 'outsider'));
          const expected: ReadOutcome =
            actor === 'anonymous'
              ? SIGN_IN
              : member && page.rendersFor.includes(standing(actor))
                ? V
                : NF;
          it(`${actor} on ${kind}: ${expected}`, async () => {
            const org = orgOfSlug(kind);
            const file = files.get(route);
            expect(file, `${route} exists`).toBeDefined();
            const Page = ((await import(file!)) as { default: PageComponent }).default;
            const slug = slugOf(kind);
            const render = (orgSlug: string, params: Record<string, string>) =>
              read(actor, () =>
                Page({
                  params: Promise.resolve({ orgSlug, ...params }),
                  searchParams: Promise.resolve({}),
                  children: null,
                }),
              );
            const got = await render(slug, page.params?.(org) ?? {});
            expect(got.kind).toBe(expected);
            if (got.kind === 'visible') {
              const strings = collectStrings(got.value);
              for (const text of page.shows(org!, standing(actor)))
                expect(contains(strings, text), `shows ${text}`).toBe(true);
              expectNothingOf(otherOrg(org!), strings);
              const sees = page.listsIndividual.includes(standing(actor));
              expect(
                contains(strings, org!.kpis.individual.name),
                `individual KPI ${sees ? 'listed' : 'hidden'}`,
              ).toBe(sees);
              if (!SEES_INDIVIDUAL.includes(standing(actor)))
                expect(contains(strings, org!.kpis.individual.name)).toBe(false);
            }
            if (got.kind === 'not-found') {
              const unknown = await render(
                `no-such-org-${randomUUID().slice(0, 8)}`,
                page.params?.(null) ?? {},
              );
              expect(got).toEqual(unknown);
            }
            if (got.kind === 'sign-in')
              expect(got.location).toBe(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${slug}`)}`);
          });
        }
      }
    });
  }

  it('the KPI detail page answers 404 for an individual KPI it hides, a KPI of another org and a malformed id', async () => {
    const Page = ((await import(files.get('kpis/[kpiId]/page.tsx')!)) as { default: PageComponent })
      .default;
    const render = (actor: Actor, kpiId: string) =>
      read(actor, () =>
        Page({
          params: Promise.resolve({ orgSlug: a.slug, kpiId }),
          searchParams: Promise.resolve({}),
          children: null,
        }),
      );
    const hidden = await render('member', a.kpis.individual.id);
    expect(hidden.kind).toBe('not-found');
    expect(await render('leadElsewhere', a.kpis.individual.id)).toEqual(hidden);
    expect(await render('member', b.kpis.normal.id)).toEqual(hidden);
    expect(await render('member', randomUUID())).toEqual(hidden);
    expect(await render('member', 'not-a-uuid')).toEqual(hidden);
    const shown = await render('leadAbove', a.kpis.individual.id);
    expect(shown.kind).toBe('visible');
    expect(
      contains(collectStrings((shown as { value: unknown }).value), a.kpis.individual.name),
    ).toBe(true);
  });
});

/* ------------------------------------------------------------------------------------------ */
/* Meta: nothing org-scoped escapes these tables                                               */
/* ------------------------------------------------------------------------------------------ */

/**
 * POST routes under app/api/o/ that carry a file past the server actions' body limit: each hands
 * the body to server actions of lib/actions (the orgAction pipeline: same session, permission
 * and per-row checks as the form). Their own wall (signed out, another org, another origin, a
 * member without KPIs) is tested in hostile-input.int.test.ts.
 */
const UPLOAD_ROUTES: Record<string, RegExp> = {
  'app/api/o/[orgSlug]/checkins-import/route.ts':
    /import \{ importCheckinsAction, previewCheckinImportAction \} from '@\/lib\/actions\/imports'/,
};

/** Every route.ts (or .tsx, .js) under `root`, as paths from the repository root with '/'. */
function routeFilesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (/^route\.(ts|tsx|js)$/.test(entry.name))
        found.push(path.relative(process.cwd(), full).split(path.sep).join('/'));
    }
  };
  walk(root);
  return found;
}

describe('route and page coverage', () => {
  it('covers every route.ts under app/api/o/, each a GET through orgGetRoute', async () => {
    const root = path.join(process.cwd(), 'app', 'api', 'o');
    const found = routeFilesUnder(root);
    for (const [file, callsActions] of Object.entries(UPLOAD_ROUTES)) {
      expect(found, file).toContain(file);
      const mod = (await import(path.join(process.cwd(), file))) as Record<string, unknown>;
      expect(
        Object.keys(mod).filter((k) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(k)),
        `${file}: an upload route only takes POST`,
      ).toEqual(['POST']);
      expect(fs.readFileSync(path.join(process.cwd(), file), 'utf8')).toMatch(callsActions);
      found.splice(found.indexOf(file), 1);
    }
    expect(found.length).toBeGreaterThan(0);
    expect(
      found.filter((f) => !(f in ROUTES)),
      'add these routes to ROUTES',
    ).toEqual([]);
    expect(
      Object.keys(ROUTES).filter((f) => !found.includes(f)),
      'stale entries in ROUTES',
    ).toEqual([]);
    for (const file of found) {
      const mod = (await import(path.join(process.cwd(), file))) as Record<string, unknown>;
      const methods = Object.keys(mod).filter((k) =>
        /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(k),
      );
      expect(methods, `${file}: only GET is covered`).toEqual(['GET']);
      expect(mod.GET, `${file}: the GET the table calls`).toBe(ROUTES[file]!.GET);
      expect(
        fs.readFileSync(path.join(process.cwd(), file), 'utf8'),
        `${file} goes through orgGetRoute`,
      ).toMatch(/\borgGetRoute\(/);
    }
  });

  it('covers every page and layout under app/(app)/o/[orgSlug]/, each through requireOrgPage and the DAL reads listed', () => {
    const files = findPageFiles();
    expect(
      [...files.keys()].filter((r) => !(r in PAGES)),
      'add these pages to PAGES',
    ).toEqual([]);
    expect(
      Object.keys(PAGES).filter((r) => !files.has(r)),
      'stale entries in PAGES',
    ).toEqual([]);
    for (const [route, file] of files) {
      const source = fs.readFileSync(file, 'utf8');
      expect(source, `${route} calls requireOrgPage`).toMatch(/\bawait requireOrgPage\(/);
      const dalImport = /import\s+(type\s+)?\{([^}]*)\}\s+from\s+'@\/lib\/dal\/([^']+)';?/g;
      const dal: string[] = [];
      for (const [, typeOnly, names, dalFile] of source.matchAll(dalImport)) {
        if (typeOnly) continue;
        for (const name of names!.split(',').map((n) => n.trim())) {
          if (name && !name.startsWith('type ')) dal.push(`${dalFile}.${name}`);
        }
      }
      expect(dal.sort(), `${route}: its DAL reads, as listed in PAGES`).toEqual(
        [...PAGES[route]!.dal].sort(),
      );
      // Any other way to the data (db/, a namespace or default DAL import) must be added here first.
      const otherData =
        source.replace(dalImport, '').match(/from\s+'@\/(db|lib\/dal)\b[^']*'/g) ?? [];
      expect(otherData, `${route} reads data only through the DAL functions listed`).toEqual([]);
    }
  });
});

/* ------------------------------------------------------------------------------------------ */
/* 4. The public API (app/api/v1): key scopes, and 405 for every method a route lacks           */
/* ------------------------------------------------------------------------------------------ */

type ApiMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const API_METHODS: ApiMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];
const SCOPE_RANK = { read: 0, write: 1, 'write:definitions': 2 } as const;
type ApiScope = keyof typeof SCOPE_RANK;

/**
 * Every route.ts under app/api/v1/, by path: the scope each method asks of the key (DESIGN: `read`
 * reads, `write` records check-ins, `write:definitions` changes definitions; each includes the
 * ones before it), or `public` (the OpenAPI document). Every other method answers 405 with the
 * JSON error body and an Allow header. The meta-test keeps this list complete.
 */
const API_ROUTES: Record<
  string,
  { url: string; methods: Partial<Record<ApiMethod, ApiScope | 'public'>> }
> = {
  'app/api/v1/kpis/route.ts': { url: 'kpis', methods: { GET: 'read', POST: 'write:definitions' } },
  'app/api/v1/kpis/[kpi]/route.ts': {
    url: 'kpis/{kpi}',
    methods: { GET: 'read', PATCH: 'write:definitions' },
  },
  'app/api/v1/kpis/[kpi]/values/route.ts': { url: 'kpis/{kpi}/values', methods: { GET: 'read' } },
  'app/api/v1/kpis/[kpi]/attribution/route.ts': {
    url: 'kpis/{kpi}/attribution',
    methods: { GET: 'read' },
  },
  'app/api/v1/kpis/[kpi]/archive/route.ts': {
    url: 'kpis/{kpi}/archive',
    methods: { POST: 'write:definitions' },
  },
  'app/api/v1/kpis/[kpi]/targets/route.ts': {
    url: 'kpis/{kpi}/targets',
    methods: { PUT: 'write:definitions' },
  },
  'app/api/v1/checkins/route.ts': { url: 'checkins', methods: { POST: 'write' } },
  'app/api/v1/openapi.json/route.ts': { url: 'openapi.json', methods: { GET: 'public' } },
  'app/api/v1/webhooks/route.ts': {
    url: 'webhooks',
    methods: { GET: 'write:definitions', POST: 'write:definitions' },
  },
  'app/api/v1/webhooks/[id]/route.ts': {
    url: 'webhooks/{kpi}',
    methods: { GET: 'write:definitions', PATCH: 'write:definitions', DELETE: 'write:definitions' },
  },
};

type ApiHandler = (
  request: Request,
  segment: { params: Promise<Record<string, string>> },
) => Promise<Response>;

describe('public API routes (app/api/v1)', () => {
  let keys: Record<ApiScope, string>;
  beforeAll(async () => {
    const { org, owner } = await createTestOrg();
    const make = async (scope: ApiScope) => {
      const result = await runWithSession(owner, () =>
        apiKeyActions.createApiKeyAction(org.slug, { name: `authz ${scope}`, scope }),
      );
      if (!result.ok) throw new Error(result.error.message);
      return result.data.secret;
    };
    keys = {
      read: await make('read'),
      write: await make('write'),
      'write:definitions': await make('write:definitions'),
    };
  }, 60_000);

  async function callApi(file: string, method: ApiMethod, secret?: string) {
    const route = API_ROUTES[file]!;
    const mod = (await import(path.join(process.cwd(), file))) as Record<string, ApiHandler>;
    const kpi = randomUUID();
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret) headers.authorization = `Bearer ${secret}`;
    const response = await mod[method]!(
      new Request(`http://localhost/api/v1/${route.url.replace('{kpi}', kpi)}`, {
        method,
        headers,
        ...(method === 'GET' ? {} : { body: '{}' }),
      }),
      { params: Promise.resolve({ kpi, id: kpi }) },
    );
    return {
      status: response.status,
      allow: response.headers.get('allow'),
      body: await response.json(),
    };
  }

  for (const [file, route] of Object.entries(API_ROUTES)) {
    describe(file, () => {
      for (const method of API_METHODS) {
        const scope = route.methods[method];
        if (scope === undefined) {
          it(`${method}: 405 with the error body and Allow`, async () => {
            const answer = await callApi(file, method, keys['write:definitions']);
            expect(answer.status).toBe(405);
            expect(answer.body.error.code).toBe('METHOD_NOT_ALLOWED');
            const allow = answer.allow?.split(', ') ?? [];
            for (const m of Object.keys(route.methods)) expect(allow).toContain(m);
            expect(allow).not.toContain(method);
          });
        } else if (scope !== 'public') {
          it(`${method}: no key 401; keys below ${scope} 403; the rest pass the wall`, async () => {
            expect((await callApi(file, method)).status).toBe(401);
            for (const [keyScope, secret] of Object.entries(keys)) {
              const answer = await callApi(file, method, secret);
              if (SCOPE_RANK[keyScope as ApiScope] < SCOPE_RANK[scope]) {
                expect(answer.status, keyScope).toBe(403);
              } else {
                // Past the wall: a missing KPI (404) or the empty body refused (422), never 401/403.
                expect([200, 404, 422], `${keyScope}: ${JSON.stringify(answer.body)}`).toContain(
                  answer.status,
                );
              }
            }
          });
        }
      }
    });
  }

  it('covers every route.ts under app/api/v1/, each method through apiRoute with its scope', async () => {
    const root = path.join(process.cwd(), 'app', 'api', 'v1');
    const found = routeFilesUnder(root);
    expect(found.sort()).toEqual(Object.keys(API_ROUTES).sort());
    for (const file of found) {
      const mod = (await import(path.join(process.cwd(), file))) as Record<string, unknown>;
      expect(
        Object.keys(mod)
          .filter((k) => /^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(k))
          .sort(),
        `${file}: every method is answered (the ones it lacks by otherMethods)`,
      ).toEqual([...API_METHODS].sort());
      const source = fs.readFileSync(path.join(process.cwd(), file), 'utf8');
      for (const [method, scope] of Object.entries(API_ROUTES[file]!.methods)) {
        if (scope === 'public') continue;
        expect(source, `${file}: ${method} goes through apiRoute('${scope}')`).toMatch(
          new RegExp(`export const ${method} = apiRoute(<[^>]*>)?\\(\\s*'${scope}'`),
        );
      }
      expect(source, `${file}: the methods it lacks answer 405`).toMatch(
        /export const \{[^}]+\} = otherMethods\(/,
      );
    }
  });
});
