/**
 * The SMTP sink the tests deliver to survives a client that dies inside a transaction, as a real
 * SMTP server does: the cluster test SIGKILLs a worker mid-delivery, and smtp-server re-emits that
 * client's ECONNRESET on the server, where nothing listening would fail the whole test file.
 */
import { connect } from 'node:net';
import { once } from 'node:events';
import { createEmailSender } from '../activities/email';
import { startSmtpSink } from './support/smtp-sink';

it('a client reset mid-transaction is recorded, its message is not delivered, and the sink goes on', async () => {
  const sink = await startSmtpSink();
  const { port } = new URL(sink.url);
  try {
    const socket = connect(Number(port), '127.0.0.1');
    let answers = '';
    socket.on('data', (chunk: Buffer) => (answers += chunk.toString('utf8')));
    const waitFor = async (code: string) => {
      while (!answers.includes(code)) await once(socket, 'data');
      answers = '';
    };
    await waitFor('220 ');
    for (const [line, code] of [
      ['EHLO worker.test', '250 '],
      ['MAIL FROM:<otp@example.test>', '250 '],
      ['RCPT TO:<person@example.com>', '250 '],
    ]) {
      socket.write(`${line}\r\n`);
      await waitFor(code);
    }
    // Inside the transaction (sender and recipient given), before the message: the reset that
    // smtp-server passes on to the server's listeners.
    socket.resetAndDestroy();
    for (let i = 0; i < 100 && sink.connectionErrors.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(sink.connectionErrors.map((err) => (err as NodeJS.ErrnoException).code)).toEqual(['ECONNRESET']);
    expect(sink.messages).toHaveLength(0);

    const sender = createEmailSender({ smtpUrl: sink.url, from: 'otp@example.test' });
    await sender.send({
      channel: 'email',
      to: 'person@example.com',
      code: '123456',
      locale: 'en',
      expiryMinutes: 10,
      appName: 'Acme',
      templates: {},
    });
    await sender.close?.();
    expect(sink.messages).toHaveLength(1);
  } finally {
    await sink.close();
  }
});
