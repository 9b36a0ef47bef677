import { WorkspaceLink } from '@/components/layout/workspace-link';
import type { ReactNode } from 'react';
import type { DriverLinks, KpiLinkRef } from '@/lib/domain/driver-links';

/** How many linked KPIs a line names before "and N more" (a line stays a line). */
const SHOWN = 4;

/**
 * The formula mark next to a formula KPI's name: an italic ƒ, named for screen readers and on
 * hover (the words "Computed from" beside it carry the meaning too, not the glyph alone).
 */
export function FormulaMark() {
  return (
    <span className="mr-1 font-serif italic text-gray-500" title="Formula KPI">
      <span aria-hidden>ƒ</span>
      <span className="sr-only">Formula KPI:</span>
    </span>
  );
}

/**
 * A KPI's formula links as quiet text lines, apart from its place in the parent tree: "ƒ Computed
 * from A, B, its previous value" for a formula KPI and "Feeds X" for an input of one, each KPI a
 * link to its page. The links come from lib/domain/driver-links over the KPIs the actor sees.
 */
export function FormulaLinks({
  orgSlug,
  links,
  showDrivers = true,
  className = '',
}: {
  orgSlug: string;
  links: DriverLinks<KpiLinkRef> | undefined;
  /** False where the drivers are shown otherwise (the north star card lists them with values). */
  showDrivers?: boolean;
  className?: string;
}) {
  if (!links) return null;
  const extras = driverNotes(links);
  const hasDrivers = showDrivers && (links.drivers.length > 0 || extras.length > 0);
  if (!hasDrivers && links.feeds.length === 0) return null;
  return (
    <div className={`text-xs text-gray-500 ${className}`}>
      {hasDrivers ? (
        <p className="break-words" data-testid="formula-drivers">
          <FormulaMark />
          Computed from <LinkList orgSlug={orgSlug} kpis={links.drivers} extras={extras} />
        </p>
      ) : null}
      {links.feeds.length > 0 ? (
        <p className="break-words" data-testid="formula-feeds">
          Feeds <LinkList orgSlug={orgSlug} kpis={links.feeds} extras={[]} />
        </p>
      ) : null}
    </div>
  );
}

/**
 * What a formula reads besides the drivers it links to, in words: its own earlier value, and how
 * many inputs the actor may not see (counted, never named).
 */
export function driverNotes(links: DriverLinks<KpiLinkRef>): string[] {
  const notes: string[] = [];
  if (links.readsOwnPrevious) notes.push('its previous value');
  if (links.hiddenDrivers > 0)
    notes.push(`${links.hiddenDrivers} KPI${links.hiddenDrivers === 1 ? '' : 's'} you cannot see`);
  return notes;
}

/** A link to a KPI's page, quiet until pointed at (dotted underline: a link without colour). */
export function KpiRefLink({ orgSlug, kpi }: { orgSlug: string; kpi: KpiLinkRef }) {
  return (
    <WorkspaceLink href={`/o/${orgSlug}/kpis/${kpi.id}`} className="ref-link">
      {kpi.name}
    </WorkspaceLink>
  );
}

function LinkList({
  orgSlug,
  kpis,
  extras,
}: {
  orgSlug: string;
  kpis: KpiLinkRef[];
  extras: string[];
}) {
  const shown = kpis.slice(0, SHOWN);
  const more = kpis.length - shown.length;
  const parts: ReactNode[] = [
    ...shown.map((k) => <KpiRefLink key={k.id} orgSlug={orgSlug} kpi={k} />),
    ...(more > 0 ? [`${more} more`] : []),
    ...extras,
  ];
  return (
    <>
      {parts.map((part, i) => (
        <span key={i}>
          {i === 0 ? '' : i === parts.length - 1 ? ' and ' : ', '}
          {part}
        </span>
      ))}
    </>
  );
}
