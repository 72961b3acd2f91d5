/**
 * The session rules of SPEC §5 as a pure state machine: every function takes the state, an
 * event and `now` (epoch ms) and returns a new state, or throws a RuleViolation naming the SPEC
 * error code. No Temporal import, no I/O, no randomness: every rule is unit-testable in
 * microseconds, and workflows/otp-session.ts only wires these functions to messages and timers.
 */
import { CHANNEL_PRICES, isPhoneChannel, type Channel } from './channels';
import { RuleViolation, type ErrorCode } from './errors';
import type {
  CallerMode,
  ChannelVerifyResult,
  DeliveryState,
  KeyMode,
  MessageInsight,
  ProviderReceipt,
  SandboxCodes,
  SessionInsight,
  TenantPolicy,
  SessionStart,
  SessionStatus,
  SessionView,
  TimelineEvent,
  TimelineEventType,
  VerifyResult,
  WebhookEventType,
} from './session-types';

export interface ChannelState {
  recipient: string;
  delivery: DeliveryState;
  /** bcrypt hash of the active code's digest; null while queued, after use, or once invalidated. */
  codeHash: string | null;
  /** The issue (code generation) the channel's current code belongs to. */
  issue: number;
  verifiedAt: number | null;
  /** Sandbox sessions only: the code, handed back to the caller. */
  sandboxCode?: string;
  /** Set by a lock: this issue's code stays unusable even if its delivery lands after the unlock. */
  invalidated?: boolean;
  /** When this issue's code stops verifying (its issue + expiry_minutes); absent while waiting in a chain. */
  codeExpiresAt?: number;
  /** The provider's id of this issue's message (Twilio SID), once it accepted it. */
  providerMessageId?: string;
  /** A receipt that arrived before the delivery's own result: applied when that lands. */
  earlyReceipt?: ProviderReceipt;
}

/** A fallback session's progress along its chain (SPEC §9). */
export interface FallbackState {
  /** The channel reached last: only its failure (or silence) moves the chain on. */
  current: Channel;
  /** When the next channel gets a code unless the session is verified first; null: none left. */
  nextAt: number | null;
}

export interface SessionState {
  start: SessionStart;
  status: SessionStatus;
  createdAt: number;
  /** When the session expires: the latest expiry of a required channel's code. */
  expiresAt: number;
  /** Incremented by every resend; delivery results of older issues are ignored. */
  issue: number;
  channels: Partial<Record<Channel, ChannelState>>;
  /**
   * Failed codes since the counter last started again: at a resend (or fallback step) that leaves
   * no earlier code usable (SPEC §7 guesses per code).
   */
  failedAttempts: number;
  resendsUsed: number;
  resendCooldownEndsAt: number;
  /** Set while locked with `lockout_minutes`; null while locked until expiry. */
  lockedUntil: number | null;
  events: TimelineEvent[];
  fallback?: FallbackState;
}

const MINUTE = 60_000;
const TERMINAL: ReadonlySet<SessionStatus> = new Set(['verified', 'expired', 'cancelled', 'failed']);

export const isTerminal = (status: SessionStatus): boolean => TERMINAL.has(status);

const iso = (ms: number): string => new Date(ms).toISOString();

function withEvent(
  state: SessionState,
  type: TimelineEventType,
  at: number,
  extra: Omit<TimelineEvent, 'type' | 'at'> = {},
): SessionState {
  return { ...state, events: [...state.events, { type, at: iso(at), ...extra }] };
}

function sessionChannels(state: SessionState): Channel[] {
  return state.start.channels;
}

function channel(state: SessionState, name: Channel): ChannelState {
  const found = state.channels[name];
  if (!found) throw new Error(`channel ${name} is not part of session ${state.start.session_id}`);
  return found;
}

/** The channels whose verification the policy requires (for `any`: every channel counts). */
export function requiredChannels(state: SessionState): Channel[] {
  const policy = state.start.verification;
  return policy.mode === 'channels' ? policy.channels : sessionChannels(state);
}

export function verifiedChannels(state: SessionState): Channel[] {
  return sessionChannels(state).filter((c) => channel(state, c).verifiedAt !== null);
}

export function pendingChannels(state: SessionState): Channel[] {
  return requiredChannels(state).filter((c) => channel(state, c).verifiedAt === null);
}

function policySatisfied(state: SessionState): boolean {
  if (state.start.verification.mode === 'any') return verifiedChannels(state).length > 0;
  return pendingChannels(state).length === 0;
}

