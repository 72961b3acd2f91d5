/**
 * Making, digesting and checking one-time codes.
 *
 * Two rules shape this file:
 * - A plaintext code never enters workflow history. The API turns what a person typed into a
 *   keyed digest (HMAC-SHA256 under a secret the history never sees) before it reaches the
 *   workflow, and the workflow keeps only bcrypt hashes of those digests.
 * - A retried delivery must not leave the person holding a dead code. The code of an issue is
 *   derived from the secret and (workflow run, channel, issue number) with HMAC-SHA256, a
 *   pseudo-random function keyed by 32 CSPRNG bytes, so every retry of one delivery makes and
 *   sends the same code; a resend is a new issue and gets a new code.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import bcrypt from 'bcrypt';
import type { Channel } from '../workflows/channels';
import { CODE_ALPHABETS as ALPHABETS, type CodeType } from '../workflows/session-types';

export interface CodeKeys {
  derivation: Buffer;
  digest: Buffer;
}

/** Splits OTP_CODE_SECRET into independent keys, so one use can never stand in for the other. */
export function codeKeys(secret: string): CodeKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', secret, 'durable-otp', info, 32));
  return { derivation: derive('code derivation v1'), digest: derive('code digest v1') };
}

export interface CodeIdentity {
  workflowId: string;
  runId: string;
  channel: Channel;
  issue: number;
}

/**
 * The code of one issue for one channel: uniform over the alphabet, by rejection sampling of an
 * HMAC-SHA256 stream (counter mode), so no symbol is more likely than another.
 */
export function deriveCode(keys: CodeKeys, id: CodeIdentity, length: number, type: CodeType): string {
  const alphabet = ALPHABETS[type];
  const limit = 256 - (256 % alphabet.length);
  let code = '';
  for (let block = 0; code.length < length; block++) {
    const bytes = createHmac('sha256', keys.derivation)
      .update(`${id.workflowId}\n${id.runId}\n${id.channel}\n${id.issue}\n${block}`)
      .digest();
    for (const byte of bytes) {
      if (byte < limit) code += alphabet[byte % alphabet.length];
      if (code.length === length) break;
    }
  }
  return code;
}

/** What people type is forgiven for case, spaces and dashes. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

/** The keyed digest of a code for one session and channel: what verify sends to the workflow. */
export function codeDigest(keys: CodeKeys, sessionId: string, channel: Channel, code: string): string {
  return createHmac('sha256', keys.digest)
    .update(`${sessionId}\n${channel}\n${normalizeCode(code)}`)
    .digest('base64url');
}

export function hashDigest(digest: string, rounds: number): Promise<string> {
  return bcrypt.hash(digest, rounds);
}

/** Compares each submitted digest with its channel's hash; bcrypt's compare is constant-time. */
export async function compareDigests(
  pairs: Partial<Record<Channel, { digest: string; hash: string }>>,
): Promise<Partial<Record<Channel, boolean>>> {
  const entries = Object.entries(pairs) as [Channel, { digest: string; hash: string }][];
  const matches = await Promise.all(entries.map(([, p]) => bcrypt.compare(p.digest, p.hash)));
  return Object.fromEntries(entries.map(([channel], i) => [channel, matches[i]]));
}
