import { getAuthSecret } from '@/lib/auth/secret';
import { configFromEnv } from '@/lib/mail/transport';

/** What the notification jobs need from the environment; tests pass their own. */
export type NotifyConfig = {
  /** SMTP server (smtp:// or smtps://); unset: mail goes to the outbox page instead. */
  smtpUrl?: string;
  from: string;
  /** Absolute base URL for links in e-mails. */
  appUrl: string;
  /** Signs unsubscribe tokens (the app secret). */
  secret: string;
};

/** The configuration from SMTP_URL, MAIL_FROM, APP_URL (or NEXTAUTH_URL) and AUTH_SECRET. */
export function notifyConfigFromEnv(): NotifyConfig {
  const mail = configFromEnv();
  if (!mail.appUrl) {
    console.warn('[jobs] APP_URL is not set: links in e-mails point to http://localhost:3000.');
  }
  return {
    smtpUrl: mail.smtpUrl,
    from: mail.from,
    appUrl: mail.appUrl ?? 'http://localhost:3000',
    secret: getAuthSecret(),
  };
}
