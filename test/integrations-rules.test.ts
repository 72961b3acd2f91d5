/**
 * The SPEC §9 rules in the pure state machine: delivery receipts, fallback chains and the
 * webhook events a transition produces. No Temporal: time is the `now` passed in.
 */
import { CHANNEL_PRICES, type Channel } from '../workflows/channels';
import {
  applyReceipt,
  applyVerification,
  beginFallback,
  beginResend,
  checkResend,
  checkVerify,
  fallbackDue,
  fallsBackFrom,
  nextDeadline,
  nextFallbackChannel,
  openSession,
  recordDelivery,
  recordWebhook,
  refuseFallback,
  toView,
  webhookEvents,
  type SessionState,
} from '../workflows/session-rules';
import type { ProviderReceipt } from '../workflows/session-types';
import { sessionStart, type StartOverrides } from './support/session-start';

const SEC = 1_000;
const MIN = 60 * SEC;
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);

const hashOf = (c: Channel, issue: number) => `$2b$04$HASH.${c}.${issue}`;

function open(overrides: StartOverrides = {}): SessionState {
  return openSession(
    sessionStart({ session_id: 'ses_0123456789abcdef0123456789abcdef', sandbox: false, ...overrides }),
    T0,
  );
}

function chain(afterSeconds = 30): SessionState {
  return open({
    channels: ['sms', 'whatsapp', 'email'],
    fallback: { channels: ['sms', 'whatsapp', 'email'], after_seconds: afterSeconds },
    verification: { mode: 'any' },
  });
}

function sent(state: SessionState, c: Channel, now = T0, providerMessageId = `SM-${c}`): SessionState {
  const issue = state.channels[c]!.issue;
  return recordDelivery(state, c, issue, { ok: true, codeHash: hashOf(c, issue), providerMessageId }, now);
}

const receipt = (overrides: Partial<ProviderReceipt> = {}): ProviderReceipt => ({
  channel: 'sms',
  issue: 1,
  message_id: 'SM-sms',
  status: 'delivered',
  ...overrides,
});

describe('delivery receipts (SPEC §9)', () => {
  const smsSession = () => sent(open({ channels: ['sms'] }), 'sms');

  test('a receipt moves the delivery to delivered, in the detail and the timeline', () => {
    const next = applyReceipt(smsSession(), receipt(), T0 + 5 * SEC);
    expect(toView(next).channels.sms!.delivery).toBe('delivered');
    expect(next.events.at(-1)).toEqual({
      type: 'delivered',
      at: new Date(T0 + 5 * SEC).toISOString(),
      channels: ['sms'],
    });
  });

  test('undelivered carries the provider error code, and the code keeps working', () => {
    const next = applyReceipt(
      smsSession(),
      receipt({ status: 'undelivered', error_code: '30003' }),
      T0 + SEC,
    );
    expect(toView(next).channels.sms!.delivery).toBe('undelivered');
    expect(next.events.at(-1)).toMatchObject({ type: 'undelivered', reason: 'provider error 30003' });
    expect(checkVerify(next, ['sms'], T0 + 2 * SEC)).toEqual(['sms']);
  });

  test.each([
    ['another message id', receipt({ message_id: 'SM-other' })],
    ['an older issue', receipt({ issue: 0 })],
    ['a channel the session does not have', receipt({ channel: 'email' })],
  ])('a receipt for %s changes nothing', (_, unknown) => {
    const state = smsSession();
    expect(applyReceipt(state, unknown, T0 + SEC)).toBe(state);
  });

  test('the first final receipt wins; a later one changes nothing', () => {
    const delivered = applyReceipt(smsSession(), receipt(), T0 + SEC);
    expect(applyReceipt(delivered, receipt({ status: 'undelivered' }), T0 + 2 * SEC)).toBe(delivered);
  });

  test('a receipt that overtakes the delivery result is applied when that lands', () => {
    const queued = open({ channels: ['sms'] });
    const early = applyReceipt(queued, receipt(), T0 + SEC);
    expect(early.channels.sms!.delivery).toBe('queued');
    const landed = sent(early, 'sms', T0 + 2 * SEC);
    expect(landed.channels.sms!.delivery).toBe('delivered');
    expect(landed.events.map((e) => e.type)).toEqual(['created', 'sent', 'delivered']);
  });
});

