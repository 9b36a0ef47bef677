'use client';

import { createContext, useContext, useMemo, useOptimistic, type ReactNode } from 'react';
import type { PendingCheckin } from './checkin-rows';

/*
 * The optimistic side of the one-screen check-in: while a save is on its way, the rows it changes
 * show their new values. The rows themselves are rendered on the server (my-targets-panel.tsx);
 * these islands only swap a value in while the save is pending. The save's response carries the
 * page's new render (lib/server/org-action.ts), and React shows it in the same commit that drops
 * the optimistic values (useOptimistic): a refused save simply falls back to what was there.
 */

type Drafts = {
  pending: ReadonlyMap<string, PendingCheckin>;
  /** Shows these rows as pending; call inside the save's transition. */
  show: (pending: ReadonlyMap<string, PendingCheckin>) => void;
};

const NONE: ReadonlyMap<string, PendingCheckin> = new Map();
const DraftsContext = createContext<Drafts>({ pending: NONE, show: () => {} });

/** Holds the pending save's optimistic rows for the form and the target rows under it. */
export function CheckinDrafts({ children }: { children: ReactNode }) {
  const [pending, show] = useOptimistic<
    ReadonlyMap<string, PendingCheckin>,
    ReadonlyMap<string, PendingCheckin>
  >(NONE, (_current, next) => next);
  const value = useMemo(() => ({ pending, show }), [pending, show]);
  return <DraftsContext.Provider value={value}>{children}</DraftsContext.Provider>;
}

/** The pending save's rows, by KPI id, and the setter the form uses. */
export function useCheckinDrafts(): Drafts {
  return useContext(DraftsContext);
}

/** A target's row: dimmed while a save of its KPI is on its way. */
export function TargetItem({
  kpiId,
  className,
  children,
}: {
  kpiId: string;
  className: string;
  children: ReactNode;
}) {
  const { pending } = useCheckinDrafts();
  return (
    <li
      className={pending.has(kpiId) ? `${className} opacity-70` : className}
      data-testid="my-target"
    >
      {children}
    </li>
  );
}

/**
 * A target's value as the server rendered it (`children`), or the value a pending save gives it
 * when the save lands in the period the target shows.
 */
export function TargetValue({
  kpiId,
  periodLabel,
  children,
}: {
  kpiId: string;
  periodLabel: string;
  children: ReactNode;
}) {
  const change = useCheckinDrafts().pending.get(kpiId);
  return (
    <span className="font-semibold" data-testid="my-target-value">
      {change && change.periodLabel === periodLabel ? change.valueText : children}
    </span>
  );
}
