/**
 * Determinism guard: histories recorded from 1.0 code (test/histories, one per path SPEC §10
 * lists: sandbox, live, wrong then right, lockout and unlock, resend, cancel, fallback with a
 * receipt and webhooks, expiry; plus a delivery retried, one failed for good, a verify waiting for
 * its code, search attributes given at start, and the webhook workflow a session hands an event
 * to) must replay against the current workflow code. A change that breaks replay fails here: it
 * ships as a new worker build (sessions are PINNED to theirs, deploy/README.md), and the
 * histories are recorded again from the new code.
 *
 * Re-record: RECORD_HISTORIES=1 npx jest test/replay.test.ts (recordings are encrypted with the
 * test payload key, as every test worker's history is); RECORD_SCENARIOS=name,… records only the
 * named scenarios.
 */
import fs from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { makeWorkflowExporter } from '@temporalio/interceptors-opentelemetry';
import { NO_TRACING } from '../src/telemetry/tracing';
import { bundleSessionWorkflows } from '../src/temporal/workflow-bundle';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { createEmailSender } from '../activities/email';
import { createTwilioSender } from '../activities/twilio';
import {
  cancelUpdate,
  deliveryReceiptSignal,
  initialDeliveryUpdate,
  otpSession,
  resendUpdate,
  statusQuery,
  verifyUpdate,
} from '../workflows/otp-session';
import { sessionSearchAttributes } from '../workflows/search-attributes';
import { WEBHOOK_EVENTS, type SessionStart } from '../workflows/session-types';
import { digests, sessionStart, startSessionEnv, testDataConverter } from './support/session-env';
import { startSmtpSink } from './support/smtp-sink';
import { startTwilioFake } from './support/twilio-fake';

const HISTORIES = path.join(__dirname, 'histories');
const recording = process.env.RECORD_HISTORIES === '1';
/** The release the recordings were made with: every recording is of the current build's code. */
const RECORDING_VERSION = '1.0';
/** RECORD_SCENARIOS=a,b records only those (new scenarios, without re-recording the others). */
const onlyScenarios = process.env.RECORD_SCENARIOS?.split(',').filter(Boolean);
const WEBHOOK_SECRET = `whsec_${Buffer.alloc(24, 3).toString('base64')}`;
const { History } = temporal.api.history.v1;
// toObject/fromObject of the client's own protobuf copy round-trip a history losslessly.
const TO_OBJECT = { longs: String, enums: String, bytes: String, defaults: false } as const;

const LIVE_TEMPLATES = {
  otp_email: { subject: 'Code', text: 'CODE:{{code}}:END' },
  otp_sms: { text: 'CODE:{{code}}:END' },
};
const codeIn = (text: string) => /CODE:([0-9A-Z]+):END/.exec(text)![1];

