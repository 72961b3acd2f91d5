/**
 * The session workflow on Temporal's time-skipping test server: timers (expiry, cooldown,
 * lockout) are proven by skipping time, never by sleeping; delivery goes through a real local
 * SMTP server and a Twilio-compatible fake.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createEmailSender } from '../activities/email';
import { createTwilioSender } from '../activities/twilio';
import type { Channel } from '../workflows/channels';
import {
  cancelUpdate,
  initialDeliveryUpdate,
  otpSession,
  resendUpdate,
  statusQuery,
  verifyUpdate,
} from '../workflows/otp-session';
import type { SessionStart } from '../workflows/session-types';
import { decodedHistoryText, plaintextPayloadPaths, rawHistoryText } from './support/history';
import {
  digests,
  sessionStart,
  startSessionEnv,
  testDataConverter,
  type SessionTestEnv,
} from './support/session-env';
import { startSmtpSink, type SmtpSink } from './support/smtp-sink';
import { startTwilioFake, type TwilioFake } from './support/twilio-fake';

const MINUTE = 60_000;
const TWILIO_SID = 'AC00000000000000000000000000000000';
const CODE_TEMPLATES = {
  otp_email: { subject: 'Your code', text: 'CODE:{{code}}:END', html: '<p>CODE:{{code}}:END</p>' },
  otp_sms: { text: 'CODE:{{code}}:END' },
};

let t: SessionTestEnv;
let smtp: SmtpSink;
let twilio: TwilioFake;
let senders: Parameters<typeof startSessionEnv>[1] = {};
const senderClosers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  smtp = await startSmtpSink({
    rejectWith: (rcpt) =>
      rcpt.startsWith('nobody@') ? { code: 550, message: 'No such mailbox' } : undefined,
  });
  twilio = await startTwilioFake();
  const email = createEmailSender({ smtpUrl: smtp.url, from: 'otp@example.com' });
  const twilioOptions = {
    accountSid: TWILIO_SID,
    authToken: 'test-token',
    smsFrom: '+15005550006',
    whatsappFrom: '+15005550007',
    apiBaseUrl: twilio.baseUrl,
  };
  const sms = createTwilioSender('sms', twilioOptions);
  const whatsapp = createTwilioSender('whatsapp', twilioOptions);
  for (const sender of [email, sms, whatsapp]) if (sender.close) senderClosers.push(sender.close);
  senders = { senders: { email, sms, whatsapp } };
  t = await startSessionEnv('time-skipping', senders);
});

afterAll(async () => {
  await t?.close();
  await Promise.all(senderClosers.map((close) => close()));
  await smtp?.close();
  await twilio?.close();
});

type Handle = WorkflowHandle<typeof otpSession>;

async function open(overrides: Partial<SessionStart> = {}) {
  const start = sessionStart(overrides);
  const handle: Handle = await t.start(start);
  const sent = await handle.executeUpdate(initialDeliveryUpdate);
  return { start, handle, sent, codes: sent.sandbox_otps ?? {} };
}

function verify(handle: Handle, start: SessionStart, codes: Partial<Record<Channel, string>>) {
  return handle.executeUpdate(verifyUpdate, { args: [digests(start.session_id, codes)] });
}

/** A code of the right shape that is not `code`. */
const wrong = (code: string) => (code === '000000' ? '111111' : '000000');

/** The SPEC error code an update failed with (its ApplicationFailure type), and its extra fields. */
async function refusal(
  promise: Promise<unknown>,
): Promise<{ code: string; extras: Record<string, unknown> }> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      return {
        code: err.cause.type ?? '',
        extras: (err.cause.details?.[0] ?? {}) as Record<string, unknown>,
      };
    }
    throw err;
  }
  throw new Error('expected the update to be refused');
}

function codeIn(text: string): string {
  const match = /CODE:([0-9A-Z]+):END/.exec(text);
  if (!match) throw new Error('no code in message');
  return match[1];
}

describe('expiry', () => {
  it('expires by a durable timer at exactly expiry_minutes after the send', async () => {
    const { handle, sent } = await open({ config: { expiry_minutes: 10 } as SessionStart['config'] });
    const createdAt = Date.parse(sent.session.created_at);
    expect(Date.parse(sent.session.expires_at) - createdAt).toBe(10 * MINUTE);

    await t.env.sleep(10 * MINUTE - 2_000);
    expect((await handle.query(statusQuery)).status).toBe('pending');

    const final = await handle.result();
    expect(final.status).toBe('expired');
    expect(final.events.at(-1)).toEqual({ type: 'expired', at: sent.session.expires_at });
  });

  it('refuses a code once the session expired', async () => {
    const { handle, start, codes } = await open({ config: { expiry_minutes: 1 } as SessionStart['config'] });
    await t.env.sleep(MINUTE - 1_000);
    expect((await handle.query(statusQuery)).status).toBe('pending');
    await t.env.sleep(2_000);
    await expect(handle.result()).resolves.toMatchObject({ status: 'expired' });
    await expect(verify(handle, start, codes)).rejects.toThrow();
  });
});

