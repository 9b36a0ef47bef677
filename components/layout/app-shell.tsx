import Link from 'next/link';
import type { ReactNode } from 'react';
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
  user: { name: string; email: string };
  nav: readonly NavItem[];
  /** The person's unread notifications in this organization (the bell). */
  unread: number;
  children: ReactNode;
}) {
  return (
    <div className="min-h-screen">
      <header className="no-print sticky top-0 z-10 border-b border-gray-200 bg-white/95 backdrop-blur">
        <div className="mx-auto flex h-14 max-w-7xl items-center gap-3 px-4">
          <Link href={`/o/${org.slug}`} aria-label="Dashboard" className="grid h-8 w-8 shrink-0 place-items-center rounded-md bg-indigo-600 text-white">
            ▲
          </Link>
          <OrgSwitcher current={org} orgs={orgs} />
          <nav aria-label="Main" className="ml-4 hidden gap-1 md:flex">
            {nav.map((item) => (
              <Link key={item.href} href={item.href} className="rounded-md px-3 py-2 text-sm font-medium text-gray-600 hover:bg-gray-100 hover:text-gray-900">
                {item.label}
              </Link>
            ))}
          </nav>
          <div className="ml-auto flex items-center gap-1">
            <NotificationBell orgSlug={org.slug} unread={unread} />
            <UserMenu name={user.name} email={user.email} securityHref={`/o/${org.slug}/account/security`} />
          </div>
        </div>
        <nav aria-label="Main (mobile)" className="flex gap-1 overflow-x-auto border-t border-gray-100 px-2 py-1 md:hidden">
          {nav.map((item) => (
            <Link key={item.href} href={item.href} className="whitespace-nowrap rounded-md px-3 py-1.5 text-sm text-gray-600 hover:bg-gray-100">
              {item.label}
            </Link>
          ))}
        </nav>
      </header>
      <main className="mx-auto max-w-7xl px-4 py-6">{children}</main>
    </div>
  );
}
