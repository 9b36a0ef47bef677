/** Said when a link's `?period=` could not be read and the page shows its default period instead. */
export function PeriodNotice({ label }: { label: string }) {
  return (
    <p
      role="status"
      data-testid="period-notice"
      className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900"
    >
      The period in this link cannot be shown (it is malformed, in the future or outside the
      supported years), so this shows {label}.
    </p>
  );
}
