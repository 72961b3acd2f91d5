/**
 * The email provider of the live flows: a local SMTP server (smtp-server, a devDependency) on
 * 127.0.0.1 that accepts every message and keeps only the code it carries, per recipient, until
 * the flow takes it. No auth, no TLS: loopback only.
 */
import type { AddressInfo } from 'node:net';

/** The live tenants' email template (bench/stack.ts writes it): the sink reads the code back out of it. */
export const LIVE_EMAIL_TEMPLATE = { subject: 'Bench code', text: 'Your code: {{code}}' };

const CODE = new RegExp(`${LIVE_EMAIL_TEMPLATE.text.replace('{{code}}', '')}([0-9A-Z]+)`);

export interface CodeSink {
  url: string;
  /** Messages accepted so far. */
  received(): number;
  /** The code of the message for `to`: at once if it has arrived, else when it does. */
  codeFor(to: string, timeoutMs: number): Promise<string>;
  close(): Promise<void>;
}

export async function startCodeSink(): Promise<CodeSink> {
  const { SMTPServer } = await import('smtp-server');
  const codes = new Map<string, string>();
  const waiting = new Map<string, (code: string) => void>();
  let received = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    closeTimeout: 1000,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        received++;
        const code = CODE.exec(Buffer.concat(chunks).toString('utf8'))?.[1];
        if (code) {
          for (const { address } of session.envelope.rcptTo) {
            const waiter = waiting.get(address);
            if (waiter) waiter(code);
            else codes.set(address, code);
          }
        }
        callback(null);
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    received: () => received,
    codeFor(to, timeoutMs) {
      const code = codes.get(to);
      if (code !== undefined) {
        codes.delete(to);
        return Promise.resolve(code);
      }
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(to);
          reject(new Error(`no email for ${to} within ${timeoutMs / 1000} s`));
        }, timeoutMs);
        waiting.set(to, (arrived) => {
          clearTimeout(timer);
          waiting.delete(to);
          resolve(arrived);
        });
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
