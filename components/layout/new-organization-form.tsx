'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { useActionForm } from '@/components/ui/use-action-form';
import { createOrganizationAction } from '@/lib/actions/organizations';
import { createOrganizationSchema } from '@/lib/validation/org-settings';
import { slugify } from '@/lib/validation/slug';

/**
 * A further organization for the signed-in person: a name and its web address (derived from the
 * name until edited). They become its owner and land on it.
 */
export function NewOrganizationForm() {
  const router = useRouter();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [slugEdited, setSlugEdited] = useState(false);
  // A refusal of one field is said under it; anything else goes on top.
  const { errors, alert, saving, ...form } = useActionForm({
    schema: createOrganizationSchema,
    action: createOrganizationAction,
    onSuccess: (data) => router.push(`/o/${data.orgSlug}`),
    alertOnlyWithoutFields: true,
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    void form.submit({ name, slug });
  }

  return (
    <form onSubmit={submit} noValidate className="space-y-3" aria-label="New organization">
      <FormAlert message={alert} />
      <Field
        label="Organization name"
        value={name}
        maxLength={100}
        onChange={(e) => {
          setName(e.target.value);
          if (!slugEdited) setSlug(e.target.value.trim() ? slugify(e.target.value) : '');
        }}
        error={errors.name}
      />
      <Field
        label="Web address"
        value={slug}
        maxLength={48}
        spellCheck={false}
        autoCapitalize="none"
        onChange={(e) => {
          setSlugEdited(true);
          setSlug(e.target.value);
        }}
        error={errors.slug}
        hint={`/o/${slug || 'your-organization'}`}
      />
      <Button type="submit" disabled={saving} className="w-full">
        {saving ? 'Creating…' : 'Create organization'}
      </Button>
    </form>
  );
}
