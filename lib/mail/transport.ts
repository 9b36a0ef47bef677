import nodemailer from 'nodemailer';

/** A rendered message ready for SMTP. */
export type OutgoingMail = {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Fixed per delivery (`<id@host>`), so a resend after a crash carries the same id. */
  messageId: string;
  unsubscribeUrl: string;
};

/** A stuck SMTP server must not hold a worker forever. */
const SEND_TIMEOUT_MS = 20_000;

/**
 * Sends one message over SMTP (nodemailer) with the one-click unsubscribe headers (RFC 8058).
 * Throws on any failure, with the server's answer in the message.
 */
export async function sendOverSmtp(smtpUrl: string, mail: OutgoingMail): Promise<void> {
  const transport = nodemailer.createTransport(smtpUrl);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      transport.sendMail({
        from: mail.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        messageId: mail.messageId,
        headers: {
          'List-Unsubscribe': `<${mail.unsubscribeUrl}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          'Auto-Submitted': 'auto-generated',
        },
      }),
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

/** A short, safe reason for the deliveries log (no message body, no links). */
export function describeSendError(error: unknown): string {
  if (!(error instanceof Error)) return 'unknown error';
  const code = (error as { code?: string; responseCode?: number }).code;
  return `${code ?? error.name}: ${error.message}`.slice(0, 500);
}
