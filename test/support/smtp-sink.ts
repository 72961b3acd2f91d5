/**
 * A real SMTP server on 127.0.0.1 for tests: it accepts everything (no auth, no TLS), keeps what it
 * received, can be told to refuse deliveries with a chosen SMTP reply code, can hold its
 * answer to DATA so that deliveries stay in flight (a client that dies meanwhile delivered nothing),
 * and can be slow to accept a message's sender, so that a delivery waits before any of the
 * message has reached it.
 */
import { once, EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string | undefined; to: string[] };
  /** The whole message as sent over DATA: headers and MIME body. */
  raw: string;
}

export interface SmtpRejection {
  code: number;
  message: string;
}

export interface SmtpSinkOptions {
  /** Refuse a recipient at RCPT TO (e.g. 550 for an unknown mailbox); `undefined` accepts it. */
  rejectWith?: (rcpt: string) => SmtpRejection | undefined;
  /** Answer the end of DATA this much later: a slow provider, so a delivery stays in flight. */
  answerDelayMs?: number;
  /**
   * Answer MAIL FROM this much later: a slow server, so a delivery waits before the recipient or
   * any of the message has been sent. Undefined: at once; a function decides per sender address.
   */
  mailFromDelayMs?: number | ((from: string) => number);
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, ready for nodemailer. */
  url: string;
  messages: ReceivedMail[];
  /** Messages received in full whose answer is still being held back (`answerDelayMs`). */
  answering: number;
  /** Refuse the next `count` messages at the end of DATA with `code` (e.g. 451, 552). */
  failNext(count: number, code: number, message?: string): void;
  /** From now on, keep each message unanswered at the end of DATA until `release()`. */
  hold(): void;
  /** Accept the held messages whose client is still connected, and stop holding. */
  release(): void;
  /** Messages received in full and held, not yet answered. */
  readonly heldCount: number;
  /** Errors of client connections (resets mid-transaction), which the sink survives. */
  connectionErrors: Error[];
  /** Resolves when the sink next receives a MAIL FROM (before answering it). */
  nextMailFrom(): Promise<void>;
  /** Resolves when the sink next has a whole message (end of DATA), before it answers it. */
  nextData(): Promise<void>;
  /** Resolves when the sink next accepts (keeps) a message. */
  nextMessage(): Promise<void>;
  /** Resolves when a client connection next closes, whoever closed it. */
  nextClose(): Promise<void>;
  close(): Promise<void>;
}

function smtpError({ code, message }: SmtpRejection): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpSink(opts: SmtpSinkOptions = {}): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const pendingFailures: SmtpRejection[] = [];
  let holding = false;
  const held = new Map<string, () => void>();
  let answering = 0;
  const events = new EventEmitter();
  /** MAIL FROM answers being delayed, per connection: a connection that closes meanwhile gets none. */
  const slowAnswers = new Map<string, NodeJS.Timeout>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Clients that still hold a connection when a test ends get cut off quickly.
    closeTimeout: 1000,
    onMailFrom(address, session, callback) {
      events.emit('mail-from');
      const delay =
        typeof opts.mailFromDelayMs === 'function'
          ? opts.mailFromDelayMs(address.address)
          : opts.mailFromDelayMs;
      if (!delay) return callback();
      slowAnswers.set(
        session.id,
        setTimeout(() => {
          slowAnswers.delete(session.id);
          callback();
        }, delay),
      );
    },
    onRcptTo(address, _session, callback) {
      const rejection = opts.rejectWith?.(address.address);
      callback(rejection ? smtpError(rejection) : null);
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        events.emit('data');
        if (opts.answerDelayMs) {
          answering++;
          await new Promise((resolve) => setTimeout(resolve, opts.answerDelayMs));
          answering--;
        }
        const failure = pendingFailures.shift();
        if (failure) return callback(smtpError(failure));
        const { mailFrom, rcptTo } = session.envelope;
        const accept = () => {
          messages.push({
            envelope: { from: mailFrom ? mailFrom.address : undefined, to: rcptTo.map((r) => r.address) },
            raw: Buffer.concat(chunks).toString('utf8'),
          });
          events.emit('message');
          callback(null);
        };
        if (holding) held.set(session.id, accept);
        else accept();
      });
    },
    // The client went away before its message was answered: it was never delivered.
    onClose(session) {
      held.delete(session.id);
      clearTimeout(slowAnswers.get(session.id));
      slowAnswers.delete(session.id);
      events.emit('close');
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client that dies inside a transaction (a worker SIGKILLed mid-delivery) resets its socket,
  // and smtp-server re-emits that on the server: a real server survives it, and so does the sink.
  // Its message was never answered, so it was not delivered (onClose forgets a held one).
  const connectionErrors: Error[] = [];
  server.on('error', (err: Error) => connectionErrors.push(err));
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    connectionErrors,
    get answering() {
      return answering;
    },
    failNext(count, code, message = 'Requested action aborted: test failure') {
      for (let i = 0; i < count; i++) pendingFailures.push({ code, message });
    },
    hold() {
      holding = true;
    },
    release() {
      holding = false;
      const accepts = [...held.values()];
      held.clear();
      for (const accept of accepts) accept();
    },
    get heldCount() {
      return held.size;
    },
    nextMailFrom: async () => void (await once(events, 'mail-from')),
    nextData: async () => void (await once(events, 'data')),
    nextMessage: async () => void (await once(events, 'message')),
    nextClose: async () => void (await once(events, 'close')),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
