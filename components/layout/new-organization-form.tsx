'use client';

import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { issueErrors, resultFieldErrors } from '@/components/ui/form-errors';
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
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [alert, setAlert] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setAlert(null);
    const parsed = createOrganizationSchema.safeParse({ name, slug });
    if (!parsed.success) {
      setErrors(issueErrors(parsed.error));
      return;
    }
    setSaving(true);
    try {
      const result = await createOrganizationAction(parsed.data);
      if (!result.ok) {
        const fields = resultFieldErrors(result.ok ? undefined : result.error.fieldErrors);
        setErrors(fields);
        // A refusal of one field is said under it; anything else goes on top.
        setAlert(Object.keys(fields).length > 0 ? null : result.error.message);
        return;
      }
      router.push(`/o/${result.data.orgSlug}`);
    } finally {
      setSaving(false);
    }
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
