'use client';

import { useId, useState, type FormEvent } from 'react';
import { useSaved } from '@/components/layout/use-saved';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { inviteMemberAction } from '@/lib/actions/people';
import type { UnitOptionDto } from '@/lib/dal/people/members';
import { CopyLink } from './copy-link';
import { Select, UnitOptions } from './unit-select';

type Errors = Partial<Record<'email' | 'role' | 'homeUnitId', string>>;
type Sent = { email: string; url: string; emailQueued: boolean };

/** Invites someone by email with a role and a home unit, then shows the link to copy. */
export function InviteForm({
  orgSlug,
  units,
  defaultUnitId,
}: {
  orgSlug: string;
  units: readonly UnitOptionDto[];
  defaultUnitId: string;
}) {
  const afterSave = useSaved();
  const roleId = useId();
  const unitId = useId();
  const [errors, setErrors] = useState<Errors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [sent, setSent] = useState<Sent | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const formElement = event.currentTarget;
    const form = new FormData(formElement);
    setPending(true);
    setErrors({});
    setFormError(null);
    const result = await inviteMemberAction(orgSlug, {
      email: String(form.get('email') ?? ''),
      role: String(form.get('role') ?? '') as 'admin' | 'member',
      homeUnitId: String(form.get('homeUnitId') ?? ''),
    });
    setPending(false);
    if (!result.ok) {
      const fields = result.error.fieldErrors ?? {};
      setErrors(Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v[0]])) as Errors);
      if (!Object.keys(fields).length || fields._form) setFormError(result.error.message);
      return;
    }
    setSent({
      email: result.data.email,
      url: new URL(result.data.acceptPath, window.location.origin).toString(),
      emailQueued: result.data.emailQueued,
    });
    formElement.reset();
    void afterSave();
  }

  return (
    <div className="space-y-4">
      <form onSubmit={onSubmit} noValidate className="space-y-3">
        <FormAlert message={formError} />
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)_minmax(0,1.5fr)_auto] lg:items-start">
          <Field label="Email" name="email" type="email" autoComplete="off" required error={errors.email} placeholder="name@company.com" />
          <div>
            <label htmlFor={roleId} className="block text-sm font-medium text-gray-700">
              Role
            </label>
            <Select id={roleId} name="role" defaultValue="member" className="mt-1" aria-invalid={errors.role ? true : undefined}>
              <option value="member">Member</option>
              <option value="admin">Admin</option>
            </Select>
            {errors.role ? <p className="mt-1 text-sm text-red-600">{errors.role}</p> : null}
          </div>
          <div>
            <label htmlFor={unitId} className="block text-sm font-medium text-gray-700">
              Home unit
            </label>
            <Select id={unitId} name="homeUnitId" defaultValue={defaultUnitId} className="mt-1" aria-invalid={errors.homeUnitId ? true : undefined}>
              <UnitOptions units={units} />
            </Select>
            {errors.homeUnitId ? <p className="mt-1 text-sm text-red-600">{errors.homeUnitId}</p> : null}
          </div>
          <div className="sm:col-span-2 lg:col-span-1 lg:pt-6">
            <Button type="submit" disabled={pending} className="w-full lg:w-auto">
              {pending ? 'Inviting…' : 'Invite'}
            </Button>
          </div>
        </div>
        <p className="text-xs text-gray-500">
          Admins manage people, units, KPIs and settings. Members record values on the KPIs they own.
        </p>
      </form>
      {sent ? (
        <div data-testid="invite-result" className="rounded-lg border border-indigo-200 bg-indigo-50 p-4">
          <p className="text-sm font-medium text-indigo-900">
            Invitation ready for {sent.email}
          </p>
          <p className="mb-3 mt-1 text-sm text-indigo-800">
            {sent.emailQueued
              ? 'We are e-mailing this link to them. You can also copy it and send it yourself.'
              : 'Copy this link and send it to them. It works once and expires in 7 days.'}
          </p>
          <CopyLink url={sent.url} label="Invitation link" />
        </div>
      ) : null}
    </div>
  );
}
