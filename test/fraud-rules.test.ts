/**
 * The fraud defence's pure rules (src/fraud/rules.ts) and the tenants file's `fraud` section
 * (src/fraud/policy.ts), SPEC §11: unit tests on a fake clock, and properties with fast-check
 * (escalation, sliding windows against a brute-force count, safe list, refusals never counted).
 */
import fc from 'fast-check';
import { DEFAULT_FRAUD_POLICY, fraudPolicySchema, resolveFraudPolicy } from '../src/fraud/policy';
import {
  decide,
  ESCALATION_MS,
  HOUR_MS,
  isSafe,
  MINUTE_MS,
  minuteOf,
  nextBlock,
  rangeCapRetryAfter,
  rangeOf,
  staticRefusal,
  trips,
  windowTotals,
  type StoredBlock,
  type TargetState,
  type WindowStats,
} from '../src/fraud/rules';
import type { PhoneTarget } from '../src/fraud/store';
import type { FraudPolicy } from '../workflows/session-types';

/** A fake clock on a minute boundary, far from the epoch. */
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % MINUTE_MS);
const policy = (change: Partial<FraudPolicy> = {}): FraudPolicy => ({ ...DEFAULT_FRAUD_POLICY, ...change });

describe('policy', () => {
  it('an absent section is the SPEC defaults', () => {
    expect(resolveFraudPolicy(undefined)).toEqual(DEFAULT_FRAUD_POLICY);
    expect(resolveFraudPolicy(fraudPolicySchema.parse({}))).toEqual(DEFAULT_FRAUD_POLICY);
  });

  it('fills defaults field by field, deep', () => {
    const resolved = resolveFraudPolicy(
      fraudPolicySchema.parse({
        number_types: { sms: ['MOBILE'] },
        countries: { whatsapp: { deny: ['XX'] } },
        detector: { min_sends: { range: 3 }, block_minutes: { first: 1 } },
      }),
    );
    expect(resolved.number_types).toEqual({
      sms: ['MOBILE'],
      whatsapp: ['MOBILE', 'FIXED_LINE_OR_MOBILE'],
      // SPEC §12: a call reaches landlines too.
      voice: ['MOBILE', 'FIXED_LINE_OR_MOBILE', 'FIXED_LINE'],
    });
    expect(resolved.countries).toEqual({ whatsapp: { deny: ['XX'] } });
    expect(resolved.detector).toEqual({
      window_minutes: 60,
      min_sends: { range: 3, country: 100 },
      min_conversion: 0.2,
      block_minutes: { first: 1, max: 720 },
    });
    expect(resolved.range_digits).toBe(4);
    expect(resolved.range_sends_per_hour).toBe(30);
  });

  it("never hands out the defaults' own arrays", () => {
    resolveFraudPolicy(undefined).number_types.sms.push('VOIP');
    expect(DEFAULT_FRAUD_POLICY.number_types.sms).toEqual(['MOBILE', 'FIXED_LINE_OR_MOBILE']);
  });

  it('accepts the example of SPEC §11', () => {
    const example = {
      number_types: { sms: ['MOBILE', 'FIXED_LINE_OR_MOBILE'] },
      countries: { sms: { allow: ['US', 'GB'] }, whatsapp: { deny: ['XX'] } },
      safe_list: ['+14155550100', '+1415555'],
      range_digits: 4,
      range_sends_per_hour: 30,
      detector: {
        window_minutes: 60,
        min_sends: { range: 15, country: 100 },
        min_conversion: 0.2,
        block_minutes: { first: 5, max: 720 },
      },
    };
    expect(fraudPolicySchema.safeParse(example).success).toBe(true);
  });

  it.each([
    ['an unknown key', { detector: { min_send: { range: 3 } } }, ['detector']],
    ['an unknown channel', { number_types: { email: ['MOBILE'] } }, ['number_types']],
    ['an unknown number type', { number_types: { sms: ['MOBILE', 'LANDLINE'] } }, ['number_types', 'sms', 1]],
    ['a lower-case country', { countries: { sms: { allow: ['us'] } } }, ['countries', 'sms']],
    ['allow and deny at once', { countries: { sms: { allow: ['US'], deny: ['GB'] } } }, ['countries', 'sms']],
    ['a safe-list entry without +', { safe_list: ['14155550100'] }, ['safe_list', 0]],
    ['a safe-list entry too long', { safe_list: ['+1234567890123456'] }, ['safe_list', 0]],
    ['range_digits 0', { range_digits: 0 }, ['range_digits']],
    ['range_digits 9', { range_digits: 9 }, ['range_digits']],
    ['a conversion above 1', { detector: { min_conversion: 1.5 } }, ['detector', 'min_conversion']],
    [
      'first above max',
      { detector: { block_minutes: { first: 10, max: 5 } } },
      ['detector', 'block_minutes'],
    ],
  ])('refuses %s, naming its path', (_, raw, where) => {
    const parsed = fraudPolicySchema.safeParse(raw);
    expect(parsed.success).toBe(false);
    expect(parsed.error!.issues.map((i) => i.path.slice(0, where.length))).toContainEqual(where);
  });
});

