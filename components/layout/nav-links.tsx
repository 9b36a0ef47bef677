'use client';

import { WorkspaceLink } from '@/components/layout/workspace-link';
import { usePathname } from 'next/navigation';
import type { NavItem } from './app-shell';

/**
 * The main navigation's links, the current section marked (`aria-current="page"`, bold and
 * tinted, not by colour alone). A section is current on its own page and the pages under it; the
 * dashboard (the organization's root) only on itself.
 */
export function NavLinks({
  nav,
  rootHref,
  linkClassName,
}: {
  nav: readonly NavItem[];
  rootHref: string;
  linkClassName: string;
}) {
  const pathname = usePathname();
  return nav.map((item) => {
    const current =
      item.href === rootHref
        ? pathname === rootHref
        : pathname === item.href || pathname.startsWith(`${item.href}/`);
    return (
      <WorkspaceLink
        key={item.href}
        href={item.href}
        aria-current={current ? 'page' : undefined}
        className={`${linkClassName} ${current ? 'bg-indigo-50 font-semibold text-indigo-800' : 'text-gray-600 hover:bg-gray-100 hover:text-gray-900'}`}
      >
        {item.label}
      </WorkspaceLink>
    );
  });
}