describe('fallback chains (SPEC §9)', () => {
  test('only the first channel gets a code; the others wait', () => {
    const state = chain();
    expect(state.events[0]).toMatchObject({ type: 'created', channels: ['sms'] });
    expect(toView(state).channels).toMatchObject({
      sms: { delivery: 'queued' },
      whatsapp: { delivery: 'waiting' },
      email: { delivery: 'waiting' },
    });
    expect(toView(state).fallback).toEqual({
      channels: ['sms', 'whatsapp', 'email'],
      after_seconds: 30,
      next_fallback_at: new Date(T0 + 30 * SEC).toISOString(),
    });
    expect(nextDeadline(state)).toBe(T0 + 30 * SEC);
  });

  test('a fallback session needs mode any and its channels in order', () => {
    const fallback = { channels: ['sms', 'email'] as Channel[], after_seconds: 30 };
    expect(() => open({ channels: ['sms', 'email'], fallback, verification: { mode: 'all' } })).toThrow(
      /any/,
    );
    expect(() => open({ channels: ['email', 'sms'], fallback, verification: { mode: 'any' } })).toThrow(
      /order/,
    );
    expect(() =>
      openSession(sessionStart({ channels: ['sms', 'email'], fallback, verification: { mode: 'any' } }), T0),
    ).not.toThrow();
  });

  test('a waiting channel has no code to verify and cannot be resent', () => {
    const state = sent(chain(), 'sms');
    expect(() => checkVerify(state, ['whatsapp'], T0 + SEC)).toThrow(/No active code for whatsapp/);
    expect(checkResend(state, undefined, T0 + 61 * SEC)).toEqual(['sms']);
    expect(() => checkResend(state, ['whatsapp'], T0 + 61 * SEC)).toThrow(/not reached/i);
  });

  test('after_seconds without verification: the next channel gets its own code', () => {
    const state = sent(chain(), 'sms');
    expect(fallbackDue(state, T0 + 29 * SEC)).toBe(false);
    expect(fallbackDue(state, T0 + 30 * SEC)).toBe(true);
    expect(nextFallbackChannel(state)).toBe('whatsapp');
    const next = beginFallback(state, 'whatsapp', 'not_verified', T0 + 30 * SEC);
    expect(next.events.at(-1)).toMatchObject({
      type: 'fallback',
      channels: ['whatsapp'],
      reason: 'not_verified',
    });
    expect(next.channels.whatsapp).toMatchObject({ delivery: 'queued', issue: 1 });
    expect(next.fallback).toEqual({ current: 'whatsapp', nextAt: T0 + 60 * SEC });
    // The new code lives its own expiry_minutes: the session with it.
    expect(next.expiresAt).toBe(T0 + 30 * SEC + 10 * MIN);
  });

  test("any reached channel's code verifies the session", () => {
    let state = beginFallback(sent(chain(), 'sms'), 'whatsapp', 'not_verified', T0 + 30 * SEC);
    state = sent(state, 'whatsapp', T0 + 31 * SEC);
    const outcome = applyVerification(state, { sms: true }, T0 + 40 * SEC);
    expect(outcome.state.status).toBe('verified');
    expect(nextDeadline(outcome.state)).toBeNull();
  });

  test('only the channel reached last moves the chain on', () => {
    const state = beginFallback(sent(chain(), 'sms'), 'whatsapp', 'not_verified', T0 + 30 * SEC);
    expect(fallsBackFrom(state, 'sms')).toBe(false);
    expect(fallsBackFrom(state, 'whatsapp')).toBe(true);
  });

  test('the last channel reached: no timer is left', () => {
    let state = beginFallback(sent(chain(), 'sms'), 'whatsapp', 'not_verified', T0 + 30 * SEC);
    state = beginFallback(sent(state, 'whatsapp'), 'email', 'delivery_failed', T0 + 40 * SEC);
    expect(state.fallback).toEqual({ current: 'email', nextAt: null });
    expect(fallsBackFrom(state, 'email')).toBe(false);
    expect(nextDeadline(state)).toBe(state.expiresAt);
  });

  test("a resend restarts the current channel's time", () => {
    const state = beginResend(sent(chain(), 'sms'), ['sms'], T0 + 61 * SEC);
    expect(state.fallback!.nextAt).toBe(T0 + 91 * SEC);
  });

  test('no timer while locked', () => {
    let state = sent(chain(), 'sms');
    for (let i = 0; i < 3; i++) state = applyVerification(state, { sms: false }, T0 + SEC).state;
    expect(state.status).toBe('locked');
    expect(fallbackDue(state, T0 + 40 * SEC)).toBe(false);
    expect(fallsBackFrom(state, 'sms')).toBe(false);
  });

  test('a refused step gives that channel up; none left with a code fails the session', () => {
    let state = recordDelivery(chain(), 'sms', 1, { ok: false, reason: 'Twilio refused' }, T0 + SEC);
    expect(state.status).toBe('pending');
    state = refuseFallback(state, 'whatsapp', 'rate_limited', T0 + SEC);
    expect(state.events.at(-1)).toMatchObject({
      type: 'fallback_refused',
      channels: ['whatsapp'],
      reason: 'rate_limited',
    });
    expect(state.status).toBe('pending');
    state = refuseFallback(state, 'email', 'insufficient_balance', T0 + SEC);
    expect(state.status).toBe('failed');
    expect(state.fallback!.nextAt).toBeNull();
  });

  test('every message reached is paid for: cost counts the fallback steps', () => {
    const state = beginFallback(sent(chain(), 'sms'), 'whatsapp', 'undelivered', T0 + 10 * SEC);
    // Email was never reached: it costs nothing.
    expect(toView(chain()).cost).toBe(CHANNEL_PRICES.sms);
    expect(toView(state).cost).toBe(CHANNEL_PRICES.sms + CHANNEL_PRICES.whatsapp);
  });
});

