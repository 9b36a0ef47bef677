import { notFound, redirect } from 'next/navigation';
import { AppError } from '@/lib/errors';
import { getOrgContext, type OrgContext } from './org-context';

/**
 * For org-scoped pages and layouts: the org context, or the sign-in page when signed out, or a 404
 * that looks the same for a missing org and someone else's org.
 */
export async function requireOrgPage(orgSlug: string): Promise<OrgContext> {
  try {
    return await getOrgContext(orgSlug);
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHENTICATED') {
      redirect(`/sign-in?callbackUrl=${encodeURIComponent(`/o/${orgSlug}`)}`);
    }
    if (error instanceof AppError && error.code === 'NOT_FOUND') notFound();
    throw error;
  }
}
