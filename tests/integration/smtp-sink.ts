import { SMTPServer } from 'smtp-server';
import type { NotifyConfig } from '@/lib/notify/config';

/** A message the test SMTP server accepted. */
export type CaughtMail = { from: string; to: string[]; raw: string; text: string };

/** Undoes quoted-printable soft breaks and escapes, enough to read links and words. */
function decodeQuotedPrintable(raw: string): string {
  const bytes = Buffer.from(raw.replace(/=\r?\n/g, ''), 'utf8').toString('latin1');
  const decoded = bytes.replace(/=([0-9A-F]{2})/g, (_, hex: string) =>
    String.fromCharCode(parseInt(hex, 16)),
  );
  return Buffer.from(decoded, 'latin1').toString('utf8');
}

/**
 * A real SMTP server inside the test process (smtp-server): no TLS, no auth, on a free port.
 * `mode` lets a test make it refuse messages or hang on them.
 */
export async function startSmtpSink() {
  const mails: CaughtMail[] = [];
  let hung = 0;
  let mode: 'accept' | 'reject' | 'hang' = 'accept';
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (mode === 'hang') {
          hung += 1;
          return; // never answers: the client waits
        }
        if (mode === 'reject') {
          const error = Object.assign(new Error('Mailbox unavailable'), { responseCode: 451 });
          callback(error);
          return;
        }
        const raw = Buffer.concat(chunks).toString('utf8');
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
          text: decodeQuotedPrintable(raw),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    mails,
    /** Messages received in `hang` mode (never answered, never delivered). */
    hungCount: () => hung,
    setMode: (m: typeof mode) => {
      mode = m;
    },
    /** Mails to any of these addresses. */
    to: (addresses: string[]) => mails.filter((m) => m.to.some((t) => addresses.includes(t))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What the jobs need to mail through a sink at `url`, with links to http://kpi.test. */
export function sinkNotifyConfig(url: string, secret: string): NotifyConfig {
  return {
    smtpUrl: url,
    from: 'Cascade KPI <no-reply@kpi.test>',
    appUrl: 'http://kpi.test',
    secret,
  };
}

/** A sink and the notification config that sends to it (links to http://kpi.test). */
export async function startTestMail(secret: string) {
  const sink = await startSmtpSink();
  return { sink, config: sinkNotifyConfig(sink.url, secret) };
}
