/**
 * The dashboard's cached sections (components/dashboards/cached-section.tsx): on a synthetic
 * organization's real dashboards (owner and department lead), each section our renderer sends
 * as one string is byte for byte what react-dom/server renders from the same elements, next/link
 * included (a plain `<a>` with the same attributes), and so are the report's tables (sent as one
 * string by StaticSection); and the cache's premise holds: two reads without a write share one
 * view object (one rendering), a write gives a new one.
 */
import { eq } from 'drizzle-orm';
import { createElement as h, type ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { getOwnerDb } from '@/db/client';
import { users } from '@/db/schema';
import { recordCheckinAction } from '@/lib/actions/checkins';
import type { SessionClaims } from '@/lib/auth/session';
import { AttentionList } from '@/components/dashboards/attention-list';
import { LINK_AS_ANCHOR } from '@/components/dashboards/cached-section';
import { KpiScorecard } from '@/components/dashboards/kpi-scorecard';
import { NorthStarCards } from '@/components/dashboards/north-star-cards';
import { SectionCard } from '@/components/dashboards/section-card';
import { UnitScorecards } from '@/components/dashboards/unit-scorecards';
import { ReportTables } from '@/components/reports/report-view';
import { getDashboardView } from '@/lib/dal/dashboards/dashboard';
import { getReport } from '@/lib/dal/reports/report';
import { resolveDashboardPeriod } from '@/lib/domain/dashboard/periods';
import { todayInTimeZone } from '@/lib/domain/dates';
import { createSyntheticOrganization } from '@/lib/seed/synthetic';
import { renderStaticMarkup } from '@/lib/server/static-markup';
import { as, contextFor, firstManualChildKpi, must, ownerClaims } from './cascade-helpers';

let slug: string;
let orgId: string;
let owner: SessionClaims;
let head: SessionClaims;

async function claimsOf(email: string): Promise<SessionClaims> {
  const db = await getOwnerDb();
  const [row] = await db
    .select({ userId: users.id, sessionVersion: users.sessionVersion })
    .from(users)
    .where(eq(users.email, email));
  return row!;
}

async function viewAs(claims: SessionClaims) {
  const ctx = await contextFor(claims, slug);
  return { ctx, view: await getDashboardView(ctx, resolveDashboardPeriod(undefined, ctx.org)) };
}

/** Ours (with next/link as a plain anchor) against react-dom/server's, byte for byte. */
async function same(node: ReactNode): Promise<string> {
  const ours = await renderStaticMarkup(node, LINK_AS_ANCHOR);
  expect(ours).toBe(renderToStaticMarkup(node));
  return ours;
}

beforeAll(async () => {
  const org = await createSyntheticOrganization({
    kpis: 300,
    people: 30,
    months: 18,
    depth: 5,
    seed: 7,
  });
  slug = org.slug;
  orgId = org.orgId;
  owner = await ownerClaims(org.orgId);
  head = await claimsOf(org.signIns.find((s) => s.label === 'Department lead')!.email);
}, 240_000);

describe('cached dashboard sections', () => {
  it("render the owner's sections exactly as React does", async () => {
    const { ctx, view } = await viewAs(owner);
    const { dash } = view;
    const admin = dash.admin!;
    expect(admin.attention.length).toBeGreaterThan(0);
    const common = { locale: ctx.org.locale, orgSlug: ctx.org.slug };
    const stars = await same(
      h(NorthStarCards, { ...common, cards: dash.northStars, isCurrent: dash.period.isCurrent }),
    );
    expect(stars).toContain('data-testid="north-star-card"');
    const attention = await same(
      h(SectionCard, {
        id: 'attention',
        title: 'At risk and off track',
        children: h(AttentionList, {
          ...common,
          kpis: admin.attention,
          total: admin.attentionCount,
          seeAllHref: `/o/${slug}/kpis?status=attention`,
          isCurrent: dash.period.isCurrent,
        }),
      }),
    );
    // the "see all" link, a next/link, is a plain anchor with its attributes
    expect(admin.attentionCount).toBeGreaterThan(admin.attention.length);
    expect(attention).toMatch(/<a class="[^"]+" href="\/o\/[^"]+\/kpis\?status=attention">/);
    await same(
      h(KpiScorecard, {
        ...common,
        kpis: admin.companyKpis,
        total: admin.companyKpiCount,
        seeAllHref: `/o/${slug}/kpis`,
        caption: 'Company KPIs',
        showUnit: false,
        emptyText: 'No company-level KPIs yet.',
      }),
    );
    await same(h(UnitScorecards, { ...common, scorecards: admin.units, total: admin.unitCount }));
  });

  it("render a department lead's scorecards exactly as React does", async () => {
    const { ctx, view } = await viewAs(head);
    const lead = view.dash.lead!;
    expect(lead.kpis.length).toBeGreaterThan(0);
    const common = { locale: ctx.org.locale, orgSlug: ctx.org.slug, seeAllHref: '/x' };
    await same(
      h(KpiScorecard, {
        ...common,
        kpis: lead.kpis,
        total: lead.counts.total,
        caption: 'KPIs in your area',
        emptyText: 'none',
      }),
    );
    await same(
      h(KpiScorecard, {
        ...common,
        kpis: lead.individual,
        total: lead.individualCount,
        caption: 'Individual KPIs of your people',
        showUnit: false,
        emptyText: 'none',
      }),
    );
  });

  it("render the report's tables exactly as React does (StaticSection)", async () => {
    const ctx = await contextFor(owner, slug);
    const period = resolveDashboardPeriod(undefined, ctx.org);
    const report = await getReport(ctx, { scope: 'company', period });
    expect(report.sections.length).toBeGreaterThan(1);
    const tables = await same(h(ReportTables, { report, orgSlug: slug, locale: ctx.org.locale }));
    // every KPI name a plain anchor to its page (WorkspaceLink, next/link without prefetch)
    const rows = report.northStars.length + report.sections.reduce((n, s) => n + s.rows.length, 0);
    expect(tables.match(new RegExp(`<a class="[^"]+" href="/o/${slug}/kpis/`, 'g'))?.length).toBe(
      rows + report.individual.length,
    );
    // the share page's tables link nowhere
    expect(await same(h(ReportTables, { report, locale: ctx.org.locale }))).not.toContain('<a ');
  });

  it('share one view object between reads until a write replaces it', async () => {
    const first = (await viewAs(owner)).view.dash;
    expect((await viewAs(owner)).view.dash).toBe(first);
    const flow = await firstManualChildKpi(orgId);
    const { ctx } = await viewAs(owner);
    await as(owner, async () =>
      must(
        await recordCheckinAction(slug, {
          kpiId: flow,
          observedOn: todayInTimeZone(ctx.org.timeZone),
          value: '4321',
          confirmUnusual: true,
        }),
      ),
    );
    const after = (await viewAs(owner)).view.dash;
    expect(after).not.toBe(first);
    expect((await viewAs(owner)).view.dash).toBe(after);
  });
});
