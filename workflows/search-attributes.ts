/**
 * Custom search attributes of a session workflow, upserted on every status change so that
 * listing sessions is a visibility query. The dev server registers them at start; a real
 * cluster registers them once (see docker-compose.yml).
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

export const OtpStatus = defineSearchAttributeKey('OtpStatus', SearchAttributeType.KEYWORD);
export const OtpChannels = defineSearchAttributeKey('OtpChannels', SearchAttributeType.KEYWORD_LIST);
export const OtpTenant = defineSearchAttributeKey('OtpTenant', SearchAttributeType.KEYWORD);
export const OtpSandbox = defineSearchAttributeKey('OtpSandbox', SearchAttributeType.BOOL);
export const OtpPurpose = defineSearchAttributeKey('OtpPurpose', SearchAttributeType.KEYWORD);

export const SESSION_SEARCH_ATTRIBUTES = [OtpStatus, OtpChannels, OtpTenant, OtpSandbox, OtpPurpose];