describe('rules', () => {
  it('a range is the E.164 form without its last digits', () => {
    expect(rangeOf('+14155550100', 4)).toBe('+1415555');
    expect(rangeOf('+14155550100', 1)).toBe('+1415555010');
    expect(rangeOf('+44', 8)).toBe('+');
  });

  it('safe: equal to an entry or under a prefix entry', () => {
    const list = ['+14155550100', '+4420'];
    expect(isSafe('+14155550100', list)).toBe(true);
    expect(isSafe('+442071234567', list)).toBe(true);
    expect(isSafe('+14155550101', list)).toBe(false);
    expect(isSafe('+14155550100', [])).toBe(false);
  });

  it('static refusals: number type, then allow and deny lists', () => {
    const p = policy({ countries: { sms: { allow: ['US'] }, whatsapp: { deny: ['GB'] } } });
    expect(staticRefusal(p, 'sms', { country: 'US', number_type: 'PREMIUM_RATE' })).toBe('number_type');
    expect(staticRefusal(p, 'sms', { country: 'US', number_type: 'MOBILE' })).toBeUndefined();
    expect(staticRefusal(p, 'sms', { country: 'GB', number_type: 'MOBILE' })).toBe('country');
    expect(staticRefusal(p, 'sms', { number_type: 'FIXED_LINE_OR_MOBILE' })).toBe('country');
    expect(staticRefusal(p, 'whatsapp', { country: 'GB', number_type: 'MOBILE' })).toBe('country');
    expect(staticRefusal(p, 'whatsapp', { country: 'US', number_type: 'MOBILE' })).toBeUndefined();
    expect(staticRefusal(p, 'whatsapp', { number_type: 'MOBILE' })).toBeUndefined();
    expect(staticRefusal(policy(), 'sms', { country: 'KP', number_type: 'MOBILE' })).toBeUndefined();
  });

  it('window totals: the last windowMinutes minutes, the current one included', () => {
    const m = minuteOf(T0);
    const buckets = new Map<number, WindowStats>([
      [m, { sends: 1, verified: 1 }],
      [m - 59, { sends: 2, verified: 0 }],
      [m - 60, { sends: 4, verified: 0 }],
      [m + 1, { sends: 8, verified: 0 }],
    ]);
    expect(windowTotals(buckets, T0 + 59_999, 60)).toEqual({ sends: 3, verified: 1 });
    expect(windowTotals(Object.fromEntries(buckets), T0, 1)).toEqual({ sends: 1, verified: 1 });
  });

  it('trips at min_sends with conversion under the threshold', () => {
    expect(trips({ sends: 14, verified: 0 }, 15, 0.2)).toBe(false);
    expect(trips({ sends: 15, verified: 2 }, 15, 0.2)).toBe(true);
    expect(trips({ sends: 15, verified: 3 }, 15, 0.2)).toBe(false);
    expect(trips({ sends: 0, verified: 0 }, 1, 0.2)).toBe(false);
  });

  it('blocks: 5 min, doubling within 24 h of the previous start, capped, reset after 24 h', () => {
    const minutes = { first: 5, max: 720 };
    const first = nextBlock(undefined, T0, minutes);
    expect(first).toEqual({ until: T0 + 5 * MINUTE_MS, count: 1 });
    const second = nextBlock({ count: 1, at: T0 }, T0 + HOUR_MS, minutes);
    expect(second).toEqual({ until: T0 + HOUR_MS + 10 * MINUTE_MS, count: 2 });
    expect(nextBlock({ count: 9, at: T0 }, T0 + HOUR_MS, minutes)).toEqual({
      until: T0 + HOUR_MS + 720 * MINUTE_MS,
      count: 10,
    });
    expect(nextBlock({ count: 5, at: T0 }, T0 + ESCALATION_MS, minutes)).toEqual({
      until: T0 + ESCALATION_MS + 5 * MINUTE_MS,
      count: 1,
    });
  });

  it('range cap: retry when enough of the oldest minutes have left the hour', () => {
    const m = minuteOf(T0);
    const buckets = new Map([
      [m - 50, { sends: 10, verified: 0 }],
      [m - 20, { sends: 10, verified: 0 }],
      [m, { sends: 10, verified: 0 }],
    ]);
    expect(rangeCapRetryAfter(buckets, T0, 31)).toBeUndefined();
    // 30 reached: the oldest 10 leave at minute m + 10.
    expect(rangeCapRetryAfter(buckets, T0, 30)).toBe(600);
    expect(rangeCapRetryAfter(buckets, T0 + 30_000, 30)).toBe(570);
    // 20: both older buckets must leave, at minute m + 40.
    expect(rangeCapRetryAfter(buckets, T0, 20)).toBe(2400);
  });
});

