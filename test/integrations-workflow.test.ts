/**
 * SPEC §9 in the session workflow, on Temporal's time-skipping test server: fallback chains
 * (each trigger), delivery receipts, and webhooks signed per the Standard Webhooks spec, sent
 * to a local receiver that checks every signature with the reference implementation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { WorkflowExecutionAlreadyStartedError, type WorkflowHandle } from '@temporalio/client';
import { Webhook } from 'standardwebhooks';
import { DeliveryError, type ChannelSender, type OtpMessage } from '../activities/delivery';
import { createAdmission } from '../src/limits/guards';
import { createAbuseLimits } from '../src/limits/limits';
import { openCreditStore } from '../src/credits';
import type { Channel } from '../workflows/channels';
import { CHANNEL_PRICES } from '../workflows/channels';
import {
  cancelUpdate,
  deliveryReceiptSignal,
  initialDeliveryUpdate,
  otpSession,
  resendUpdate,
  statusQuery,
  verifyUpdate,
} from '../workflows/otp-session';
import { webhookEvent } from '../workflows/follow-ups';
import type { SessionStart, SessionView, WebhookEventType } from '../workflows/session-types';
import { digests, sessionStart, startSessionEnv, type SessionTestEnv } from './support/session-env';

const SEC = 1_000;
const MIN = 60 * SEC;
const HOUR = 60 * MIN;
const SECRET = `whsec_${Buffer.alloc(32, 9).toString('base64')}`;

/** A sender that records every message, and refuses for good the recipients in `refuse`. */
function recordingSender(channel: Channel) {
  const messages: OtpMessage[] = [];
  const refuse = new Set<string>();
  const sender: ChannelSender = {
    async send(message) {
      messages.push(message);
      if (refuse.has(message.to)) throw new DeliveryError(`${channel} refused the recipient`, true, 21211);
      return { providerMessageId: sidOf(messages.length - 1) };
    },
  };
  /** The provider's id of the n-th message. */
  const sidOf = (n: number) => `SM${channel}${n}`;
  const lastTo = (to: string | undefined) => messages.filter((m) => m.to === to).at(-1);
  const lastSidTo = (to: string | undefined) => sidOf(messages.lastIndexOf(lastTo(to)!));
  return { sender, messages, refuse, lastTo, lastSidTo, lastCode: () => messages.at(-1)?.code };
}

const senders = {
  sms: recordingSender('sms'),
  whatsapp: recordingSender('whatsapp'),
  email: recordingSender('email'),
};

interface Received {
  id: string;
  body: string;
  verified: boolean;
  at: number;
}

