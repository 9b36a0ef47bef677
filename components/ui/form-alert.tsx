/** A form-level error message (scoped role so it never collides with Next's route announcer). */
export function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" data-testid="form-alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {message}
    </div>
  );
}

/** A form's success message, announced politely. */
export function FormStatus({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p role="status" className="text-sm text-green-700">
      {message}
    </p>
  );
}
