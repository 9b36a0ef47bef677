import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { can } from '@/lib/authz/can';
import type { Role } from '@/lib/authz/permissions';
import { isOwnerRole } from '@/lib/authz/roles';
import { listInvitations } from '@/lib/dal/people/invitations';
import { listHomeUnitOptions, listMembersPage } from '@/lib/dal/people/members';
import { requireOrgPage } from '@/lib/server/page-context';
import { InviteForm } from './_components/invite-form';
import { RevokeInvitationButton } from './_components/invitation-actions';
import { HomeUnitSelect, RemoveMemberButton, RoleSelect } from './_components/member-controls';
import { TransferOwnershipForm } from './_components/transfer-ownership-form';
import { formatDay } from '@/lib/domain/dates';
import { parsePeopleView, peopleViewQuery } from '@/lib/domain/view-params/people';
import { SEARCH_MAX } from '@/lib/domain/view-params/query';
import { Pager } from '@/components/layout/pager';
import { WorkspaceLink } from '@/components/layout/workspace-link';
import { GetForm } from '@/components/ui/get-form';

export const metadata: Metadata = { title: 'People' };

const ROLE_LABEL: Record<Role, string> = { owner: 'Owner', admin: 'Admin', member: 'Member' };
const ROLE_BADGE: Record<Role, string> = {
  owner: 'bg-indigo-600 text-white',
  admin: 'bg-indigo-100 text-indigo-800',
  member: 'bg-gray-100 text-gray-700',
};

function RoleBadge({ role }: { role: Role }) {
  return (
    <span
      className={`inline-flex rounded-full px-2.5 py-0.5 text-xs font-medium ${ROLE_BADGE[role]}`}
    >
      {ROLE_LABEL[role]}
    </span>
  );
}

function Card({
  title,
  description,
  children,
  aside,
}: {
  title: string;
  description?: string;
  children: ReactNode;
  aside?: ReactNode;
}) {
  return (
    <section aria-label={title} className="rounded-xl border border-gray-200 bg-white shadow-sm">
      <div className="flex flex-wrap items-baseline justify-between gap-2 border-b border-gray-200 px-4 py-3 sm:px-5">
        <div>
          <h2 className="font-semibold">{title}</h2>
          {description ? <p className="mt-0.5 text-sm text-gray-600">{description}</p> : null}
        </div>
        {aside}
      </div>
      {children}
    </section>
  );
}

/** Small labels for the stacked (phone) layout; the column headers take over from md up. */
function CellLabel({ children }: { children: ReactNode }) {
  return (
    <span className="mb-1 block text-xs font-medium uppercase tracking-wide text-gray-500 md:hidden">
      {children}
    </span>
  );
}

