/**
 * Custom search attributes of a session workflow, upserted on every status change so that
 * listing sessions is a visibility query. The dev server registers them at start; a real
 * cluster registers them once (see docker-compose.yml).
 */
import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import type { SessionStart, SessionStatus } from './session-types';

export const OtpStatus = defineSearchAttributeKey('OtpStatus', SearchAttributeType.KEYWORD);
export const OtpChannels = defineSearchAttributeKey('OtpChannels', SearchAttributeType.KEYWORD_LIST);
export const OtpTenant = defineSearchAttributeKey('OtpTenant', SearchAttributeType.KEYWORD);
export const OtpSandbox = defineSearchAttributeKey('OtpSandbox', SearchAttributeType.BOOL);
export const OtpPurpose = defineSearchAttributeKey('OtpPurpose', SearchAttributeType.KEYWORD);
/** `live` or `test`: the mode of the key that opened the session (SPEC §7), so lists keep to it. */
export const OtpKeyMode = defineSearchAttributeKey('OtpKeyMode', SearchAttributeType.KEYWORD);

export const SESSION_SEARCH_ATTRIBUTES = [
  OtpStatus,
  OtpChannels,
  OtpTenant,
  OtpSandbox,
  OtpPurpose,
  OtpKeyMode,
];

/**
 * A session's search attributes: the API starts the workflow with them (one visibility write
 * instead of a start and an upsert); a session started without them upserts them itself.
 */
export function sessionSearchAttributes(start: SessionStart, status: SessionStatus): SearchAttributePair[] {
  return [
    { key: OtpTenant, value: start.tenant_id },
    { key: OtpChannels, value: start.channels },
    { key: OtpSandbox, value: start.sandbox },
    { key: OtpKeyMode, value: start.key_mode },
    { key: OtpStatus, value: status },
    ...(typeof start.metadata.purpose === 'string'
      ? [{ key: OtpPurpose, value: start.metadata.purpose }]
      : []),
  ];
}