describe('resend', () => {
  it('is refused inside the cooldown with retry_after, then allowed; the limit is enforced', async () => {
    const { handle } = await open({
      config: { resend_cooldown_seconds: 60, max_resends: 1 } as SessionStart['config'],
    });
    const early = await refusal(handle.executeUpdate(resendUpdate, { args: [{}] }));
    expect(early.code).toBe('cooldown_active');
    expect(early.extras.retry_after).toBeGreaterThan(55);
    expect(early.extras.retry_after).toBeLessThanOrEqual(60);

    await t.env.sleep(61_000);
    const resent = await handle.executeUpdate(resendUpdate, { args: [{}] });
    expect(resent.resends_remaining).toBe(0);
    expect(resent.sandbox_otps?.email).toMatch(/^\d{6}$/);

    await t.env.sleep(61_000);
    expect((await refusal(handle.executeUpdate(resendUpdate, { args: [{}] }))).code).toBe(
      'resend_limit_reached',
    );
  });

  it('pushes the expiry to now + expiry_minutes, replaces the old code, and restarts the attempt counter', async () => {
    const { handle, start, codes } = await open({
      config: { expiry_minutes: 10, resend_cooldown_seconds: 0, max_attempts: 3 } as SessionStart['config'],
    });
    for (let i = 0; i < 2; i++) {
      expect((await refusal(verify(handle, start, { email: wrong(codes.email!) }))).code).toBe('invalid_otp');
    }
    await t.env.sleep(6 * MINUTE);
    const resent = await handle.executeUpdate(resendUpdate, { args: [{}] });
    const view = await handle.query(statusQuery);
    expect(Date.parse(resent.expires_at) - Date.parse(view.events.find((e) => e.type === 'resent')!.at)).toBe(
      10 * MINUTE,
    );
    expect(view.attempts).toEqual({ failed: 0, max: 3, remaining: 3 });

    // Past the first expiry (10 min after the send): still open because the resend moved it.
    await t.env.sleep(6 * MINUTE);
    expect((await handle.query(statusQuery)).status).toBe('pending');

    const newCode = resent.sandbox_otps!.email!;
    if (newCode !== codes.email) {
      expect((await refusal(verify(handle, start, { email: codes.email! }))).extras.attempts_remaining).toBe(
        2,
      );
    }
    await expect(verify(handle, start, { email: newCode })).resolves.toMatchObject({ status: 'verified' });
  });
});

describe('attempts and lockout', () => {
  it('locks at max_attempts; with lockout_minutes it unlocks when the lockout ends and needs a new code', async () => {
    const { handle, start, codes } = await open({
      config: { max_attempts: 3, lockout_minutes: 5, resend_cooldown_seconds: 0 } as SessionStart['config'],
    });
    const bad = { email: wrong(codes.email!) };
    expect(await refusal(verify(handle, start, bad))).toMatchObject({
      code: 'invalid_otp',
      extras: { attempts_remaining: 2 },
    });
    expect(await refusal(verify(handle, start, bad))).toMatchObject({
      code: 'invalid_otp',
      extras: { attempts_remaining: 1 },
    });
    expect((await refusal(verify(handle, start, bad))).code).toBe('max_attempts_exceeded');
    // Even the right code is refused while locked.
    const locked = await refusal(verify(handle, start, codes));
    expect(locked.code).toBe('session_locked');
    expect(locked.extras.retry_after).toBeGreaterThan(0);

    await t.env.sleep(5 * MINUTE + 1_000);
    const view = await handle.query(statusQuery);
    expect(view.status).toBe('pending');
    expect(view.events.map((e) => e.type)).toContain('unlocked');
    // The lock invalidated the old code: verify needs a new one.
    expect((await refusal(verify(handle, start, codes))).code).toBe('code_not_active');

    const resent = await handle.executeUpdate(resendUpdate, { args: [{}] });
    await expect(verify(handle, start, resent.sandbox_otps!)).resolves.toMatchObject({ status: 'verified' });
  });

  it('without lockout_minutes stays locked until the session expires', async () => {
    const { handle, start, codes } = await open({
      config: { max_attempts: 1, lockout_minutes: null, expiry_minutes: 10 } as SessionStart['config'],
    });
    expect((await refusal(verify(handle, start, { email: wrong(codes.email!) }))).code).toBe(
      'max_attempts_exceeded',
    );
    await t.env.sleep(9 * MINUTE);
    expect((await handle.query(statusQuery)).status).toBe('locked');
    expect((await refusal(handle.executeUpdate(resendUpdate, { args: [{}] }))).code).toBe('session_locked');
    await expect(handle.result()).resolves.toMatchObject({ status: 'expired' });
  });
});

