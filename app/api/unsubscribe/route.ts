// One-click unsubscribe (RFC 8058): a mail client POSTs `List-Unsubscribe=One-Click` here, or the
// /unsubscribe page's button does. The signed token is the only authority: it names the person,
// organization and kind, and can only turn that e-mail off.
import { NextResponse, type NextRequest } from 'next/server';
import { getAuthSecret } from '@/lib/auth/secret';
import { unsubscribeByToken } from '@/lib/dal/notifications/preferences';
import { verifyUnsubscribeToken } from '@/lib/mail/unsubscribe-token';
import { NOTIFICATION_KINDS, type NotificationKind } from '@/lib/notify/kinds';

export const dynamic = 'force-dynamic';

function isKind(kind: string): kind is NotificationKind {
  return (NOTIFICATION_KINDS as readonly string[]).includes(kind);
}

export async function POST(request: NextRequest): Promise<Response> {
  const token = request.nextUrl.searchParams.get('token') ?? '';
  const claims = verifyUnsubscribeToken(token, getAuthSecret());
  const form = await request.formData().catch(() => null);
  const fromPage = form?.get('source') === 'page';
  if (!claims || !isKind(claims.kind)) {
    if (fromPage)
      return NextResponse.redirect(new URL('/unsubscribe?result=invalid', request.url), 303);
    return new NextResponse('This unsubscribe link is not valid.', { status: 400 });
  }
  const changed = await unsubscribeByToken({ ...claims, kind: claims.kind });
  if (fromPage) {
    return NextResponse.redirect(
      new URL(`/unsubscribe?result=${changed ? 'done' : 'gone'}`, request.url),
      303,
    );
  }
  return new NextResponse(changed ? 'Unsubscribed.' : 'Nothing to unsubscribe.', { status: 200 });
}
