import type { DraftMail, NotificationDraft } from '@/lib/dal/notifications/create';
import { renderNotificationMail, type NotificationMailInput } from '@/lib/mail/notification-mail';
import type { NotifyConfig } from './config';
import { absoluteUrl, appPaths, unsubscribeLinks } from './links';

/**
 * The e-mail of one notification for its recipient: what it says, with the organization's name
 * and time zone, the preferences link and the signed unsubscribe links of the draft's kind.
 */
export function renderDraftMail(
  config: NotifyConfig,
  org: { id: string; slug: string; name: string; timeZone: string },
  draft: NotificationDraft,
  recipient: { name: string },
  content: Pick<NotificationMailInput, 'intro' | 'sections' | 'action'>,
): DraftMail {
  const links = unsubscribeLinks(config, {
    orgId: org.id,
    userId: draft.recipientUserId,
    kind: draft.kind,
  });
  const rendered = renderNotificationMail({
    orgName: org.name,
    timeZone: org.timeZone,
    recipientName: recipient.name,
    subject: draft.subject,
    ...content,
    unsubscribeUrl: links.page,
    preferencesUrl: absoluteUrl(config, appPaths.notifications(org.slug)),
  });
  return { ...rendered, unsubscribeUrl: links.oneClick };
}
