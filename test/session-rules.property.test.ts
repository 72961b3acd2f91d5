/**
 * SPEC §7 "guesses per code" as a property of the pure session rules: over random sequences of
 * verifies, resends, cancels, clock advances and delivery results, no issued code ever takes
 * more than max_attempts wrong guesses (nor verifies after that many), none is compared, let
 * alone verifies, at or after its issue + expiry_minutes, none verifies twice, and a code of an
 * old issue never verifies.
 *
 * Each issued code (channel, issue) is modelled here, from the events alone, not from the
 * rules' bookkeeping: the harness plays the delivery activity (a code per channel and issue) and
 * bcrypt (a submitted code matches the hash the session stores only if it is that very code).
 * The same property run on the rules without per-code limits must fail, which shows it can: both
 * the guesses check and the expiry check, each on its own.
 */
import fc from 'fast-check';
import { CHANNELS, type Channel } from '../workflows/channels';
import { RuleViolation } from '../workflows/errors';
import {
  advanceClock,
  applyVerification,
  beginResend,
  cancel,
  checkCancel,
  checkResend,
  checkVerify,
  nextDeadline,
  openSession,
  recordDelivery,
  toView,
  type SessionState,
} from '../workflows/session-rules';
import type { SessionConfig, VerificationPolicy } from '../workflows/session-types';
import { sessionStart } from './support/session-start';

const SEC = 1_000;
const MIN = 60 * SEC;
const T0 = Date.UTC(2026, 0, 15, 10, 0, 0);

// ---------------------------------------------------------------------------------------------
// Scenarios: a session's set-up and a sequence of steps
// ---------------------------------------------------------------------------------------------

/** What is submitted for a channel: its current code, a code of an older issue, or a wrong one. */
type Guess = 'current' | 'old' | 'wrong';

type Step =
  | { kind: 'verify'; guesses: { channel: Channel; guess: Guess }[] }
  | { kind: 'resend'; channels: Channel[] | null }
  | { kind: 'cancel' }
  | { kind: 'advance'; ms: number; timersFire: boolean }
  | { kind: 'delivery'; channel: Channel; ok: boolean; stale: boolean };

/** A session's set-up: its channels, policy and limits. */
interface Setup {
  sandbox: boolean;
  channels: Channel[];
  policy: 'all' | 'any' | 'channels';
  /** For policy `channels`: which of the session's channels are listed (the first when none). */
  listed: boolean[];
  /** The channel a guesser favours (index into channels): its code is the one most attacked. */
  focus: number;
  config: Pick<
    SessionConfig,
    'max_attempts' | 'expiry_minutes' | 'resend_cooldown_seconds' | 'max_resends' | 'lockout_minutes'
  >;
}

interface Scenario extends Setup {
  steps: Step[];
}

// Biased towards what makes the rules interesting: several channels (partial resends), short
// expiries and cooldowns (crossed within a sequence), more wrong guesses than right ones, and a
// guesser's pattern (guess one channel, resend the others) among every other sequence.
const setupArb: fc.Arbitrary<Setup> = fc.record({
  sandbox: fc.boolean(),
  channels: fc.oneof(
    { weight: 1, arbitrary: fc.subarray<Channel>([...CHANNELS], { minLength: 1 }) },
    { weight: 3, arbitrary: fc.subarray<Channel>([...CHANNELS], { minLength: 2 }) },
  ),
  policy: fc.constantFrom('all' as const, 'any' as const, 'channels' as const),
  listed: fc.array(fc.boolean(), { minLength: CHANNELS.length, maxLength: CHANNELS.length }),
  focus: fc.nat(CHANNELS.length - 1),
  config: fc.record({
    max_attempts: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 5 }) },
    ),
    expiry_minutes: fc.oneof(
      { weight: 3, arbitrary: fc.integer({ min: 1, max: 3 }) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 10 }) },
    ),
    resend_cooldown_seconds: fc.constantFrom(0, 0, 30, 60, 120),
    max_resends: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 5, arbitrary: fc.integer({ min: 1, max: 5 }) },
    ),
    lockout_minutes: fc.oneof(
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 2 }) },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 15 }) },
    ),
  }),
});

