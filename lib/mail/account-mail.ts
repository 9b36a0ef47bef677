import {
  absoluteUrl,
  afterResponse,
  configFromEnv,
  deliverMail,
  escapeHtml,
  mailHtml,
  oneLine,
  type MailConfig,
  type RenderedMail,
} from './transport';

/*
 * The e-mails about a person's own account: password reset, address verification, and the
 * notice that someone tried to sign up with their address. Links carry single-use tokens: they
 * are never logged in production.
 */

export function renderResetMail(name: string, url: string, minutes: number): RenderedMail {
  return {
    subject: 'Reset your Cascade KPI password',
    text: [
      `Hello ${oneLine(name)},`,
      '',
      `Someone (hopefully you) asked to reset the password of your Cascade KPI account. Choose a new password here: ${url}`,
      '',
      `The link works once, for ${minutes} minutes, and stops working if your password changes in the meantime.`,
      'If you did not ask for this, ignore this e-mail: your password stays as it is.',
    ].join('\n'),
    html: mailHtml(
      [
        `Hello ${escapeHtml(oneLine(name))},`,
        'Someone (hopefully you) asked to reset the password of your Cascade KPI account.',
      ],
      { url, label: 'Choose a new password' },
      `The link works once, for ${minutes} minutes, and stops working if your password changes in the meantime. If you did not ask for this, ignore this e-mail: your password stays as it is.`,
    ),
  };
}

export function renderVerifyMail(name: string, url: string): RenderedMail {
  return {
    subject: 'Confirm your e-mail address for Cascade KPI',
    text: [
      `Hello ${oneLine(name)},`,
      '',
      `Confirm that this is your address: ${url}`,
      '',
      'If you did not create a Cascade KPI account, ignore this e-mail.',
    ].join('\n'),
    html: mailHtml(
      [`Hello ${escapeHtml(oneLine(name))},`, 'Confirm that this is your address for Cascade KPI.'],
      { url, label: 'Confirm my address' },
      'If you did not create a Cascade KPI account, ignore this e-mail.',
    ),
  };
}

export function renderSignUpAttemptMail(
  name: string,
  signInUrl: string,
  resetUrl: string,
): RenderedMail {
  return {
    subject: 'Someone tried to sign up with your address',
    text: [
      `Hello ${oneLine(name)},`,
      '',
      'Someone tried to create a new Cascade KPI account with this e-mail address, which already has one. No account was created.',
      '',
      `If it was you, sign in: ${signInUrl}`,
      `Forgot your password? Reset it: ${resetUrl}`,
      '',
      'If it was not you, you need not do anything.',
    ].join('\n'),
    html: mailHtml(
      [
        `Hello ${escapeHtml(oneLine(name))},`,
        'Someone tried to create a new Cascade KPI account with this e-mail address, which already has one. No account was created.',
        `If it was you, <a href="${escapeHtml(signInUrl)}">sign in</a> or <a href="${escapeHtml(resetUrl)}">reset your password</a>.`,
      ],
      undefined,
      'If it was not you, you need not do anything.',
    ),
  };
}

type Recipient = { email: string; name: string };

/**
 * Sends an account e-mail with a link to `path` after the response. Without SMTP_URL nothing is
 * sent; outside production the link is printed on the server console instead, so a developer can
 * follow it.
 */
function queueLinkMail(
  to: Recipient,
  path: string,
  label: string,
  render: (url: string) => RenderedMail,
  config: MailConfig = configFromEnv(),
): Promise<void> {
  return afterResponse(async () => {
    const url = absoluteUrl(path, config) ?? path;
    if (!config.smtpUrl) {
      if (process.env.NODE_ENV !== 'production')
        console.info(`[mail] ${label} for ${to.email}: ${url}`);
      return;
    }
    if (!config.appUrl) {
      console.error(`[mail] ${label} not sent: set APP_URL so links in e-mails are absolute.`);
      return;
    }
    await deliverMail(to.email, render(url), label, config);
  });
}

export function queueResetMail(to: Recipient, token: string, minutes: number): Promise<void> {
  return queueLinkMail(to, `/reset-password/${token}`, 'password reset e-mail', (url) =>
    renderResetMail(to.name, url, minutes),
  );
}

export function queueVerifyMail(to: Recipient, token: string): Promise<void> {
  return queueLinkMail(to, `/verify-email/${token}`, 'verification e-mail', (url) =>
    renderVerifyMail(to.name, url),
  );
}

export function queueSignUpAttemptMail(to: Recipient): Promise<void> {
  const config = configFromEnv();
  return queueLinkMail(
    to,
    '/sign-in',
    'sign-up attempt notice',
    (signInUrl) =>
      renderSignUpAttemptMail(
        to.name,
        signInUrl,
        absoluteUrl('/forgot-password', config) ?? '/forgot-password',
      ),
    config,
  );
}
