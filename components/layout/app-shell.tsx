import { WorkspaceLink } from '@/components/layout/workspace-link';
import type { ReactNode } from 'react';
import { NavLinks } from './nav-links';
import { NotificationBell } from './notification-bell';
import { OrgSwitcher } from './org-switcher';
import { UserMenu } from './user-menu';

export type NavItem = { href: string; label: string };

/** The workspace frame: org switcher, navigation, the notification bell and the account menu. */
export function AppShell({
  org,
  orgs,
  user,
  nav,
  unread,
  children,
}: {
  org: { slug: string; name: string };
  orgs: readonly { slug: string; name: string }[];
  user: { name: string; email: string; singleSignOn: boolean };
  nav: readonly NavItem[];
  /** The person's unread notifications in this organization (the bell). */
  unread: number;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <header className="no-print sticky top-0 z-10 border-b border-gray-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex min-h-14 max-w-7xl items-center gap-3 px-4 py-1.5">
          <WorkspaceLink
            href={`/o/${org.slug}`}
            aria-label="Dashboard"
            className="grid h-8 w-8 shrink-0 place-items-center rounded-md bg-indigo-600 text-white"
          >
            ▲
          </WorkspaceLink>
          <OrgSwitcher current={org} orgs={orgs} singleSignOn={user.singleSignOn} />
          {/* Inline from 1280 px, where all nine of an owner's sections fit beside the switcher. */}
          <nav aria-label="Main" className="ml-2 hidden gap-0.5 xl:flex">
            <NavLinks
              nav={nav}
              rootHref={`/o/${org.slug}`}
              linkClassName="whitespace-nowrap rounded-md px-2.5 py-2 text-sm font-medium"
            />
          </nav>
          <div className="ml-auto flex items-center gap-1">
            <NotificationBell orgSlug={org.slug} unread={unread} />
            <UserMenu name={user.name} email={user.email} securityHref={`/o/${org.slug}/account/security`} />
          </div>
        </div>
        {/* Phones and tablets: every section in view, wrapping onto a second row rather than scrolling sideways. */}
        <nav
          aria-label="Main (mobile)"
          className="mx-auto flex max-w-7xl flex-wrap gap-1 border-t border-gray-100 px-2 py-1 xl:hidden"
        >
          <NavLinks
            nav={nav}
            rootHref={`/o/${org.slug}`}
            linkClassName="whitespace-nowrap rounded-md px-2.5 py-1.5 text-sm"
          />
        </nav>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