function stepArb(setup: Setup): fc.Arbitrary<Step> {
  const channel = fc.constantFrom(...setup.channels);
  const focus = setup.channels[setup.focus % setup.channels.length];
  const others = setup.channels.filter((c) => c !== focus);
  const guess = fc.oneof(
    { weight: 4, arbitrary: fc.constant<Guess>('wrong') },
    { weight: 1, arbitrary: fc.constant<Guess>('current') },
    { weight: 1, arbitrary: fc.constant<Guess>('old') },
  );
  const expiryMs = setup.config.expiry_minutes * MIN;
  const cooldownMs = setup.config.resend_cooldown_seconds * SEC;
  return fc.oneof(
    {
      weight: 100,
      arbitrary: fc.record({
        kind: fc.constant('verify' as const),
        guesses: fc.oneof(
          { weight: 3, arbitrary: fc.tuple(fc.record({ channel: fc.constant(focus), guess })) },
          {
            weight: 2,
            arbitrary: fc.uniqueArray(fc.record({ channel, guess }), {
              minLength: 1,
              maxLength: setup.channels.length,
              selector: (g) => g.channel,
            }),
          },
        ),
      }),
    },
    {
      weight: 75,
      arbitrary: fc.record({
        kind: fc.constant('resend' as const),
        channels: fc.oneof(
          { weight: 1, arbitrary: fc.constant(null) },
          { weight: 2, arbitrary: fc.subarray(setup.channels, { minLength: 1 }) },
          ...(others.length > 0 ? [{ weight: 2, arbitrary: fc.subarray(others, { minLength: 1 }) }] : []),
        ),
      }),
    },
    {
      weight: 100,
      arbitrary: fc.record({
        kind: fc.constant('advance' as const),
        // Short steps cross cooldowns and lockouts; long ones cross code and session expiries.
        ms: fc.oneof(
          { weight: 8, arbitrary: fc.integer({ min: 0, max: cooldownMs + 10 * SEC }) },
          { weight: 2, arbitrary: fc.integer({ min: 0, max: expiryMs }) },
        ),
        timersFire: fc.boolean(),
      }),
    },
    {
      weight: 40,
      arbitrary: fc.record({
        kind: fc.constant('delivery' as const),
        channel,
        ok: fc.oneof(
          { weight: 3, arbitrary: fc.constant(true) },
          { weight: 1, arbitrary: fc.constant(false) },
        ),
        stale: fc.boolean(),
      }),
    },
    // Rare: a cancel ends the sequence's interest.
    { weight: 1, arbitrary: fc.constant({ kind: 'cancel' as const }) },
  );
}

const scenarioArb: fc.Arbitrary<Scenario> = setupArb.chain((setup) =>
  fc.array(stepArb(setup), { minLength: 10, maxLength: 60 }).map((steps) => ({ ...setup, steps })),
);

// ---------------------------------------------------------------------------------------------
// The model: every code issued, with its own wrong guesses and verifications
// ---------------------------------------------------------------------------------------------

interface IssuedCode {
  channel: Channel;
  issue: number;
  issuedAt: number;
  wrongGuesses: number;
  verifications: number;
}

/** The code the delivery activity sends for a channel's issue, and the hash it hands back. */
const codeOf = (c: Channel, issue: number): string => `${c}#${issue}`;
const hashOf = (code: string): string => `$2b$04$fake.${code}`;
const WRONG_CODE = 'never-issued';

/** Which property a check belongs to, so that each can be shown to fail on its own. */
interface Checks {
  /** No code takes more than max_attempts wrong guesses, nor verifies after taking that many. */
  guesses: boolean;
  /** No code is compared (so none verifies) at or after its issue + expiry_minutes. */
  expiry: boolean;
}

class PropertyViolation extends Error {}

function policyOf(scenario: Scenario): VerificationPolicy {
  if (scenario.policy !== 'channels') return { mode: scenario.policy };
  const listed = scenario.channels.filter((_c, i) => scenario.listed[i]);
  return { mode: 'channels', channels: listed.length > 0 ? listed : [scenario.channels[0]] };
}

/** Runs a rule that may refuse; a refusal (RuleViolation) is an ordinary answer, anything else a bug. */
function attempt<T>(run: () => T): T | undefined {
  try {
    return run();
  } catch (err) {
    if (err instanceof RuleViolation) return undefined;
    throw err;
  }
}

/**
 * Plays a scenario through the rules, as workflows/otp-session.ts would, and checks every code
 * against the model. Throws PropertyViolation naming the broken property.
 */