describe('verification modes', () => {
  const channels: Channel[] = ['email', 'sms'];

  it('all: partial after one channel, verified after every channel (progressive)', async () => {
    const { handle, start, codes } = await open({ channels });
    await expect(verify(handle, start, { email: codes.email! })).resolves.toMatchObject({
      status: 'partial',
      verified_channels: ['email'],
      pending_channels: ['sms'],
    });
    await expect(verify(handle, start, { sms: codes.sms! })).resolves.toMatchObject({ status: 'verified' });
    await expect(handle.result()).resolves.toMatchObject({ status: 'verified', verified_channels: channels });
  });

  it('any: one verified channel is enough', async () => {
    const { handle, start, codes } = await open({ channels, verification: { mode: 'any' } });
    await expect(verify(handle, start, { sms: codes.sms! })).resolves.toMatchObject({ status: 'verified' });
  });

  it('channels: only the listed channels are required', async () => {
    const { handle, start, codes } = await open({
      channels,
      verification: { mode: 'channels', channels: ['sms'] },
    });
    // email is not required: verifying it leaves the session pending.
    await expect(verify(handle, start, { email: codes.email! })).resolves.toMatchObject({
      status: 'pending',
      verified_channels: ['email'],
      pending_channels: ['sms'],
    });
    await expect(verify(handle, start, { sms: codes.sms! })).resolves.toMatchObject({ status: 'verified' });
  });

  it('a code verifies only its own channel', async () => {
    const { handle, start, codes } = await open({ channels });
    if (codes.email !== codes.sms) {
      expect((await refusal(verify(handle, start, { sms: codes.email! }))).code).toBe('invalid_otp');
    }
  });
});

describe('cancel', () => {
  it('ends the session; later updates are refused and the result says cancelled', async () => {
    const { handle, start, codes } = await open();
    await expect(handle.executeUpdate(cancelUpdate, { args: [{}] })).resolves.toMatchObject({
      status: 'cancelled',
    });
    await expect(handle.result()).resolves.toMatchObject({ status: 'cancelled' });
    await expect(verify(handle, start, codes)).rejects.toThrow();
  });

  it('works on a locked session', async () => {
    const { handle, start, codes } = await open({ config: { max_attempts: 1 } as SessionStart['config'] });
    await refusal(verify(handle, start, { email: wrong(codes.email!) }));
    await expect(handle.executeUpdate(cancelUpdate, { args: [{}] })).resolves.toMatchObject({
      status: 'cancelled',
    });
  });
});