/** pending or partial (some required channel verified): the status an open, unlocked session has. */
function openStatus(state: SessionState): SessionStatus {
  const required = requiredChannels(state);
  return verifiedChannels(state).some((c) => required.includes(c)) ? 'partial' : 'pending';
}

export function openSession(start: SessionStart, now: number): SessionState {
  const expiresAt = now + start.config.expiry_minutes * MINUTE;
  const chain = start.fallback;
  if (chain) checkFallbackChain(start);
  const channels: Partial<Record<Channel, ChannelState>> = {};
  for (const [index, name] of start.channels.entries()) {
    const recipient = start.recipients[name];
    if (!recipient) throw new RuleViolation('validation_error', {}, `recipients.${name} is required`);
    const waiting = chain !== undefined && index > 0;
    channels[name] = {
      recipient,
      delivery: waiting ? 'waiting' : 'queued',
      codeHash: null,
      issue: 1,
      verifiedAt: null,
      ...(waiting ? {} : { codeExpiresAt: expiresAt }),
    };
  }
  const policy = start.verification;
  if (
    policy.mode === 'channels' &&
    (policy.channels.length === 0 || policy.channels.some((c) => !channels[c]))
  ) {
    throw new RuleViolation(
      'validation_error',
      {},
      'verification.channels must name channels of this session',
    );
  }
  return {
    start,
    status: 'pending',
    createdAt: now,
    expiresAt,
    issue: 1,
    channels,
    failedAttempts: 0,
    resendsUsed: 0,
    resendCooldownEndsAt: now + start.config.resend_cooldown_seconds * 1000,
    lockedUntil: null,
    events: [{ type: 'created', at: iso(now), channels: initialChannels(start) }],
    ...(chain
      ? {
          fallback: {
            current: chain.channels[0]!,
            nextAt: chain.channels.length > 1 ? now + chain.after_seconds * 1000 : null,
          },
        }
      : {}),
  };
}

/** The channels that get a code when the session opens: a fallback chain's first, else all. */
export function initialChannels(start: SessionStart): Channel[] {
  return start.fallback ? [start.channels[0]!] : [...start.channels];
}

function checkFallbackChain(start: SessionStart): void {
  const chain = start.fallback!;
  const problem =
    chain.channels.join() !== start.channels.join()
      ? 'fallback.channels must be the session channels, in order'
      : start.verification.mode !== 'any'
        ? "a fallback session verifies with any channel's code"
        : !(chain.after_seconds > 0)
          ? 'fallback.after_seconds must be positive'
          : undefined;
  if (problem) throw new RuleViolation('validation_error', {}, problem);
}

/**
 * Applies what time alone changes: expiry, and the end of a lockout. Timers call it when they
 * fire; validators call it so that a request arriving before the timer is judged by the clock.
 */
export function advanceClock(state: SessionState, now: number): SessionState {
  if (isTerminal(state.status)) return state;
  if (now >= state.expiresAt) {
    return withEvent({ ...state, status: 'expired', lockedUntil: null }, 'expired', state.expiresAt);
  }
  if (state.status === 'locked' && state.lockedUntil !== null && now >= state.lockedUntil) {
    const unlocked = { ...state, lockedUntil: null };
    return withEvent({ ...unlocked, status: openStatus(unlocked) }, 'unlocked', state.lockedUntil);
  }
  return state;
}

/** When time will next change the session by itself (expiry or end of lockout); null once terminal. */
export function nextDeadline(state: SessionState): number | null {
  if (isTerminal(state.status)) return null;
  const fallbackAt = fallbackTime(state);
  const clock = state.lockedUntil !== null ? Math.min(state.expiresAt, state.lockedUntil) : state.expiresAt;
  return fallbackAt === null ? clock : Math.min(clock, fallbackAt);
}

/** Refuses any request on a session that can no longer take one, with the SPEC error for why. */
/** The refusal every later request gets from a session that has ended with this status. */
export const ENDED_SESSION_ERRORS: Partial<Record<SessionStatus, ErrorCode>> = {
  verified: 'already_verified',
  expired: 'session_expired',
  cancelled: 'session_cancelled',
  failed: 'session_failed',
};

function assertOpen(state: SessionState, now: number): void {
  const ended = ENDED_SESSION_ERRORS[state.status];
  if (ended) throw new RuleViolation(ended);
  if (state.status === 'locked') {
    throw new RuleViolation(
      'session_locked',
      state.lockedUntil === null
        ? {}
        : { retry_after: Math.ceil((Math.min(state.lockedUntil, state.expiresAt) - now) / 1000) },
    );
  }
}