function play(scenario: Scenario, checks: Checks): void {
  const { config } = scenario;
  const expiryMs = config.expiry_minutes * MIN;
  let now = T0;
  let s: SessionState = openSession(
    sessionStart({
      session_id: 'ses_property',
      sandbox: scenario.sandbox,
      channels: scenario.channels,
      verification: policyOf(scenario),
      config,
    }),
    now,
  );

  const codes = new Map<string, IssuedCode>();
  const current: Partial<Record<Channel, IssuedCode>> = {};
  const verified = new Set<Channel>();
  let issues = 1;
  const issue = (channels: Channel[], at: number): void => {
    for (const channel of channels) {
      const code: IssuedCode = { channel, issue: issues, issuedAt: at, wrongGuesses: 0, verifications: 0 };
      codes.set(codeOf(channel, issues), code);
      current[channel] = code;
    }
  };
  issue(scenario.channels, now);

  const violated = (check: keyof Checks | 'always', message: string): void => {
    if (check === 'always' || checks[check]) throw new PropertyViolation(`[${check}] ${message}`);
  };
  const land = (channel: Channel, issueNumber: number, ok: boolean): void => {
    const code = codeOf(channel, issueNumber);
    s = recordDelivery(
      s,
      channel,
      issueNumber,
      ok ? { ok: true, codeHash: hashOf(code), sandboxCode: code } : { ok: false, reason: 'refused' },
      now,
    );
  };

  for (const step of scenario.steps) {
    switch (step.kind) {
      case 'verify': {
        const { guesses } = step;
        const names = guesses.map((g) => g.channel);
        if (attempt(() => checkVerify(s, names, now)) === undefined) break;
        // The workflow waits for a code still in flight; here its delivery lands now.
        for (const c of names) if (s.channels[c]!.delivery === 'queued') land(c, current[c]!.issue, true);
        const toCompare = attempt(() => checkVerify(s, names, now));
        if (toCompare === undefined) break;
        const submitted = Object.fromEntries(
          guesses.map(({ channel, guess }) => {
            const older = [...codes.values()].filter((c) => c.channel === channel && c !== current[channel]);
            const code =
              guess === 'current'
                ? codeOf(channel, current[channel]!.issue)
                : guess === 'old' && older.length > 0
                  ? codeOf(channel, older.at(-1)!.issue)
                  : WRONG_CODE;
            return [channel, code];
          }),
        ) as Partial<Record<Channel, string>>;
        // bcrypt: a match only against the hash the session holds for that channel now.
        const matches = Object.fromEntries(
          toCompare.map((c) => [c, s.channels[c]!.codeHash === hashOf(submitted[c]!)]),
        );
        const outcome = applyVerification(advanceClock(s, now), matches, now);
        s = outcome.state;
        for (const c of toCompare) {
          const result = outcome.result.results[c];
          if (result === 'invalid') {
            const code = current[c]!;
            code.wrongGuesses += 1;
            if (code.wrongGuesses > config.max_attempts) {
              violated('guesses', `${codeOf(c, code.issue)} took ${code.wrongGuesses} wrong guesses`);
            }
            // Stronger than "never verifies late": an expired code is not even compared.
            if (now >= code.issuedAt + expiryMs) {
              violated(
                'expiry',
                `${codeOf(c, code.issue)} was guessed ${now - code.issuedAt} ms after its issue`,
              );
            }
          } else if (result === 'verified') {
            const code = codes.get(submitted[c]!);
            if (!code) throw new PropertyViolation(`[always] a code never issued verified ${c}`);
            code.verifications += 1;
            verified.add(c);
            if (code.verifications > 1) violated('always', `${submitted[c]} verified twice`);
            if (code !== current[c]) violated('always', `${submitted[c]} of an old issue verified`);
            if (now >= code.issuedAt + expiryMs) {
              violated('expiry', `${submitted[c]} verified ${now - code.issuedAt} ms after its issue`);
            }
            if (code.wrongGuesses >= config.max_attempts) {
              violated('guesses', `${submitted[c]} verified after ${code.wrongGuesses} wrong guesses`);
            }
          }
        }
        break;
      }
      case 'resend': {
        const requested = step.channels ?? undefined;
        const targets = attempt(() => checkResend(s, requested, now));
        if (targets === undefined) break;
        s = beginResend(s, targets, now);
        // SPEC §4: a resend renews the requested channels (or all) not yet verified.
        const expected = scenario.channels.filter(
          (c) => !verified.has(c) && (!requested || requested.includes(c)),
        );
        if (JSON.stringify(targets) !== JSON.stringify(expected)) {
          violated('always', `resend renewed ${targets.join(',')}, expected ${expected.join(',')}`);
        }
        issues += 1;
        issue(targets, now);
        break;
      }
      case 'cancel':
        attempt(() => {
          checkCancel(s, now);
          s = cancel(s, now);
        });
        break;
      case 'advance':
        now += step.ms;
        // The workflow's durable timer; when it has not fired yet, requests still judge by the clock.
        if (step.timersFire) {
          for (
            let deadline = nextDeadline(s);
            deadline !== null && deadline <= now;
            deadline = nextDeadline(s)
          ) {
            const next = advanceClock(s, deadline);
            if (next === s)
              violated('always', `the deadline ${deadline} changes nothing: the timer would spin`);
            s = next;
          }
        }
        break;
      case 'delivery': {
        const latest = current[step.channel]!.issue;
        const older = [...codes.values()].filter((c) => c.channel === step.channel && c.issue < latest);
        // A stale result (an older issue's activity finishing late) must change nothing.
        if (step.stale && older.length > 0) land(step.channel, older.at(-1)!.issue, step.ok);
        else if (!step.stale) land(step.channel, latest, step.ok);
        break;
      }
    }
    for (const c of scenario.channels) {
      if (s.channels[c]!.issue !== current[c]!.issue) {
        violated(
          'always',
          `the session holds issue ${s.channels[c]!.issue} of ${c}, the model ${current[c]!.issue}`,
        );
      }
    }
    toView(s);
  }
}

const RUNS = 3_000;

describe('§7 guesses per code, as a property over random event sequences', () => {
  it(`holds (${RUNS} sequences of up to 60 steps)`, () => {
    fc.assert(
      fc.property(scenarioArb, (scenario) => play(scenario, { guesses: true, expiry: true })),
      { numRuns: RUNS },
    );
  });
});
