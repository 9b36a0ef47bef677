import { escapeHtml, oneLine } from './transport';

/** One line of a notification e-mail: what, a short detail, and where to open it. */
export type MailItem = { label: string; detail: string; url: string };

/** What a notification e-mail says; every URL is absolute. */
export type NotificationMailInput = {
  orgName: string;
  timeZone: string;
  recipientName: string;
  subject: string;
  intro: string;
  sections: { heading: string; items: MailItem[] }[];
  action: { label: string; url: string };
  unsubscribeUrl: string;
  preferencesUrl: string;
};

/**
 * Subject, plain text and HTML of a notification e-mail. Every message names the organization
 * and its time zone (the dates in it are that zone's) and carries the unsubscribe link.
 */
export function renderNotificationMail(mail: NotificationMailInput): {
  subject: string;
  text: string;
  html: string;
} {
  const org = oneLine(mail.orgName);
  const subject = oneLine(`${mail.subject} (${org})`);
  const footer = `${org} · dates in ${mail.timeZone}`;
  const text = [
    `Hello ${oneLine(mail.recipientName)},`,
    '',
    mail.intro,
    ...mail.sections.flatMap((s) => [
      '',
      `${s.heading}:`,
      ...s.items.map((i) => `- ${oneLine(i.label)} (${i.detail}): ${i.url}`),
    ]),
    '',
    `${mail.action.label}: ${mail.action.url}`,
    '',
    '--',
    footer,
    `E-mail settings: ${mail.preferencesUrl}`,
    `Unsubscribe from these e-mails: ${mail.unsubscribeUrl}`,
  ].join('\n');
  const sectionsHtml = mail.sections
    .map(
      (s) => `<h3 style="font-size:14px;margin:16px 0 4px">${escapeHtml(s.heading)}</h3>
<ul style="margin:0;padding-left:20px">${s.items
        .map(
          (i) =>
            `<li><a href="${escapeHtml(i.url)}">${escapeHtml(oneLine(i.label))}</a> <span style="color:#6b7280">(${escapeHtml(i.detail)})</span></li>`,
        )
        .join('')}</ul>`,
    )
    .join('\n');
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;color:#111827">
<p>Hello ${escapeHtml(oneLine(mail.recipientName))},</p>
<p>${escapeHtml(mail.intro)}</p>
${sectionsHtml}
<p style="margin-top:20px"><a href="${escapeHtml(mail.action.url)}" style="display:inline-block;background:#4f46e5;color:#fff;padding:10px 16px;border-radius:6px;text-decoration:none">${escapeHtml(mail.action.label)}</a></p>
<p style="color:#6b7280;font-size:12px;margin-top:24px">${escapeHtml(footer)} · <a href="${escapeHtml(mail.preferencesUrl)}">E-mail settings</a> · <a href="${escapeHtml(mail.unsubscribeUrl)}">Unsubscribe</a></p>
</body></html>`;
  return { subject, text, html };
}
