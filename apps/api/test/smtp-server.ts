import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface Received {
  recipients: string[];
  mail: ParsedMail;
}

/** A real SMTP server on a free local port that keeps every accepted message. */
export async function startSmtp(
  behaviour: { rejectRecipients?: boolean; rejectLogin?: boolean } = {},
) {
  const received: Received[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      // Echoes the password back, as a careless server might, to prove the sender redacts it.
      if (behaviour.rejectLogin) callback(new Error(`Bad password ${auth.password ?? ''}`));
      else callback(null, { user: auth.username });
    },
    onRcptTo(_address, _session, callback) {
      if (!behaviour.rejectRecipients) return callback();
      callback(Object.assign(new Error('Mailbox busy, try later'), { responseCode: 451 }));
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        simpleParser(Buffer.concat(chunks)).then((mail) => {
          received.push({ recipients: session.envelope.rcptTo.map((r) => r.address), mail });
          callback();
        }, callback);
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
