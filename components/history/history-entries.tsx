import { WorkspaceLink } from '@/components/layout/workspace-link';
import type { HistoryEntry } from '@/lib/dal/audit-history';
import { actorKeyNote, actorLabel, type AuditChange } from '@/lib/domain/audit-history';
import { formatDay } from '@/lib/domain/dates';

/** "5 Dec 2026, 16:03" from the organization's wall-clock timestamp (ISO with offset). */
function localTime(atLocal: string, locale: string): string {
  return `${formatDay(atLocal.slice(0, 10), locale)}, ${atLocal.slice(11, 16)}`;
}

function Changes({ changes }: { changes: readonly AuditChange[] }) {
  if (changes.length === 0) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs text-gray-700">
      {changes.map((c) => (
        <li key={c.field} className="break-words">
          <span className="font-medium text-gray-900">{c.label}:</span>{' '}
          <span className="text-gray-500">{c.before}</span>{' '}
          <span aria-label="changed to" className="text-gray-400">
            →
          </span>{' '}
          <span className="text-gray-900">{c.after}</span>
        </li>
      ))}
    </ul>
  );
}

function Subject({ entry, orgSlug }: { entry: HistoryEntry; orgSlug: string }) {
  if (entry.subject.kpiId === null) return <span>{entry.subject.name}</span>;
  return (
    <WorkspaceLink
      href={`/o/${orgSlug}/kpis/${entry.subject.kpiId}`}
      className="font-medium text-indigo-700 hover:underline"
    >
      {entry.subject.name}
    </WorkspaceLink>
  );
}

function Time({
  entry,
  timeZone,
  locale,
}: {
  entry: HistoryEntry;
  timeZone: string;
  locale: string;
}) {
  return (
    <time dateTime={entry.atLocal} title={`${entry.atLocal} (${timeZone})`}>
      {localTime(entry.atLocal, locale)}
    </time>
  );
}

/**
 * Who acted: with `personHref`, a person's name links to the history of their changes alone (how
 * someone who has left is filtered by, since the person picker searches members).
 */
function Actor({
  entry,
  personHref,
}: {
  entry: HistoryEntry;
  personHref?: (userId: string) => string;
}) {
  if (!personHref || entry.actor.id === null || entry.actor.name === null) {
    return <span className="font-medium">{actorLabel(entry.actor)}</span>;
  }
  const { name } = entry.actor;
  // The name links; the API key the change came through, if any, follows it.
  return (
    <span className="font-medium">
      <WorkspaceLink
        href={personHref(entry.actor.id)}
        aria-label={`Only ${name}'s changes`}
        className="text-gray-900 underline decoration-gray-300 underline-offset-2 hover:decoration-indigo-500"
      >
        {name}
      </WorkspaceLink>
      {actorKeyNote(entry.actor)}
    </span>
  );
}

/** One entry as a card: when, who did what, what it is about (when `orgSlug` is given), the changes. */
function EntryCard({
  entry,
  orgSlug,
  personHref,
  timeZone,
  locale,
}: {
  entry: HistoryEntry;
  orgSlug?: string;
  personHref?: (userId: string) => string;
  timeZone: string;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  return (
    <li className="px-4 py-3 text-sm">
      <p className="text-xs text-gray-500">
        <Time entry={entry} timeZone={timeZone} locale={locale} />
      </p>
      <p className="mt-0.5 break-words">
        <Actor entry={entry} personHref={personHref} /> {entry.summary}
      </p>
      {orgSlug ? (
        <p className="break-words">
          <Subject entry={entry} orgSlug={orgSlug} />
        </p>
      ) : null}
      <Changes changes={entry.changes} />
    </li>
  );
}

/**
 * A KPI's recent changes on its page: who did what when, each with its fields before → after
 * (the same readable changes as the organization's history).
 */
export function KpiHistoryList({
  entries,
  timeZone,
  locale,
}: {
  entries: readonly HistoryEntry[];
  timeZone: string;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  return (
    <ul className="divide-y divide-gray-100">
      {entries.map((e) => (
        <EntryCard locale={locale} key={e.id} entry={e} timeZone={timeZone} />
      ))}
    </ul>
  );
}

/**
 * The organization's history: a table on wide screens (time, person, what, changes), cards on a
 * phone (no sideways scrolling). `personHref`: where a person's name links (their changes alone).
 */
export function HistoryTable({
  entries,
  orgSlug,
  personHref,
  timeZone,
  locale,
}: {
  entries: readonly HistoryEntry[];
  orgSlug: string;
  personHref: (userId: string) => string;
  timeZone: string;
  /** The organization's locale: numbers and dates are written its way. */
  locale: string;
}) {
  return (
    <>
      <table className="hidden w-full table-fixed text-left text-sm md:table">
        <caption className="sr-only">Changes, newest first</caption>
        <thead className="border-b border-gray-200 text-xs uppercase tracking-wide text-gray-500">
          <tr>
            <th scope="col" className="w-44 px-4 py-2 font-medium">
              Time ({timeZone})
            </th>
            <th scope="col" className="w-40 px-4 py-2 font-medium">
              Person
            </th>
            <th scope="col" className="w-64 px-4 py-2 font-medium">
              What
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Changes
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-gray-100">
          {entries.map((e) => (
            <tr key={e.id} className="align-top">
              <td className="px-4 py-2 text-gray-600">
                <Time entry={e} timeZone={timeZone} locale={locale} />
              </td>
              <td className="break-words px-4 py-2">
                <Actor entry={e} personHref={personHref} />
              </td>
              <td className="break-words px-4 py-2">
                <Subject entry={e} orgSlug={orgSlug} />
                <p className="text-xs text-gray-500">{e.summary}</p>
              </td>
              <td className="px-4 py-2">
                <Changes changes={e.changes} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ul className="divide-y divide-gray-100 md:hidden" aria-label="Changes, newest first">
        {entries.map((e) => (
          <EntryCard
            locale={locale}
            key={e.id}
            entry={e}
            orgSlug={orgSlug}
            personHref={personHref}
            timeZone={timeZone}
          />
        ))}
      </ul>
    </>
  );
}
