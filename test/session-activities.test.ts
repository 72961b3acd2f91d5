/** The session activities never let a code out, whatever a sender throws; checkCodes records a lone check. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { createSessionActivities } from '../activities';
import type { IssueCodeInput, IssuedCode } from '../workflows/activity-contract';
import { codeDigest, hashDigest } from '../activities/codes';
import { DeliveryError, type ChannelSender, type OtpMessage } from '../activities/delivery';
import { parseTenants, webhookSecretLookup } from '../src/config/tenants';
import { keys } from './support/session-env';

const input: IssueCodeInput = {
  session_id: 'ses_0123',
  channel: 'sms',
  recipient: '+14155550100',
  issue: 1,
  otp_length: 6,
  code_type: 'numeric',
  expiry_minutes: 10,
  app_name: 'Acme',
  templates: {},
  sandbox: false,
  insight: { tenant_id: 'acme', key_mode: 'live', country: 'US' },
  locale: 'en',
};

/** A sender that fails with the code in its error text, as a careless provider library might. */
function leakySender(fail: (code: string) => Error) {
  const seen: string[] = [];
  const sender: ChannelSender = {
    async send(message: OtpMessage) {
      seen.push(message.code);
      throw fail(message.code);
    },
  };
  return { sender, seen };
}

async function failureOf(sender: ChannelSender): Promise<ApplicationFailure> {
  const activities = createSessionActivities({ keys, bcryptRounds: 4, senders: { sms: sender } });
  try {
    await new MockActivityEnvironment().run(activities.issueCode, input);
  } catch (err) {
    if (err instanceof ApplicationFailure) return err;
    throw err;
  }
  throw new Error('expected issueCode to fail');
}

describe('issueCode failures', () => {
  it('an unclassified sender error is retried without its text', async () => {
    const { sender, seen } = leakySender((code) => new Error(`request body Body=Your code is ${code}`));
    const failure = await failureOf(sender);
    expect(seen).toHaveLength(1);
    expect(failure.nonRetryable).toBe(false);
    expect(failure.type).toBe('DeliveryUnavailable');
    expect(JSON.stringify({ message: failure.message, details: failure.details })).not.toContain(seen[0]);
  });

  it('a permanent DeliveryError is not retried and carries the provider code', async () => {
    const { sender } = leakySender(
      () => new DeliveryError('Twilio refused the message (HTTP 400, error 21211)', true, 21211),
    );
    const failure = await failureOf(sender);
    expect(failure).toMatchObject({ type: 'DeliveryFailed', nonRetryable: true, details: ['21211'] });
  });

  it('a sandbox session sends nothing and hands back its code with the hash', async () => {
    const { sender, seen } = leakySender(() => new Error('must not be called'));
    const activities = createSessionActivities({ keys, bcryptRounds: 4, senders: { sms: sender } });
    const issued: IssuedCode = await new MockActivityEnvironment().run(activities.issueCode, {
      ...input,
      sandbox: true,
    });
    expect(seen).toHaveLength(0);
    expect(issued.sandbox_code).toMatch(/^\d{6}$/);
    expect(issued.code_hash).toMatch(/^\$2b\$04\$/);
    expect(issued.code_hash).not.toContain(issued.sandbox_code);
  });
});

