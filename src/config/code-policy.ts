/**
 * A tenant's code policy (SPEC §12): the least entropy a code may have and the longest it may
 * live. The preset `nist` is NIST SP 800-63B-4's floor for out-of-band codes (OWASP ASVS
 * 6.5.4–6.5.5): at least 20 bits, at most 10 minutes.
 */
import { z } from 'zod';
import { CODE_ALPHABETS, type SessionConfig } from '../../workflows/session-types';

export interface CodePolicy {
  min_entropy_bits?: number;
  max_expiry_minutes?: number;
}

export const CODE_POLICY_PRESETS = { nist: { min_entropy_bits: 20, max_expiry_minutes: 10 } } as const;

export const codePolicySchema = z
  .union([
    z.enum(Object.keys(CODE_POLICY_PRESETS) as ['nist']),
    z.strictObject({
      min_entropy_bits: z.int().min(1).max(256).optional(),
      max_expiry_minutes: z.int().min(1).max(60).optional(),
    }),
  ])
  .transform((policy): CodePolicy => (typeof policy === 'string' ? CODE_POLICY_PRESETS[policy] : policy));

/**
 * A code's entropy in whole bits, rounded to the nearest: six digits are 19.93 bits, which NIST
 * counts as the 20 it asks for ("at least 6 decimal digits, approximately 20 bits").
 */
export const entropyBits = ({
  otp_length,
  code_type,
}: Pick<SessionConfig, 'otp_length' | 'code_type'>): number =>
  Math.round(otp_length * Math.log2(CODE_ALPHABETS[code_type].length));

/** What a session config lacks under the policy, each problem with the config field to change. */
export function codePolicyProblems(
  config: SessionConfig,
  policy: CodePolicy | undefined,
): { path: string; message: string }[] {
  const problems: { path: string; message: string }[] = [];
  if (policy?.min_entropy_bits !== undefined && entropyBits(config) < policy.min_entropy_bits) {
    problems.push({
      path: 'otp_length',
      message: `a ${config.otp_length}-character ${config.code_type} code has ${entropyBits(config)} bits; the tenant's code policy asks for at least ${policy.min_entropy_bits}`,
    });
  }
  if (policy?.max_expiry_minutes !== undefined && config.expiry_minutes > policy.max_expiry_minutes) {
    problems.push({
      path: 'expiry_minutes',
      message: `the tenant's code policy allows at most ${policy.max_expiry_minutes} minutes`,
    });
  }
  return problems;
}
