import { notFound, redirect } from 'next/navigation';
import { AppError } from '@/lib/errors';
import { getOrgContext, type OrgContext } from './org-context';
import { mustEnrolSecondFactor, securityPagePath } from './second-factor-gate';

/**
 * For org-scoped pages and layouts: the org context, or the sign-in page when signed out, or a 404
 * that looks the same for a missing org and someone else's org. An admin whom the organization
 * requires a second factor of goes to their security page to enrol first (`enrolling`: the
 * security page itself, and the layout around it).
 */
export async function requireOrgPage(
  orgSlug: string,
  options: { enrolling?: boolean } = {},
): Promise<OrgContext> {
  let ctx: OrgContext;
  try {
    ctx = await getOrgContext(orgSlug);
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
      redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${orgSlug}`)}`);
    }
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
  if (!options.enrolling && mustEnrolSecondFactor(ctx)) {
    redirect(`${securityPagePath(ctx.org.slug)}?required=1`);
  }
  return ctx;
}
