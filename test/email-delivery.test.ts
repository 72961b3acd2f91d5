import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ChannelSender, OtpMessage } from '../activities/delivery';
import { createEmailSender } from '../activities/email';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { deliveryError, otpMessage, TEST_CODE as CODE } from './support/delivery';

const FROM = 'Acme <no-reply@acme.test>';

const otp = (overrides: Partial<OtpMessage> = {}) =>
  otpMessage({ channel: 'email', to: 'ada@example.com' }, overrides);

/** Undoes quoted-printable (soft line breaks could split the code); headers are unaffected. */
function mailText(raw: string): string {
  return raw
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

describe('email delivery over SMTP', () => {
  let sink: SmtpSink;
  let sender: ChannelSender;

  beforeAll(async () => {
    sink = await startSmtpSink({
      rejectWith: (rcpt) =>
        rcpt.startsWith('gone@')
          ? { code: 550, message: `5.1.1 Mailbox ${rcpt} unavailable` }
          : rcpt.startsWith('badlogin@')
            ? { code: 535, message: '5.7.8 Authentication credentials invalid' }
            : undefined,
    });
    sender = createEmailSender({ smtpUrl: sink.url, from: FROM });
  });

  afterAll(async () => {
    await sender.close?.();
    await sink.close();
  });

  beforeEach(() => sink.messages.splice(0));

  it('delivers a text and HTML message containing the code', async () => {
    const receipt = await sender.send(otp());

    expect(receipt.providerMessageId).toMatch(/^<.+@acme\.test>$/);
    expect(sink.messages).toHaveLength(1);
    const [mail] = sink.messages;
    expect(mail.envelope).toEqual({ from: 'no-reply@acme.test', to: ['ada@example.com'] });
    const raw = mailText(mail.raw);
    expect(raw).toMatch(/^Subject: Your Acme verification code/m);
    expect(raw).toMatch(/^Auto-Submitted: auto-generated/m);
    const [, textPart, htmlPart] = raw.split(/^Content-Type: text\/(?:plain|html)/m);
    expect(textPart).toContain(CODE);
    expect(htmlPart).toContain(`>${CODE}</p>`);
  });

  it("uses the tenant's template", async () => {
    await sender.send(
      otp({
        templates: {
          otp_email: {
            subject: 'Sign in to {{app_name}}',
            text: 'Your code: {{ code }} ({{expiry_minutes}} min)',
            html: '<p class="tenant">Your code: <b>{{code}}</b></p>',
          },
        },
      }),
    );

    const raw = mailText(sink.messages[0].raw);
    expect(raw).toMatch(/^Subject: Sign in to Acme/m);
    expect(raw).toContain(`Your code: ${CODE} (10 min)`);
    expect(raw).toContain(`<p class="tenant">Your code: <b>${CODE}</b></p>`);
  });

  it('treats a 550 for the recipient as permanent', async () => {
    const err = await deliveryError(sender.send(otp({ to: 'gone@example.com' })));

    expect(err.permanent).toBe(true);
    expect(err.providerCode).toBe(550);
    expect(err.message).toBe('SMTP server answered 550 5.1.1 to RCPT TO');
    expect(sink.messages).toHaveLength(0);
  });

  it('reports a 535 as a credentials failure: not permanent, so it is retried while someone fixes it', async () => {
    const err = await deliveryError(sender.send(otp({ to: 'badlogin@example.com' })));
    expect(err).toMatchObject({ permanent: false, credentials: true, providerCode: 535 });
  });

  it('treats a 451 as transient, and the next attempt succeeds', async () => {
    sink.failNext(1, 451, `4.3.0 Temporary failure while handling ${CODE}`);

    const err = await deliveryError(sender.send(otp()));
    expect(err.permanent).toBe(false);
    expect(err.providerCode).toBe(451);

    await sender.send(otp());
    expect(sink.messages).toHaveLength(1);
  });

  it('treats a 552 at the end of DATA as permanent', async () => {
    sink.failNext(1, 552);
    const err = await deliveryError(sender.send(otp()));
    expect(err).toMatchObject({ permanent: true, providerCode: 552 });
  });
});

describe('email delivery when the server is unreachable or hung', () => {
  let silent: Server;
  const sockets = new Set<Socket>();

  beforeAll(async () => {
    // Accepts connections and never says a word, like a wedged SMTP server.
    silent = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    sockets.forEach((socket) => socket.destroy());
    await new Promise((resolve) => silent.close(resolve));
  });

  it('a server that never greets times out as a transient failure', async () => {
    const { port } = silent.address() as AddressInfo;
    const sender = createEmailSender({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, timeoutMs: 200 });
    try {
      const err = await deliveryError(sender.send(otp()));
      expect(err).toMatchObject({ permanent: false, providerCode: 'ETIMEDOUT' });
    } finally {
      await sender.close?.();
    }
  });

  it('a refused connection is a transient failure', async () => {
    // A port that was free a moment ago: nothing listens there any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const freePort = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const sender = createEmailSender({
      smtpUrl: `smtp://127.0.0.1:${freePort}`,
      from: FROM,
      timeoutMs: 1000,
    });
    try {
      const err = await deliveryError(sender.send(otp()));
      expect(err.permanent).toBe(false);
      expect(err.message).toContain('ECONNREFUSED');
    } finally {
      await sender.close?.();
    }
  });
});
