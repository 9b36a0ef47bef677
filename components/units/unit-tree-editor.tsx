'use client';

import { WorkspaceLink } from '@/components/layout/workspace-link';
import { useId, useState, useTransition, type FormEvent, type ReactNode } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { MemberPicker, type MemberRef } from '@/components/people/member-picker';
import {
  archiveUnitAction,
  createUnitAction,
  moveUnitAction,
  renameUnitAction,
  setUnitLeadAction,
} from '@/lib/actions/units';
import type { UnitNode } from '@/lib/dal/units/tree-view';
import { kpiFilterQuery } from '@/lib/domain/kpi-filter';
import { balanceText, onlyLaggingHint } from '@/lib/domain/kpi-kinds';
import { allowedParentKinds, subtreeIds } from '@/lib/domain/tree';
import type { Result } from '@/lib/result';

const KIND_LABEL = { company: 'Company', department: 'Department', team: 'Team' } as const;
const INPUT_BOX =
  'rounded-md border border-gray-300 bg-white text-sm shadow-sm focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500';
/** A field's label and box as the lead picker's (SearchCombobox), so fields side by side line up. */
const LABEL = 'block text-sm font-medium text-gray-700';
const FIELD = `${INPUT_BOX} mt-1 block px-3 py-2`;
const BUTTON =
  'rounded-md px-3 py-1.5 text-sm font-medium shadow-sm focus-visible:outline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-50';

function firstError(result: Result<unknown>): string | null {
  if (result.ok) return null;
  const fe = result.error.fieldErrors ?? {};
  return fe.name?.[0] ?? fe.parentId?.[0] ?? fe.leadUserId?.[0] ?? result.error.message;
}

/** Runs one unit action, refreshes the server view, and reports the outcome. */
function useUnitAction() {
  const afterSave = useSaved();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  function run(action: () => Promise<Result<unknown>>, done: string, onOk?: () => void) {
    setMessage(null);
    startTransition(async () => {
      const result = await action();
      const error = firstError(result);
      if (error) {
        setMessage({ tone: 'error', text: error });
        return;
      }
      setMessage({ tone: 'ok', text: done });
      onOk?.();
      void afterSave();
    });
  }
  const feedback: ReactNode = message ? (
    <p role={message.tone === 'error' ? 'alert' : 'status'} className={`text-sm ${message.tone === 'ok' ? 'text-emerald-700' : 'text-red-700'}`}>
      {message.text}
    </p>
  ) : null;
  return { pending, run, feedback };
}

/**
 * The unit tree: departments under the company, teams under departments (or the company), each
 * with a lead. Owners and admins add, rename, move, archive and set leads (searched among the
 * members as one types: a large organization has thousands); others read.
 */
export function UnitTreeEditor({
  orgSlug,
  units,
  canManage,
}: {
  orgSlug: string;
  units: UnitNode[];
  canManage: boolean;
}) {
  const root = units.find((u) => u.kind === 'company');
  return (
    <div className="space-y-4">
      {canManage && root ? (
        <div className="rounded-xl border border-gray-200 bg-white p-4 shadow-sm">
          <h2 className="mb-2 font-semibold text-gray-900">Add a department</h2>
          <AddUnitForm orgSlug={orgSlug} parent={root} kind="department" />
        </div>
      ) : null}
      <div className="rounded-xl border border-gray-200 bg-white shadow-sm">
        <ul aria-label="Unit tree" className="divide-y divide-gray-100">
          {units.map((unit) => (
            <UnitRow key={unit.id} orgSlug={orgSlug} unit={unit} units={units} canManage={canManage} />
          ))}
        </ul>
      </div>
    </div>
  );
}