/**
 * SPEC §7 key modes: a key acts only on the sessions its own mode opened. A session of the other
 * mode answers exactly as a session that does not exist: a test key learns nothing of live
 * traffic, and a sandbox session a test key opened never passes for a live one.
 */
export function checkCallerMode(state: SessionState, caller: CallerMode | undefined): void {
  const callerMode = caller?.test_key === true ? 'test' : 'live';
  if (callerMode !== state.start.key_mode) throw new RuleViolation('session_not_found');
}

function assertSessionChannels(state: SessionState, channels: Channel[], field: string): void {
  const unknown = channels.filter((c) => !state.channels[c]);
  if (unknown.length > 0) {
    throw new RuleViolation(
      'validation_error',
      {
        details: unknown.map((c) => ({
          path: `${field}.${c}`,
          message: `channel ${c} is not part of this session`,
        })),
      },
      `Channel not part of this session: ${unknown.join(', ')}`,
    );
  }
}

/**
 * Checks a verify request before it is accepted. Returns the channels whose codes must be
 * compared: submitted, not yet verified.
 */
export function checkVerify(state: SessionState, submitted: Channel[], now: number): Channel[] {
  const current = advanceClock(state, now);
  assertOpen(current, now);
  if (submitted.length === 0) {
    throw new RuleViolation('validation_error', {}, 'Submit a code for at least one channel');
  }
  assertSessionChannels(current, submitted, 'otps');
  const toCompare = submitted.filter((c) => channel(current, c).verifiedAt === null);
  if (toCompare.length === 0) {
    throw new RuleViolation('validation_error', {}, 'Every submitted channel is already verified');
  }
  const inactive = toCompare.filter((c) => codeInactive(channel(current, c)));
  // Refused before comparing, so an expired code costs no attempt (and reveals nothing).
  const expired = toCompare.filter((c) => !inactive.includes(c) && codeExpired(channel(current, c), now));
  if (inactive.length > 0 || expired.length > 0) {
    const reasons = [
      ...(inactive.length > 0 ? [`No active code for ${inactive.join(', ')}`] : []),
      ...(expired.length > 0
        ? [`${inactive.length > 0 ? 'code' : 'Code'} expired for ${expired.join(', ')}`]
        : []),
    ];
    throw new RuleViolation(
      'code_not_active',
      { attempts_remaining: attemptsRemaining(current) },
      `${reasons.join('; ')}: request a resend`,
    );
  }
  return toCompare;
}

/** No code to compare: its delivery failed, a lock invalidated it, or it was used or dropped. */
function codeInactive(ch: ChannelState): boolean {
  return (
    ch.delivery === 'failed' || ch.invalidated === true || (ch.delivery !== 'queued' && ch.codeHash === null)
  );
}

/** The code is past its own expiry, even if the session is still open. */
function codeExpired(ch: ChannelState, now: number): boolean {
  return ch.codeExpiresAt !== undefined && now >= ch.codeExpiresAt;
}

/** The channel's current code could still verify (a code still in flight counts: it may land). */
function codeUsable(ch: ChannelState, now: number): boolean {
  return ch.verifiedAt === null && !codeInactive(ch) && !codeExpired(ch, now);
}

export function attemptsRemaining(state: SessionState): number {
  return Math.max(0, state.start.config.max_attempts - state.failedAttempts);
}

export interface VerificationOutcome {
  state: SessionState;
  result: VerifyResult;
  /** Set when every submitted code was wrong: the error the caller gets, with the state still saved. */
  failure?: RuleViolation;
}

/**
 * Applies the comparison of submitted codes (true = the code matched the channel's active hash).
 * Each wrong code is one failed attempt; reaching max_attempts locks the session and invalidates
 * its codes. A matched code is used up: its hash is dropped so it cannot verify twice.
 */