describe('live delivery', () => {
  it('emails a code over SMTP that verifies, and no plaintext code enters the history', async () => {
    const before = smtp.messages.length;
    const { handle, start, sent } = await open({
      sandbox: false,
      recipients: { email: 'person@example.com' },
      templates: CODE_TEMPLATES,
    });
    expect(sent.sandbox_otps).toBeUndefined();
    expect(sent.session.channels.email?.delivery).toBe('sent');
    const code = codeIn(smtp.messages[before].raw);
    expect(code).toMatch(/^\d{6}$/);

    await expect(verify(handle, start, { email: code })).resolves.toMatchObject({ status: 'verified' });
    const history = await decodedHistory(handle);
    expect(history).not.toContain(code);
    // The decoding reads payloads: the recipient and the verify update are there in clear.
    expect(history).toContain('person@example.com');
    expect(history).toContain('"verify"');
  });

  it('the history check can fail: a sandbox code, handed to the caller by design, is found in it', async () => {
    const { handle, codes } = await open();
    expect(await decodedHistory(handle)).toContain(codes.email!);
  });

  it('stores every payload encrypted: the raw history holds no address, metadata or template, not even in a failure', async () => {
    const { handle } = await open({
      sandbox: false,
      channels: ['email', 'sms'],
      // The SMTP sink refuses nobody@… for good: a failure (its message encrypted) enters the history.
      recipients: { email: 'nobody@example.com', sms: '+14155550123' },
      metadata: { purpose: 'login', order_ref: 'ORDER-7731-SECRET' },
      templates: {
        otp_email: { subject: 'Codec check', text: 'Template-Text-Marker {{code}}' },
        otp_sms: { text: 'Sms-Template-Marker {{code}}' },
      },
    });
    await handle.executeUpdate(cancelUpdate, { args: [{}] });
    const history = await handle.fetchHistory();
    const personal = ['nobody@example.com', '+14155550123', 'ORDER-7731-SECRET', 'Template-Text-Marker'];

    const raw = await rawHistoryText(history);
    for (const value of personal)
      expect({ value, inRawHistory: raw.includes(value) }).toEqual({ value, inRawHistory: false });
    expect(raw).toContain('Encoded failure');
    expect(raw).not.toContain('SMTP server answered 550');
    // Only search attributes (for listing; status, channels, tenant, purpose, sandbox), the
    // SDK's own patch marker and the trace context header (W3C ids, written by Temporal's
    // OpenTelemetry interceptor) are left in clear: they are not payloads of the codec.
    const plaintext = plaintextPayloadPaths(history);
    expect(plaintext.length).toBeGreaterThan(0);
    for (const at of plaintext)
      expect(at).toMatch(
        /\.searchAttributes\.indexedFields\.\w+$|\.markerRecordedEventAttributes\.details\.patch-data\.payloads\.0$|\.header\.fields\._tracer-data$/,
      );
    const tracerHeaders = plaintext.filter((at) => at.endsWith('._tracer-data'));
    for (const at of tracerHeaders) {
      const header = at
        .split('.')
        .reduce<unknown>((node, key) => (node as Record<string, unknown>)[key], { events: history.events });
      const data = JSON.parse(Buffer.from((header as { data: Uint8Array }).data).toString('utf8')) as object;
      expect(Object.keys(data)).toEqual(['traceparent']);
    }
    expect(raw).toContain('"data":"\\"cancelled\\""');

    const decoded = await decodedHistoryText(history, testDataConverter.payloadCodecs!);
    for (const value of personal)
      expect({ value, inDecoded: decoded.includes(value) }).toEqual({ value, inDecoded: true });
    expect(decoded).toContain('SMTP server answered 550');
  });

  it('a delivery retried after a 5xx sends the same code again, so the person never holds a dead code', async () => {
    const before = twilio.requests.length;
    twilio.failNext(1, 500);
    const { handle, start, sent } = await open({
      sandbox: false,
      channels: ['sms'],
      recipients: { sms: '+14155550123' },
      templates: CODE_TEMPLATES,
    });
    expect(sent.session.channels.sms?.delivery).toBe('sent');
    const attempts = twilio.requests.slice(before);
    expect(attempts).toHaveLength(2);
    const [first, second] = attempts.map((r) => codeIn(r.body!));
    expect(second).toBe(first);
    await expect(verify(handle, start, { sms: first })).resolves.toMatchObject({ status: 'verified' });
  });

  it('marks a channel failed on a permanent error; a session whose every channel failed becomes failed', async () => {
    twilio.rejectRecipient('+14155550999', 21211);
    const { handle, sent } = await open({
      sandbox: false,
      channels: ['email', 'sms'],
      recipients: { email: 'nobody@example.com', sms: '+14155550999' },
    });
    expect(sent.session.channels.email?.delivery).toBe('failed');
    expect(sent.session.channels.sms?.delivery).toBe('failed');
    const final = await handle.result();
    expect(final.status).toBe('failed');
    expect(final.events.filter((e) => e.type === 'delivery_failed')).toHaveLength(2);
  });
});

