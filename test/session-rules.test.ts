/**
 * Unit tests of the session rules (SPEC §4 verify/resend/cancel, §5 session rules) against the
 * pure state machine in workflows/session-rules.ts. No Temporal, no I/O: time is the `now`
 * passed in. One `describe` per rule; read a describe title, find the rule in the SPEC.
 */
import type { Channel } from '../workflows/channels';
import { RuleViolation } from '../workflows/errors';
import {
  advanceClock,
  applyVerification,
  beginResend,
  cancel,
  checkCallerMode,
  checkCancel,
  checkResend,
  checkVerify,
  deliveryInFlight,
  nextDeadline,
  openSession,
  pendingChannels,
  recordDelivery,
  requiredChannels,
  sandboxCodes,
  toView,
  type SessionState,
  type VerificationOutcome,
} from '../workflows/session-rules';
import type { SessionStart } from '../workflows/session-types';
import { sessionStart, type StartOverrides } from './support/session-start';

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

const SEC = 1_000;
const MIN = 60 * SEC;
/** Session start time: 2026-01-15T10:00:00.000Z. */
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);
const iso = (ms: number) => new Date(ms).toISOString();

/** A live two-channel session (email + sms), mode all, alphanumeric codes, built-in limits. */
function start(overrides: StartOverrides = {}): SessionStart {
  return sessionStart({
    session_id: 'ses_rules',
    sandbox: false,
    channels: ['email', 'sms'],
    ...overrides,
    config: { code_type: 'alphanumeric', ...overrides.config },
  });
}

/** The bcrypt hash and the sandbox code the delivery activity would return for a channel's issue. */
const hashOf = (c: Channel, issue: number) => `$2b$04$HASH.${c}.issue${issue}.xxxxxxxxxxxxxxxxxxxxxxxx`;
const codeOf = (c: Channel, issue: number) => `${c.slice(0, 2).toUpperCase()}Q${issue}ZK`;

/** Lands a successful delivery of each channel's current issue. */
function deliver(state: SessionState, channels: Channel[] = state.start.channels, now = T0): SessionState {
  return channels.reduce((s, c) => {
    const issue = s.channels[c]!.issue;
    return recordDelivery(
      s,
      c,
      issue,
      { ok: true, codeHash: hashOf(c, issue), sandboxCode: codeOf(c, issue) },
      now,
    );
  }, state);
}

function fail(state: SessionState, c: Channel, now = T0): SessionState {
  return recordDelivery(
    state,
    c,
    state.channels[c]!.issue,
    { ok: false, reason: 'mailbox unavailable' },
    now,
  );
}

/** A session opened at T0 whose codes have all been delivered. */
function session(overrides: StartOverrides = {}): SessionState {
  return deliver(openSession(start(overrides), T0));
}

/**
 * One verify call as the workflow makes it: checkVerify, then apply the comparison of the
 * channels checkVerify kept (true = the submitted code matched that channel's hash).
 */
function submit(
  state: SessionState,
  matches: Partial<Record<Channel, boolean>>,
  now = T0 + SEC,
): VerificationOutcome {
  const toCompare = checkVerify(state, Object.keys(matches) as Channel[], now);
  const compared = Object.fromEntries(toCompare.map((c) => [c, matches[c]]));
  return applyVerification(advanceClock(state, now), compared, now);
}

/** One resend call as the workflow makes it. */
function resend(state: SessionState, now: number, channels?: Channel[]): SessionState {
  return beginResend(state, checkResend(state, channels, now), now);
}

/** Runs a rule that must refuse, and returns the refusal. */
function refusal(run: () => unknown): RuleViolation {
  try {
    run();
  } catch (err) {
    if (err instanceof RuleViolation) return err;
    throw err;
  }
  throw new Error('expected a RuleViolation, but the rule accepted');
}

