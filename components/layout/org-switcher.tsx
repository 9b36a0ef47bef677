import { WorkspaceLink } from '@/components/layout/workspace-link';
import { NewOrganizationDisclosure } from './new-organization-disclosure';

type OrgLink = { slug: string; name: string };

/**
 * The current organization: people in several organizations switch here, and anyone signed in
 * with a password creates a further one (they become its owner). A session opened by the
 * organization's single sign-on opens that organization only: it says so instead.
 */
export function OrgSwitcher({
  current,
  orgs,
  singleSignOn,
}: {
  current: OrgLink;
  orgs: readonly OrgLink[];
  singleSignOn: boolean;
}) {
  return (
    <details key={current.slug} className="relative min-w-0">
      <summary className="flex cursor-pointer list-none items-center gap-1 rounded-md px-2 py-1 text-sm font-semibold leading-snug hover:bg-gray-100">
        {/* The whole name, wrapping on a phone rather than cut ("Northwind Clou…"). */}
        <span className="min-w-0 break-words">{current.name}</span>{' '}
        <span aria-hidden className="text-gray-400">
          ▾
        </span>
        <span className="sr-only">Switch organization</span>
      </summary>
      <div className="absolute left-0 z-20 mt-2 w-72 max-w-[calc(100vw-2rem)] rounded-lg border border-gray-200 bg-white p-1 shadow-lg">
        <ul aria-label="Your organizations">
          {orgs.map((org) => (
            <li key={org.slug}>
              <WorkspaceLink
                href={`/o/${org.slug}`}
                aria-current={org.slug === current.slug ? 'page' : undefined}
                className={`block break-words rounded-md px-3 py-2 text-sm hover:bg-gray-100 ${
                  org.slug === current.slug ? 'font-semibold text-indigo-700' : 'text-gray-700'
                }`}
              >
                {org.name}
              </WorkspaceLink>
            </li>
          ))}
        </ul>
        {singleSignOn ? (
          <p
            data-testid="sso-session-scope"
            className="border-t border-gray-100 px-3 py-2 text-xs text-gray-500"
          >
            You signed in through {current.name}’s single sign-on, which opens this organization
            only. To open or create another, sign out and sign in with your email and password.
          </p>
        ) : (
          <NewOrganizationDisclosure />
        )}
      </div>
    </details>
  );
}
