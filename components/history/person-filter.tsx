'use client';

import { useState } from 'react';
import { MemberPicker, type MemberRef } from '@/components/people/member-picker';

/**
 * The history filter's person: members searched by name or email as one types (a large
 * organization has thousands), sent with the filter's GET form as `person` (left out for
 * everyone). `chosen` is the person the page is filtered by now, named by the server.
 */
export function PersonFilter({ orgSlug, chosen }: { orgSlug: string; chosen: MemberRef | null }) {
  const [person, setPerson] = useState(chosen);
  return (
    <div>
      <MemberPicker
        orgSlug={orgSlug}
        label="Person"
        placeholder="Everyone"
        selectedLabel={person?.name ?? ''}
        clearLabel="Everyone"
        onPick={(m) => setPerson(m ? { userId: m.userId, name: m.name } : null)}
      />
      {person ? <input type="hidden" name="person" value={person.userId} /> : null}
    </div>
  );
}
