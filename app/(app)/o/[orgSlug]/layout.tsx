import type { ReactNode } from 'react';
import { VerifyEmailBanner } from '@/components/auth/verify-email-banner';
import { AppShell, type NavItem } from '@/components/layout/app-shell';
import { can } from '@/lib/authz/can';
import { touchLastOrg } from '@/lib/dal/accounts';
import { mayHoldPermission } from '@/lib/server/org-action';
import { getOrgPageChrome } from '@/lib/server/org-context';
import { requireOrgPage } from '@/lib/server/page-context';
import { OrgLocaleProvider } from '@/components/locale/org-locale';

export const dynamic = 'force-dynamic';

export default async function OrgLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ orgSlug: string }>;
}) {
  const { orgSlug } = await params;
  // The layout also wraps the security page, where an admin enrols a required second factor:
  // each page applies the requirement itself (requireOrgPage).
  const ctx = await requireOrgPage(orgSlug, { enrolling: true });
  const [{ orgs, unread }] = await Promise.all([
    getOrgPageChrome(orgSlug),
    // Remembered only when it changes: the membership read already says whether it did, so an
    // unchanged organization costs no round trip.
    ctx.user.lastOrgCurrent ? undefined : touchLastOrg(ctx.actor.userId, ctx.org.id),
  ]);
  const base = `/o/${ctx.org.slug}`;
  const nav: NavItem[] = [
    { href: base, label: 'Dashboard' },
    { href: `${base}/kpis`, label: 'KPIs' },
    ...(mayHoldPermission(ctx, 'targets.write')
      ? [{ href: `${base}/targets`, label: 'Targets' }]
      : []),
    { href: `${base}/people`, label: 'People' },
    { href: `${base}/reports`, label: 'Reports' },
    { href: `${base}/data`, label: 'Data' },
    // Admins see everyone's missing values, leads their area's.
    ...(can(ctx, 'checkins.remind') || ctx.actor.ledUnitIds.length > 0
      ? [{ href: `${base}/missing`, label: 'Missing' }]
      : []),
    ...(can(ctx, 'settings.manage') ? [{ href: `${base}/settings`, label: 'Settings' }] : []),
    ...(can(ctx, 'history.read_all') ? [{ href: `${base}/history`, label: 'History' }] : []),
  ];
  return (
    <>
      {ctx.user.emailVerified ? null : <VerifyEmailBanner email={ctx.user.email} />}
      <AppShell org={ctx.org} orgs={orgs} user={ctx.user} nav={nav} unread={unread}>
        <OrgLocaleProvider locale={ctx.org.locale}>{children}</OrgLocaleProvider>
      </AppShell>
    </>
  );
}
