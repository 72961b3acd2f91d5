/** One structured logger per process. Secrets are redacted wherever they might appear. */
import pino, { type Logger } from 'pino';
import type { Config } from './config';

export const REDACTED_PATHS = [
  'req.headers["x-api-key"]',
  'req.headers.authorization',
  'req.headers.cookie',
  '*.token',
  '*.session_token',
  '*.otps',
  '*.sandbox_otps',
];

export function createLogger(config: Pick<Config, 'logLevel'>, component: string): Logger {
  return pino({
    level: config.logLevel,
    base: { component },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
  });
}
