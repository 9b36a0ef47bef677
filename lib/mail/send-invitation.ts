import nodemailer from 'nodemailer';
import { env } from '@/lib/env';
import { roleInSentence } from '@/lib/authz/roles';

/** What an invitation e-mail says. `acceptPath` is `/invite/<token>`: never logged. */
export type InvitationMail = {
  to: string;
  orgName: string;
  inviterName: string;
  role: 'admin' | 'member';
  acceptPath: string;
  expiresAt: string;
};

export type MailConfig = { smtpUrl?: string; from: string; appUrl?: string };

export type MailOutcome = 'sent' | 'not_configured' | 'failed';

/** A stuck SMTP server must not keep the task around forever. */
const SEND_TIMEOUT_MS = 20_000;

/** Mail settings from the environment (SMTP_URL, MAIL_FROM, APP_URL). */
export function configFromEnv(): MailConfig {
  const config = env();
  return {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    appUrl: config.APP_URL ?? process.env.NEXTAUTH_URL ?? (config.NODE_ENV === 'production' ? undefined : 'http://localhost:3000'),
  };
}

/** True when invitation e-mails are sent at all (SMTP_URL is set). */
export function isMailConfigured(config: MailConfig = configFromEnv()): boolean {
  return Boolean(config.smtpUrl);
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Names are user input: keep them to one line in headers. */
export function oneLine(text: string): string {
  return text.replace(/[\r\n\t]+/g, ' ').trim();
}

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
  const transport = nodemailer.createTransport(config.smtpUrl);
  let timer: NodeJS.Timeout | undefined;
  try {
    const { subject, text, html } = renderInvitationMail(mail, url);
    await Promise.race([
      transport.sendMail({ from: config.from, to: mail.to, subject, text, html }),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${SEND_TIMEOUT_MS} ms`)), SEND_TIMEOUT_MS);
      }),
    ]);
    return 'sent';
  } catch (error) {
    const reason = error instanceof Error ? `${(error as { code?: string }).code ?? error.name}: ${error.message}` : 'unknown error';
    console.error(`[mail] invitation e-mail to ${mail.to} failed (${reason}); the admin still has the link.`);
    return 'failed';
  } finally {
    if (timer) clearTimeout(timer);
    transport.close();
  }
}

/**
 * Sends the invitation after the response (and so after the transaction has committed), when
 * SMTP is configured. Returns whether an e-mail is on its way, for the admin's confirmation.
 */
export async function queueInvitationEmail(mail: InvitationMail): Promise<boolean> {
  const config = configFromEnv();
  if (!isMailConfigured(config)) return false;
  const task = async () => {
    await sendInvitationEmail(mail, config);
  };
  try {
    const { after } = await import('next/server');
    after(task);
  } catch {
    // Outside a request (scripts, tests): send now, still never throwing.
    void task();
  }
  return true;
}