const target = (e164 = '+14155550123', ...country: [string?]): PhoneTarget => {
  const code = country.length === 0 ? 'US' : country[0];
  return { channel: 'sms', e164, ...(code !== undefined && { country: code }) };
};

function state(change: Partial<TargetState> = {}): TargetState {
  return {
    target: target(),
    range: '+1415555',
    safe: false,
    rangeWindow: { sends: 0, verified: 0 },
    rangeHour: new Map(),
    countryWindow: { sends: 0, verified: 0 },
    ...change,
  };
}

describe('decide', () => {
  const p = policy();

  it('admits a clean target, and only then counts', () => {
    expect(decide(p, [state()], T0)).toEqual({ verdict: { admitted: true }, count: true });
  });

  it('a block in force refuses until its end; the later of range and country', () => {
    const rangeBlock: StoredBlock = { until: T0 + 90_500, count: 1, at: T0 - 1 };
    const countryBlock: StoredBlock = { until: T0 + 200_000, count: 1, at: T0 - 1 };
    expect(decide(p, [state({ rangeBlock })], T0).verdict).toEqual({
      admitted: false,
      reason: 'suspected_fraud',
      retry_after: 91,
      channel: 'sms',
    });
    expect(decide(p, [state({ rangeBlock, countryBlock })], T0).verdict).toMatchObject({ retry_after: 200 });
    // Ended (or lifted): no longer in force.
    expect(decide(p, [state({ rangeBlock: { ...rangeBlock, until: T0 } })], T0).verdict.admitted).toBe(true);
  });

  it('the detector trips on the range, starting an escalated block', () => {
    const decision = decide(
      p,
      [
        state({
          rangeWindow: { sends: 15, verified: 2 },
          rangeBlock: { until: T0 - 1, count: 1, at: T0 - HOUR_MS },
        }),
      ],
      T0,
    );
    expect(decision.count).toBe(false);
    expect(decision.verdict).toEqual({
      admitted: false,
      reason: 'suspected_fraud',
      retry_after: 600,
      channel: 'sms',
      started: { channel: 'sms', scope: 'range', subject: '+1415555', until: T0 + 600_000, count: 2 },
    });
    expect(decision.start).toEqual({
      channel: 'sms',
      scope: 'range',
      subject: '+1415555',
      block: { until: T0 + 600_000, count: 2, at: T0 },
    });
  });

  it('the detector trips on the country; a number of no country has no country scope', () => {
    const countryWindow = { sends: 100, verified: 0 };
    expect(decide(p, [state({ countryWindow })], T0).start).toMatchObject({
      scope: 'country',
      subject: 'US',
    });
    expect(decide(p, [state({ target: target('+80012345678', undefined), countryWindow })], T0).count).toBe(
      true,
    );
  });

  it('the range cap refuses with range_cap', () => {
    const rangeHour = new Map([[minuteOf(T0), { sends: 30, verified: 30 }]]);
    expect(decide(p, [state({ rangeHour })], T0).verdict).toEqual({
      admitted: false,
      reason: 'range_cap',
      retry_after: 3600,
      channel: 'sms',
    });
  });

  it('a refused target refuses the whole send; a safe one is admitted despite all', () => {
    const blocked = state({ rangeBlock: { until: T0 + MINUTE_MS, count: 1, at: T0 } });
    expect(
      decide(p, [state(), { ...blocked, target: { ...target(), channel: 'whatsapp' } }], T0),
    ).toMatchObject({
      verdict: { admitted: false, channel: 'whatsapp' },
      count: false,
    });
    expect(decide(p, [{ ...blocked, safe: true }], T0).count).toBe(true);
  });
});

