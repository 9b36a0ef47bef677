'use client';

import { fetchPickerPage, SearchCombobox } from '@/components/ui/search-combobox';
import type { MemberChoiceDto } from '@/lib/dal/people/members';

/** A member as the members route returns one. */
export type MemberChoice = MemberChoiceDto;

/** A picked member as a form holds it, by id and name (a unit's lead, the history's person). */
export type MemberRef = Pick<MemberChoice, 'userId' | 'name'>;

type ComboboxProps = Parameters<typeof SearchCombobox<MemberChoice>>[0];

/**
 * A search-as-you-type picker of the organization's members (GET members: every word typed in
 * the name or the email), each shown with the email that tells two people of one name apart.
 * `exclude` (a user id) is left out of the matches and their count.
 */
export function MemberPicker({
  orgSlug,
  exclude,
  ...props
}: Omit<ComboboxProps, 'queryKey' | 'search' | 'itemId' | 'itemLabel' | 'itemDetail'> & {
  orgSlug: string;
  exclude?: string;
}) {
  const base = `/api/o/${orgSlug}/members`;
  return (
    <SearchCombobox<MemberChoice>
      {...props}
      queryKey={['members', orgSlug, exclude ?? '']}
      search={(q, signal) => {
        const params = new URLSearchParams({ q });
        if (exclude) params.set('exclude', exclude);
        return fetchPickerPage<MemberChoice>(`${base}?${params}`, signal);
      }}
      itemId={(m) => m.userId}
      itemLabel={(m) => m.name}
      itemDetail={(m) => m.email}
    />
  );
}