describe('checkCodes', () => {
  const tenant = { id: 'acme' };
  const recorded: unknown[] = [];
  let failRecord = false;
  const admission = {
    admit: async () => {},
    record: async (verification: unknown) => {
      if (failRecord) throw new Error('store down');
      recorded.push(verification);
    },
    credits: undefined as never,
  };
  const activities = createSessionActivities({ keys, bcryptRounds: 4, senders: {}, admission });
  const digest = codeDigest(keys, 'ses_0123', 'email', '123456');
  let hash: string;

  beforeAll(async () => {
    hash = await hashDigest(digest, 4);
  });
  beforeEach(() => {
    recorded.length = 0;
    failRecord = false;
  });

  const asked = {
    tenant,
    sandbox: false,
    channel: 'email' as const,
    recipient: 'ada@example.com',
    key: 'update-1',
  };
  const check = (submitted: string, record?: 'record') =>
    new MockActivityEnvironment().run(activities.checkCodes, {
      pairs: { email: { digest: codeDigest(keys, 'ses_0123', 'email', submitted), hash } },
      ...(record ? { record: asked } : {}),
    });

  it('records a right code asked to, as recordVerification would, and says so', async () => {
    expect(await check('123456', 'record')).toEqual({ email: true, recorded: true });
    expect(recorded).toEqual([
      { tenant, sandbox: false, failed: [], verified: ['ada@example.com'], key: 'update-1' },
    ]);
  });

  it('counts a wrong code asked to, as recordVerification would, and says so', async () => {
    expect(await check('654321', 'record')).toEqual({ email: false, recorded: true });
    expect(recorded).toEqual([
      { tenant, sandbox: false, failed: ['ada@example.com'], verified: [], key: 'update-1' },
    ]);
  });

  it('records nothing when not asked to', async () => {
    expect(await check('123456')).toEqual({ email: true });
    expect(await check('654321')).toEqual({ email: false });
    expect(recorded).toEqual([]);
  });

  it('answers the compare when the store fails, leaving the record to the session', async () => {
    failRecord = true;
    expect(await check('123456', 'record')).toEqual({ email: true });
    expect(await check('654321', 'record')).toEqual({ email: false });
  });
});

describe('deliverWebhook and key modes (SPEC §7)', () => {
  const received: string[] = [];
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      received.push(req.url ?? '');
      req.resume();
      res.writeHead(204).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const secret = (fill: number) => `whsec_${Buffer.alloc(32, fill).toString('base64')}`;
  const activities = () =>
    createSessionActivities({
      keys,
      bcryptRounds: 4,
      senders: {},
      webhookSecret: webhookSecretLookup(
        parseTenants({
          tenants: [
            {
              id: 'acme',
              name: 'Acme',
              api_keys: [{ id: 'live', mode: 'live', sha256: 'a'.repeat(64) }],
              webhooks: [
                {
                  url: `${base}/live?token=receiver-secret`,
                  secret: secret(1),
                  events: ['session.verified'],
                },
                { url: `${base}/sandbox`, secret: secret(2), events: ['session.verified'], modes: ['test'] },
              ],
            },
          ],
        }),
      ),
    });
  const event = (url: string, sandbox: boolean) => ({
    tenant_id: 'acme',
    url,
    id: `msg_${sandbox}_${url.length}`,
    payload: { type: 'session.verified', timestamp: new Date().toISOString(), data: { sandbox } },
  });

  it('signs a live event for a live endpoint and a sandbox event for a test endpoint', async () => {
    const env = new MockActivityEnvironment();
    await env.run(activities().deliverWebhook, event(`${base}/live?token=receiver-secret`, false));
    await env.run(activities().deliverWebhook, event(`${base}/sandbox`, true));
    expect(received).toEqual(['/live?token=receiver-secret', '/sandbox']);
  });

  it('never signs a sandbox event with a live-only endpoint’s secret, even if a session names it', async () => {
    received.length = 0;
    const refusal = await new MockActivityEnvironment()
      .run(activities().deliverWebhook, event(`${base}/live?token=receiver-secret`, true))
      .catch((err: unknown) => err);
    expect(refusal).toBeInstanceOf(ApplicationFailure);
    expect((refusal as ApplicationFailure).type).toBe('WebhookNotConfigured');
    // Its message reaches the timeline: the host only, never the path or query.
    expect((refusal as ApplicationFailure).message).not.toMatch(/receiver-secret|\/live/);
    const liveForTest = await new MockActivityEnvironment()
      .run(activities().deliverWebhook, event(`${base}/sandbox`, false))
      .catch((err: unknown) => err);
    expect((liveForTest as ApplicationFailure).type).toBe('WebhookNotConfigured');
    expect(received).toEqual([]);
  });
});
