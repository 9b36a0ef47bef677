import { roleInSentence } from '@/lib/authz/roles';
import {
  afterResponse,
  configFromEnv,
  deliverMail,
  escapeHtml,
  isMailConfigured,
  oneLine,
  type MailConfig,
  type MailOutcome,
} from './transport';

export { isMailConfigured };

/** What an invitation e-mail says. `acceptPath` is `/invite/<token>`: never logged. */
export type InvitationMail = {
  to: string;
  orgName: string;
  inviterName: string;
  role: 'admin' | 'member';
  acceptPath: string;
  expiresAt: string;
};

export type { MailConfig, MailOutcome };

/** Subject, plain text and HTML of the invitation (exported for tests). */
export function renderInvitationMail(mail: InvitationMail, url: string) {
  const roleLabel = roleInSentence(mail.role);
  const expires = new Date(mail.expiresAt).toUTCString().replace(/:\d\d GMT$/, ' UTC');
  const subject = oneLine(`${mail.inviterName} invited you to ${mail.orgName} on Cascade KPI`);
  const text = [
    `${oneLine(mail.inviterName)} invited you to join ${oneLine(mail.orgName)} on Cascade KPI as ${roleLabel}.`,
    '',
    `Accept the invitation: ${url}`,
    '',
    `The link works once and expires on ${expires}.`,
    'If you did not expect this invitation, you can ignore this e-mail.',
  ].join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111827">
<p>${escapeHtml(oneLine(mail.inviterName))} invited you to join <strong>${escapeHtml(oneLine(mail.orgName))}</strong> on Cascade KPI as ${roleLabel}.</p>
<p><a href="${escapeHtml(url)}" style="display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">Accept the invitation</a></p>
<p style="color:#6b7280;font-size:13px">The link works once and expires on ${escapeHtml(expires)}. If you did not expect this invitation, you can ignore this e-mail.</p>
</body></html>`;
  return { subject, text, html };
}

/**
 * Sends one invitation over SMTP. Never throws: a failure is logged (without the link, which
 * carries the token) and reported, because the invitation itself is already saved and the admin
 * has the link to copy.
 */
export async function sendInvitationEmail(
  mail: InvitationMail,
  config: MailConfig = configFromEnv(),
): Promise<MailOutcome> {
  if (!config.smtpUrl) return 'not_configured';
  if (!config.appUrl) {
    console.error('[mail] invitation e-mail not sent: set APP_URL so links in e-mails are absolute.');
    return 'failed';
  }
  const url = new URL(mail.acceptPath, config.appUrl).toString();
  return deliverMail(mail.to, renderInvitationMail(mail, url), 'invitation e-mail (the admin still has the link)', config);
}

/**
 * Sends the invitation after the response (and so after the transaction has committed), when
 * SMTP is configured. Returns whether an e-mail is on its way, for the admin's confirmation.
 */
export async function queueInvitationEmail(mail: InvitationMail): Promise<boolean> {
  const config = configFromEnv();
  if (!isMailConfigured(config)) return false;
  await afterResponse(() => sendInvitationEmail(mail, config));
  return true;
}
