/**
 * A delivery the session cancels (a resend superseded it) is cancelled in flight: issueCode
 * heartbeats while it pays and sends, and hands its cancellation signal to the sender, which tears
 * down the SMTP transaction or the Twilio request. A message the provider had not received in
 * full never arrives, is reported as cancelled, and its credits (held or paid) are given back; one
 * the provider accepted is reported as sent, and stays paid.
 */
import { once } from 'node:events';
import { CancelledFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSessionActivities } from '../activities';
import type { IssueCodeInput, IssuedCode } from '../workflows/activity-contract';
import { codeKeys } from '../activities/codes';
import type { ChannelSender, OtpMessage } from '../activities/delivery';
import { createEmailSender } from '../activities/email';
import { createTwilioSender } from '../activities/twilio';
import type { AbuseAdmission } from '../src/limits/guards';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { startTwilioFake, type TwilioFake } from './support/twilio-fake';

const keys = codeKeys('k'.repeat(32));
const tenant = { id: 'acme' };
/** Longer than any test: a slow provider never answers within one. */
const SLOW_MS = 60_000;
const ACCOUNT_SID = 'AC00000000000000000000000000000001';

const RECIPIENTS: Record<'email' | 'sms', string> = {
  email: 'ada@example.com',
  sms: '+14155550100',
};

const input = (channel: 'email' | 'sms'): IssueCodeInput => ({
  session_id: 'ses_0123',
  channel,
  recipient: RECIPIENTS[channel],
  issue: 2,
  otp_length: 6,
  code_type: 'numeric',
  expiry_minutes: 10,
  app_name: 'Acme',
  templates: {},
  sandbox: false,
  insight: { tenant_id: tenant.id, key_mode: 'live' },
  locale: 'en',
  tenant,
});

/** Credits that record what was captured and released; `onCapture` runs during a capture. */
function credits(onCapture: () => void = () => {}) {
  const captured: string[] = [];
  const released: string[] = [];
  const admission = {
    admit: async () => {},
    record: async () => {},
    credits: {
      capture: async (_tenant: unknown, charge: { key: string }) => {
        captured.push(charge.key);
        onCapture();
        return true;
      },
      release: async (_tenant: unknown, key: string) => void released.push(key),
    },
  } as unknown as AbuseAdmission;
  return { admission, captured, released };
}

/** A sender that records what it was asked to send and answers at once. */
function recordingSender() {
  const sent: OtpMessage[] = [];
  const sender: ChannelSender = {
    async send(message) {
      sent.push(message);
      return { providerMessageId: `id-${sent.length}` };
    },
  };
  return { sender, sent };
}

/** The heartbeat timeout the session gives issueCode, scaled down: the activity beats every 100 ms. */
const environment = () => new MockActivityEnvironment({ heartbeatTimeoutMs: 400 });

async function cancellationOf(issuing: Promise<unknown>): Promise<CancelledFailure> {
  const outcome = await issuing.then(
    () => new Error('expected the delivery to be cancelled'),
    (err: unknown) => err,
  );
  expect(outcome).toBeInstanceOf(CancelledFailure);
  return outcome as CancelledFailure;
}

/** An email sender and an SMS sender, each against the given local server. */
function sendersFor(smtp: SmtpSink, twilio: TwilioFake): { email: ChannelSender; sms: ChannelSender } {
  return {
    email: createEmailSender({ smtpUrl: smtp.url, from: 'Acme <no-reply@acme.test>' }),
    sms: createTwilioSender('sms', {
      accountSid: ACCOUNT_SID,
      authToken: 'test-token',
      smsFrom: '+15005550006',
      apiBaseUrl: twilio.baseUrl,
    }),
  };
}

describe('a delivery cancelled before it is paid for or handed over', () => {
  it('cancelled before it is paid for: nothing is captured or sent, the hold is given back', async () => {
    const { admission, captured, released } = credits();
    const { sender, sent } = recordingSender();
    const activities = createSessionActivities({
      keys,
      bcryptRounds: 4,
      senders: { sms: sender },
      admission,
    });
    const env = environment();

    const issuing = env.run(activities.issueCode, input('sms'));
    // The activity is hashing its code (bcrypt runs off the event loop) when the cancellation comes.
    env.cancel();

    await cancellationOf(issuing);
    expect(captured).toEqual([]);
    expect(released).toEqual(['ses_0123:sms:2']);
    expect(sent).toEqual([]);
  });

  it('cancelled while it is paid for: nothing is sent, the credits are given back', async () => {
    const env = environment();
    const { admission, captured, released } = credits(() => env.cancel());
    const { sender, sent } = recordingSender();
    const activities = createSessionActivities({
      keys,
      bcryptRounds: 4,
      senders: { sms: sender },
      admission,
    });

    await cancellationOf(env.run(activities.issueCode, input('sms')));
    expect(captured).toEqual(['ses_0123:sms:2']);
    expect(released).toEqual(['ses_0123:sms:2']);
    expect(sent).toEqual([]);
  });
});

