'use client';

import dynamic from 'next/dynamic';
import { useState, type ReactNode } from 'react';
import type { PlanTargetsPanelProps } from './plan-targets-panel';
import type { SplitTargetPanelProps } from './split-target-panel';

const loading = () => (
  <p className="text-sm text-gray-500" role="status">
    Loading…
  </p>
);

const PlanTargetsPanel = dynamic<PlanTargetsPanelProps>(
  () => import('./plan-targets-panel').then((m) => m.PlanTargetsPanel),
  { ssr: false, loading },
);

const SplitTargetPanel = dynamic<SplitTargetPanelProps>(
  () => import('./split-target-panel').then((m) => m.SplitTargetPanel),
  { ssr: false, loading },
);

type FoldProps = { title: string; hint: string; className?: string };

/**
 * A folded part of the target planning section: a summary line with a hint, its body below. The
 * body (its panel's code and state) loads only once the fold is opened, so the KPI page's first
 * load neither ships nor hydrates it; opened once, it stays mounted (drafts survive folding).
 */
function Fold({ title, hint, className, body }: FoldProps & { body: () => ReactNode }) {
  const [opened, setOpened] = useState(false);
  return (
    <details
      className={className}
      onToggle={(e) => {
        if (e.currentTarget.open) setOpened(true);
      }}
    >
      <summary className="cursor-pointer px-4 py-3 text-sm font-semibold text-gray-900">
        {title}
        <span className="ml-2 text-xs font-normal text-gray-500">{hint}</span>
      </summary>
      <div className="border-t border-gray-100 p-4">{opened ? body() : null}</div>
    </details>
  );
}

/** "Plan targets", folded (see PlanTargetsPanel). */
export function PlanTargetsFold({
  fold,
  panel,
}: {
  fold: FoldProps;
  panel: PlanTargetsPanelProps;
}) {
  return <Fold {...fold} body={() => <PlanTargetsPanel {...panel} />} />;
}

/** "Split the target down", folded (see SplitTargetPanel). */
export function SplitTargetFold({
  fold,
  panel,
}: {
  fold: FoldProps;
  panel: SplitTargetPanelProps;
}) {
  return <Fold {...fold} body={() => <SplitTargetPanel {...panel} />} />;
}
