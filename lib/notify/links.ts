import { signUnsubscribeToken } from '@/lib/mail/unsubscribe-token';
import type { NotifyConfig } from './config';

/** App paths notifications link to (the org is always in the URL). */
export const appPaths = {
  /** The one-screen check-in: the dashboard's "Check-ins due" section. */
  checkins: (slug: string) => `/o/${slug}#checkins-heading`,
  kpi: (slug: string, kpiId: string) => `/o/${slug}/kpis/${kpiId}`,
  notifications: (slug: string) => `/o/${slug}/notifications`,
  webhooks: (slug: string) => `/o/${slug}/settings/webhooks`,
  unsubscribe: (token: string) => `/unsubscribe?token=${encodeURIComponent(token)}`,
  /** Where mail clients POST the one-click unsubscribe (RFC 8058). */
  unsubscribePost: (token: string) => `/api/unsubscribe?token=${encodeURIComponent(token)}`,
};

/** An app path made absolute for an e-mail. */
export function absoluteUrl(config: NotifyConfig, path: string): string {
  return new URL(path, config.appUrl).toString();
}

/** The unsubscribe links of one person's e-mails of one kind in one organization. */
export function unsubscribeLinks(
  config: NotifyConfig,
  claims: { orgId: string; userId: string; kind: string },
): { page: string; oneClick: string } {
  const token = signUnsubscribeToken(claims, config.secret);
  return {
    page: absoluteUrl(config, appPaths.unsubscribe(token)),
    oneClick: absoluteUrl(config, appPaths.unsubscribePost(token)),
  };
}

/** The host part for Message-ID headers (`<id@host>`). */
export function messageIdHost(config: NotifyConfig): string {
  return new URL(config.appUrl).hostname || 'localhost';
}