describe('webhook events (SPEC §9)', () => {
  test('each ending and each delivery outcome, with an id stable per timeline place', () => {
    const before = sent(open({ channels: ['sms', 'email'] }), 'sms');
    const failed = recordDelivery(before, 'email', 1, { ok: false, reason: 'SMTP 550' }, T0 + SEC);
    const delivered = applyReceipt(failed, receipt(), T0 + 2 * SEC);
    expect(webhookEvents(before, delivered)).toEqual([
      {
        id: 'msg_0123456789abcdef0123456789abcdef_2',
        type: 'delivery.failed',
        at: failed.events[2]!.at,
        channel: 'email',
      },
      {
        id: 'msg_0123456789abcdef0123456789abcdef_3',
        type: 'delivery.delivered',
        at: delivered.events[3]!.at,
        channel: 'sms',
      },
    ]);
  });

  test('session.verified once the session is verified, not for a partial verification', () => {
    let state = sent(sent(open({ channels: ['sms', 'email'] }), 'sms'), 'email');
    const partial = applyVerification(state, { sms: true }, T0 + SEC).state;
    expect(webhookEvents(state, partial)).toEqual([]);
    state = applyVerification(partial, { email: true }, T0 + 2 * SEC).state;
    expect(webhookEvents(partial, state).map((e) => e.type)).toEqual(['session.verified']);
  });

  test('locked, and webhook outcomes themselves produce no event', () => {
    let state = sent(open({ channels: ['sms'] }), 'sms');
    const before = state;
    for (let i = 0; i < 3; i++) state = applyVerification(state, { sms: false }, T0 + SEC).state;
    const [locked] = webhookEvents(before, state);
    expect(locked!.type).toBe('session.locked');
    const recorded = recordWebhook(
      state,
      { event: locked!, url: 'https://hooks.test/otp', attempts: 3 },
      T0 + MIN,
    );
    expect(recorded.events.at(-1)).toEqual({
      type: 'webhook_sent',
      at: new Date(T0 + MIN).toISOString(),
      webhook: { id: locked!.id, event: 'session.locked', host: 'hooks.test', attempts: 3 },
    });
    expect(webhookEvents(state, recorded)).toEqual([]);
  });

  test('the timeline names an endpoint by its host, never its path, query or credentials', () => {
    let state = sent(open({ channels: ['sms'] }), 'sms');
    const before = state;
    for (let i = 0; i < 3; i++) state = applyVerification(state, { sms: false }, T0 + SEC).state;
    const [locked] = webhookEvents(before, state);
    const failed = recordWebhook(
      state,
      {
        event: locked!,
        url: 'https://hook:pa55@Backend.Example.com:8443/otp/events?token=receiver-secret#frag',
        attempts: 0,
        failure: 'webhook endpoint answered HTTP 500',
      },
      T0 + MIN,
    );
    const event = failed.events.at(-1)!;
    expect(event.type).toBe('webhook_failed');
    expect(event.webhook).toEqual({
      id: locked!.id,
      event: 'session.locked',
      host: 'backend.example.com:8443',
      attempts: 0,
    });
    const shown = JSON.stringify(toView(failed));
    for (const secret of ['receiver-secret', '/otp/events', 'pa55', 'token='])
      expect(shown).not.toContain(secret);
  });
});
