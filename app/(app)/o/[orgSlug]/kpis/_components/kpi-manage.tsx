'use client';

import { WorkspaceLink } from '@/components/layout/workspace-link';
import { useId, useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import {
  ParentPicker,
  searchKeyedKpis,
  type KeyedKpiHit,
  type ParentChoice,
} from '@/components/kpis/kpi-pickers';
import { SearchCombobox } from '@/components/ui/search-combobox';
import { archiveKpiAction, linkKpiAction, unlinkKpiAction } from '@/lib/actions/kpis';
import type { LinkCandidate } from '@/lib/dal/kpis/editor-options';

/** A KPI the controls act on, with its version and, when it has a parent, the parent's name. */
export type ManagedKpi = LinkCandidate & { version: number; parentName?: string };

/**
 * Re-parent (the parent is searched among the KPIs it may roll up into, kpi-parent-search; the
 * server checks again on the move) and archive one KPI. Used in the explorer (as a dialog per
 * node) and on the KPI page (inline, without the re-parent picker: there the KPI form saves the
 * parent with everything else).
 */
export function KpiCascadeControls({
  orgSlug,
  kpi,
  onDone,
  move: showMove = true,
}: {
  orgSlug: string;
  kpi: ManagedKpi;
  /** After a move or an archive is saved, with what was done ("Archived."). */
  onDone?: (done: string) => void;
  /** Show the re-parent picker. */
  move?: boolean;
}) {
  const afterSave = useSaved();
  const [parent, setParent] = useState<ParentChoice | null>(
    kpi.parentId ? { id: kpi.parentId, name: kpi.parentName ?? '' } : null,
  );
  const parentId = parent?.id ?? '';
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [confirmArchive, setConfirmArchive] = useState(false);
  // Set when archiving was refused because formulas read this KPI: offer to replace it in them.
  const [replaceOffer, setReplaceOffer] = useState(false);
  const [replacement, setReplacement] = useState<{ id: string; name: string; key: string } | null>(
    null,
  );
  const replacementId = replacement?.id ?? '';

  async function run(
    fn: () => Promise<
      | { ok: true }
      | { ok: false; error: { message: string; fieldErrors?: Record<string, string[]> } }
    >,
    done: string,
  ) {
    setBusy(true);
    setMessage(null);
    try {
      const result = await fn();
      if (!result.ok) {
        const fields = result.error.fieldErrors;
        if (fields?.replacementKpiId) setReplaceOffer(true);
        setMessage({
          tone: 'error',
          text:
            fields?.parentId?.[0] ??
            (replacementId ? fields?.replacementKpiId?.[0] : undefined) ??
            result.error.message,
        });
        return;
      }
      setMessage({ tone: 'ok', text: done });
      await afterSave();
      onDone?.(done);
    } finally {
      setBusy(false);
    }
  }

  function move() {
    if (parentId === (kpi.parentId ?? '')) return;
    void run(
      () =>
        parentId
          ? linkKpiAction(orgSlug, { kpiId: kpi.id, parentId, version: kpi.version })
          : unlinkKpiAction(orgSlug, { kpiId: kpi.id, version: kpi.version }),
      parent ? `Now rolls up into ${parent.name}.` : 'Now a top-level KPI.',
    );
  }

  return (
    <div className="space-y-4">
      {showMove ? (
        <div className="space-y-2">
          <ParentPicker
            orgSlug={orgSlug}
            draft={kpi}
            value={parent}
            onChange={(picked) => setParent(picked ? { id: picked.id, name: picked.name } : null)}
            hint="Only KPIs this one can roll up into are found: same or higher unit, same or longer cadence, same measure under a computing parent, no loops."
          />
          <div className="flex justify-end">
            <Button
              type="button"
              variant="secondary"
              onClick={move}
              disabled={busy || parentId === (kpi.parentId ?? '')}
            >
              Move
            </Button>
          </div>
        </div>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-2 border-t border-gray-100 pt-3">
        <WorkspaceLink
          href={`/o/${orgSlug}/kpis/new?parentId=${kpi.id}`}
          className="text-sm font-medium text-indigo-700 hover:text-indigo-900"
        >
          Add a KPI under this one
        </WorkspaceLink>
        {confirmArchive ? (
          <span className="flex items-center gap-2">
            <span className="text-xs text-gray-600">
              History is kept; it leaves its parent&apos;s rollup.
            </span>
            <Button
              type="button"
              variant="danger"
              disabled={busy}
              onClick={() =>
                void run(
                  () => archiveKpiAction(orgSlug, { kpiId: kpi.id, version: kpi.version }),
                  'Archived.',
                )
              }
            >
              Archive {kpi.name}
            </Button>
            <Button type="button" variant="ghost" onClick={() => setConfirmArchive(false)}>
              Cancel
            </Button>
          </span>
        ) : (
          <Button
            type="button"
            variant="secondary"
            onClick={() => setConfirmArchive(true)}
            disabled={busy}
          >
            Archive…
          </Button>
        )}
      </div>
      {replaceOffer ? (
        <div className="space-y-2 rounded-md border border-amber-200 bg-amber-50 p-3">
          <div className="flex flex-wrap items-end gap-2">
            <SearchCombobox<KeyedKpiHit>
              label="Replace it in those formulas with"
              className="min-w-0 flex-1 basis-full sm:basis-0"
              placeholder="Type a KPI's name or key"
              selectedLabel={replacement ? `${replacement.name} · ${replacement.key}` : ''}
              queryKey={['kpi-replacement-search', orgSlug, kpi.id]}
              search={async (q, signal) => {
                const hits = await searchKeyedKpis(orgSlug, q, signal, kpi.id);
                return { hits, total: hits.length };
              }}
              itemId={(h) => h.id}
              itemLabel={(h) => h.name}
              itemDetail={(h) => `${h.key} · ${h.unitName}`}
              onPick={(h) => setReplacement(h ? { id: h.id, name: h.name, key: h.key } : null)}
            />
            <Button
              type="button"
              variant="danger"
              disabled={busy || !replacementId}
              onClick={() =>
                void run(
                  () =>
                    archiveKpiAction(orgSlug, {
                      kpiId: kpi.id,
                      version: kpi.version,
                      replacementKpiId: replacementId,
                    }),
                  'Replaced in its formulas and archived.',
                )
              }
            >
              Replace and archive
            </Button>
          </div>
          <p className="text-xs text-gray-600">
            Each formula is rewritten to read the chosen KPI, checked (cadence, units, no loops) and
            recomputed, in the same step as the archive.
          </p>
        </div>
      ) : null}
      <div aria-live="polite">
        {message ? (
          <p
            role={message.tone === 'error' ? 'alert' : 'status'}
            className={`text-sm ${message.tone === 'ok' ? 'text-emerald-700' : 'text-red-700'}`}
          >
            {message.text}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/**
 * A "Manage" button opening a modal dialog with the cascade controls (explorer rows). The dialog
 * exists only while open: the explorer has a button on every KPI the person may edit (10,000 on
 * the large organization), and their closed dialogs were 5 MB of HTML nobody opened. A saved
 * move or archive closes it and goes to `onDone` with what was done: the tree draws the KPI anew
 * in its new place (or not at all), so this row, its dialog and the focus in it are gone.
 */
export function KpiManageDialog({
  onDone,
  ...props
}: {
  orgSlug: string;
  kpi: ManagedKpi;
  onDone: (done: string) => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState(false);
  const titleId = useId();
  return (
    <>
      <button
        type="button"
        onClick={() => {
          // Mounted first (synchronously), then opened as a modal.
          flushSync(() => setOpen(true));
          ref.current?.showModal();
        }}
        aria-label={`Manage ${props.kpi.name}`}
        className="rounded-md px-2 py-1 text-xs font-medium text-gray-600 hover:bg-gray-200 hover:text-gray-900 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600"
      >
        <span className="hidden sm:inline">Manage</span>
        <span className="text-base leading-none sm:hidden" aria-hidden>
          ⋯
        </span>
      </button>
      {open ? (
        <dialog
          ref={ref}
          aria-labelledby={titleId}
          onClose={() => setOpen(false)}
          className="w-[min(32rem,calc(100vw-2rem))] overflow-visible rounded-xl border border-gray-200 p-0 shadow-xl backdrop:bg-gray-900/40"
        >
          <div className="flex items-center justify-between border-b border-gray-200 px-4 py-3">
            <h2 id={titleId} className="font-semibold text-gray-900">
              {props.kpi.name}
            </h2>
            <button
              type="button"
              onClick={() => ref.current?.close()}
              aria-label="Close"
              className="rounded px-2 text-gray-500 hover:bg-gray-100"
            >
              ✕
            </button>
          </div>
          <div className="p-4">
            <KpiCascadeControls
              {...props}
              onDone={(done) => {
                ref.current?.close();
                onDone(done);
              }}
            />
          </div>
        </dialog>
      ) : null}
    </>
  );
}
