/**
 * Session tokens (SPEC §3): a JWT (HS256 under OTP_TOKEN_SECRET) naming a session and its
 * tenant. It is derived from the session alone (id, tenant, creation time, config), so the same
 * session always gets the same token, including for an idempotent repeat of its send.
 */
import { createSecretKey } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { KeyMode, SessionConfig } from '../../workflows/session-types';

const ISSUER = 'durable-otp';
const SESSION_ID = /^ses_[0-9a-f]{32}$/;
/** Clock skew between API replicas, and the last requests of a session's final minute. */
const LIFETIME_MARGIN_SECONDS = 5 * 60;

/**
 * The longest a session can live: every resend, made at the last moment, pushes the expiry by
 * `expiry_minutes` again; a lockout never outlasts the expiry.
 */
export function sessionLifetimeSeconds(
  config: Pick<SessionConfig, 'expiry_minutes' | 'max_resends'>,
): number {
  return (config.max_resends + 1) * config.expiry_minutes * 60;
}

export interface SessionTokenSubject {
  sessionId: string;
  tenantId: string;
  /** The session's creation time (ISO 8601). */
  createdAt: string;
  config: Pick<SessionConfig, 'expiry_minutes' | 'max_resends'>;
  /** The mode of the key that opened the session (SPEC §7): only that mode's keys may use the token. */
  keyMode: KeyMode;
}

export interface SessionTokens {
  issue(subject: SessionTokenSubject): string;
  /**
   * The session id a token names, if it is genuine, unexpired, belongs to `tenantId` and to a
   * session opened by a key of `keyMode`.
   */
  sessionIdOf(token: string, tenantId: string, keyMode: KeyMode): string | undefined;
}

export function createSessionTokens(secret: string): SessionTokens {
  // The KeyObject jsonwebtoken would make of the string itself (the same bytes, so the same
  // tokens), made once: given a string, it first tries to parse it as a PEM private/public key
  // on every sign and verify, and builds two exceptions per call doing so.
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  return {
    issue({ sessionId, tenantId, createdAt, config, keyMode }) {
      const iat = Math.floor(Date.parse(createdAt) / 1000);
      const exp = iat + sessionLifetimeSeconds(config) + LIFETIME_MARGIN_SECONDS;
      return jwt.sign({ iat, exp, key_mode: keyMode }, key, {
        algorithm: 'HS256',
        subject: sessionId,
        audience: tenantId,
        issuer: ISSUER,
      });
    },
    sessionIdOf(token, tenantId, keyMode) {
      try {
        const claims = jwt.verify(token, key, {
          algorithms: ['HS256'],
          audience: tenantId,
          issuer: ISSUER,
        });
        if (
          typeof claims !== 'object' ||
          typeof claims.sub !== 'string' ||
          !SESSION_ID.test(claims.sub) ||
          claims.key_mode !== keyMode
        )
          return undefined;
        return claims.sub;
      } catch {
        return undefined;
      }
    },
  };
}
