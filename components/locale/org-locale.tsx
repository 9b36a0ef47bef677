'use client';

import { createContext, useContext, type ReactNode } from 'react';

/*
 * The organization's locale for client components (forms read and write numbers and dates its
 * way). The org layout provides it from the org context the server resolved from the URL slug;
 * server components take it as a prop instead. Deliberately tiny: it sits in the org layout's
 * first-load JavaScript.
 */
const OrgLocaleContext = createContext<string | null>(null);

export function OrgLocaleProvider({ locale, children }: { locale: string; children: ReactNode }) {
  return <OrgLocaleContext.Provider value={locale}>{children}</OrgLocaleContext.Provider>;
}

/** The organization's locale (`de-DE`, …); only inside an organization's pages. */
export function useOrgLocale(): string {
  const locale = useContext(OrgLocaleContext);
  if (locale === null) throw new Error('useOrgLocale outside an organization page');
  return locale;
}
