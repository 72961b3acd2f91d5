/**
 * SPEC §10 "at most once per retry": an activity that counts is applied by its store once,
 * however often Temporal retries it. Each case lets the real activity apply its call to the real
 * store and then loses its answer (the first attempt fails after the work, as a worker crash or a
 * network cut between store and server would), so Temporal runs it again; the count moves once.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure, Context } from '@temporalio/activity';
import { createSessionActivities } from '../activities';
import type { SessionActivities } from '../workflows/activity-contract';
import type { ChannelSender } from '../activities/delivery';
import { createAdmission } from '../src/limits/guards';
import { createAbuseLimits, RateLimited } from '../src/limits/limits';
import type { TenantPolicy } from '../workflows/session-types';
import { openCreditStore } from '../src/credits';
import { cancelUpdate, initialDeliveryUpdate, resendUpdate, verifyUpdate } from '../workflows/otp-session';
import type { SessionStart } from '../workflows/session-types';
import { digests, keys, sessionStart, startSessionEnv, type SessionTestEnv } from './support/session-env';

const limits = createAbuseLimits({ keySecret: 'at-most-once-test-limit-key-secret-0123456789' });
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'otp-once-'));
const credits = openCreditStore({ dataDir });
const admission = createAdmission({ limits, credits });
/** Two failures block an address; three sends per address per window; 100 credits. */
const policy: TenantPolicy = {
  id: 'once',
  credits: 100,
  limits: {
    recipient_failures: { max: 2, block_hours: 1 },
    recipient_sends: { max: 3, window_minutes: 60 },
  },
};

const sent: string[] = [];
const takesEverything: ChannelSender = {
  async send(message) {
    sent.push(message.to);
    return { providerMessageId: `msg-${sent.length}` };
  },
};

/** The activities whose first attempt did its work and then lost its answer. */
const lost: string[] = [];
function answerLostOnce<K extends keyof SessionActivities>(
  name: K,
  real: SessionActivities,
  when: (input: Parameters<SessionActivities[K]>[0]) => boolean = () => true,
): SessionActivities[K] {
  const run = real[name] as (...args: unknown[]) => Promise<unknown>;
  return (async (...args: unknown[]) => {
    const result = await run(...args);
    if (Context.current().info.attempt === 1 && when(args[0] as Parameters<SessionActivities[K]>[0])) {
      lost.push(name);
      throw ApplicationFailure.retryable(
        'the answer was lost after the store applied the call',
        'AnswerLost',
      );
    }
    return result;
  }) as SessionActivities[K];
}

let t: SessionTestEnv;
beforeAll(async () => {
  // Email goes out through a sender that takes every message; sms has none (delivery fails).
  const real = createSessionActivities({
    keys,
    bcryptRounds: 4,
    senders: { email: takesEverything },
    admission,
  });
  t = await startSessionEnv('time-skipping', {
    admission,
    activities: {
      checkCodes: answerLostOnce('checkCodes', real),
      admitResend: answerLostOnce('admitResend', real),
      recordVerification: answerLostOnce('recordVerification', real),
      releaseCharges: answerLostOnce('releaseCharges', real),
      // Live messages only: a sandbox code goes nowhere and is paid by no one.
      issueCode: answerLostOnce('issueCode', real, (input) => !input.sandbox),
    },
  });
});
afterAll(async () => {
  await t?.close();
  await limits.close();
  await credits.close();
  rmSync(dataDir, { recursive: true, force: true });
});
beforeEach(() => {
  lost.length = 0;
});

let people = 0;
function start(overrides: Partial<SessionStart> = {}): SessionStart {
  const n = ++people;
  return sessionStart({
    tenant_policy: policy,
    recipients: { email: `once-${n}@example.com`, sms: `+1415555${String(3000 + n)}` },
    config: { max_attempts: 5, resend_cooldown_seconds: 0 } as SessionStart['config'],
    ...overrides,
  });
}

const wrongOf = (code: string) => (code === '000000' ? '111111' : '000000');
/** Whether one more send to `address` passes the limits now (it is counted if it does). */
const sendPasses = async (address: string) => {
  try {
    await limits.consumeSend(policy, { recipients: [address], sandbox: true });
    return true;
  } catch (err) {
    if (err instanceof RateLimited) return false;
    throw err;
  }
};

