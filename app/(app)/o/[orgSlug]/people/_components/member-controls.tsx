'use client';

import { useRouter } from 'next/navigation';
import { useState, useTransition } from 'react';
import { flushSync } from 'react-dom';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { changeHomeUnitAction, changeMemberRoleAction, removeMemberAction } from '@/lib/actions/people';
import type { UnitOptionDto } from '@/lib/dal/people/members';
import { Select, UnitOptions } from './unit-select';

type Person = { userId: string; name: string };

function useRowAction() {
  const afterSave = useSaved();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  function run(
    action: () => Promise<{ ok: true } | { ok: false; error: { message: string; fieldErrors?: Record<string, string[]> } }>,
    onError?: () => void,
    onSuccess?: () => void,
  ) {
    setError(null);
    startTransition(async () => {
      const result = await action();
      if (!result.ok) {
        const field = Object.values(result.error.fieldErrors ?? {})[0]?.[0];
        setError(field ?? result.error.message);
        onError?.();
        return;
      }
      if (onSuccess) onSuccess();
      else void afterSave();
    });
  }
  return { error, pending, run };
}

function RowError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="mt-1 text-xs text-red-600">
      {message}
    </p>
  );
}

/** Role picker for one member (admin or member; ownership moves only by transfer). */
export function RoleSelect({ orgSlug, person, role }: { orgSlug: string; person: Person; role: 'admin' | 'member' }) {
  const { error, pending, run } = useRowAction();
  const [value, setValue] = useState(role);
  return (
    <div>
      <Select
        aria-label={`Role of ${person.name}`}
        value={value}
        disabled={pending}
        onChange={(e) => {
          const next = e.currentTarget.value as 'admin' | 'member';
          setValue(next);
          run(() => changeMemberRoleAction(orgSlug, { userId: person.userId, role: next }), () => setValue(role));
        }}
      >
        <option value="member">Member</option>
        <option value="admin">Admin</option>
      </Select>
      <RowError message={error} />
    </div>
  );
}

/**
 * Home unit picker for one member. The People page has one per member, so it renders only the
 * current unit until the person reaches for it (a pointer press or focus, which come before the
 * list opens or a key moves it), then every unit: 2,000 members and 126 units were 252,000
 * `<option>`s and 24 MB of HTML.
 */
export function HomeUnitSelect({
  orgSlug,
  person,
  homeUnitId,
  units,
}: {
  orgSlug: string;
  person: Person;
  homeUnitId: string;
  units: readonly UnitOptionDto[];
}) {
  const { error, pending, run } = useRowAction();
  const [value, setValue] = useState(homeUnitId);
  const [listed, setListed] = useState(false);
  // Synchronously, so the options are there before the browser opens the list.
  const list = () => {
    if (!listed) flushSync(() => setListed(true));
  };
  return (
    <div>
      <Select
        aria-label={`Home unit of ${person.name}`}
        value={value}
        disabled={pending}
        onPointerDown={list}
        onFocus={list}
        onChange={(e) => {
          const next = e.currentTarget.value;
          setValue(next);
          run(
            () => changeHomeUnitAction(orgSlug, { userId: person.userId, homeUnitId: next }),
            () => setValue(homeUnitId),
          );
        }}
      >
        <UnitOptions units={listed ? units : units.filter((unit) => unit.id === value)} />
      </Select>
      <RowError message={error} />
    </div>
  );
}

/** Remove with an inline confirmation; the person loses access on their next request. */
export function RemoveMemberButton({ orgSlug, person, isSelf }: { orgSlug: string; person: Person; isSelf: boolean }) {
  const router = useRouter();
  const { error, pending, run } = useRowAction();
  const [confirming, setConfirming] = useState(false);
  if (!confirming) {
    return (
      <div className="md:text-right">
        {/* The visible word is part of the name (WCAG 2.5.3): "Leave (remove …)" for oneself. */}
        <Button
          type="button"
          variant="ghost"
          className="px-3 text-red-700 hover:bg-red-50"
          aria-label={isSelf ? `Leave (remove ${person.name})` : `Remove ${person.name}`}
          onClick={() => setConfirming(true)}
        >
          {isSelf ? 'Leave' : 'Remove'}
        </Button>
        <RowError message={error} />
      </div>
    );
  }
  return (
    <div className="rounded-md border border-red-200 bg-red-50 p-3 text-sm shadow-lg md:absolute md:right-0 md:top-full md:z-10 md:mt-1 md:w-72">
      <p className="text-red-800">
        {isSelf
          ? 'Leave this organization? You lose access at once.'
          : `Remove ${person.name}? They lose access at once; their KPIs and units stay without an owner or lead.`}
      </p>
      <div className="mt-2 flex flex-wrap gap-2">
        <Button
          type="button"
          variant="danger"
          className="px-3 py-1.5"
          disabled={pending}
          onClick={() =>
            run(
              () => removeMemberAction(orgSlug, { userId: person.userId }),
              () => setConfirming(false),
              isSelf
                ? () => router.replace('/')
                : undefined,
            )
          }
        >
          {pending ? 'Removing…' : isSelf ? 'Leave' : 'Confirm removal'}
        </Button>
        <Button type="button" variant="secondary" className="px-3 py-1.5" onClick={() => setConfirming(false)}>
          Cancel
        </Button>
      </div>
    </div>
  );
}