function UnitRow({
  orgSlug,
  unit,
  units,
  canManage,
}: {
  orgSlug: string;
  unit: UnitNode;
  units: UnitNode[];
  canManage: boolean;
}) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  return (
    <li data-testid="unit-row">
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2.5" style={{ paddingLeft: `${unit.depth * 1.5 + 1}rem` }}>
        <div className="min-w-0 flex-1">
          <p className="font-medium text-gray-900">
            {unit.name}{' '}
            <span className="ml-1 rounded-full bg-gray-100 px-2 py-0.5 text-[11px] font-medium text-gray-600">{KIND_LABEL[unit.kind]}</span>
          </p>
          <p className="text-xs text-gray-500">
            Lead: {unit.leadName ?? 'none'} · {unit.memberCount} {unit.memberCount === 1 ? 'person' : 'people'} ·{' '}
            <WorkspaceLink href={`/o/${orgSlug}/kpis${kpiFilterQuery({ unitIds: [unit.id] })}`} className="hover:text-indigo-700">
              {unit.kpiCount} KPI{unit.kpiCount === 1 ? '' : 's'}
            </WorkspaceLink>
            {unit.kpiCount > 0 ? <span data-testid="unit-balance"> ({balanceText(unit.balance)})</span> : null}
          </p>
          {onlyLaggingHint(unit.balance) ? (
            <p className="mt-0.5 text-xs text-amber-800" data-testid="unit-lagging-hint">
              {onlyLaggingHint(unit.balance)}
            </p>
          ) : null}
        </div>
        {canManage ? (
          <button
            type="button"
            aria-expanded={open}
            aria-controls={panelId}
            onClick={() => setOpen((v) => !v)}
            className={`${BUTTON} border border-gray-300 bg-white text-gray-800 hover:bg-gray-50`}
          >
            {open ? 'Close' : 'Edit'}
            <span className="sr-only"> {unit.name}</span>
          </button>
        ) : null}
      </div>
      {canManage && open ? (
        <div id={panelId} className="space-y-4 border-t border-gray-100 bg-gray-50 px-4 py-4" style={{ paddingLeft: `${unit.depth * 1.5 + 1}rem` }}>
          <RenameForm orgSlug={orgSlug} unit={unit} />
          <LeadForm orgSlug={orgSlug} unit={unit} />
          {unit.kind !== 'company' ? <MoveForm orgSlug={orgSlug} unit={unit} units={units} /> : null}
          {unit.kind !== 'team' ? (
            <div>
              <p className="mb-1 text-sm font-medium text-gray-700">Add a team under {unit.name}</p>
              <AddUnitForm orgSlug={orgSlug} parent={unit} kind="team" />
            </div>
          ) : null}
          {unit.kind !== 'company' ? <ArchiveForm orgSlug={orgSlug} unit={unit} /> : null}
        </div>
      ) : null}
    </li>
  );
}

function AddUnitForm({
  orgSlug,
  parent,
  kind,
}: {
  orgSlug: string;
  parent: UnitNode;
  kind: 'department' | 'team';
}) {
  const nameId = useId();
  const [name, setName] = useState('');
  const [lead, setLead] = useState<MemberRef | null>(null);
  const { pending, run, feedback } = useUnitAction();
  function submit(e: FormEvent) {
    e.preventDefault();
    run(
      () =>
        createUnitAction(orgSlug, { parentId: parent.id, kind, name, leadUserId: lead?.userId ?? null }),
      `Added ${name.trim()}.`,
      () => {
        setName('');
        setLead(null);
      },
    );
  }
  return (
    <form onSubmit={submit} noValidate className="space-y-2">
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={nameId} className={LABEL}>
            {kind === 'department' ? 'Department name' : 'Team name'}
          </label>
          <input id={nameId} className={`${FIELD} w-56`} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
        </div>
        <LeadPicker orgSlug={orgSlug} lead={lead} onPick={setLead} clearLabel="No lead yet" />
        <button type="submit" disabled={pending || name.trim() === ''} className={`${BUTTON} bg-indigo-600 text-white hover:bg-indigo-700`}>
          {pending ? 'Adding…' : kind === 'department' ? 'Add department' : 'Add team'}
        </button>
      </div>
      {feedback}
    </form>
  );
}