/** Fails `attempts` times with one wrong code per call (for email unless told). */
function failAttempts(
  state: SessionState,
  attempts: number,
  now = T0 + SEC,
  on: Channel = 'email',
): SessionState {
  let s = state;
  for (let i = 0; i < attempts; i += 1) s = submit(s, { [on]: false }, now).state;
  return s;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

const eventTypes = (state: SessionState) => state.events.map((e) => e.type);

// ---------------------------------------------------------------------------------------------
// §5 Statuses and transitions
// ---------------------------------------------------------------------------------------------

describe('§5 statuses and transitions', () => {
  it('a new session is pending, every channel queued without a code, created event at now', () => {
    const s = openSession(start(), T0);
    expect(s.status).toBe('pending');
    expect(s.channels.email).toMatchObject({
      delivery: 'queued',
      codeHash: null,
      issue: 1,
      verifiedAt: null,
    });
    expect(s.channels.sms).toMatchObject({ delivery: 'queued', codeHash: null, issue: 1, verifiedAt: null });
    expect(s.channels.whatsapp).toBeUndefined();
    expect(s.events).toEqual([{ type: 'created', at: iso(T0), channels: ['email', 'sms'] }]);
  });

  it('openSession refuses a channel without a recipient', () => {
    const err = refusal(() => openSession(start({ recipients: { email: 'person@example.com' } }), T0));
    expect(err.code).toBe('validation_error');
  });

  it('openSession refuses a "channels" policy naming a channel outside the session, or none', () => {
    const outside = start({ channels: ['email'], verification: { mode: 'channels', channels: ['sms'] } });
    expect(refusal(() => openSession(outside, T0)).code).toBe('validation_error');
    const empty = start({ verification: { mode: 'channels', channels: [] } });
    expect(refusal(() => openSession(empty, T0)).code).toBe('validation_error');
  });

  it('pending → partial → verified as required channels are verified', () => {
    const partial = submit(session(), { email: true });
    expect(partial.failure).toBeUndefined();
    expect(partial.state.status).toBe('partial');
    expect(partial.result).toMatchObject({
      status: 'partial',
      verified_channels: ['email'],
      pending_channels: ['sms'],
    });

    const verified = submit(partial.state, { sms: true });
    expect(verified.state.status).toBe('verified');
    expect(verified.result).toMatchObject({
      status: 'verified',
      verified_channels: ['email', 'sms'],
      pending_channels: [],
    });
  });

  it('locked when failed attempts reach max_attempts', () => {
    expect(failAttempts(session(), 3).status).toBe('locked');
  });

  it('expired when the clock reaches the expiry', () => {
    expect(advanceClock(session(), T0 + 10 * MIN).status).toBe('expired');
  });

  it('cancelled by cancel', () => {
    expect(cancel(session(), T0 + SEC).status).toBe('cancelled');
  });

  it('failed when every channel’s delivery failed, with a failed event', () => {
    const s = fail(fail(openSession(start(), T0), 'email'), 'sms', T0 + SEC);
    expect(s.status).toBe('failed');
    expect(eventTypes(s)).toEqual(['created', 'delivery_failed', 'delivery_failed', 'failed']);
    expect(s.events[1]).toMatchObject({ channels: ['email'], reason: 'mailbox unavailable' });
  });

  it('not failed while one channel is still queued or delivered', () => {
    const oneQueued = fail(openSession(start(), T0), 'email');
    expect(oneQueued.status).toBe('pending');
    const oneSent = fail(deliver(openSession(start(), T0), ['email']), 'sms');
    expect(oneSent.status).toBe('pending');
  });

  it('a delivery failure never turns an ended session into failed', () => {
    const cancelled = cancel(openSession(start(), T0), T0 + SEC);
    const afterFailures = fail(fail(cancelled, 'email', T0 + 2 * SEC), 'sms', T0 + 2 * SEC);
    expect(afterFailures.channels.email!.delivery).toBe('failed');
    expect(afterFailures.channels.sms!.delivery).toBe('failed');
    expect(afterFailures.status).toBe('cancelled');
  });
});

// ---------------------------------------------------------------------------------------------
// §5 Codes: valid only for their own channel, only until expiry, only once
// ---------------------------------------------------------------------------------------------

describe('§5 codes: own channel, until expiry, only once', () => {
  it('each channel holds its own code hash', () => {
    const s = session();
    expect(s.channels.email!.codeHash).toBe(hashOf('email', 1));
    expect(s.channels.sms!.codeHash).toBe(hashOf('sms', 1));
  });

  it('a match verifies only the channel it was compared for', () => {
    const { state, result } = submit(session(), { sms: true });
    expect(result.results).toEqual({ sms: 'verified' });
    expect(state.channels.sms!.verifiedAt).toBe(T0 + SEC);
    expect(state.channels.email!.verifiedAt).toBeNull();
    expect(state.channels.email!.codeHash).toBe(hashOf('email', 1));
  });

  it('a code stops working at expiry', () => {
    const s = session();
    expect(checkVerify(s, ['email'], T0 + 10 * MIN - 1)).toEqual(['email']);
    expect(refusal(() => checkVerify(s, ['email'], T0 + 10 * MIN)).code).toBe('session_expired');
  });

  it('a used code is dropped: resubmitting it is refused with validation_error', () => {
    const { state } = submit(session(), { email: true });
    expect(state.channels.email!.codeHash).toBeNull();
    expect(refusal(() => checkVerify(state, ['email'], T0 + 2 * SEC)).code).toBe('validation_error');
  });

  it('only unverified submitted channels are compared', () => {
    const { state } = submit(session(), { email: true });
    expect(checkVerify(state, ['email', 'sms'], T0 + 2 * SEC)).toEqual(['sms']);
  });

  it('a match for an already verified channel yields already_verified and costs no attempt', () => {
    const { state } = submit(session(), { email: true });
    const again = applyVerification(state, { email: true }, T0 + 2 * SEC);
    expect(again.result.results).toEqual({ email: 'already_verified' });
    expect(again.state.channels.email!.verifiedAt).toBe(T0 + SEC);
    expect(again.state.failedAttempts).toBe(0);
  });

  it('once verified, every code is dropped and further verifies get already_verified', () => {
    const { state } = submit(session(), { email: true, sms: true });
    expect(state.channels.email!.codeHash).toBeNull();
    expect(state.channels.sms!.codeHash).toBeNull();
    expect(refusal(() => checkVerify(state, ['sms'], T0 + 2 * SEC)).code).toBe('already_verified');
  });
});

// ---------------------------------------------------------------------------------------------
// §4 verification modes
// ---------------------------------------------------------------------------------------------

describe('§4 verification modes', () => {
  it('all: every channel is required; one verified leaves the session partial', () => {
    const s = session({ channels: ['email', 'sms', 'whatsapp'] });
    expect(requiredChannels(s)).toEqual(['email', 'sms', 'whatsapp']);
    const two = submit(s, { email: true, sms: true }).state;
    expect(two.status).toBe('partial');
    expect(pendingChannels(two)).toEqual(['whatsapp']);
    expect(submit(two, { whatsapp: true }).state.status).toBe('verified');
  });

  it('any: one verified channel is enough, and the other codes are dropped', () => {
    const { state, result } = submit(session({ verification: { mode: 'any' } }), { sms: true });
    expect(state.status).toBe('verified');
    expect(result).toMatchObject({ status: 'verified', verified_channels: ['sms'], pending_channels: [] });
    expect(state.channels.email!.codeHash).toBeNull();
  });

  it('channels: only the listed channels are required', () => {
    const s = session({
      channels: ['email', 'sms', 'whatsapp'],
      verification: { mode: 'channels', channels: ['email', 'sms'] },
    });
    expect(requiredChannels(s)).toEqual(['email', 'sms']);
    const { state, result } = submit(s, { email: true, sms: true });
    expect(state.status).toBe('verified');
    expect(result.pending_channels).toEqual([]);
    expect(state.channels.whatsapp!.verifiedAt).toBeNull();
  });

  it('channels: an unlisted channel verifying neither completes the session nor makes it partial', () => {
    const s = session({ verification: { mode: 'channels', channels: ['email'] } });
    const { state, result, failure } = submit(s, { sms: true });
    expect(failure).toBeUndefined();
    expect(result.results).toEqual({ sms: 'verified' });
    expect(state.status).toBe('pending');
    expect(result).toMatchObject({
      status: 'pending',
      verified_channels: ['sms'],
      pending_channels: ['email'],
    });
    expect(submit(state, { email: true }).state.status).toBe('verified');
  });
});

// ---------------------------------------------------------------------------------------------
// §5 Expiry: expiry_minutes after the last send, by a durable timer
// ---------------------------------------------------------------------------------------------

describe('§5 expiry', () => {
  const expiresAt = T0 + 10 * MIN;

  it('expires exactly expiry_minutes after the send', () => {
    const s = session();
    expect(s.expiresAt).toBe(expiresAt);
    expect(advanceClock(s, expiresAt - 1)).toBe(s);
    const expired = advanceClock(s, expiresAt);
    expect(expired.status).toBe('expired');
    expect(expired.events.at(-1)).toEqual({ type: 'expired', at: iso(expiresAt) });
  });

  it('a late timer still dates the expiry at the deadline', () => {
    expect(advanceClock(session(), expiresAt + 5 * SEC).events.at(-1)!.at).toBe(iso(expiresAt));
  });

  it('nextDeadline is the expiry while open, null once ended', () => {
    const s = session();
    expect(nextDeadline(s)).toBe(expiresAt);
    expect(nextDeadline(advanceClock(s, expiresAt))).toBeNull();
    expect(nextDeadline(cancel(s, T0 + SEC))).toBeNull();
  });

  it('a resend pushes the expiry to now + expiry_minutes', () => {
    const s = resend(session(), T0 + 4 * MIN);
    expect(s.expiresAt).toBe(T0 + 14 * MIN);
    expect(nextDeadline(s)).toBe(T0 + 14 * MIN);
    expect(advanceClock(s, expiresAt).status).toBe('pending');
  });

  it('an ended session does not change with time', () => {
    const verified = submit(session(), { email: true, sms: true }).state;
    expect(advanceClock(verified, expiresAt + MIN)).toBe(verified);
  });
});

// ---------------------------------------------------------------------------------------------
// §4 verify / §5 attempts
// ---------------------------------------------------------------------------------------------

describe('§5 attempts', () => {
  it('a wrong code counts one failed attempt: invalid_otp with attempts_remaining and results', () => {
    const { state, result, failure } = submit(session(), { email: false });
    expect(state.failedAttempts).toBe(1);
    expect(state.status).toBe('pending');
    expect(failure).toMatchObject({
      code: 'invalid_otp',
      extras: { attempts_remaining: 2, results: { email: 'invalid' } },
    });
    expect(result.attempts_remaining).toBe(2);
    expect(state.events.at(-1)).toEqual({ type: 'attempt_failed', at: iso(T0 + SEC), channels: ['email'] });
  });

  it('two wrong codes in one call count two', () => {
    const { state, failure } = submit(session(), { email: false, sms: false });
    expect(state.failedAttempts).toBe(2);
    expect(failure).toMatchObject({
      code: 'invalid_otp',
      extras: { attempts_remaining: 1, results: { email: 'invalid', sms: 'invalid' } },
    });
  });

  it('the call that reaches max_attempts gets max_attempts_exceeded and locks, dropping the codes', () => {
    const twice = failAttempts(session(), 2);
    expect(twice.status).toBe('pending');
    const { state, failure } = submit(twice, { email: false }, T0 + 2 * SEC);
    expect(failure).toMatchObject({
      code: 'max_attempts_exceeded',
      extras: { attempts_remaining: 0, results: { email: 'invalid' } },
    });
    expect(state.status).toBe('locked');
    expect(state.channels.email!.codeHash).toBeNull();
    expect(state.channels.sms!.codeHash).toBeNull();
    expect(eventTypes(state).slice(-2)).toEqual(['attempt_failed', 'locked']);
  });

  it('a right code with a wrong one in the same call: verified result, the wrong one still counted', () => {
    const { state, result, failure } = submit(session(), { email: true, sms: false });
    expect(failure).toBeUndefined();
    expect(result).toMatchObject({
      status: 'partial',
      results: { email: 'verified', sms: 'invalid' },
      attempts_remaining: 2,
    });
    expect(state.failedAttempts).toBe(1);
  });

  it('a right code and a wrong one that reaches max_attempts: the right one stays verified, the call reports the lock', () => {
    const { state, failure } = submit(failAttempts(session(), 2), { email: true, sms: false }, T0 + 2 * SEC);
    expect(failure!.code).toBe('max_attempts_exceeded');
    expect(failure!.extras).toMatchObject({
      attempts_remaining: 0,
      results: { email: 'verified', sms: 'invalid' },
    });
    expect(state.status).toBe('locked');
    expect(state.channels.email!.verifiedAt).toBe(T0 + 2 * SEC);
    expect(state.channels.sms!.codeHash).toBeNull();
  });

  it('a call never gets more guesses than the attempts left: later codes are not checked', () => {
    const s = failAttempts(session({ verification: { mode: 'any' } }), 2);
    const { state, failure } = submit(s, { email: false, sms: true }, T0 + 2 * SEC);
    expect(failure!.code).toBe('max_attempts_exceeded');
    expect(failure!.extras.results).toEqual({ email: 'invalid', sms: 'not_checked' });
    expect(state.status).toBe('locked');
    expect(state.channels.sms!.verifiedAt).toBeNull();
    expect(state.failedAttempts).toBe(3);
  });

  it('a right code that completes the session within the budget wins', () => {
    const s = failAttempts(session({ verification: { mode: 'any' } }), 2);
    const { state, failure } = submit(s, { email: true, sms: false }, T0 + 2 * SEC);
    expect(failure).toBeUndefined();
    expect(state.status).toBe('verified');
  });

  it('max_attempts 1: the first wrong code locks', () => {
    const { state, failure } = submit(session({ config: { max_attempts: 1 } }), { email: false });
    expect(failure!.code).toBe('max_attempts_exceeded');
    expect(state.status).toBe('locked');
  });
});

// ---------------------------------------------------------------------------------------------
// §5 Lockout: lockout_minutes unlocks by timer; null stays locked until expiry
// ---------------------------------------------------------------------------------------------

describe('§5 lockout', () => {
  const lockedAt = T0 + SEC;

  it('with lockout_minutes, the session unlocks exactly at lockedUntil with an unlocked event', () => {
    const locked = failAttempts(session({ config: { lockout_minutes: 5 } }), 3, lockedAt);
    const lockedUntil = lockedAt + 5 * MIN;
    expect(locked.lockedUntil).toBe(lockedUntil);
    expect(nextDeadline(locked)).toBe(lockedUntil);
    expect(advanceClock(locked, lockedUntil - 1)).toBe(locked);
    const unlocked = advanceClock(locked, lockedUntil);
    expect(unlocked).toMatchObject({ status: 'pending', lockedUntil: null });
    expect(unlocked.events.at(-1)).toEqual({ type: 'unlocked', at: iso(lockedUntil) });
    expect(nextDeadline(unlocked)).toBe(T0 + 10 * MIN);
  });

  it('a partial session unlocks back to partial', () => {
    const s = submit(session({ config: { lockout_minutes: 5 } }), { email: true }).state;
    const locked = failAttempts(s, 3, lockedAt, 'sms');
    expect(locked.status).toBe('locked');
    expect(advanceClock(locked, lockedAt + 5 * MIN).status).toBe('partial');
  });

  it('after unlock, verify without a new code is refused with code_not_active', () => {
    const locked = failAttempts(session({ config: { lockout_minutes: 5 } }), 3, lockedAt);
    const err = refusal(() => checkVerify(locked, ['email'], lockedAt + 5 * MIN));
    expect(err).toMatchObject({ code: 'code_not_active', extras: { attempts_remaining: 0 } });
  });

  it('after unlock, resend is allowed and its new codes verify with a fresh attempt counter', () => {
    const locked = failAttempts(session({ config: { lockout_minutes: 5 } }), 3, lockedAt);
    const at = lockedAt + 5 * MIN;
    expect(checkResend(locked, undefined, at)).toEqual(['email', 'sms']);
    const resent = deliver(resend(locked, at), undefined, at);
    expect(resent).toMatchObject({ status: 'pending', failedAttempts: 0, lockedUntil: null });
    expect(submit(resent, { email: true, sms: true }, at + SEC).state.status).toBe('verified');
  });

  it('with lockout_minutes null, it stays locked until the expiry, then expires', () => {
    const locked = failAttempts(session(), 3, lockedAt);
    expect(locked.lockedUntil).toBeNull();
    expect(nextDeadline(locked)).toBe(T0 + 10 * MIN);
    expect(advanceClock(locked, T0 + 10 * MIN - 1)).toBe(locked);
    expect(advanceClock(locked, T0 + 10 * MIN).status).toBe('expired');
  });

  it('a lockout ending after the expiry: the session expires at the expiry', () => {
    const locked = failAttempts(session({ config: { lockout_minutes: 30 } }), 3, lockedAt);
    expect(nextDeadline(locked)).toBe(T0 + 10 * MIN);
    expect(advanceClock(locked, T0 + 10 * MIN)).toMatchObject({ status: 'expired', lockedUntil: null });
  });

  it('locked refusals carry retry_after (ceil seconds) when the lockout end is known', () => {
    const locked = failAttempts(session({ config: { lockout_minutes: 5 } }), 3, lockedAt);
    const now = lockedAt + 5 * MIN - 90_500;
    expect(refusal(() => checkVerify(locked, ['email'], now))).toMatchObject({
      code: 'session_locked',
      extras: { retry_after: 91 },
    });
    expect(refusal(() => checkResend(locked, undefined, now))).toMatchObject({
      code: 'session_locked',
      extras: { retry_after: 91 },
    });
  });

  it('locked refusals carry no retry_after when locked until expiry', () => {
    const locked = failAttempts(session(), 3, lockedAt);
    const err = refusal(() => checkResend(locked, undefined, lockedAt + 2 * MIN));
    expect(err.code).toBe('session_locked');
    expect(err.extras).toEqual({});
  });

  it('lockout_minutes 0: the reaching call still gets max_attempts_exceeded, and the session unlocks at once', () => {
    const twice = failAttempts(
      session({ config: { lockout_minutes: 0, resend_cooldown_seconds: 0 } }),
      2,
      lockedAt,
    );
    const { state, failure } = submit(twice, { email: false }, lockedAt);
    expect(failure!.code).toBe('max_attempts_exceeded');
    expect(state).toMatchObject({ status: 'locked', lockedUntil: lockedAt });
    expect(advanceClock(state, lockedAt).status).toBe('pending');
    expect(refusal(() => checkVerify(state, ['email'], lockedAt)).code).toBe('code_not_active');
    expect(checkResend(state, undefined, lockedAt)).toEqual(['email', 'sms']);
  });

  it('a code of the locked set whose delivery lands after the unlock does not become usable', () => {
    const s = deliver(openSession(start({ config: { lockout_minutes: 0 } }), T0), ['email']);
    const locked = failAttempts(s, 3, lockedAt); // sms still in flight
    const unlocked = advanceClock(locked, lockedAt);
    expect(unlocked.status).toBe('pending');
    const landed = deliver(unlocked, ['sms'], lockedAt + SEC);
    expect(landed.channels.sms).toMatchObject({ delivery: 'sent', codeHash: null });
    expect(refusal(() => checkVerify(landed, ['sms'], lockedAt + 2 * SEC)).code).toBe('code_not_active');
  });
});

// ---------------------------------------------------------------------------------------------
// §4 / §5 Resend
// ---------------------------------------------------------------------------------------------

describe('§5 resend', () => {
  const later = T0 + 2 * MIN; // outside the first cooldown

  it('is allowed while pending and while partial', () => {
    expect(checkResend(session(), undefined, later)).toEqual(['email', 'sms']);
    const partial = submit(session(), { email: true }).state;
    expect(checkResend(partial, undefined, later)).toEqual(['sms']);
  });

  it('new codes replace the old at once: hash dropped, delivery queued, issue incremented, resent event', () => {
    const sandbox = session({ sandbox: true });
    const s = resend(sandbox, later);
    expect(s.issue).toBe(2);
    for (const c of ['email', 'sms'] as const) {
      expect(s.channels[c]).toMatchObject({ delivery: 'queued', codeHash: null, issue: 2 });
      expect(s.channels[c]!.sandboxCode).toBeUndefined();
    }
    expect(s.events.at(-1)).toEqual({ type: 'resent', at: iso(later), channels: ['email', 'sms'] });
    expect(deliveryInFlight(s, ['email'])).toBe(true);
    expect(deliver(s, undefined, later).channels.email!.codeHash).toBe(hashOf('email', 2));
  });

  it('the attempt counter starts again at zero', () => {
    const s = resend(failAttempts(session(), 2), later);
    expect(s.failedAttempts).toBe(0);
    expect(toView(s).attempts).toEqual({ failed: 0, max: 3, remaining: 3 });
  });

  it('the cooldown restarts at the resend', () => {
    const s = resend(session(), later);
    expect(s.resendCooldownEndsAt).toBe(later + 60 * SEC);
    expect(refusal(() => checkResend(s, undefined, later + 60 * SEC - 1)).code).toBe('cooldown_active');
    expect(checkResend(s, undefined, later + 60 * SEC)).toEqual(['email', 'sms']);
  });

  it('is refused inside the cooldown with cooldown_active and retry_after in whole seconds, rounded up', () => {
    const s = session();
    expect(refusal(() => checkResend(s, undefined, T0))).toMatchObject({
      code: 'cooldown_active',
      extras: { retry_after: 60 },
    });
    expect(refusal(() => checkResend(s, undefined, T0 + 30_700))).toMatchObject({
      extras: { retry_after: 30 },
    });
    expect(refusal(() => checkResend(s, undefined, T0 + 59_001))).toMatchObject({
      extras: { retry_after: 1 },
    });
    expect(checkResend(s, undefined, T0 + 60 * SEC)).toEqual(['email', 'sms']);
  });

  it('is refused after max_resends with resend_limit_reached', () => {
    let s = session({ config: { max_resends: 2 } });
    s = resend(s, later);
    s = resend(s, later + 2 * MIN);
    expect(refusal(() => checkResend(s, undefined, later + 4 * MIN)).code).toBe('resend_limit_reached');
  });

  it('max_resends 0: the first resend is refused', () => {
    expect(refusal(() => checkResend(session({ config: { max_resends: 0 } }), undefined, later)).code).toBe(
      'resend_limit_reached',
    );
  });

  it('a subset resend renews only the requested channels', () => {
    const s = resend(session(), later, ['sms']);
    expect(s.events.at(-1)!.channels).toEqual(['sms']);
    expect(s.channels.sms).toMatchObject({ delivery: 'queued', issue: 2, codeHash: null });
    expect(s.channels.email).toMatchObject({ delivery: 'sent', issue: 1, codeHash: hashOf('email', 1) });
  });

  it('verified channels are never resent and stay verified', () => {
    const partial = submit(session(), { email: true }).state;
    expect(checkResend(partial, ['email', 'sms'], later)).toEqual(['sms']);
    const s = resend(partial, later);
    expect(s.status).toBe('partial');
    expect(s.channels.email).toMatchObject({ verifiedAt: T0 + SEC, issue: 1 });
  });

  it('requesting only verified channels is a validation_error', () => {
    const partial = submit(session(), { email: true }).state;
    expect(refusal(() => checkResend(partial, ['email'], later)).code).toBe('validation_error');
  });

  it('requesting a channel that is not in the session is a validation_error naming it', () => {
    const err = refusal(() => checkResend(session(), ['whatsapp'], later));
    expect(err.code).toBe('validation_error');
    expect(err.extras.details).toEqual([expect.objectContaining({ path: 'channels.whatsapp' })]);
  });

  it('a channel whose delivery failed can be resent', () => {
    const s = fail(deliver(openSession(start(), T0), ['sms']), 'email');
    expect(resend(s, later, ['email']).channels.email).toMatchObject({ delivery: 'queued', issue: 2 });
  });

  it('is refused when the session has ended or is locked', () => {
    expect(
      refusal(() => checkResend(submit(session(), { email: true, sms: true }).state, undefined, later)).code,
    ).toBe('already_verified');
    expect(refusal(() => checkResend(session(), undefined, T0 + 10 * MIN)).code).toBe('session_expired');
    expect(refusal(() => checkResend(cancel(session(), T0), undefined, later)).code).toBe(
      'session_cancelled',
    );
    expect(refusal(() => checkResend(failAttempts(session(), 3), undefined, later)).code).toBe(
      'session_locked',
    );
  });
});

// ---------------------------------------------------------------------------------------------
// §7 Guesses per code: no code takes more than max_attempts failed guesses or lives past its own
// issue + expiry_minutes
// ---------------------------------------------------------------------------------------------

describe('§7 guesses per code', () => {
  /** A session opened at T0, its codes delivered. */
  function perCode(overrides: StartOverrides = {}): SessionState {
    return deliver(openSession(start(overrides), T0));
  }

  /**
   * The attack: guess the email code wrong while more than one attempt is left, then resend only
   * sms to (try to) refill the attempts; once no resend is allowed, guess until refused.
   * Returns how many wrong guesses were compared against the one email code.
   */
  function partialResendAttack(opened: SessionState): number {
    let s = opened;
    let now = T0 + SEC;
    let wrongGuesses = 0;
    for (;;) {
      now += SEC;
      if (toView(s).attempts.remaining <= 1 && toView(s).resends.remaining > 0) {
        now = Math.max(now, s.resendCooldownEndsAt);
        s = deliver(resend(s, now, ['sms']), ['sms'], now);
        continue;
      }
      try {
        s = submit(s, { email: false }, now).state;
      } catch (err) {
        if (err instanceof RuleViolation) return wrongGuesses;
        throw err;
      }
      wrongGuesses += 1;
    }
  }

  it('a partial resend keeps the failed-attempt counter and the email code’s own expiry', () => {
    const s = resend(failAttempts(perCode(), 2), T0 + 5 * MIN, ['sms']);
    expect(s.failedAttempts).toBe(2);
    expect(s.channels.email).toMatchObject({ issue: 1, codeExpiresAt: T0 + 10 * MIN });
    expect(s.channels.sms).toMatchObject({ issue: 2, codeExpiresAt: T0 + 15 * MIN });
    const view = toView(s);
    expect(view.attempts).toEqual({ failed: 2, max: 3, remaining: 1 });
    expect(view.channels.email!.code_expires_at).toBe(iso(T0 + 10 * MIN));
    expect(view.channels.sms!.code_expires_at).toBe(iso(T0 + 15 * MIN));
    // The new sms code gets only what is left: one more wrong guess, on either code, locks.
    const { state, failure } = submit(deliver(s, ['sms'], T0 + 5 * MIN), { sms: false }, T0 + 6 * MIN);
    expect(failure!.code).toBe('max_attempts_exceeded');
    expect(state.status).toBe('locked');
  });

  it('a full resend resets the counter and every code’s expiry', () => {
    const s = resend(failAttempts(perCode(), 2), T0 + 5 * MIN);
    expect(s.failedAttempts).toBe(0);
    expect(s.channels.email).toMatchObject({ issue: 2, codeExpiresAt: T0 + 15 * MIN });
    expect(s.channels.sms).toMatchObject({ issue: 2, codeExpiresAt: T0 + 15 * MIN });
    expect(s.expiresAt).toBe(T0 + 15 * MIN);
  });

  it('a resend of every unverified channel is full: a verified channel does not count', () => {
    const partial = submit(perCode(), { email: true }).state;
    const s = resend(failAttempts(partial, 2, T0 + 2 * SEC, 'sms'), T0 + 5 * MIN, ['sms']);
    expect(s.failedAttempts).toBe(0);
    expect(s.expiresAt).toBe(T0 + 15 * MIN);
  });

  it.each([
    [
      'its delivery failed',
      () => failAttempts(fail(deliver(openSession(start(), T0), ['sms']), 'email'), 2, T0 + SEC, 'sms'),
      T0 + 2 * MIN,
    ],
    [
      'it expired',
      // The email code (T0 + 10 min) outlives the partial resend at T0 + 5 min, but not the next one.
      () => failAttempts(resend(perCode(), T0 + 5 * MIN, ['sms']), 2, T0 + 6 * MIN, 'sms'),
      T0 + 10 * MIN,
    ],
    [
      'a lock invalidated it',
      () => failAttempts(perCode({ config: { lockout_minutes: 1 } }), 3),
      T0 + 2 * MIN,
    ],
  ])(
    'a partial resend resets the counter when the code not re-issued can no longer verify: %s',
    (_why, make, at) => {
      const before = make();
      expect(before.failedAttempts).toBeGreaterThanOrEqual(2);
      const s = deliver(resend(before, at, ['sms']), ['sms'], at);
      expect(s).toMatchObject({ failedAttempts: 0, status: 'pending' });
      expect(refusal(() => checkVerify(s, ['email'], at + SEC)).code).toBe('code_not_active');
      expect(submit(s, { sms: true }, at + SEC).result.results).toEqual({ sms: 'verified' });
    },
  );

  it('the partial-resend attack gets max_attempts wrong guesses at one code, however it resends', () => {
    expect(partialResendAttack(perCode())).toBe(3);
    expect(partialResendAttack(perCode({ config: { max_attempts: 5, max_resends: 5 } }))).toBe(5);
  });

  it('the email code is refused after its own expiry, without spending an attempt, while the sms code works', () => {
    const s = resend(perCode(), T0 + 5 * MIN, ['sms']);
    const withSms = deliver(s, ['sms'], T0 + 5 * MIN);
    expect(checkVerify(withSms, ['email'], T0 + 10 * MIN - 1)).toEqual(['email']);
    const err = refusal(() => checkVerify(withSms, ['email', 'sms'], T0 + 10 * MIN));
    expect(err).toMatchObject({ code: 'code_not_active', extras: { attempts_remaining: 3 } });
    expect(err.message).toBe('Code expired for email: request a resend');
    const { state, result } = submit(withSms, { sms: true }, T0 + 10 * MIN);
    expect(result).toMatchObject({ status: 'partial', results: { sms: 'verified' }, attempts_remaining: 3 });
    expect(state.failedAttempts).toBe(0);
  });

  it('an expired code and an inactive one in one call: both named, nothing compared', () => {
    const base = fail(
      deliver(openSession(start({ channels: ['email', 'sms', 'whatsapp'] }), T0), ['email', 'sms']),
      'whatsapp',
    );
    const s = deliver(resend(base, T0 + 5 * MIN, ['sms']), ['sms'], T0 + 5 * MIN);
    expect(refusal(() => checkVerify(s, ['email', 'whatsapp'], T0 + 11 * MIN)).message).toBe(
      'No active code for whatsapp; code expired for email: request a resend',
    );
  });

  it('after a partial resend the session lives as long as its latest required code', () => {
    const s = resend(perCode(), T0 + 5 * MIN, ['sms']);
    expect(s.expiresAt).toBe(T0 + 15 * MIN);
    expect(nextDeadline(s)).toBe(T0 + 15 * MIN);
    expect(toView(s).expires_at).toBe(iso(T0 + 15 * MIN));
    expect(advanceClock(s, T0 + 10 * MIN)).toBe(s);
    const expired = advanceClock(s, T0 + 15 * MIN);
    expect(expired.status).toBe('expired');
    expect(expired.events.at(-1)).toEqual({ type: 'expired', at: iso(T0 + 15 * MIN) });
  });

  it('re-issuing only a channel the policy does not require does not extend the session', () => {
    const s = resend(
      perCode({ verification: { mode: 'channels', channels: ['email'] } }),
      T0 + 9 * MIN + 30 * SEC,
      ['sms'],
    );
    expect(s.channels.sms!.codeExpiresAt).toBe(T0 + 19 * MIN + 30 * SEC);
    expect(s.expiresAt).toBe(T0 + 10 * MIN);
    expect(advanceClock(s, T0 + 10 * MIN).status).toBe('expired');
    // Its cooldown ends after the session does: no resend is offered.
    expect(toView(s).resends.next_resend_at).toBeNull();
  });

  it('lockout and unlock: unchanged, and the first resend after it starts a fresh counter', () => {
    const locked = failAttempts(perCode({ config: { lockout_minutes: 5 } }), 3);
    expect(nextDeadline(locked)).toBe(T0 + SEC + 5 * MIN);
    expect(toView(locked).resends.next_resend_at).toBe(iso(T0 + SEC + 5 * MIN));
    const unlocked = advanceClock(locked, T0 + SEC + 5 * MIN);
    expect(unlocked.status).toBe('pending');
    expect(refusal(() => checkVerify(unlocked, ['email'], T0 + 6 * MIN)).code).toBe('code_not_active');
    const resent = deliver(resend(unlocked, T0 + 6 * MIN), undefined, T0 + 6 * MIN);
    expect(resent).toMatchObject({ failedAttempts: 0, expiresAt: T0 + 16 * MIN });
    expect(submit(resent, { email: true, sms: true }, T0 + 7 * MIN).state.status).toBe('verified');
  });
});

// ---------------------------------------------------------------------------------------------
// recordDelivery (delivery results landing in the session)
// ---------------------------------------------------------------------------------------------

describe('recordDelivery', () => {
  it('a live delivery is sent, keeps the hash, and its event carries no code', () => {
    const s = deliver(openSession(start(), T0), ['email'], T0 + SEC);
    expect(s.channels.email).toMatchObject({ delivery: 'sent', codeHash: hashOf('email', 1) });
    expect(s.events.at(-1)).toEqual({ type: 'sent', at: iso(T0 + SEC), channels: ['email'], locale: 'en' });
    expect(deliveryInFlight(s, ['email'])).toBe(false);
    expect(deliveryInFlight(s, ['email', 'sms'])).toBe(true);
    expect(sandboxCodes(s, ['email'])).toBeUndefined();
  });

  it('a sandbox delivery is marked sandbox and its code is handed back by sandboxCodes', () => {
    const s = deliver(openSession(start({ sandbox: true }), T0));
    expect(s.channels.email!.delivery).toBe('sandbox');
    expect(sandboxCodes(s, ['email', 'sms'])).toEqual({ email: codeOf('email', 1), sms: codeOf('sms', 1) });
    expect(sandboxCodes(s, ['sms'])).toEqual({ sms: codeOf('sms', 1) });
  });

  it('results of an older issue are ignored', () => {
    const s = resend(session(), T0 + 2 * MIN);
    const stale = recordDelivery(s, 'email', 1, { ok: true, codeHash: 'stale-hash' }, T0 + 3 * MIN);
    expect(stale).toBe(s);
    const staleFailure = recordDelivery(s, 'email', 1, { ok: false, reason: 'late' }, T0 + 3 * MIN);
    expect(staleFailure).toBe(s);
  });

  it('a second result for the same issue is ignored', () => {
    const s = session();
    expect(recordDelivery(s, 'email', 1, { ok: true, codeHash: 'other' }, T0 + SEC)).toBe(s);
    expect(recordDelivery(s, 'email', 1, { ok: false, reason: 'x' }, T0 + SEC)).toBe(s);
  });

  it.each([
    ['cancelled', (s: SessionState) => cancel(s, T0 + SEC)],
    ['expired', (s: SessionState) => advanceClock(s, T0 + 10 * MIN)],
    ['locked', (s: SessionState) => failAttempts(s, 3)],
    ['verified', (s: SessionState) => submit(s, { email: true })],
  ])('a delivery landing once the session is %s keeps no usable hash', (status, end) => {
    const base = deliver(openSession(start({ verification: { mode: 'any' } }), T0), ['email']);
    const ended = end(base) as SessionState | VerificationOutcome;
    const state = 'state' in ended ? ended.state : ended;
    expect(state.status).toBe(status);
    const landed = deliver(state, ['sms'], T0 + 2 * SEC);
    expect(landed.channels.sms).toMatchObject({ delivery: 'sent', codeHash: null });
    expect(landed.status).toBe(status);
  });
});

// ---------------------------------------------------------------------------------------------
// §4 verify refusals
// ---------------------------------------------------------------------------------------------

describe('§4 verify refusals', () => {
  it.each([
    ['already_verified', () => submit(session(), { email: true, sms: true }).state],
    ['session_expired', () => session()], // judged at the expiry below
    ['session_cancelled', () => cancel(session(), T0)],
    ['session_failed', () => fail(fail(openSession(start(), T0), 'email'), 'sms')],
    ['session_locked', () => failAttempts(session(), 3)],
  ])('%s', (code, make) => {
    const now = code === 'session_expired' ? T0 + 10 * MIN : T0 + 2 * SEC;
    const err = refusal(() => checkVerify(make(), ['email'], now));
    expect(err.code).toBe(code);
    if (code === 'session_locked') expect(err.extras).toEqual({});
  });

  it('an empty submission is a validation_error', () => {
    expect(refusal(() => checkVerify(session(), [], T0 + SEC)).code).toBe('validation_error');
  });

  it('a channel not in the session is a validation_error naming it', () => {
    const err = refusal(() => checkVerify(session(), ['email', 'whatsapp'], T0 + SEC));
    expect(err.code).toBe('validation_error');
    expect(err.extras.details).toEqual([expect.objectContaining({ path: 'otps.whatsapp' })]);
  });

  it('a channel whose delivery failed has no active code: code_not_active', () => {
    const s = fail(deliver(openSession(start(), T0), ['sms']), 'email');
    expect(refusal(() => checkVerify(s, ['email'], T0 + SEC))).toMatchObject({
      code: 'code_not_active',
      extras: { attempts_remaining: 3 },
    });
    expect(checkVerify(s, ['sms'], T0 + SEC)).toEqual(['sms']);
  });

  it('a channel still being delivered is accepted (the workflow waits for its hash)', () => {
    const s = openSession(start(), T0);
    expect(checkVerify(s, ['email'], T0 + SEC)).toEqual(['email']);
    expect(deliveryInFlight(s, ['email'])).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------
// §4 cancel
// ---------------------------------------------------------------------------------------------

describe('§4 cancel', () => {
  it.each([
    ['pending', () => session()],
    ['partial', () => submit(session(), { email: true }).state],
    ['locked', () => failAttempts(session({ config: { lockout_minutes: 5 } }), 3)],
  ])('is allowed while %s: cancelled, codes dropped, event recorded', (status, make) => {
    const s = make();
    expect(s.status).toBe(status);
    expect(() => checkCancel(s, T0 + 2 * SEC)).not.toThrow();
    const cancelled = cancel(s, T0 + 2 * SEC);
    expect(cancelled).toMatchObject({ status: 'cancelled', lockedUntil: null });
    expect(cancelled.channels.email!.codeHash).toBeNull();
    expect(cancelled.channels.sms!.codeHash).toBeNull();
    expect(cancelled.events.at(-1)).toEqual({ type: 'cancelled', at: iso(T0 + 2 * SEC) });
    expect(nextDeadline(cancelled)).toBeNull();
  });

  it.each([
    ['already_verified', () => submit(session(), { email: true, sms: true }).state],
    ['session_expired', () => advanceClock(session(), T0 + 10 * MIN)],
    ['session_cancelled', () => cancel(session(), T0)],
    ['session_failed', () => fail(fail(openSession(start(), T0), 'email'), 'sms')],
  ])('is refused with %s once the session has ended', (code, make) => {
    expect(refusal(() => checkCancel(make(), T0 + 11 * MIN)).code).toBe(code);
  });

  it('is refused once the expiry has passed even before the timer fired', () => {
    expect(refusal(() => checkCancel(session(), T0 + 10 * MIN)).code).toBe('session_expired');
  });
});

// ---------------------------------------------------------------------------------------------
// §4 session detail (toView)
// ---------------------------------------------------------------------------------------------

describe('§4 session view', () => {
  const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

  /** Every state a sandbox session passes through, each still holding codes and hashes. */
  function sandboxStates(): SessionState[] {
    const opened = session({
      sandbox: true,
      channels: ['email', 'sms', 'whatsapp'],
      config: { lockout_minutes: 1 },
    });
    const partial = submit(opened, { email: true }).state;
    const locked = failAttempts(partial, 3, T0 + 2 * SEC, 'sms');
    const resent = deliver(resend(locked, T0 + 2 * MIN), undefined, T0 + 2 * MIN);
    return [
      opened,
      partial,
      locked,
      resent,
      submit(resent, { sms: true, whatsapp: true }, T0 + 3 * MIN).state,
    ];
  }

  it('never contains a code or a hash', () => {
    const secrets = ['email', 'sms', 'whatsapp'].flatMap((c) =>
      [1, 2].flatMap((i) => [hashOf(c as Channel, i), codeOf(c as Channel, i)]),
    );
    const states = sandboxStates();
    // The states do hold them, so the check below can fail.
    expect(JSON.stringify(states)).toContain(codeOf('sms', 2));
    expect(JSON.stringify(states)).toContain(hashOf('sms', 2));
    for (const s of states) {
      const json = JSON.stringify(toView(s));
      for (const secret of secrets) expect(json).not.toContain(secret);
      expect(json).not.toMatch(/\$2[aby]\$/);
    }
  });

  it('timestamps are ISO strings', () => {
    const view = toView(sandboxStates()[2]);
    expect(view.created_at).toBe(iso(T0));
    expect(view.expires_at).toBe(iso(T0 + 10 * MIN));
    expect(view.locked_until).toBe(iso(T0 + 2 * SEC + MIN));
    expect(view.channels.email!.verified_at).toBe(iso(T0 + SEC));
    expect(view.resends.next_resend_at).toMatch(ISO);
    for (const e of view.events) expect(e.at).toMatch(ISO);
  });

  it('reports channels, counters and the policy', () => {
    const s = resend(
      failAttempts(submit(session(), { email: true }).state, 1, T0 + 2 * SEC, 'sms'),
      T0 + 2 * MIN,
    );
    const view = toView(failAttempts(deliver(s, ['sms'], T0 + 2 * MIN), 2, T0 + 3 * MIN, 'sms'));
    expect(view).toMatchObject({
      session_id: 'ses_rules',
      tenant_id: 'acme',
      status: 'partial',
      sandbox: false,
      verified_channels: ['email'],
      pending_channels: ['sms'],
      attempts: { failed: 2, max: 3, remaining: 1 },
      resends: { used: 1, max: 3, remaining: 2, next_resend_at: iso(T0 + 3 * MIN) },
      locked_until: null,
      metadata: { purpose: 'login' },
    });
    expect(view.channels.email).toEqual({
      recipient: 'person@example.com',
      delivery: 'sent',
      verified: true,
      verified_at: iso(T0 + SEC),
      required: true,
      code_expires_at: null,
    });
    expect(view.channels.sms).toMatchObject({
      delivery: 'sent',
      verified: false,
      verified_at: null,
      required: true,
    });
  });

  it('marks required channels per mode: all → every one, channels → the listed, any → none singly', () => {
    const listed = toView(session({ verification: { mode: 'channels', channels: ['sms'] } }));
    expect([listed.channels.email!.required, listed.channels.sms!.required]).toEqual([false, true]);
    expect(listed.pending_channels).toEqual(['sms']);
    const all = toView(session());
    expect([all.channels.email!.required, all.channels.sms!.required]).toEqual([true, true]);
    const any = toView(session({ verification: { mode: 'any' } }));
    expect([any.channels.email!.required, any.channels.sms!.required]).toEqual([false, false]);
  });

  it('next_resend_at is the cooldown end, and null when no resends remain or the session ended', () => {
    expect(toView(session()).resends.next_resend_at).toBe(iso(T0 + 60 * SEC));
    const used = resend(session({ config: { max_resends: 1 } }), T0 + 2 * MIN);
    expect(toView(used).resends).toMatchObject({ used: 1, remaining: 0, next_resend_at: null });
    expect(toView(cancel(session(), T0)).resends.next_resend_at).toBeNull();
  });

  it('next_resend_at while locked: the lockout end, or null when locked until expiry', () => {
    const withLockout = failAttempts(session({ config: { lockout_minutes: 5 } }), 3);
    expect(toView(withLockout).resends.next_resend_at).toBe(iso(T0 + SEC + 5 * MIN));
    expect(toView(failAttempts(session(), 3)).resends.next_resend_at).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
// Purity: no rule mutates the state it is given
// ---------------------------------------------------------------------------------------------

describe('the rules never mutate their input', () => {
  function frozenCopy(state: SessionState): { frozen: SessionState; snapshot: SessionState } {
    return { frozen: deepFreeze(structuredClone(state)), snapshot: structuredClone(state) };
  }

  it.each([
    ['applyVerification', (s: SessionState) => applyVerification(s, { email: true, sms: false }, T0 + SEC)],
    [
      'applyVerification (locking)',
      (s: SessionState) => applyVerification(s, { email: false, sms: false }, T0 + SEC),
    ],
    ['beginResend', (s: SessionState) => beginResend(s, ['email'], T0 + 2 * MIN)],
    ['recordDelivery', (s: SessionState) => fail(s, 'sms')],
    ['cancel', (s: SessionState) => cancel(s, T0 + SEC)],
    ['advanceClock (expiry)', (s: SessionState) => advanceClock(s, T0 + 10 * MIN)],
    [
      'checks and toView',
      (s: SessionState) => [checkVerify(s, ['email'], T0), checkCancel(s, T0), toView(s)],
    ],
  ])('%s', (_name, run) => {
    const base = openSession(start({ config: { max_attempts: 3 } }), T0);
    const withFailure = { ...deliver(base, ['email']), failedAttempts: 1 };
    const { frozen, snapshot } = frozenCopy(withFailure);
    expect(() => run(frozen)).not.toThrow();
    expect(frozen).toEqual(snapshot);
  });

  it('with per-code limits: a partial resend and the refusal of an expired code', () => {
    const opened = deliver(openSession(start(), T0));
    const { frozen, snapshot } = frozenCopy({ ...opened, failedAttempts: 1 });
    expect(beginResend(frozen, ['sms'], T0 + 2 * MIN).failedAttempts).toBe(1);
    expect(
      refusal(() => checkVerify(beginResend(frozen, ['sms'], T0 + 2 * MIN), ['email'], T0 + 10 * MIN)).code,
    ).toBe('code_not_active');
    expect(frozen).toEqual(snapshot);
  });

  it('advanceClock (unlock) and a resend after it', () => {
    const locked = failAttempts(session({ config: { lockout_minutes: 1 } }), 3);
    const { frozen, snapshot } = frozenCopy(locked);
    expect(advanceClock(frozen, T0 + 2 * MIN).status).toBe('pending');
    expect(resend(frozen, T0 + 2 * MIN).status).toBe('pending');
    expect(frozen).toEqual(snapshot);
  });
});

describe('§7 key modes: a key acts only on the sessions its own mode opened', () => {
  const notFound = (fn: () => void) => {
    try {
      fn();
    } catch (err) {
      return err instanceof RuleViolation ? err.code : err;
    }
    return 'allowed';
  };

  it('a sandbox session a test key opened is unknown to a live key', () => {
    const state = session({ sandbox: true, key_mode: 'test' });
    expect(notFound(() => checkCallerMode(state, {}))).toBe('session_not_found');
    expect(notFound(() => checkCallerMode(state, { test_key: false }))).toBe('session_not_found');
    expect(notFound(() => checkCallerMode(state, { test_key: true }))).toBe('allowed');
  });

  it('a live session is unknown to a test key', () => {
    const state = session({ sandbox: false, key_mode: 'live' });
    expect(notFound(() => checkCallerMode(state, { test_key: true }))).toBe('session_not_found');
    expect(notFound(() => checkCallerMode(state, {}))).toBe('allowed');
  });

  it('a sandbox session a live key opened (sandbox_mode) stays the live key’s, and says sandbox', () => {
    const state = session({ sandbox: true, key_mode: 'live' });
    expect(notFound(() => checkCallerMode(state, {}))).toBe('allowed');
    expect(notFound(() => checkCallerMode(state, { test_key: true }))).toBe('session_not_found');
    expect(toView(state)).toMatchObject({ sandbox: true, key_mode: 'live' });
    const { result } = applyVerification(state, { email: true }, T0 + SEC);
    expect(result.sandbox).toBe(true);
  });
});