export function applyVerification(
  state: SessionState,
  matches: Partial<Record<Channel, boolean>>,
  now: number,
): VerificationOutcome {
  let next: SessionState = { ...state, channels: { ...state.channels } };
  const results: Partial<Record<Channel, ChannelVerifyResult>> = {};
  const newlyVerified: Channel[] = [];
  const failed: Channel[] = [];
  // A call never gets more guesses than the attempts left: codes are taken in the session's
  // channel order and, once the budget is spent, the rest are not checked (nor revealed).
  let budget = attemptsRemaining(state);
  for (const name of sessionChannels(state).filter((c) => c in matches)) {
    const ch = channel(next, name);
    if (ch.verifiedAt !== null) {
      results[name] = 'already_verified';
    } else if (budget === 0) {
      results[name] = 'not_checked';
    } else if (matches[name]) {
      next.channels[name] = { ...ch, verifiedAt: now, codeHash: null };
      results[name] = 'verified';
      newlyVerified.push(name);
    } else {
      results[name] = 'invalid';
      failed.push(name);
      budget -= 1;
    }
  }
  if (failed.length > 0) {
    next = withEvent(
      { ...next, failedAttempts: next.failedAttempts + failed.length },
      'attempt_failed',
      now,
      {
        channels: failed,
      },
    );
  }
  if (newlyVerified.length > 0) next = withEvent(next, 'verified', now, { channels: newlyVerified });

  if (newlyVerified.length > 0 && policySatisfied(next)) {
    next = { ...next, status: 'verified', channels: dropCodes(next) };
  } else if (next.failedAttempts >= next.start.config.max_attempts) {
    next = lock(next, now);
  } else if (newlyVerified.length > 0) {
    next = { ...next, status: openStatus(next) };
  }

  const result: VerifyResult = {
    status: next.status,
    results,
    verified_channels: verifiedChannels(next),
    pending_channels: next.status === 'verified' ? [] : pendingChannels(next),
    attempts_remaining: attemptsRemaining(next),
    session_id: next.start.session_id,
    sandbox: next.start.sandbox,
    metadata: next.start.metadata,
  };
  // Reaching max_attempts is reported as such even when another code of the call was right:
  // the caller must learn that the session is now locked.
  if (next.status === 'locked') {
    return {
      state: next,
      result,
      failure: new RuleViolation('max_attempts_exceeded', { attempts_remaining: 0, results }),
    };
  }
  if (newlyVerified.length > 0) return { state: next, result };
  return {
    state: next,
    result,
    failure: new RuleViolation('invalid_otp', { attempts_remaining: result.attempts_remaining, results }),
  };
}

function dropCodes(state: SessionState): SessionState['channels'] {
  const channels: SessionState['channels'] = {};
  for (const name of sessionChannels(state)) channels[name] = { ...channel(state, name), codeHash: null };
  return channels;
}

function lock(state: SessionState, now: number): SessionState {
  const minutes = state.start.config.lockout_minutes;
  const lockedUntil = minutes === null ? null : now + minutes * MINUTE;
  // Drops the codes and marks them invalidated, so a delivery still in flight cannot revive one.
  const channels: SessionState['channels'] = {};
  for (const name of sessionChannels(state)) {
    channels[name] = { ...channel(state, name), codeHash: null, invalidated: true };
  }
  return withEvent({ ...state, status: 'locked', lockedUntil, channels }, 'locked', now);
}

/**
 * Checks a resend request. Returns the channels to send fresh codes to: the requested ones (or
 * all), minus those already verified.
 */
/** The channels a resend renews: the requested ones (or all), minus those already verified. */
export function resendTargets(
  channels: Channel[],
  isVerified: (channel: Channel) => boolean,
  requested?: Channel[],
): Channel[] {
  return channels.filter((c) => !isVerified(c) && (!requested || requested.includes(c)));
}

export function checkResend(state: SessionState, requested: Channel[] | undefined, now: number): Channel[] {
  const current = advanceClock(state, now);
  assertOpen(current, now);
  if (requested) assertSessionChannels(current, requested, 'channels');
  const waiting = (requested ?? []).filter((c) => channel(current, c).delivery === 'waiting');
  if (waiting.length > 0) {
    throw new RuleViolation(
      'validation_error',
      {
        details: waiting.map((c) => ({
          path: `channels.${c}`,
          message: `the fallback chain has not reached ${c} yet`,
        })),
      },
      `Not reached by the fallback chain yet: ${waiting.join(', ')}`,
    );
  }
  // A fallback channel not reached yet gets its code from the chain, not from a resend.
  const targets = resendTargets(
    sessionChannels(current).filter((c) => channel(current, c).delivery !== 'waiting'),
    (c) => channel(current, c).verifiedAt !== null,
    requested,
  );
  if (targets.length === 0) {
    throw new RuleViolation('validation_error', {}, 'Every requested channel is already verified');
  }
  if (current.resendsUsed >= current.start.config.max_resends) {
    throw new RuleViolation('resend_limit_reached');
  }
  if (now < current.resendCooldownEndsAt) {
    throw new RuleViolation('cooldown_active', {
      retry_after: Math.ceil((current.resendCooldownEndsAt - now) / 1000),
    });
  }
  return targets;
}

