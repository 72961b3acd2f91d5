/**
 * The secrets: OTP_TOKEN_SECRET signs session tokens (API), OTP_CODE_SECRET derives and
 * digests codes (API and worker), OTP_ADMIN_TOKEN guards the admin endpoints (API). The embedded default generates each once into $DATA_DIR; a
 * split deployment must set them, since separate machines would otherwise disagree.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';

type SecretName = 'OTP_TOKEN_SECRET' | 'OTP_CODE_SECRET' | 'OTP_ADMIN_TOKEN';

function configured(config: Config, name: SecretName): string | undefined {
  return {
    OTP_TOKEN_SECRET: config.tokenSecret,
    OTP_CODE_SECRET: config.codeSecret,
    OTP_ADMIN_TOKEN: config.adminToken,
  }[name];
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
  const file = path.join(config.dataDir, 'secrets', name.toLowerCase());
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32).toString('hex');
  fs.writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  return secret;
}
