/**
 * The `fraud` section of a tenant in the tenants file (SPEC §11): its zod schema, every field
 * optional and unknown keys refused (a typo fails start-up naming its path), and the resolution
 * of a parsed section into a FraudPolicy with every default filled in.
 */
import { z } from 'zod';
import { PHONE_CHANNELS, type PhoneChannel } from '../../workflows/channels';
import { NUMBER_TYPES, type FraudPolicy } from '../../workflows/session-types';

/** ISO 3166-1 alpha-2, upper case as libphonenumber reports it, so a lookup is a plain comparison. */
const country = z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code in upper case');

const countryList = z
  .array(country)
  .refine((codes) => new Set(codes).size === codes.length, 'countries must be distinct');

/** Exactly one of allow and deny: strict objects, so both at once match neither branch. */
const countriesRule = z.union([
  z.strictObject({ allow: countryList }),
  z.strictObject({ deny: countryList }),
]);

const numberTypes = z
  .array(z.enum(NUMBER_TYPES))
  .refine((types) => new Set(types).size === types.length, 'number types must be distinct');

/** A whole E.164 number or a prefix of one. */
const e164Prefix = z.string().regex(/^\+\d{1,15}$/, 'must be "+" and 1 to 15 digits');

/** Per phone channel, each optional; built from PHONE_CHANNELS so a new phone channel is covered. */
function perPhoneChannel<T extends z.ZodType>(schema: T) {
  const shape = Object.fromEntries(PHONE_CHANNELS.map((c) => [c, schema.optional()])) as Record<
    PhoneChannel,
    z.ZodOptional<T>
  >;
  return z.strictObject(shape);
}

export const fraudPolicySchema = z.strictObject({
  number_types: perPhoneChannel(numberTypes).optional(),
  countries: perPhoneChannel(countriesRule).optional(),
  safe_list: z.array(e164Prefix).optional(),
  range_digits: z.int().min(1).max(8).optional(),
  range_sends_per_hour: z.int().min(1).optional(),
  detector: z
    .strictObject({
      window_minutes: z.int().min(1).max(1440).optional(),
      min_sends: z
        .strictObject({ range: z.int().min(1).optional(), country: z.int().min(1).optional() })
        .optional(),
      min_conversion: z.number().min(0).max(1).optional(),
      block_minutes: z
        .strictObject({ first: z.number().positive().optional(), max: z.number().positive().optional() })
        .refine(
          (b) => b.first === undefined || b.max === undefined || b.first <= b.max,
          'first must not exceed max',
        )
        .optional(),
    })
    .optional(),
});

export type FraudPolicyInput = z.infer<typeof fraudPolicySchema>;

/**
 * SPEC §11 defaults: mobile numbers only (and landlines for voice calls, SPEC §12), every
 * country, nothing safe-listed.
 */
export const DEFAULT_FRAUD_POLICY: FraudPolicy = {
  number_types: {
    sms: ['MOBILE', 'FIXED_LINE_OR_MOBILE'],
    whatsapp: ['MOBILE', 'FIXED_LINE_OR_MOBILE'],
    voice: ['MOBILE', 'FIXED_LINE_OR_MOBILE', 'FIXED_LINE'],
  },
  countries: {},
  safe_list: [],
  range_digits: 4,
  range_sends_per_hour: 30,
  detector: {
    window_minutes: 60,
    min_sends: { range: 15, country: 100 },
    min_conversion: 0.2,
    block_minutes: { first: 5, max: 720 },
  },
};

/**
 * A tenant's parsed `fraud` section (or none) with every default filled in, field by field: a
 * tenant that sets only `detector.min_sends.range` keeps every other default. Fresh arrays and
 * objects, so no caller can change the defaults through the result.
 */
export function resolveFraudPolicy(raw: FraudPolicyInput | undefined): FraudPolicy {
  const d = DEFAULT_FRAUD_POLICY;
  const detector = raw?.detector;
  const blockMinutes = {
    first: detector?.block_minutes?.first ?? d.detector.block_minutes.first,
    max: detector?.block_minutes?.max ?? d.detector.block_minutes.max,
  };
  // Only one of the two given and beyond the other's default: the given one wins.
  if (blockMinutes.first > blockMinutes.max) {
    if (detector?.block_minutes?.first !== undefined) blockMinutes.max = blockMinutes.first;
    else blockMinutes.first = blockMinutes.max;
  }
  const countries: FraudPolicy['countries'] = {};
  for (const channel of PHONE_CHANNELS) {
    const rule = raw?.countries?.[channel];
    if (rule) countries[channel] = 'allow' in rule ? { allow: [...rule.allow] } : { deny: [...rule.deny] };
  }
  return {
    number_types: Object.fromEntries(
      PHONE_CHANNELS.map((c) => [c, [...(raw?.number_types?.[c] ?? d.number_types[c])]]),
    ) as FraudPolicy['number_types'],
    countries,
    safe_list: [...(raw?.safe_list ?? d.safe_list)],
    range_digits: raw?.range_digits ?? d.range_digits,
    range_sends_per_hour: raw?.range_sends_per_hour ?? d.range_sends_per_hour,
    detector: {
      window_minutes: detector?.window_minutes ?? d.detector.window_minutes,
      min_sends: {
        range: detector?.min_sends?.range ?? d.detector.min_sends.range,
        country: detector?.min_sends?.country ?? d.detector.min_sends.country,
      },
      min_conversion: detector?.min_conversion ?? d.detector.min_conversion,
      block_minutes: blockMinutes,
    },
  };
}