async function recordHistories(): Promise<void> {
  const smtp = await startSmtpSink();
  const twilio = await startTwilioFake();
  const email = createEmailSender({ smtpUrl: smtp.url, from: 'otp@example.com' });
  const sms = createTwilioSender('sms', {
    accountSid: 'AC00000000000000000000000000000000',
    authToken: 'test-token',
    smsFrom: '+15005550006',
    apiBaseUrl: twilio.baseUrl,
  });
  // Takes every webhook: its signature is the webhook tests' concern, its history is this one's.
  const hooks = createServer((req, res) => void req.resume().on('end', () => res.writeHead(204).end()));
  await new Promise<void>((resolve) => hooks.listen(0, '127.0.0.1', resolve));
  const hooksUrl = `http://127.0.0.1:${(hooks.address() as AddressInfo).port}/events`;
  const t = await startSessionEnv('time-skipping', {
    senders: { email, sms },
    publicBaseUrl: 'https://otp.example.test',
    webhookSecret: () => WEBHOOK_SECRET,
  });
  /** As the API starts a session: update-with-start, answered once the first deliveries settle. */
  const startLive = (start: SessionStart) =>
    t.env.client.workflow.executeUpdateWithStart(initialDeliveryUpdate, {
      startWorkflowOperation: new WithStartWorkflowOperation(otpSession, {
        workflowId: `otp-${start.tenant_id}-${start.session_id}`,
        taskQueue: t.taskQueue,
        args: [start],
        workflowIdConflictPolicy: 'USE_EXISTING',
      }),
    });
  let phone = 0;
  const live = (start: SessionStart, channel: 'email' | 'sms') =>
    Object.assign(start, {
      recipients: { email: 'person@example.com', sms: `+1415555${String(7000 + ++phone)}` },
      sandbox: false,
      channels: [channel],
      verification: { mode: 'all' },
      templates: LIVE_TEMPLATES,
      config: { ...start.config, resend_cooldown_seconds: 0 },
    });
  const handleOf = (start: SessionStart) =>
    t.env.client.workflow.getHandle<typeof otpSession>(`otp-${start.tenant_id}-${start.session_id}`);
  const lastSms = (start: SessionStart) =>
    codeIn(twilio.requests.filter((r) => r.to === start.recipients.sms).at(-1)!.body!);
  try {
    /** Each records its session; one that returns workflow ids records those workflows too. */
    const scenarios: Record<string, (start: SessionStart) => Promise<void | Record<string, string>>> = {
      'live-delivered-verified': async (start) => {
        await startLive(live(start, 'email'));
        const code = codeIn(smtp.messages.at(-1)!.raw);
        await handleOf(start).executeUpdate(verifyUpdate, {
          args: [digests(start.session_id, { email: code })],
        });
        await handleOf(start).result();
      },
      // A wrong code's failure and the right code's reset are both recorded by the checkCodes
      // that compared them, with no recordVerification.
      'live-wrong-then-verified': async (start) => {
        await startLive(live(start, 'email'));
        const code = codeIn(smtp.messages.at(-1)!.raw);
        const wrong = code === '000000' ? '111111' : '000000';
        await handleOf(start)
          .executeUpdate(verifyUpdate, { args: [digests(start.session_id, { email: wrong })] })
          .catch(() => {});
        await handleOf(start).executeUpdate(verifyUpdate, {
          args: [digests(start.session_id, { email: code })],
        });
        await handleOf(start).result();
      },
      'live-retried-verified': async (start) => {
        twilio.failNext(1, 500);
        await startLive(live(start, 'sms'));
        await handleOf(start).executeUpdate(verifyUpdate, {
          args: [digests(start.session_id, { sms: lastSms(start) })],
        });
        await handleOf(start).result();
      },
      'live-failed': async (start) => {
        twilio.rejectRecipient('+14155550999', 21211);
        await startLive(Object.assign(live(start, 'sms'), { recipients: { sms: '+14155550999' } }));
        await handleOf(start).result();
      },
      'live-verify-waits-for-delivery': async (start) => {
        twilio.failNext(2, 503);
        const handle = await t.start(live(start, 'sms'));
        while (twilio.requests.filter((r) => r.to === start.recipients.sms).length === 0) {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        // Sent while the delivery is retrying: the verify waits for the code to land.
        const verifying = handle.executeUpdate(verifyUpdate, {
          args: [digests(start.session_id, { sms: lastSms(start) })],
        });
        await verifying;
        await handle.result();
      },
      'live-resend-supersedes': async (start) => {
        let dead: string | undefined;
        const failing = twilio.failWhen((r) => codeIn(r.body!) === (dead ??= codeIn(r.body!)));
        const handle = await t.start(live(start, 'sms'));
        await t.env.sleep(1_500);
        const resent = handle.executeUpdate(resendUpdate, { args: [{}] });
        await resent;
        failing.clear();
        await handle.executeUpdate(verifyUpdate, {
          args: [digests(start.session_id, { sms: lastSms(start) })],
        });
        await handle.result();
      },
      verified: async (start) => {
        const handle = await t.start(start);
        const { sandbox_otps } = await handle.executeUpdate(initialDeliveryUpdate);
        await handle
          .executeUpdate(verifyUpdate, { args: [digests(start.session_id, { email: '!' })] })
          .catch(() => {});
        await handle.executeUpdate(verifyUpdate, { args: [digests(start.session_id, sandbox_otps!)] });
        await handle.result();
      },
      'locked-unlocked-resent': async (start) => {
        start.config = { ...start.config, max_attempts: 1, lockout_minutes: 2, resend_cooldown_seconds: 0 };
        const handle = await t.start(start);
        await handle.executeUpdate(initialDeliveryUpdate);
        await handle
          .executeUpdate(verifyUpdate, { args: [digests(start.session_id, { email: '!' })] })
          .catch(() => {});
        await t.env.sleep('3 minutes');
        const resent = await handle.executeUpdate(resendUpdate, { args: [{}] });
        await handle.executeUpdate(verifyUpdate, { args: [digests(start.session_id, resent.sandbox_otps!)] });
        await handle.result();
      },
      expired: async (start) => {
        const handle = await t.start(start);
        await handle.executeUpdate(initialDeliveryUpdate);
        await handle.result();
      },
      cancelled: async (start) => {
        const handle = await t.start(start);
        await handle.executeUpdate(initialDeliveryUpdate);
        await handle.executeUpdate(cancelUpdate, { args: [{}] });
        await handle.result();
      },
      // SPEC §9: an SMS reported undelivered passes the chain on to email; webhooks for everything.
      'live-fallback-receipt-webhooks': async (start) => {
        Object.assign(live(start, 'sms'), {
          channels: ['sms', 'email'],
          fallback: { channels: ['sms', 'email'], after_seconds: 30 },
          verification: { mode: 'any' },
          webhooks: [{ url: hooksUrl, events: [...WEBHOOK_EVENTS] }],
        });
        await startLive(start);
        const sid = twilio.sidOf(twilio.requests.filter((r) => r.to === start.recipients.sms).at(-1)!)!;
        const handle = handleOf(start);
        await handle.signal(deliveryReceiptSignal, {
          channel: 'sms',
          issue: 1,
          message_id: sid,
          status: 'undelivered',
        });
        while ((await handle.query(statusQuery)).channels.email!.delivery !== 'sent') {
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        const code = codeIn(smtp.messages.at(-1)!.raw);
        await handle.executeUpdate(verifyUpdate, { args: [digests(start.session_id, { email: code })] });
        const { events } = await handle.result();
        // The session.verified event's own workflow (id = webhook-id), once it delivered.
        const verified = `msg_${start.session_id.replace(/^ses_/, '')}_${events.map((e) => e.type).lastIndexOf('verified')}`;
        await t.env.client.workflow.getHandle(verified).result();
        return { 'webhook-event': verified };
      },
      // As the API starts sessions: search attributes with the start, no upsert.
      'live-search-attributes-at-start': async (start) => {
        live(start, 'email');
        await t.env.client.workflow.executeUpdateWithStart(initialDeliveryUpdate, {
          startWorkflowOperation: new WithStartWorkflowOperation(otpSession, {
            workflowId: `otp-${start.tenant_id}-${start.session_id}`,
            taskQueue: t.taskQueue,
            args: [start],
            workflowIdConflictPolicy: 'USE_EXISTING',
            typedSearchAttributes: sessionSearchAttributes(start, 'pending'),
          }),
        });
        const code = codeIn(smtp.messages.at(-1)!.raw);
        await handleOf(start).executeUpdate(verifyUpdate, {
          args: [digests(start.session_id, { email: code })],
        });
        await handleOf(start).result();
      },
      'fallback-after-seconds': async (start) => {
        Object.assign(start, { fallback: { channels: ['email', 'sms'], after_seconds: 30 } });
        const handle = await t.start(start);
        const { sandbox_otps } = await handle.executeUpdate(initialDeliveryUpdate);
        await t.env.sleep('31 seconds');
        await handle.executeUpdate(verifyUpdate, { args: [digests(start.session_id, sandbox_otps!)] });
        await handle.result();
      },
    };
    fs.mkdirSync(HISTORIES, { recursive: true });
    for (const [name, run] of Object.entries(scenarios)) {
      if (onlyScenarios && !onlyScenarios.includes(name)) continue;
      const start = sessionStart({ channels: ['email', 'sms'], verification: { mode: 'any' } });
      const others = (await run(start)) ?? {};
      const recordings = { [name]: `otp-${start.tenant_id}-${start.session_id}`, ...others };
      for (const [recording, workflowId] of Object.entries(recordings)) {
        const history = await t.env.client.workflow.getHandle(workflowId).fetchHistory();
        fs.writeFileSync(
          path.join(HISTORIES, `${RECORDING_VERSION}-${recording}.json`),
          JSON.stringify(History.toObject(History.fromObject(history), TO_OBJECT), null, 1),
        );
      }
    }
  } finally {
    await t.close();
    hooks.close();
    await email.close?.();
    await smtp.close();
    await twilio.close();
  }
}

// Workers run the bundle with the tracing interceptors when they trace, the one without otherwise
// (src/temporal/workflow-bundle.ts): a session may meet both, so every history replays with both.
test.each([
  ['with', true],
  ['without', false],
])(
  'recorded session histories replay against the current workflow code (%s tracing interceptors)',
  async (_, tracing) => {
    if (recording && tracing) await recordHistories();
    const files = fs.readdirSync(HISTORIES).filter((f) => f.endsWith('.json'));
    const histories = files.map((file) => ({
      workflowId: file,
      history: History.fromObject(JSON.parse(fs.readFileSync(path.join(HISTORIES, file), 'utf8'))),
    }));
    const replayed: string[] = [];
    // As the product's workers replay: the same bundle they run (failure converter included, and
    // the tracing interceptors when they trace), through the payload codec.
    const options = {
      workflowBundle: { code: await bundleSessionWorkflows(undefined, { tracing }) },
      dataConverter: testDataConverter,
      sinks: { exporter: makeWorkflowExporter(NO_TRACING.spanProcessor, NO_TRACING.resource) },
    };
    for await (const result of Worker.runReplayHistories(options, histories)) {
      expect(result.error).toBeUndefined();
      replayed.push(result.workflowId);
    }
    expect(replayed.length).toBeGreaterThanOrEqual(14);
    expect(replayed.sort()).toEqual(files.sort());
  },
);
