import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderInvitationMail, sendInvitationEmail, type InvitationMail } from './send-invitation';

const mail: InvitationMail = {
  to: 'new.person@example.test',
  orgName: 'Acme <b>& Co</b>',
  inviterName: 'Ada\r\nBcc: victim@example.test',
  role: 'admin',
  acceptPath: '/invite/AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcd',
  expiresAt: '2030-01-08T10:00:00.000Z',
};

/** A minimal SMTP server that accepts one message and hands back its raw data. */
function fakeSmtp(): Promise<{ port: number; received: Promise<string>; close: () => void }> {
  return new Promise((resolve) => {
    let deliver: (data: string) => void = () => {};
    const received = new Promise<string>((r) => (deliver = r));
    const server = net.createServer((socket) => {
      let buffer = '';
      let inData = false;
      socket.write('220 fake ESMTP\r\n');
      socket.on('data', (chunk) => {
        buffer += chunk.toString('utf8');
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end === -1) return;
          deliver(buffer.slice(0, end));
          buffer = buffer.slice(end + 5);
          inData = false;
          socket.write('250 queued\r\n');
        }
        let newline: number;
        while (!inData && (newline = buffer.indexOf('\r\n')) !== -1) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 2);
          const verb = line.slice(0, 4).toUpperCase();
          if (verb === 'EHLO' || verb === 'HELO') socket.write('250 fake\r\n');
          else if (verb === 'DATA') {
            inData = true;
            socket.write('354 go ahead\r\n');
          } else if (verb === 'QUIT') socket.end('221 bye\r\n');
          else socket.write('250 ok\r\n');
        }
      });
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({ port, received, close: () => server.close() });
    });
  });
}

afterEach(() => vi.restoreAllMocks());

describe('invitation e-mail', () => {
  it('is not sent without SMTP_URL', async () => {
    expect(await sendInvitationEmail(mail, { from: 'x@y.z', appUrl: 'https://kpi.example.com' })).toBe('not_configured');
  });

  it('sends the absolute link over SMTP with user input escaped', async () => {
    const smtp = await fakeSmtp();
    try {
      const outcome = await sendInvitationEmail(mail, {
        smtpUrl: `smtp://127.0.0.1:${smtp.port}`,
        from: 'Cascade KPI <no-reply@localhost>',
        appUrl: 'https://kpi.example.com/',
      });
      expect(outcome).toBe('sent');
      const raw = (await smtp.received).replace(/=\r\n/g, '');
      expect(raw).toContain(`https://kpi.example.com${mail.acceptPath}`);
      expect(raw).toMatch(/^To: new\.person@example\.test$/m);
      expect(raw).not.toMatch(/^Bcc:/im);
    } finally {
      smtp.close();
    }
  });

  it('escapes names in the HTML body', () => {
    const { html, subject, text } = renderInvitationMail(mail, 'https://kpi.example.com/invite/t');
    expect(html).not.toContain('<b>');
    expect(html).toContain('Acme &#60;b&#62;&#38; Co&#60;/b&#62;');
    expect(subject).not.toMatch(/[\r\n]/);
    expect(text).toContain('as an admin');
  });

  it('a failing server is logged without the link and reported, never thrown', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const { port } = closed.address() as net.AddressInfo;
    await new Promise<void>((r) => closed.close(() => r()));
    const outcome = await sendInvitationEmail(mail, {
      smtpUrl: `smtp://127.0.0.1:${port}`,
      from: 'x@y.z',
      appUrl: 'https://kpi.example.com',
    });
    expect(outcome).toBe('failed');
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0]?.[0])).not.toContain(mail.acceptPath);
  });
});