describe('properties', () => {
  const blockMinutes = fc
    .tuple(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 2000 }))
    .map(([first, extra]) => ({ first, max: first + extra }));

  it('escalation: never beyond max, doubling within 24 h of the previous start, reset after', () => {
    fc.assert(
      fc.property(
        blockMinutes,
        fc.array(fc.integer({ min: 1, max: 30 * HOUR_MS }), { maxLength: 30 }),
        (minutes, gaps) => {
          let previous: { count: number; at: number } | undefined;
          let previousMinutes = 0;
          let now = T0;
          for (const gap of gaps) {
            const { until, count } = nextBlock(previous, now, minutes);
            const length = (until - now) / MINUTE_MS;
            expect(length).toBeLessThanOrEqual(minutes.max);
            if (previous && now - previous.at < ESCALATION_MS) {
              expect(count).toBe(previous.count + 1);
              expect(length).toBe(Math.min(previousMinutes * 2, minutes.max));
            } else {
              expect(count).toBe(1);
              expect(length).toBe(minutes.first);
            }
            previous = { count, at: now };
            previousMinutes = length;
            now += gap;
          }
        },
      ),
    );
  });

  const events = fc.array(
    fc.record({ at: fc.integer({ min: 0, max: 3 * HOUR_MS }), verified: fc.boolean() }),
    { maxLength: 200 },
  );

  it('window totals equal a brute-force count of the events in the window', () => {
    fc.assert(
      fc.property(
        events,
        fc.integer({ min: 0, max: 3 * HOUR_MS }),
        fc.integer({ min: 1, max: 120 }),
        (list, offset, w) => {
          const buckets = new Map<number, WindowStats>();
          for (const e of list) {
            const m = minuteOf(T0 + e.at);
            const b = buckets.get(m) ?? { sends: 0, verified: 0 };
            buckets.set(m, { sends: b.sends + 1, verified: b.verified + (e.verified ? 1 : 0) });
          }
          const now = T0 + offset;
          // The window: from the start of the minute w - 1 minutes before now's, up to the end of now's minute.
          const from = (minuteOf(now) - w + 1) * MINUTE_MS;
          const to = (minuteOf(now) + 1) * MINUTE_MS;
          const inside = list.filter((e) => T0 + e.at >= from && T0 + e.at < to);
          expect(windowTotals(buckets, now, w)).toEqual({
            sends: inside.length,
            verified: inside.filter((e) => e.verified).length,
          });
        },
      ),
    );
  });

  it('the range cap lifts exactly when retry_after says', () => {
    fc.assert(
      fc.property(
        events,
        fc.integer({ min: 0, max: 3 * HOUR_MS }),
        fc.integer({ min: 1, max: 40 }),
        (list, offset, cap) => {
          const now = T0 + offset;
          const buckets = new Map<number, WindowStats>();
          // Only sends made by now: later ones would enter the hour as time passes.
          for (const e of list.filter((e) => e.at <= offset)) {
            const m = minuteOf(T0 + e.at);
            buckets.set(m, { sends: (buckets.get(m)?.sends ?? 0) + 1, verified: 0 });
          }
          const retry = rangeCapRetryAfter(buckets, now, cap);
          if (retry === undefined) return;
          expect(rangeCapRetryAfter(buckets, now + retry * 1000, cap)).toBeUndefined();
          if (retry > 1) expect(rangeCapRetryAfter(buckets, now + (retry - 1) * 1000, cap)).toBeDefined();
        },
      ),
    );
  });

  const stats = fc
    .tuple(fc.nat(200), fc.nat(200))
    .map(([sends, verified]) => ({ sends, verified: Math.min(sends, verified) }));
  const maybeBlock = fc.option(
    fc.record({
      until: fc.integer({ min: T0 - HOUR_MS, max: T0 + HOUR_MS }),
      count: fc.integer({ min: 1, max: 10 }),
      at: fc.integer({ min: T0 - 2 * ESCALATION_MS, max: T0 }),
    }),
    { nil: undefined },
  );
  const targetState = fc
    .record({
      safe: fc.boolean(),
      country: fc.option(fc.constantFrom('US', 'GB'), { nil: undefined }),
      rangeWindow: stats,
      countryWindow: stats,
      rangeBlock: maybeBlock,
      countryBlock: maybeBlock,
      hourSends: fc.nat(60),
    })
    .map((s): TargetState => ({
      target: target('+14155550123', s.country),
      range: '+1415555',
      safe: s.safe,
      rangeWindow: s.rangeWindow,
      rangeHour: new Map([[minuteOf(T0), { sends: s.hourSends, verified: 0 }]]),
      rangeBlock: s.rangeBlock,
      ...(s.country && { countryWindow: s.countryWindow, countryBlock: s.countryBlock }),
    }));

  it('a safe-listed target is never refused', () => {
    fc.assert(
      fc.property(targetState, (s) => {
        expect(decide(DEFAULT_FRAUD_POLICY, [{ ...s, safe: true }], T0)).toEqual({
          verdict: { admitted: true },
          count: true,
        });
      }),
    );
  });

  it('a refusal never counts a send; counting only ever follows an admission', () => {
    fc.assert(
      fc.property(fc.array(targetState, { minLength: 1, maxLength: 3 }), (states) => {
        const decision = decide(DEFAULT_FRAUD_POLICY, states, T0);
        expect(decision.count).toBe(decision.verdict.admitted);
        if (!decision.verdict.admitted) expect(decision.verdict.retry_after).toBeGreaterThanOrEqual(1);
        // A started block is always the verdict's own and in force.
        if (decision.start) expect(decision.start.block.until).toBeGreaterThan(T0);
      }),
    );
  });
});
