'use client';

import { fetchPickerPage, SearchCombobox } from '@/components/ui/search-combobox';

/** A member as the members route returns one. */
export type MemberChoice = { userId: string; name: string; email: string };

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
