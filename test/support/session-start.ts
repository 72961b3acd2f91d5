/** A session's start argument for tests, with the product's built-in config as defaults. Pure: no Temporal. */
import { randomUUID } from 'node:crypto';
import { BUILT_IN_SESSION_CONFIG } from '../../src/config/tenants';
import type { SessionConfig, SessionStart } from '../../workflows/session-types';

export type StartOverrides = Partial<Omit<SessionStart, 'config'>> & { config?: Partial<SessionConfig> };

/** A sandbox email session of tenant acme (a live key's, sandbox_mode), mode all, unless overridden. */
export function sessionStart(overrides: StartOverrides = {}): SessionStart {
  return {
    session_id: `ses_${randomUUID().replace(/-/g, '')}`,
    tenant_id: 'acme',
    app_name: 'Acme',
    sandbox: true,
    key_mode: 'live',
    channels: ['email'],
    recipients: {
      email: 'person@example.com',
      sms: '+14155550100',
      whatsapp: '+14155550101',
      voice: '+14155550102',
    },
    metadata: { purpose: 'login' },
    templates: {},
    locale: 'en',
    verification: { mode: 'all' },
    ...overrides,
    config: { ...BUILT_IN_SESSION_CONFIG, ...overrides.config },
  };
}
