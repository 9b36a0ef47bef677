import type { Metadata } from 'next';
import { getAuthSecret } from '@/lib/auth/secret';
import { verifyUnsubscribeToken } from '@/lib/mail/unsubscribe-token';
import {
  NOTIFICATION_KIND_LABELS,
  NOTIFICATION_KINDS,
  type NotificationKind,
} from '@/lib/notify/kinds';

export const metadata: Metadata = { title: 'Unsubscribe' };
export const dynamic = 'force-dynamic';

const RESULTS: Record<string, string> = {
  done: 'Done: you will not get these e-mails any more. You can turn them back on from Notifications in the app.',
  gone: 'There was nothing to unsubscribe: you are no longer a member of that organization.',
  invalid: 'This unsubscribe link is not valid.',
};

/**
 * The unsubscribe link of an e-mail: a GET never changes anything (link scanners follow links),
 * so this page asks for one click, which posts to /api/unsubscribe.
 */
export default async function UnsubscribePage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const query = await searchParams;
  const result = typeof query.result === 'string' ? RESULTS[query.result] : undefined;
  const token = typeof query.token === 'string' ? query.token : '';
  const claims = token ? verifyUnsubscribeToken(token, getAuthSecret()) : null;
  const kind =
    claims && (NOTIFICATION_KINDS as readonly string[]).includes(claims.kind)
      ? (claims.kind as NotificationKind)
      : null;
  return (
    <main className="mx-auto max-w-md px-6 py-16">
      <h1 className="text-xl font-semibold">Unsubscribe</h1>
      {result ? (
        <p role="status" className="mt-3 text-sm text-gray-700">
          {result}
        </p>
      ) : kind ? (
        <form
          method="post"
          action={`/api/unsubscribe?token=${encodeURIComponent(token)}`}
          className="mt-4 space-y-4"
        >
          <input type="hidden" name="source" value="page" />
          <p className="text-sm text-gray-700">
            Stop e-mails of this kind: <strong>{NOTIFICATION_KIND_LABELS[kind].title}</strong>? They
            still appear in your inbox in the app.
          </p>
          <button
            type="submit"
            className="rounded-md bg-indigo-600 px-4 py-2 text-sm font-medium text-white hover:bg-indigo-700"
          >
            Unsubscribe
          </button>
        </form>
      ) : (
        <p className="mt-3 text-sm text-gray-700">{RESULTS.invalid}</p>
      )}
    </main>
  );
}