/**
 * Starts a resend: a new issue of codes for `targets`. Old codes stop working at once, the
 * cooldown restarts, the new codes expire at now + expiry_minutes, the codes not replaced keep
 * their own expiry (SPEC §7), and the counter starts again only when no code that could be
 * guessed before the resend can still verify: otherwise a partial resend would hand the untouched
 * code a fresh budget of guesses.
 */
export function beginResend(state: SessionState, targets: Channel[], now: number): SessionState {
  const current = advanceClock(state, now);
  const newCodesExpireAt = now + current.start.config.expiry_minutes * MINUTE;
  const issue = current.issue + 1;
  const channels = { ...current.channels };
  for (const name of targets) {
    channels[name] = {
      ...channel(current, name),
      delivery: 'queued',
      codeHash: null,
      issue,
      sandboxCode: undefined,
      invalidated: false,
      codeExpiresAt: newCodesExpireAt,
    };
  }
  const keepsGuessableCode = keepsOtherCode(current, targets, now);
  // The session lives as long as its latest required code; a code of a channel the policy does
  // not require cannot complete the session, so re-issuing only such channels does not extend it.
  const renewsRequired = targets.some((c) => requiredChannels(current).includes(c));
  const next: SessionState = {
    ...current,
    issue,
    channels,
    failedAttempts: keepsGuessableCode ? current.failedAttempts : 0,
    resendsUsed: current.resendsUsed + 1,
    resendCooldownEndsAt: now + current.start.config.resend_cooldown_seconds * 1000,
    expiresAt: renewsRequired ? newCodesExpireAt : current.expiresAt,
    lockedUntil: null,
    // A fresh code on the chain's current channel gets its own time before the chain moves on.
    ...(current.fallback ? { fallback: restartFallbackTimer(current, now) } : {}),
  };
  return withEvent({ ...next, status: openStatus(next) }, 'resent', now, { channels: targets });
}

export type DeliveryOutcome =
  | { ok: true; codeHash: string; sandboxCode?: string; providerMessageId?: string }
  | { ok: false; reason: string };

/**
 * A code that could be guessed before new ones are issued to `targets` can still
 * verify after; the failed-attempt count must then carry on, or it would get a fresh budget.
 */
function keepsOtherCode(state: SessionState, targets: Channel[], now: number): boolean {
  return sessionChannels(state).some((c) => !targets.includes(c) && codeUsable(channel(state, c), now));
}

/** Records the end of one channel's delivery. Results for an older issue are ignored. */
export function recordDelivery(
  state: SessionState,
  name: Channel,
  issue: number,
  outcome: DeliveryOutcome,
  now: number,
): SessionState {
  const ch = channel(state, name);
  if (ch.issue !== issue || ch.delivery !== 'queued') return state;
  const channels = { ...state.channels };
  if (outcome.ok) {
    // A session that ended while the code was in flight keeps no usable code.
    const usable = !isTerminal(state.status) && state.status !== 'locked' && !ch.invalidated;
    const { earlyReceipt, ...sent } = ch;
    channels[name] = {
      ...sent,
      delivery: state.start.sandbox ? 'sandbox' : 'sent',
      codeHash: usable ? outcome.codeHash : null,
      sandboxCode: outcome.sandboxCode,
      ...(outcome.providerMessageId ? { providerMessageId: outcome.providerMessageId } : {}),
    };
    const next = withEvent({ ...state, channels }, 'sent', now, {
      channels: [name],
      locale: state.start.locale,
    });
    return earlyReceipt ? applyReceipt(next, earlyReceipt, now) : next;
  }
  channels[name] = { ...ch, delivery: 'failed', codeHash: null };
  let next = withEvent({ ...state, channels }, 'delivery_failed', now, {
    channels: [name],
    reason: outcome.reason,
  });
  const everyChannelFailed = sessionChannels(next).every((c) => channel(next, c).delivery === 'failed');
  if (everyChannelFailed && !isTerminal(next.status)) {
    next = withEvent({ ...next, status: 'failed' }, 'failed', now);
  }
  return next;
}

