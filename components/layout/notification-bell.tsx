import { WorkspaceLink } from '@/components/layout/workspace-link';

/** The inbox link in the app shell, with the unread count (the org's layout reads it). */
export function NotificationBell({ orgSlug, unread }: { orgSlug: string; unread: number }) {
  const label = unread === 0 ? 'Notifications' : `Notifications, ${unread} unread`;
  return (
    <WorkspaceLink
      href={`/o/${orgSlug}/notifications`}
      aria-label={label}
      title={label}
      data-testid="notification-bell"
      className="relative grid h-9 w-9 place-items-center rounded-md text-gray-600 hover:bg-gray-100 hover:text-gray-900"
    >
      <svg
        aria-hidden="true"
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth="1.8"
        strokeLinecap="round"
        strokeLinejoin="round"
        className="h-5 w-5"
      >
        <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
        <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
      </svg>
      {unread > 0 ? (
        <span
          data-testid="notification-count"
          className="absolute -right-0.5 -top-0.5 min-w-[1.125rem] rounded-full bg-red-600 px-1 text-center text-[11px] font-semibold leading-[1.125rem] text-white"
        >
          {unread > 99 ? '99+' : unread}
        </span>
      ) : null}
    </WorkspaceLink>
  );
}