/** A live session's first message admitted and its credits held, as the API does at send. */
const admitFirstSend = (s: SessionStart, channel: 'email' | 'sms') =>
  admission.admit({
    tenant: policy,
    sandbox: false,
    channels: [channel],
    recipients: s.recipients,
    sessionId: s.session_id,
    issue: 1,
    key: `${s.session_id}:send`,
  });

test('checkCodes: a lone wrong code whose answer was lost counts one failure', async () => {
  const s = start();
  const handle = await t.start(s);
  const { sandbox_otps } = await handle.executeUpdate(initialDeliveryUpdate);
  const wrong = digests(s.session_id, { email: wrongOf(sandbox_otps!.email!) });
  await expect(handle.executeUpdate(verifyUpdate, { args: [wrong] })).rejects.toThrow();
  expect(lost).toEqual(['checkCodes']);
  // One failure of two: the address is not blocked (counted twice, it would be).
  expect(await sendPasses(s.recipients.email!)).toBe(true);
  // The count is real: a second wrong code (another verify) reaches the cap.
  await expect(handle.executeUpdate(verifyUpdate, { args: [wrong] })).rejects.toThrow();
  expect(await sendPasses(s.recipients.email!)).toBe(false);
});

test('recordVerification: two wrong codes in one verify, whose record lost its answer, count once each', async () => {
  const s = start({ channels: ['email', 'sms'] });
  const handle = await t.start(s);
  const { sandbox_otps } = await handle.executeUpdate(initialDeliveryUpdate);
  const wrong = digests(s.session_id, {
    email: wrongOf(sandbox_otps!.email!),
    sms: wrongOf(sandbox_otps!.sms!),
  });
  await expect(
    handle.executeUpdate(verifyUpdate, { args: [wrong], updateId: 'two-wrong' }),
  ).rejects.toThrow();
  // The record runs in a workflow of its own (it may outlive the session), started before the
  // session ends.
  await handle.executeUpdate(cancelUpdate, { args: [{}] });
  await handle.result();
  await t.env.client.workflow.getHandle(`${handle.workflowId}-verification-two-wrong`).result();
  expect(lost).toContain('recordVerification');
  expect(await sendPasses(s.recipients.email!)).toBe(true);
  expect(await sendPasses(s.recipients.sms!)).toBe(true);
});

test('admitResend: a resend whose admission lost its answer counts one send', async () => {
  const s = start();
  const handle = await t.start(s);
  await handle.executeUpdate(initialDeliveryUpdate);
  await handle.executeUpdate(resendUpdate, { args: [{}] });
  expect(lost).toEqual(['admitResend']);
  // Three sends per address: the resend took one, two are left (counted twice, one would be).
  expect(await sendPasses(s.recipients.email!)).toBe(true);
  expect(await sendPasses(s.recipients.email!)).toBe(true);
  expect(await sendPasses(s.recipients.email!)).toBe(false);
});

test('issueCode: a message whose delivery lost its answer after the provider took it is paid once', async () => {
  const s = start({ sandbox: false });
  await admitFirstSend(s, 'email');
  const before = (await credits.balance(policy))!;
  const handle = await t.start(s);
  await handle.executeUpdate(initialDeliveryUpdate);
  expect(lost).toEqual(['issueCode']);
  // Delivery is at least once (the retry sends again); the charge is once.
  expect(sent.filter((to) => to === s.recipients.email)).toHaveLength(2);
  expect(await credits.balance(policy)).toBe(before);
  await handle.executeUpdate(cancelUpdate, { args: [{}] });
  expect(await credits.balance(policy)).toBe(before);
});

test('releaseCharges: credits of a message that never went out, whose release lost its answer, come back once', async () => {
  // No sms sender on this worker: the delivery fails for good, and its held credits are released.
  const s = start({ sandbox: false, channels: ['sms'] });
  await admitFirstSend(s, 'sms');
  const before = (await credits.balance(policy))!;
  const handle = await t.start(s);
  await handle.result();
  await t.env.client.workflow.getHandle(`${handle.workflowId}-release-1-sms`).result();
  expect(lost).toEqual(['releaseCharges']);
  expect(await credits.balance(policy)).toBe(before + 5);
});