/** True while any of `names` is still being delivered (verify waits for their hashes). */
export function deliveryInFlight(state: SessionState, names: Channel[]): boolean {
  return names.some((c) => channel(state, c).delivery === 'queued');
}

export function checkCancel(state: SessionState, now: number): void {
  const current = advanceClock(state, now);
  if (current.status === 'locked') return;
  assertOpen(current, now);
}

export function cancel(state: SessionState, now: number): SessionState {
  const current = advanceClock(state, now);
  return withEvent(
    { ...current, status: 'cancelled', lockedUntil: null, channels: dropCodes(current) },
    'cancelled',
    now,
  );
}

export function sandboxCodes(state: SessionState, names: Channel[]): SandboxCodes | undefined {
  if (!state.start.sandbox) return undefined;
  const codes: SandboxCodes = {};
  for (const name of names) {
    const code = channel(state, name).sandboxCode;
    if (code) codes[name] = code;
  }
  return codes;
}

export function toView(state: SessionState): SessionView {
  const required = new Set(requiredChannels(state));
  const channels: SessionView['channels'] = {};
  for (const name of sessionChannels(state)) {
    const ch = channel(state, name);
    channels[name] = {
      recipient: ch.recipient,
      delivery: ch.delivery,
      verified: ch.verifiedAt !== null,
      verified_at: ch.verifiedAt === null ? null : iso(ch.verifiedAt),
      required: state.start.verification.mode === 'any' ? false : required.has(name),
      code_expires_at:
        ch.verifiedAt === null && ch.codeExpiresAt !== undefined ? iso(ch.codeExpiresAt) : null,
      ...(!state.start.sandbox && isTestRecipient(state.start.tenant_policy, ch.recipient)
        ? { test_recipient: true as const }
        : {}),
      ...(isPhoneChannel(name) ? state.start.phones?.[name] : undefined),
    };
  }
  const { config } = state.start;
  const resendsRemaining = Math.max(0, config.max_resends - state.resendsUsed);
  const open = !isTerminal(state.status);
  // While locked, a resend waits for the end of the lockout (never, when locked until expiry).
  const resendAt =
    state.status !== 'locked'
      ? state.resendCooldownEndsAt
      : state.lockedUntil === null || state.lockedUntil >= state.expiresAt
        ? null
        : Math.max(state.resendCooldownEndsAt, state.lockedUntil);
  // A resend need not extend the session, so its next cooldown may end after the expiry; a resend
  // the session will not live to accept is not offered.
  const offeredResendAt = resendAt !== null && resendAt >= state.expiresAt ? null : resendAt;
  return {
    session_id: state.start.session_id,
    tenant_id: state.start.tenant_id,
    status: state.status,
    sandbox: state.start.sandbox,
    key_mode: state.start.key_mode,
    locale: state.start.locale,
    channels,
    verification: state.start.verification,
    verified_channels: verifiedChannels(state),
    pending_channels: state.status === 'verified' ? [] : pendingChannels(state),
    attempts: { failed: state.failedAttempts, max: config.max_attempts, remaining: attemptsRemaining(state) },
    resends: {
      used: state.resendsUsed,
      max: config.max_resends,
      remaining: resendsRemaining,
      next_resend_at: open && resendsRemaining > 0 && offeredResendAt !== null ? iso(offeredResendAt) : null,
    },
    config,
    created_at: iso(state.createdAt),
    expires_at: iso(state.expiresAt),
    locked_until: state.lockedUntil === null ? null : iso(state.lockedUntil),
    metadata: state.start.metadata,
    events: state.events,
    cost: sessionCost(state),
    ...(state.start.fallback
      ? {
          fallback: {
            ...state.start.fallback,
            next_fallback_at: fallbackTime(state) === null ? null : iso(fallbackTime(state)!),
          },
        }
      : {}),
  };
}

/** Every message the session sent is in its timeline (created, resent, fallback): cost is derived from it. */
function sessionCost(state: SessionState): number {
  if (state.start.sandbox) return 0;
  return state.events
    .filter((e) => e.type === 'created' || e.type === 'resent' || e.type === 'fallback')
    .flatMap((e) => e.channels ?? [])
    .reduce((sum, c) => sum + CHANNEL_PRICES[c], 0);
}

// Delivery receipts (SPEC §9).

/**
 * Applies a provider's receipt for one channel's message: its delivery becomes `delivered` or
 * `undelivered`. A receipt for another issue, another message id, or a delivery already settled
 * by an earlier receipt changes nothing; one that overtakes the delivery's own result waits for it.
 */
