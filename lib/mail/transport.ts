import nodemailer from 'nodemailer';
import { env } from '@/lib/env';

/*
 * How every e-mail leaves the app: nodemailer over SMTP_URL, after the response (so after the
 * transaction has committed), never throwing. Renderers (send-invitation.ts, account-mail.ts)
 * build subject, text and HTML with the helpers here.
 */

export type MailConfig = { smtpUrl?: string; from: string; appUrl?: string };

export type MailOutcome = 'sent' | 'not_configured' | 'failed';

export type RenderedMail = { subject: string; text: string; html: string };

/** A stuck SMTP server must not keep the task around forever. */
const SEND_TIMEOUT_MS = 20_000;

export function configFromEnv(): MailConfig {
  const config = env();
  return {
    smtpUrl: config.SMTP_URL,
    from: config.MAIL_FROM,
    appUrl:
      config.APP_URL ??
      process.env.NEXTAUTH_URL ??
      (config.NODE_ENV === 'production' ? undefined : 'http://localhost:3000'),
  };
}

/** True when e-mails are sent at all (SMTP_URL is set). */
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

/** A link button and small print, the same in every mail. */
export function mailHtml(
  paragraphs: string[],
  button?: { url: string; label: string },
  smallPrint?: string,
): string {
  return `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111827">
${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
${button ? `<p><a href="${escapeHtml(button.url)}" style="display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(button.label)}</a></p>` : ''}
${smallPrint ? `<p style="color:#6b7280;font-size:13px">${smallPrint}</p>` : ''}
</body></html>`;
}

/** An absolute URL for a path in the app, or null when APP_URL is unknown (production without it). */
export function absoluteUrl(path: string, config: MailConfig): string | null {
  return config.appUrl ? new URL(path, config.appUrl).toString() : null;
}

/** A message as nodemailer takes it, less the sender's transport. */
type SmtpMessage = Parameters<ReturnType<typeof nodemailer.createTransport>['sendMail']>[0];

/** Sends one message over SMTP, giving up after SEND_TIMEOUT_MS. Throws on any failure. */
async function sendWithTimeout(smtpUrl: string, message: SmtpMessage): Promise<void> {
  const transport = nodemailer.createTransport(smtpUrl);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      transport.sendMail(message),
      new Promise((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${SEND_TIMEOUT_MS} ms`)),
          SEND_TIMEOUT_MS,
        );
      }),
    ]);
  } finally {
    if (timer) clearTimeout(timer);
    transport.close();
  }
}

/** A short, safe reason for logs and the deliveries log (no message body, no links). */
export function describeSendError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: string }).code;
  return `${code ?? error.name}: ${error.message}`.slice(0, 500);
}

/**
 * Sends one e-mail over SMTP. Never throws: a failure is logged (with `label`, never the body:
 * bodies carry single-use links) and reported.
 */
export async function deliverMail(
  to: string,
  rendered: RenderedMail,
  label: string,
  config: MailConfig = configFromEnv(),
): Promise<MailOutcome> {
  if (!config.smtpUrl) return 'not_configured';
  try {
    await sendWithTimeout(config.smtpUrl, { from: config.from, to, ...rendered });
    return 'sent';
  } catch (error) {
    console.error(`[mail] ${label} to ${to} failed (${describeSendError(error)}).`);
    return 'failed';
  }
}

/** A rendered notification ready for SMTP (the job queue's deliveries). */
export type OutgoingMail = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Fixed per delivery (`<id@host>`), so a resend after a crash carries the same id. */
  messageId: string;
  unsubscribeUrl: string;
  attachment?: { filename: string; contentType: string; content: Uint8Array } | null;
};

/**
 * Sends one notification over SMTP with the one-click unsubscribe headers (RFC 8058). Throws on
 * any failure, with the server's answer in the message (the delivery is retried).
 */
export async function sendOverSmtp(smtpUrl: string, mail: OutgoingMail): Promise<void> {
  await sendWithTimeout(smtpUrl, {
    from: mail.from,
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId: mail.messageId,
    ...(mail.attachment
      ? {
          attachments: [
            {
              filename: mail.attachment.filename,
              contentType: mail.attachment.contentType,
              content: Buffer.from(mail.attachment.content),
            },
          ],
        }
      : {}),
    headers: {
      'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'Auto-Submitted': 'auto-generated',
    },
  });
}

/**
 * Runs `task` after the response when inside a request (Next's after()), else at once; never
 * throws. Returns nothing: callers that must answer alike whatever happens (reset requests)
 * learn nothing from it.
 */
export async function afterResponse(task: () => Promise<unknown>): Promise<void> {
  const safe = async () => {
    try {
      await task();
    } catch (error) {
      console.error('[mail] task failed', error instanceof Error ? error.message : error);
    }
  };
  try {
    const { after } = await import('next/server');
    after(safe);
  } catch {
    // Outside a request (scripts, tests): run now.
    void safe();
  }
}
