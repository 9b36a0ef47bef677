import { describe, expect, it } from 'vitest';
import { renderNotificationMail } from './notification-mail';

const input = {
  orgName: 'Acme <Labs>',
  timeZone: 'Europe/Berlin',
  recipientName: 'Ana\r\nBcc: evil@example.com',
  subject: 'Check-in reminder: 1 KPI needs a value',
  intro: 'These KPIs you own have no value yet.',
  sections: [
    {
      heading: 'Due soon',
      items: [
        {
          label: 'NPS <b>',
          detail: 'Nov 2026, due 2 Dec 2026',
          url: 'https://kpi.test/o/acme/kpis/1',
        },
      ],
    },
  ],
  action: { label: 'Open your check-ins', url: 'https://kpi.test/o/acme#checkins-heading' },
  unsubscribeUrl: 'https://kpi.test/unsubscribe?token=abc',
  preferencesUrl: 'https://kpi.test/o/acme/notifications',
};

describe('renderNotificationMail', () => {
  it('names the organization and its time zone, with the links, in both parts', () => {
    const mail = renderNotificationMail(input);
    expect(mail.subject).toBe('Check-in reminder: 1 KPI needs a value (Acme <Labs>)');
    for (const part of [mail.text, mail.html]) {
      expect(part).toContain('Europe/Berlin');
      expect(part).toContain('https://kpi.test/o/acme/kpis/1');
      expect(part).toContain('https://kpi.test/o/acme#checkins-heading');
      expect(part).toContain('https://kpi.test/unsubscribe?token=abc');
      expect(part).toContain('https://kpi.test/o/acme/notifications');
    }
    expect(mail.text).toContain('Acme <Labs> · dates in Europe/Berlin');
    expect(mail.text).toContain(
      '- NPS <b> (Nov 2026, due 2 Dec 2026): https://kpi.test/o/acme/kpis/1',
    );
  });

  it('escapes HTML and keeps names to one line', () => {
    const mail = renderNotificationMail(input);
    expect(mail.html).toContain('Acme &#60;Labs&#62;');
    expect(mail.html).toContain('NPS &#60;b&#62;');
    expect(mail.html).not.toContain('<b>');
    expect(mail.text).toContain('Hello Ana Bcc: evil@example.com,');
    expect(mail.subject).not.toMatch(/[\r\n]/);
  });
});