export default async function PeoplePage({
  params,
  searchParams,
}: {
  params: Promise<{ orgSlug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const [{ orgSlug }, query] = await Promise.all([params, searchParams]);
  const ctx = await requireOrgPage(orgSlug);
  // A page of the members (a large organization has thousands), searched by name or email.
  const view = parsePeopleView(query);
  const canInvite = can(ctx, 'members.manage');
  const canEditHomeUnits = can(ctx, 'units.manage');
  const isOwner = can(ctx, 'org.transfer');
  const [shown, invitations, units] = await Promise.all([
    listMembersPage(ctx, view),
    canInvite ? listInvitations(ctx) : Promise.resolve([]),
    canInvite || canEditHomeUnits ? listHomeUnitOptions(ctx) : Promise.resolve([]),
  ]);
  const rootUnitId = units.find((u) => u.kind === 'company')?.id ?? units[0]?.id ?? '';
  const slug = ctx.org.slug;
  const pageHref = (page: number) => `/o/${slug}/people${peopleViewQuery({ ...view, page })}`;

  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold">People</h1>
        <p className="mt-1 text-sm text-gray-600">
          Everyone in {ctx.org.name}: their role, their home unit and the units they lead.
        </p>
      </div>

      {canInvite ? (
        <Card
          title="Invite someone"
          description="They get a single-use link that expires in 7 days."
        >
          <div className="p-4 sm:p-5">
            <InviteForm orgSlug={slug} units={units} defaultUnitId={rootUnitId} />
          </div>
        </Card>
      ) : null}

      <Card
        title="Members"
        aside={
          <span className="text-sm text-gray-500" data-testid="members-count">
            {view.q ? `${shown.matched} of ` : ''}
            {shown.total} {shown.total === 1 ? 'person' : 'people'}
          </span>
        }
      >
        <GetForm
          role="search"
          aria-label="Search members"
          className="flex flex-wrap items-center gap-2 border-b border-gray-200 px-4 py-3 sm:px-5"
        >
          <label htmlFor="members-q" className="text-sm text-gray-700">
            Search
          </label>
          <input
            id="members-q"
            type="search"
            name="q"
            defaultValue={view.q ?? ''}
            maxLength={SEARCH_MAX}
            placeholder="Name or email"
            className="min-w-0 flex-1 rounded-md border border-gray-300 bg-white px-2 py-1 text-sm sm:max-w-xs"
          />
          <button
            type="submit"
            className="rounded-md border border-gray-300 bg-white px-3 py-1 text-sm font-medium text-gray-800 shadow-sm hover:bg-gray-50"
          >
            Search
          </button>
          {view.q ? (
            <WorkspaceLink
              href={`/o/${slug}/people`}
              className="text-sm font-medium text-indigo-700 hover:text-indigo-900"
            >
              Show everyone
            </WorkspaceLink>
          ) : null}
        </GetForm>
        {shown.matched === 0 ? (
          <p className="px-4 py-6 text-sm text-gray-500 sm:px-5">Nobody matches “{view.q}”.</p>
        ) : null}
        <div className="hidden grid-cols-[minmax(0,2fr)_9rem_minmax(0,1.5fr)_minmax(0,1fr)_8rem] gap-4 border-b border-gray-200 bg-gray-50 px-5 py-2 text-xs font-medium uppercase tracking-wide text-gray-500 md:grid">
          <span>Person</span>
          <span>Role</span>
          <span>Home unit</span>
          <span>Leads</span>
          <span className="sr-only">Actions</span>
        </div>
        <ul role="list" aria-label="Members" className="divide-y divide-gray-200">
          {shown.rows.map((m) => {
            const manage = can(ctx, 'members.manage', { memberRole: m.role });
            const isSelf = m.userId === ctx.actor.userId;
            const person = { userId: m.userId, name: m.name };
            return (
              <li
                key={m.userId}
                data-testid="member-row"
                className="grid grid-cols-2 gap-3 px-4 py-4 sm:px-5 md:grid-cols-[minmax(0,2fr)_9rem_minmax(0,1.5fr)_minmax(0,1fr)_8rem] md:items-center md:gap-4 md:py-3"
              >
                <div className="col-span-2 min-w-0 md:col-span-1">
                  <p className="break-words font-medium text-gray-900 md:truncate">
                    {m.name}
                    {isSelf ? (
                      <span className="ml-2 text-xs font-normal text-gray-500">(you)</span>
                    ) : null}
                  </p>
                  <p className="break-words text-sm text-gray-500 md:truncate">{m.email}</p>
                </div>
                <div>
                  <CellLabel>Role</CellLabel>
                  {manage && !isOwnerRole(m.role) ? (
                    <RoleSelect key={m.role} orgSlug={slug} person={person} role={m.role} />
                  ) : (
                    <RoleBadge role={m.role} />
                  )}
                </div>
                {/* The whole width on a phone, so the picker shows the unit's whole name. */}
                <div className="col-span-2 min-w-0 md:col-span-1">
                  <CellLabel>Home unit</CellLabel>
                  {canEditHomeUnits ? (
                    <HomeUnitSelect
                      key={m.homeUnitId}
                      orgSlug={slug}
                      person={person}
                      homeUnitId={m.homeUnitId}
                      units={units}
                    />
                  ) : (
                    <span className="text-sm text-gray-800">{m.homeUnitName}</span>
                  )}
                </div>
                <div
                  className={`col-span-2 min-w-0 md:col-span-1 ${m.ledUnits.length ? '' : 'hidden md:block'}`}
                >
                  <CellLabel>Leads</CellLabel>
                  <span className="text-sm text-gray-800">
                    {m.ledUnits.length ? (
                      m.ledUnits.map((u) => u.name).join(', ')
                    ) : (
                      <span className="text-gray-400">—</span>
                    )}
                  </span>
                </div>
                {manage && !isOwnerRole(m.role) ? (
                  <div className="relative col-span-2 md:col-span-1">
                    <RemoveMemberButton orgSlug={slug} person={person} isSelf={isSelf} />
                  </div>
                ) : null}
              </li>
            );
          })}
        </ul>
        <Pager
          label="Members pages"
          page={shown.page}
          pages={shown.pages}
          first={shown.first}
          count={shown.rows.length}
          total={shown.matched}
          href={pageHref}
        />
      </Card>

      {canInvite ? (
        <Card
          title="Pending invitations"
          aside={<span className="text-sm text-gray-500">{invitations.length} open</span>}
        >
          {invitations.length === 0 ? (
            <p className="px-4 py-6 text-sm text-gray-500 sm:px-5">No open invitations.</p>
          ) : (
            <ul role="list" aria-label="Pending invitations" className="divide-y divide-gray-200">
              {invitations.map((inv) => (
                <li
                  key={inv.id}
                  data-testid="invitation-row"
                  className="grid gap-2 px-4 py-3 sm:grid-cols-[minmax(0,1fr)_auto] sm:items-center sm:px-5"
                >
                  <div className="min-w-0">
                    <p className="flex flex-wrap items-center gap-2">
                      <span className="truncate font-medium text-gray-900">{inv.email}</span>
                      <RoleBadge role={inv.role} />
                      {inv.expired ? (
                        <span className="inline-flex rounded-full bg-amber-100 px-2.5 py-0.5 text-xs font-medium text-amber-800">
                          Expired
                        </span>
                      ) : null}
                    </p>
                    <p className="mt-0.5 text-sm text-gray-500">
                      {inv.homeUnitName}
                      {inv.invitedByName ? ` · invited by ${inv.invitedByName}` : ''}
                      {' · '}
                      {inv.expired ? 'expired' : 'expires'}{' '}
                      {formatDay(
                        new Date(inv.expiresAt).toISOString().slice(0, 10),
                        ctx.org.locale,
                      )}
                      {inv.expired ? ' — invite them again for a new link' : ''}
                    </p>
                  </div>
                  <RevokeInvitationButton orgSlug={slug} invitationId={inv.id} email={inv.email} />
                </li>
              ))}
            </ul>
          )}
        </Card>
      ) : null}

      {isOwner && shown.total > 1 ? (
        <Card
          title="Transfer ownership"
          description="The new owner can delete the organization and transfer it again. You stay on as an admin."
        >
          <div className="p-4 sm:p-5">
            <TransferOwnershipForm orgSlug={slug} selfUserId={ctx.actor.userId} />
          </div>
        </Card>
      ) : null}
    </div>
  );
}