describe('a delivery cancelled while a slow provider has not accepted it', () => {
  let slowSmtp: SmtpSink;
  let slowTwilio: TwilioFake;
  let email: ChannelSender;
  let sms: ChannelSender;

  beforeAll(async () => {
    // The server takes a minute to accept the sender: the recipient and the message wait.
    slowSmtp = await startSmtpSink({ mailFromDelayMs: SLOW_MS });
    // The request takes a minute to reach the Messages API.
    slowTwilio = await startTwilioFake({ delayMs: SLOW_MS });
    ({ email, sms } = sendersFor(slowSmtp, slowTwilio));
  });

  afterAll(async () => {
    await email.close?.();
    await Promise.all([slowSmtp.close(), slowTwilio.close()]);
  });

  it('email: the SMTP transaction is torn down and the message never reaches the server', async () => {
    const { admission, captured, released } = credits();
    const activities = createSessionActivities({ keys, bcryptRounds: 4, senders: { email }, admission });
    const env = environment();
    const heartbeats = once(env, 'heartbeat');

    const issuing = env.run(activities.issueCode, input('email'));
    await slowSmtp.nextMailFrom();
    // It beats while it waits on the server, so that a cancellation can reach it.
    await heartbeats;
    await once(env, 'heartbeat');
    const closed = slowSmtp.nextClose();
    env.cancel();

    await cancellationOf(issuing);
    await closed;
    expect(slowSmtp.messages).toEqual([]);
    expect(captured).toEqual(['ses_0123:email:2']);
    expect(released).toEqual(['ses_0123:email:2']);
  });

  it('sms: the Twilio request is aborted and never reaches the Messages API', async () => {
    const { admission, captured, released } = credits();
    const activities = createSessionActivities({ keys, bcryptRounds: 4, senders: { sms }, admission });
    const env = environment();

    const issuing = env.run(activities.issueCode, input('sms'));
    await slowTwilio.nextDelayed();
    await once(env, 'heartbeat');
    const abandoned = slowTwilio.nextAbandoned();
    env.cancel();

    await cancellationOf(issuing);
    await abandoned;
    expect(slowTwilio.requests).toEqual([]);
    expect(captured).toEqual(['ses_0123:sms:2']);
    expect(released).toEqual(['ses_0123:sms:2']);
  });
});

describe('a delivery the provider accepted before the cancellation came', () => {
  let smtp: SmtpSink;
  let twilio: TwilioFake;
  let email: ChannelSender;
  let sms: ChannelSender;

  beforeAll(async () => {
    smtp = await startSmtpSink();
    twilio = await startTwilioFake();
    ({ email, sms } = sendersFor(smtp, twilio));
  });

  afterAll(async () => {
    await email.close?.();
    await Promise.all([smtp.close(), twilio.close()]);
  });

  it.each(['email', 'sms'] as const)('%s: is reported as sent, and stays paid', async (channel) => {
    const env = environment();
    const provider = channel === 'email' ? email : sms;
    let accepted: string | undefined;
    // The cancellation arrives the moment the provider has answered.
    const cancelledOnAnswer: ChannelSender = {
      async send(message, options) {
        const receipt = await provider.send(message, options);
        accepted = receipt.providerMessageId;
        env.cancel();
        return receipt;
      },
    };
    const { admission, captured, released } = credits();
    const activities = createSessionActivities({
      keys,
      bcryptRounds: 4,
      senders: { [channel]: cancelledOnAnswer },
      admission,
    });

    const issued: IssuedCode = await env.run(activities.issueCode, input(channel));

    expect(issued.provider_message_id).toBe(accepted);
    expect(captured).toEqual([`ses_0123:${channel}:2`]);
    expect(released).toEqual([]);
    if (channel === 'email') expect(smtp.messages).toHaveLength(1);
    else expect(twilio.requests).toHaveLength(1);
  });
});

describe('a delivery cancelled after the provider received all of it', () => {
  let sink: SmtpSink;
  let email: ChannelSender;

  beforeAll(async () => {
    // The server has the whole message and takes its time to say so.
    sink = await startSmtpSink({ answerDelayMs: 300 });
    email = createEmailSender({ smtpUrl: sink.url, from: 'Acme <no-reply@acme.test>' });
  });

  afterAll(async () => {
    await email.close?.();
    await sink.close();
  });

  it('is not recalled: reported as cancelled and not charged, though it may still arrive (README, Delivery)', async () => {
    const { admission, released } = credits();
    const activities = createSessionActivities({ keys, bcryptRounds: 4, senders: { email }, admission });
    const env = environment();

    const issuing = env.run(activities.issueCode, input('email'));
    await sink.nextData();
    env.cancel();

    const kept = sink.nextMessage();
    await cancellationOf(issuing);
    // This sink, like many servers, keeps what it received in full even once its client is gone.
    await kept;
    expect(sink.messages).toHaveLength(1);
    expect(released).toEqual(['ses_0123:email:2']);
  });
});