function RenameForm({ orgSlug, unit }: { orgSlug: string; unit: UnitNode }) {
  const id = useId();
  const [name, setName] = useState(unit.name);
  const { pending, run, feedback } = useUnitAction();
  return (
    <form
      noValidate
      className="space-y-1"
      onSubmit={(e) => {
        e.preventDefault();
        run(() => renameUnitAction(orgSlug, { unitId: unit.id, name }), 'Renamed.');
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={id} className={LABEL}>
            Name
          </label>
          <input id={id} className={`${FIELD} w-64 max-w-full`} value={name} onChange={(e) => setName(e.target.value)} maxLength={120} />
        </div>
        <button type="submit" disabled={pending || name.trim() === unit.name} className={`${BUTTON} border border-gray-300 bg-white text-gray-800 hover:bg-gray-50`}>
          Rename
        </button>
      </div>
      {feedback}
    </form>
  );
}

/** A lead searched among the members as one types; its first option clears the choice. */
function LeadPicker({
  orgSlug,
  lead,
  onPick,
  clearLabel,
}: {
  orgSlug: string;
  lead: MemberRef | null;
  onPick: (lead: MemberRef | null) => void;
  clearLabel: string;
}) {
  return (
    <MemberPicker
      orgSlug={orgSlug}
      className="w-64 max-w-full"
      label="Lead"
      placeholder={clearLabel}
      selectedLabel={lead?.name ?? ''}
      clearLabel={clearLabel}
      onPick={(m) => onPick(m ? { userId: m.userId, name: m.name } : null)}
    />
  );
}

function LeadForm({ orgSlug, unit }: { orgSlug: string; unit: UnitNode }) {
  const [lead, setLead] = useState<MemberRef | null>(
    unit.leadUserId ? { userId: unit.leadUserId, name: unit.leadName ?? '' } : null,
  );
  const leadUserId = lead?.userId ?? null;
  const { pending, run, feedback } = useUnitAction();
  return (
    <form
      noValidate
      className="space-y-1"
      onSubmit={(e) => {
        e.preventDefault();
        run(() => setUnitLeadAction(orgSlug, { unitId: unit.id, leadUserId }), leadUserId ? 'Lead set.' : 'Lead removed.');
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <LeadPicker orgSlug={orgSlug} lead={lead} onPick={setLead} clearLabel="No lead" />
        <button type="submit" disabled={pending || leadUserId === unit.leadUserId} className={`${BUTTON} border border-gray-300 bg-white text-gray-800 hover:bg-gray-50`}>
          Set lead
        </button>
      </div>
      {feedback}
    </form>
  );
}

function MoveForm({ orgSlug, unit, units }: { orgSlug: string; unit: UnitNode; units: UnitNode[] }) {
  const id = useId();
  const allowed = allowedParentKinds(unit.kind);
  const own = subtreeIds(unit.id, new Map(units.map((u) => [u.id, u.parentId])));
  const parents = units.filter((u) => allowed.includes(u.kind) && !own.has(u.id));
  const [parentId, setParentId] = useState(unit.parentId ?? '');
  const { pending, run, feedback } = useUnitAction();
  if (parents.length <= 1 && parents[0]?.id === unit.parentId) return null;
  return (
    <form
      noValidate
      className="space-y-1"
      onSubmit={(e) => {
        e.preventDefault();
        run(() => moveUnitAction(orgSlug, { unitId: unit.id, parentId }), 'Moved.');
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <div>
          <label htmlFor={id} className={LABEL}>
            Sits under
          </label>
          <select id={id} className={`${FIELD} w-64 max-w-full`} value={parentId} onChange={(e) => setParentId(e.target.value)}>
            {parents.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name} ({KIND_LABEL[p.kind].toLowerCase()})
              </option>
            ))}
          </select>
        </div>
        <button type="submit" disabled={pending || parentId === unit.parentId} className={`${BUTTON} border border-gray-300 bg-white text-gray-800 hover:bg-gray-50`}>
          Move
        </button>
      </div>
      {feedback}
    </form>
  );
}

function ArchiveForm({ orgSlug, unit }: { orgSlug: string; unit: UnitNode }) {
  const [confirming, setConfirming] = useState(false);
  const { pending, run, feedback } = useUnitAction();
  return (
    <div className="space-y-1 border-t border-gray-200 pt-3">
      {confirming ? (
        <div className="flex flex-wrap items-center gap-2">
          <span className="text-sm text-gray-700">Archive {unit.name}? It must have no active KPIs, teams or people.</span>
          <button
            type="button"
            disabled={pending}
            onClick={() => run(() => archiveUnitAction(orgSlug, { unitId: unit.id }), 'Archived.')}
            className={`${BUTTON} bg-red-600 text-white hover:bg-red-700`}
          >
            Archive {unit.name}
          </button>
          <button type="button" onClick={() => setConfirming(false)} className={`${BUTTON} text-gray-700 shadow-none hover:bg-gray-100`}>
            Cancel
          </button>
        </div>
      ) : (
        <button type="button" onClick={() => setConfirming(true)} className={`${BUTTON} border border-gray-300 bg-white text-red-700 hover:bg-red-50`}>
          Archive…
        </button>
      )}
      {feedback}
    </div>
  );
}