describe('waiting for delivery (SPEC §7)', () => {
  // These tests end sessions (cancel) while their delivery is still being attempted. The
  // time-skipping test server then keeps the lock an activity in flight holds on time skipping
  // (temporalio/sdk-java#1138): every later sleep of that server would pass in real time. So they
  // get a server of their own, and the tests after them keep skipping time.
  let shared: SessionTestEnv;
  beforeAll(async () => {
    shared = t;
    t = await startSessionEnv('time-skipping', senders);
  });
  afterAll(async () => {
    await t.close();
    t = shared;
  });

  const liveSms = (to: string) => ({
    sandbox: false,
    channels: ['sms'] as Channel[],
    recipients: { sms: to },
    templates: CODE_TEMPLATES,
  });

  it('a resend cancels the delivery it supersedes: the dead code is never sent after the new one', async () => {
    const before = twilio.requests.length;
    // The first code's delivery keeps failing (and retrying, for up to 2 minutes).
    let dead: string | undefined;
    const failing = twilio.failWhen((r) => codeIn(r.body!) === (dead ??= codeIn(r.body!)));
    try {
      const handle = await t.start(
        sessionStart({
          ...liveSms('+14155550142'),
          config: { resend_cooldown_seconds: 0 } as SessionStart['config'],
        }),
      );
      await t.env.sleep(1_500);
      while (twilio.requests.length === before) await new Promise((resolve) => setTimeout(resolve, 20));

      await handle.executeUpdate(resendUpdate, { args: [{}] });
      await t.env.sleep(3 * MINUTE);
      const sent = twilio.requests.slice(before).map((r) => codeIn(r.body!));
      const fresh = sent.findIndex((code) => code !== dead);
      expect(fresh).toBeGreaterThan(0);
      // Without the cancellation the first issue goes on retrying after the fresh code went out.
      expect(sent.slice(fresh)).toEqual([sent[fresh]]);
    } finally {
      failing.clear();
    }
  });

  it('a verify waits for a code in delivery for at most 10 s, spends no attempt, and never blocks cancel', async () => {
    twilio.rejectRecipient('+14155550143', 20500, 503);
    const slowStart = sessionStart(liveSms('+14155550143'));
    const slow = await t.start(slowStart);
    const waiting = refusal(verify(slow, slowStart, { sms: '123456' }));
    await t.env.sleep(11_000);
    const refused = await waiting;
    expect(refused.code).toBe('code_not_active');
    expect((await slow.query(statusQuery)).attempts.failed).toBe(0);

    const otherStart = sessionStart(liveSms('+14155550143'));
    const other = await t.start(otherStart);
    const pending = refusal(verify(other, otherStart, { sms: '123456' }));
    // The verify waits outside the session's lock: cancel answers at once.
    await expect(other.executeUpdate(cancelUpdate, { args: [{}] })).resolves.toMatchObject({
      status: 'cancelled',
    });
    expect((await pending).code).toBe('session_cancelled');
  });
});

describe('provider credentials refused (SPEC §8)', () => {
  it('retries every 30 s instead of failing the channel at once, then fails it when the delivery window closes', async () => {
    const to = '+14155550144';
    twilio.rejectRecipient(to, 20003, 401);
    const before = () => twilio.requests.filter((r) => r.to === to).length;
    const handle = await t.start(
      sessionStart({ sandbox: false, channels: ['sms'], recipients: { sms: to }, templates: CODE_TEMPLATES }),
    );
    await t.env.sleep(10_000);
    expect(before()).toBe(1);
    expect((await handle.query(statusQuery)).channels.sms?.delivery).toBe('queued');
    await t.env.sleep(30_000);
    expect(before()).toBe(2);
    await t.env.sleep(2 * MINUTE);
    expect((await handle.query(statusQuery)).channels.sms?.delivery).toBe('failed');
  });
});

describe('concurrency: simultaneous updates behave as if serial', () => {
  it('20 parallel wrong codes with max_attempts 3: 2 invalid_otp, 1 max_attempts_exceeded, 17 session_locked', async () => {
    const { handle, start, codes } = await open({ config: { max_attempts: 3 } as SessionStart['config'] });
    const outcomes = await Promise.all(
      Array.from({ length: 20 }, () => refusal(verify(handle, start, { email: wrong(codes.email!) }))),
    );
    const counts = countBy(outcomes.map((o) => o.code));
    expect(counts).toEqual({ invalid_otp: 2, max_attempts_exceeded: 1, session_locked: 17 });
    expect((await handle.query(statusQuery)).attempts.failed).toBe(3);
  });

  it('10 parallel right codes: exactly one success', async () => {
    const { handle, start, codes } = await open();
    const settled = await Promise.allSettled(Array.from({ length: 10 }, () => verify(handle, start, codes)));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
  });

  it('10 parallel resends inside one cooldown: at most one', async () => {
    const { handle } = await open({ config: { resend_cooldown_seconds: 30 } as SessionStart['config'] });
    await t.env.sleep(31_000);
    const settled = await Promise.allSettled(
      Array.from({ length: 10 }, () => handle.executeUpdate(resendUpdate, { args: [{}] })),
    );
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    expect((await handle.query(statusQuery)).resends.used).toBe(1);
  });
});

/** The session's history with every payload decoded to text, as an operator reading it would see it. */
async function decodedHistory(handle: Handle): Promise<string> {
  return decodedHistoryText(await handle.fetchHistory(), testDataConverter.payloadCodecs!);
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}