/** A webhook receiver on loopback: checks each signature; `answer` decides each response. */
async function startReceiver() {
  const received: Received[] = [];
  const wh = new Webhook(SECRET);
  let answer: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void = (_req, res) => {
    res.writeHead(204).end();
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let verified = true;
    try {
      wh.verify(body, req.headers as Record<string, string>);
    } catch {
      verified = false;
    }
    received.push({ id: String(req.headers['webhook-id']), body, verified, at: Date.now() });
    await answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/otp-events`,
    received,
    events: (type: WebhookEventType) =>
      received.filter((r) => r.verified && (JSON.parse(r.body) as { type: string }).type === type),
    answerWith(next: typeof answer) {
      answer = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

let t: SessionTestEnv;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let dataDir: string;
const limits = createAbuseLimits({ keySecret: 'integration-test-limit-key-secret-0123456789' });
let credits: ReturnType<typeof openCreditStore>;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'otp-integrations-'));
  credits = openCreditStore({ dataDir });
  receiver = await startReceiver();
  t = await startSessionEnv('time-skipping', {
    senders: { sms: senders.sms.sender, whatsapp: senders.whatsapp.sender, email: senders.email.sender },
    admission: createAdmission({ limits, credits }),
    webhookSecret: (tenant, url) => (tenant === 'acme' && url === receiver.url ? SECRET : undefined),
  });
});

afterAll(async () => {
  await t?.close();
  await receiver?.close();
  await limits.close();
  await credits?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

type Handle = WorkflowHandle<typeof otpSession>;

/** A live fallback session sms → whatsapp → email, with a tenant whose balance is `balance`. */
let people = 0;

function chainStart(overrides: Partial<SessionStart> = {}, balance = 100): SessionStart {
  const n = String(++people).padStart(4, '0');
  return sessionStart({
    sandbox: false,
    tenant_id: 'acme',
    channels: ['sms', 'whatsapp', 'email'],
    fallback: { channels: ['sms', 'whatsapp', 'email'], after_seconds: 30 },
    verification: { mode: 'any' },
    recipients: { sms: `+1415555${n}`, whatsapp: `+4479000${n}`, email: `person-${n}@example.com` },
    config: { code_type: 'alphanumeric', otp_length: 8 } as SessionStart['config'],
    tenant_policy: { id: `acme-${n}`, credits: balance },
    ...overrides,
  });
}

async function open(start: SessionStart): Promise<Handle> {
  const handle: Handle = await t.start(start);
  // The first message is admitted and held by the API at send; here, as the API would.
  await createAdmission({ limits, credits }).admit({
    tenant: start.tenant_policy!,
    clientIp: '203.0.113.9',
    sandbox: start.sandbox,
    channels: [start.channels[0]!],
    recipients: start.recipients,
    sessionId: start.session_id,
    issue: 1,
    key: `${start.session_id}:send`,
  });
  await handle.executeUpdate(initialDeliveryUpdate);
  return handle;
}

async function until(handle: Handle, done: (view: SessionView) => boolean): Promise<SessionView> {
  for (let i = 0; i < 200; i++) {
    const view = await handle.query(statusQuery);
    if (done(view)) return view;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`condition not met: ${JSON.stringify((await handle.query(statusQuery)).events)}`);
}

const eventTypes = (view: SessionView) =>
  view.events.map((e) => `${e.type}${e.channels ? `:${e.channels.join()}` : ''}`);

describe('fallback chains (SPEC §9)', () => {
  test('a delivery that fails for good passes the chain on at once; each message is paid for', async () => {
    const start = chainStart();
    senders.sms.refuse.add(start.recipients.sms!);
    const handle = await open(start);
    const view = await until(handle, (v) => v.channels.whatsapp!.delivery === 'sent');
    expect(eventTypes(view)).toEqual([
      'created:sms',
      'delivery_failed:sms',
      'fallback:whatsapp',
      'sent:whatsapp',
    ]);
    expect(view.events[2]).toMatchObject({ reason: 'delivery_failed' });
    expect(view.channels.email!.delivery).toBe('waiting');
    // The refused SMS was given back; the WhatsApp message was paid for.
    await expect(credits.balance(start.tenant_policy!)).resolves.toBe(100 - CHANNEL_PRICES.whatsapp);

    const whatsappCode = senders.whatsapp.messages.find((m) => m.to === start.recipients.whatsapp)!.code;
    const verified = await handle.executeUpdate(verifyUpdate, {
      args: [digests(start.session_id, { whatsapp: whatsappCode })],
    });
    expect(verified.status).toBe('verified');
  });

  test('an undelivered receipt passes the chain on', async () => {
    const start = chainStart();
    const handle = await open(start);
    expect((await handle.query(statusQuery)).channels.sms!.delivery).toBe('sent');
    // A receipt for another message id changes nothing.
    await handle.signal(deliveryReceiptSignal, {
      channel: 'sms',
      issue: 1,
      message_id: 'SMunknown',
      status: 'undelivered',
    });
    const sid = senders.sms.lastSidTo(start.recipients.sms);
    await handle.signal(deliveryReceiptSignal, {
      channel: 'sms',
      issue: 1,
      message_id: sid,
      status: 'undelivered',
      error_code: '30003',
    });
    const view = await until(handle, (v) => v.channels.whatsapp!.delivery === 'sent');
    expect(eventTypes(view)).toEqual([
      'created:sms',
      'sent:sms',
      'undelivered:sms',
      'fallback:whatsapp',
      'sent:whatsapp',
    ]);
    expect(view.events[2]!.reason).toBe('provider error 30003');
    expect(view.events[3]!.reason).toBe('undelivered');
    await expect(credits.balance(start.tenant_policy!)).resolves.toBe(
      100 - CHANNEL_PRICES.sms - CHANNEL_PRICES.whatsapp,
    );
  });

  test('after_seconds without verification, the next channel gets its own code; either code verifies', async () => {
    const start = chainStart();
    const handle = await open(start);
    await t.env.sleep(29 * SEC);
    expect((await handle.query(statusQuery)).channels.whatsapp!.delivery).toBe('waiting');
    await t.env.sleep(2 * SEC);
    let view = await until(handle, (v) => v.channels.whatsapp!.delivery === 'sent');
    expect(view.events.find((e) => e.type === 'fallback')).toMatchObject({
      channels: ['whatsapp'],
      reason: 'not_verified',
    });
    await t.env.sleep(31 * SEC);
    view = await until(handle, (v) => v.channels.email!.delivery === 'sent');
    expect(eventTypes(view).filter((e) => e.startsWith('fallback'))).toEqual([
      'fallback:whatsapp',
      'fallback:email',
    ]);
    expect(view.fallback!.next_fallback_at).toBeNull();
    expect(view.cost).toBe(CHANNEL_PRICES.sms + CHANNEL_PRICES.whatsapp + CHANNEL_PRICES.email);

    // Three different codes, one per channel; the first one still verifies.
    const codes = (['sms', 'whatsapp', 'email'] as const).map(
      (c) => senders[c].lastTo(start.recipients[c])!.code,
    );
    expect(new Set(codes).size).toBe(3);
    const verified = await handle.executeUpdate(verifyUpdate, {
      args: [digests(start.session_id, { sms: codes[0]! })],
    });
    expect(verified.status).toBe('verified');
  });

  test("a resend restarts the current channel's time", async () => {
    const start = chainStart({ config: { ...chainStart().config, resend_cooldown_seconds: 10 } });
    const handle = await open(start);
    await t.env.sleep(20 * SEC);
    await handle.executeUpdate(resendUpdate, { args: [{}] });
    await t.env.sleep(25 * SEC);
    expect((await handle.query(statusQuery)).channels.whatsapp!.delivery).toBe('waiting');
    await t.env.sleep(6 * SEC);
    await until(handle, (v) => v.channels.whatsapp!.delivery === 'sent');
  });

  test("the next recipient's send limit applies: a refused step is given up and the chain goes on", async () => {
    const start = chainStart({
      tenant_policy: {
        id: `acme-limited`,
        credits: 100,
        limits: { recipient_sends: { max: 1, window_minutes: 60 } },
      },
    });
    // The WhatsApp number already had its one send this hour.
    await limits.consumeSend(start.tenant_policy!, { recipients: [start.recipients.whatsapp!] });
    senders.sms.refuse.add(start.recipients.sms!);
    const handle = await open(start);
    const view = await until(handle, (v) => v.channels.email!.delivery === 'sent');
    expect(eventTypes(view)).toEqual([
      'created:sms',
      'delivery_failed:sms',
      'fallback_refused:whatsapp',
      'fallback:email',
      'sent:email',
    ]);
    expect(view.events[2]!.reason).toBe('rate_limited');
    expect(senders.whatsapp.messages.some((m) => m.to === start.recipients.whatsapp)).toBe(false);
  });
});

describe('webhooks (SPEC §9)', () => {
  // Each test sets how the receiver answers; the next one starts from a receiver that takes events.
  afterEach(() => receiver.answerWith((_req, res) => void res.writeHead(204).end()));

  const webhookStart = (events: WebhookEventType[], overrides: Partial<SessionStart> = {}) =>
    sessionStart({
      tenant_id: 'acme',
      sandbox: true,
      channels: ['email'],
      config: { code_type: 'alphanumeric', otp_length: 8 } as SessionStart['config'],
      webhooks: [{ url: receiver.url, events }],
      ...overrides,
    });

  test('signed per Standard Webhooks, with a stable id; its workflow records the attempt; no code in the body', async () => {
    const start = webhookStart(['session.verified']);
    const handle: Handle = await t.start(start);
    const sent = await handle.executeUpdate(initialDeliveryUpdate);
    const code = sent.sandbox_otps!.email!;
    await handle.executeUpdate(verifyUpdate, { args: [digests(start.session_id, { email: code })] });
    const final = await handle.result();

    const mine = receiver.received.filter((r) => r.body.includes(start.session_id));
    expect(mine).toHaveLength(1);
    expect(mine[0]!.verified).toBe(true);
    const body = JSON.parse(mine[0]!.body) as { type: string; timestamp: string; data: SessionView };
    expect(body.type).toBe('session.verified');
    expect(body.data.status).toBe('verified');
    expect(body.timestamp).toBe(final.events.find((e) => e.type === 'verified')!.at);
    expect(mine[0]!.body).not.toContain(code);
    // The event's own workflow (id = webhook-id) holds the outcome; the session's timeline holds it
    // too when it arrives within a few seconds of the end (time skipping may not wait for that).
    const event = t.env.client.workflow.getHandle<typeof webhookEvent>(mine[0]!.id);
    expect(await event.result()).toEqual([
      {
        event: { id: mine[0]!.id, type: 'session.verified', at: body.timestamp },
        url: receiver.url,
        attempts: 1,
      },
    ]);
  });

  /** The workflow of a session's event (id = webhook-id, SPEC §10), by the event's timeline type. */
  const eventWorkflow = (start: SessionStart, final: SessionView, type: string) => {
    const id = `msg_${start.session_id.replace(/^ses_/, '')}_${final.events.map((e) => e.type).lastIndexOf(type as never)}`;
    return t.env.client.workflow.getHandle<typeof webhookEvent>(id);
  };

  test('a receiver down for 6 h keeps no session open; the event arrives signed once it is back, once per webhook-id', async () => {
    const start = webhookStart(['session.verified']);
    const handle: Handle = await t.start(start);
    const { sandbox_otps } = await handle.executeUpdate(initialDeliveryUpdate);
    const upAt = (await t.env.currentTimeMs()) + 6 * HOUR;
    const taken: number[] = [];
    receiver.answerWith(async (_req, res) => {
      const now = await t.env.currentTimeMs();
      if (now >= upAt) taken.push(now);
      res.writeHead(now < upAt ? 503 : 200).end();
    });
    await handle.executeUpdate(verifyUpdate, { args: [digests(start.session_id, sandbox_otps!)] });
    const final = await handle.result();
    const verifiedAt = Date.parse(final.events.find((e) => e.type === 'verified')!.at);
    const { closeTime, status } = await handle.describe();
    expect(status.name).toBe('COMPLETED');
    expect(closeTime!.getTime() - verifiedAt).toBeLessThan(MIN);
    // The event lives on in its own workflow, which Temporal refuses to start twice.
    const event = eventWorkflow(start, final, 'verified');
    const [outcome] = await event.result();
    const mine = receiver.received.filter((r) => r.body.includes(start.session_id));
    expect(mine.length).toBeGreaterThan(3);
    expect(new Set(mine.map((r) => r.id))).toEqual(new Set([event.workflowId]));
    expect(mine.every((r) => r.verified)).toBe(true);
    expect(taken).toHaveLength(1);
    expect(taken[0]! - verifiedAt).toBeGreaterThanOrEqual(6 * HOUR);
    expect(outcome).toMatchObject({
      url: receiver.url,
      attempts: mine.length,
      event: { id: event.workflowId },
    });
    await expect(
      t.env.client.workflow.start(webhookEvent, {
        workflowId: event.workflowId,
        taskQueue: t.taskQueue,
        args: [
          {
            tenant_id: 'acme',
            session_workflow_id: handle.workflowId,
            event: outcome!.event,
            payload: JSON.parse(mine[0]!.body),
            urls: [receiver.url],
          },
        ],
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
      }),
    ).rejects.toThrow(WorkflowExecutionAlreadyStartedError);
    expect(receiver.received.filter((r) => r.id === event.workflowId)).toHaveLength(mine.length);
  });

  test('a receiver that never takes the event is given up on after 24 h, in the event’s workflow', async () => {
    const start = webhookStart(['session.cancelled']);
    const handle: Handle = await t.start(start);
    await handle.executeUpdate(initialDeliveryUpdate);
    receiver.answerWith((_req, res) => void res.writeHead(500).end());
    await handle.executeUpdate(cancelUpdate, { args: [{}] });
    const final = await handle.result();
    expect(final.events.map((e) => e.type)).not.toContain('webhook_failed');
    const event = eventWorkflow(start, final, 'cancelled');
    const [outcome] = await event.result();
    expect(outcome).toMatchObject({ attempts: 0, event: { type: 'session.cancelled' } });
    expect(outcome!.failure).toBeDefined();
    const attempts = receiver.received.filter((r) => r.body.includes(start.session_id));
    const cancelledAt = Date.parse(final.events.find((e) => e.type === 'cancelled')!.at);
    const gaveUpAt = (await event.describe()).closeTime!.getTime();
    // The last attempt is the last one that starts inside the day (attempts back off to hourly).
    expect(gaveUpAt - cancelledAt).toBeGreaterThan(23 * HOUR);
    expect(gaveUpAt - cancelledAt).toBeLessThanOrEqual(24 * HOUR + MIN);
    // Backing off to one attempt an hour: a few dozen in a day, not thousands.
    expect(attempts.length).toBeGreaterThan(20);
    expect(attempts.length).toBeLessThan(40);
  });

  test('a receiver that hangs never delays verify or resend', async () => {
    let hanging = 0;
    receiver.answerWith(() => {
      hanging++; // never answers
    });
    const start = webhookStart(['delivery.delivered', 'session.verified'], {
      sandbox: false,
      channels: ['sms'],
      config: {
        code_type: 'alphanumeric',
        otp_length: 8,
        resend_cooldown_seconds: 0,
      } as SessionStart['config'],
    });
    const handle: Handle = await t.start(start);
    await handle.executeUpdate(initialDeliveryUpdate);
    const sid = senders.sms.lastSidTo(start.recipients.sms);
    await handle.signal(deliveryReceiptSignal, {
      channel: 'sms',
      issue: 1,
      message_id: sid,
      status: 'delivered',
    });
    for (let i = 0; i < 100 && hanging === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hanging).toBe(1);

    const began = Date.now();
    await handle.executeUpdate(resendUpdate, { args: [{}] });
    const code = senders.sms.lastCode()!;
    const verified = await handle.executeUpdate(verifyUpdate, {
      args: [digests(start.session_id, { sms: code })],
    });
    expect(verified.status).toBe('verified');
    // The hanging endpoint holds its attempt for 10 s; the session answered well before.
    expect(Date.now() - began).toBeLessThan(5_000);
    expect(hanging).toBeGreaterThanOrEqual(1);
  });
});