export function applyReceipt(state: SessionState, receipt: ProviderReceipt, now: number): SessionState {
  const ch = state.channels[receipt.channel];
  if (!ch || ch.issue !== receipt.issue) return state;
  if (ch.delivery === 'queued') {
    return ch.earlyReceipt
      ? state
      : { ...state, channels: { ...state.channels, [receipt.channel]: { ...ch, earlyReceipt: receipt } } };
  }
  if (ch.delivery !== 'sent') return state;
  if (ch.providerMessageId !== undefined && ch.providerMessageId !== receipt.message_id) return state;
  const channels = { ...state.channels, [receipt.channel]: { ...ch, delivery: receipt.status } };
  return withEvent({ ...state, channels }, receipt.status, now, {
    channels: [receipt.channel],
    ...(receipt.error_code ? { reason: `provider error ${receipt.error_code}` } : {}),
  });
}

// Fallback chains (SPEC §9).

export type FallbackReason = 'delivery_failed' | 'undelivered' | 'not_verified';

/** When time alone moves the chain on: never while locked or once ended, nor with no channel left. */
function fallbackTime(state: SessionState): number | null {
  const chain = state.fallback;
  if (!chain || chain.nextAt === null || isTerminal(state.status) || state.status === 'locked') return null;
  return chain.nextAt;
}

/** The chain's next channel: the first one it has not reached. */
export function nextFallbackChannel(state: SessionState): Channel | undefined {
  return sessionChannels(state).find((c) => channel(state, c).delivery === 'waiting');
}

/** `after_seconds` passed on the current channel without verification. */
export function fallbackDue(state: SessionState, now: number): boolean {
  const at = fallbackTime(state);
  return at !== null && now >= at;
}

/**
 * Whether what happened to `from` (its delivery failed, was reported undelivered, or was not
 * verified in time) moves the chain on: only the channel reached last does, while the session is
 * open and a channel is left.
 */
export function fallsBackFrom(state: SessionState, from: Channel): boolean {
  return (
    state.fallback?.current === from &&
    !isTerminal(state.status) &&
    state.status !== 'locked' &&
    nextFallbackChannel(state) !== undefined
  );
}

function restartFallbackTimer(state: SessionState, now: number): FallbackState {
  const chain = state.fallback!;
  const left = nextFallbackChannel(state) !== undefined;
  return { ...chain, nextAt: left ? now + state.start.fallback!.after_seconds * 1000 : null };
}

/** The chain reaches `to`: a new code for it (paid for and admitted by the caller beforehand). */
export function beginFallback(
  state: SessionState,
  to: Channel,
  reason: FallbackReason,
  now: number,
): SessionState {
  const current = advanceClock(state, now);
  const codeExpiresAt = now + current.start.config.expiry_minutes * MINUTE;
  const channels = {
    ...current.channels,
    [to]: {
      ...channel(current, to),
      delivery: 'queued' as const,
      codeHash: null,
      issue: current.issue,
      invalidated: false,
      codeExpiresAt,
    },
  };
  const reached: SessionState = {
    ...current,
    channels,
    failedAttempts: keepsOtherCode(current, [to], now) ? current.failedAttempts : 0,
    expiresAt: Math.max(current.expiresAt, codeExpiresAt),
    fallback: { current: to, nextAt: null },
  };
  return withEvent({ ...reached, fallback: restartFallbackTimer(reached, now) }, 'fallback', now, {
    channels: [to],
    reason,
  });
}

/**
 * The chain could not reach `to` (its recipient's send limit, the tenant's credits): that channel
 * is given up, and the session fails when no channel is left with a code.
 */
export function refuseFallback(state: SessionState, to: Channel, reason: string, now: number): SessionState {
  const channels = { ...state.channels, [to]: { ...channel(state, to), delivery: 'failed' as const } };
  let next = withEvent({ ...state, channels }, 'fallback_refused', now, { channels: [to], reason });
  if (nextFallbackChannel(next) === undefined)
    next = { ...next, fallback: { ...next.fallback!, nextAt: null } };
  if (
    !isTerminal(next.status) &&
    sessionChannels(next).every((c) => channel(next, c).delivery === 'failed')
  ) {
    next = withEvent({ ...next, status: 'failed' }, 'failed', now);
  }
  return next;
}

// Webhooks (SPEC §9).

