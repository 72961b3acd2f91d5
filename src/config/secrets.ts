/**
 * The secrets: OTP_TOKEN_SECRET signs session tokens (API), OTP_CODE_SECRET derives and
 * digests codes (API and worker), OTP_ADMIN_TOKEN guards the admin endpoints (API),
 * OTP_PAYLOAD_KEYS encrypt payloads (API and worker), OTP_CODEC_TOKEN guards the codec endpoints
 * (API). The embedded default generates each once into $DATA_DIR/secrets; a split deployment
 * must set them, since separate machines would otherwise disagree.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { generatePayloadKeys, parsePayloadKeys, PAYLOAD_KEYS_FORMAT, type PayloadKey } from '../codec/keys';
import type { Config } from './config';

type SecretName = 'OTP_TOKEN_SECRET' | 'OTP_CODE_SECRET' | 'OTP_ADMIN_TOKEN' | 'OTP_CODEC_TOKEN';

function configured(config: Config, name: SecretName): string | undefined {
  return {
    OTP_TOKEN_SECRET: config.tokenSecret,
    OTP_CODE_SECRET: config.codeSecret,
    OTP_ADMIN_TOKEN: config.adminToken,
    OTP_CODEC_TOKEN: config.codecToken,
  }[name];
}

/**
 * $DATA_DIR holds the generated secrets, the Temporal dev server's SQLite file (which the server
 * creates world-readable) and the dev outbox: it is made 0700, and an existing one with group or
 * other access is tightened to 0700. One this process cannot tighten (not its owner) is refused.
 */
export function ensurePrivateDataDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { mode } = fs.statSync(dir);
  if ((mode & 0o077) === 0) return;
  try {
    fs.chmodSync(dir, 0o700);
  } catch (err) {
    throw new Error(
      `DATA_DIR ${dir} is open to other users (mode ${(mode & 0o777).toString(8)}) and could not be made 0700: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
}

/** $DATA_DIR/secrets/<name>: read when there, made once (and only readable by its owner) when not. */
function generatedOnce(config: Config, name: string, make: () => string): string {
  const file = path.join(config.dataDir, 'secrets', name.toLowerCase());
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = make();
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}

/** The configured secret, or (embedded default only) the one generated into $DATA_DIR. */
export function resolveSecret(config: Config, name: SecretName, { generate }: { generate: boolean }): string {
  const value = configured(config, name);
  if (value) return value;
  if (!generate) {
    throw new Error(
      `${name} is required when TEMPORAL_ADDRESS is set (at least 32 bytes, e.g. openssl rand -hex 32)`,
    );
  }
  return generatedOnce(config, name, () => randomBytes(32).toString('hex'));
}

/**
 * OTP_PAYLOAD_KEYS, or (embedded default only) the list generated into
 * $DATA_DIR/secrets/otp_payload_keys: that file is a key list too, so a key is rotated there by
 * putting a new one in front.
 */
export function resolvePayloadKeys(config: Config, { generate }: { generate: boolean }): PayloadKey[] {
  if (config.payloadKeys) return config.payloadKeys;
  if (!generate) {
    throw new Error(
      `OTP_PAYLOAD_KEYS is required when TEMPORAL_ADDRESS is set (${PAYLOAD_KEYS_FORMAT}); API and workers need the same list`,
    );
  }
  const parsed = parsePayloadKeys(generatedOnce(config, 'OTP_PAYLOAD_KEYS', () => generatePayloadKeys()));
  if ('problems' in parsed) {
    throw new Error(
      `${path.join(config.dataDir, 'secrets', 'otp_payload_keys')}: ${parsed.problems.join('; ')}`,
    );
  }
  return parsed.keys;
}