export interface WebhookEvent {
  /** Stable per event: the session and the event's place in its timeline. */
  id: string;
  type: WebhookEventType;
  /** When it happened (the timeline's time). */
  at: string;
  channel?: Channel;
}

const SESSION_ENDINGS: Partial<Record<TimelineEventType, WebhookEventType>> = {
  locked: 'session.locked',
  expired: 'session.expired',
  cancelled: 'session.cancelled',
  failed: 'session.failed',
  delivery_failed: 'delivery.failed',
  undelivered: 'delivery.failed',
  delivered: 'delivery.delivered',
};

/** The webhook events a transition from `before` to `after` produced, in timeline order. */
export function webhookEvents(before: SessionState, after: SessionState): WebhookEvent[] {
  const found: WebhookEvent[] = [];
  const lastVerified = after.events.map((e) => e.type).lastIndexOf('verified');
  for (let index = before.events.length; index < after.events.length; index++) {
    const event = after.events[index]!;
    const type =
      event.type === 'verified'
        ? after.status === 'verified' && index === lastVerified
          ? 'session.verified'
          : undefined
        : SESSION_ENDINGS[event.type];
    if (!type) continue;
    found.push({
      id: `msg_${after.start.session_id.replace(/^ses_/, '')}_${index}`,
      type,
      at: event.at,
      ...(type.startsWith('delivery.') && event.channels ? { channel: event.channels[0] } : {}),
    });
  }
  return found;
}

export interface WebhookOutcome {
  event: WebhookEvent;
  url: string;
  attempts: number;
  /** Why the last attempt failed, when the endpoint never took the event. */
  failure?: string;
}

/** A webhook was taken by its endpoint, or given up on: either way it is in the timeline. */
/**
 * The host (and port, if any) of an endpoint: what a timeline shows of it. Its path and query
 * may carry the receiver's secrets, and timelines are read by anyone holding an API key.
 */
export function webhookHost(url: string): string {
  const match = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/i.exec(url);
  return match ? match[1].toLowerCase() : '';
}

export function recordWebhook(state: SessionState, outcome: WebhookOutcome, now: number): SessionState {
  const webhook = {
    id: outcome.event.id,
    event: outcome.event.type,
    host: webhookHost(outcome.url),
    attempts: outcome.attempts,
  };
  return outcome.failure === undefined
    ? withEvent(state, 'webhook_sent', now, { webhook })
    : withEvent(state, 'webhook_failed', now, { webhook, reason: outcome.failure });
}

// Insights (SPEC §11).

/**
 * Which key mode's insights count a session: live keys see live traffic only, so a live key's
 * sandbox_mode session counts with the sandbox traffic of test keys, never in a live counter.
 */
const insightMode = (start: SessionStart): KeyMode => (start.sandbox ? 'test' : 'live');

const purposeOf = (start: SessionStart): string | undefined =>
  typeof start.metadata.purpose === 'string' ? start.metadata.purpose : undefined;

/** What the insights count one message of the session under. */
export function messageInsight(start: SessionStart, to: Channel): MessageInsight {
  const purpose = purposeOf(start);
  const country = isPhoneChannel(to) ? start.phones?.[to]?.country : undefined;
  return {
    tenant_id: start.tenant_id,
    key_mode: insightMode(start),
    ...(purpose === undefined ? {} : { purpose }),
    ...(country === undefined ? {} : { country }),
  };
}

/** What the insights count the session under once verified: every channel a code went to. */
export function sessionInsight(state: SessionState): SessionInsight {
  const purpose = purposeOf(state.start);
  const channels = sessionChannels(state).filter((c) => channel(state, c).delivery !== 'waiting');
  const countries = channels
    .map((c) => (isPhoneChannel(c) ? state.start.phones?.[c]?.country : undefined))
    .filter((country): country is string => country !== undefined);
  return {
    key_mode: insightMode(state.start),
    ...(purpose === undefined ? {} : { purpose }),
    channels,
    countries: [...new Set(countries)],
  };
}

// Test recipients (SPEC §12).

/** One spelling per address: emails trimmed and lower-cased, phone numbers as given (E.164). */
export const normalizeRecipient = (recipient: string): string =>
  recipient.includes('@') ? recipient.trim().toLowerCase() : recipient.trim();

/** Whether a live message to `recipient` goes to one of the tenant's test recipients instead. */
export function isTestRecipient(policy: TenantPolicy | undefined, recipient: string | undefined): boolean {
  return !!recipient && !!policy?.test_recipients?.includes(normalizeRecipient(recipient));
}
