/**
 * The payload keys (SPEC §8): `OTP_PAYLOAD_KEYS` = comma-separated `keyId:base64key`, 32-byte
 * AES-256 keys. The first encrypts; every one decrypts, so a key can be rotated in front of the
 * list while the payloads it wrote before stay readable.
 */
import { randomBytes } from 'node:crypto';

export interface PayloadKey {
  /** Written with every payload it encrypts (metadata), so decryption knows which key to take. */
  id: string;
  key: Buffer;
}

export const PAYLOAD_KEY_BYTES = 32;
const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
export const PAYLOAD_KEYS_FORMAT = 'comma-separated keyId:base64key, e.g. k1:$(openssl rand -base64 32)';

/** The keys of a list, or what is wrong with it (never the key material itself). */
export function parsePayloadKeys(text: string): { keys: PayloadKey[] } | { problems: string[] } {
  const problems: string[] = [];
  const keys: PayloadKey[] = [];
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (entries.length === 0) problems.push(`must list at least one key (${PAYLOAD_KEYS_FORMAT})`);
  entries.forEach((entry, index) => {
    const where = `entry ${index + 1}`;
    const separator = entry.indexOf(':');
    const id = separator < 0 ? '' : entry.slice(0, separator);
    const material = separator < 0 ? '' : entry.slice(separator + 1);
    if (!KEY_ID.test(id)) {
      problems.push(
        `${where} must be keyId:base64key, with a key id of 1-64 letters, digits, '.', '_' or '-'`,
      );
      return;
    }
    const key = Buffer.from(material, 'base64');
    if (!BASE64.test(material) || key.length !== PAYLOAD_KEY_BYTES) {
      problems.push(`key "${id}" must be ${PAYLOAD_KEY_BYTES} bytes in base64 (openssl rand -base64 32)`);
      return;
    }
    if (keys.some((k) => k.id === id)) {
      problems.push(`key id "${id}" is listed twice`);
      return;
    }
    keys.push({ id, key });
  });
  return problems.length ? { problems } : { keys };
}

export function formatPayloadKeys(keys: PayloadKey[]): string {
  return keys.map(({ id, key }) => `${id}:${key.toString('base64')}`).join(',');
}

/** A fresh key list of one key, named after the day it was made so a later rotation reads clearly. */
export function generatePayloadKeys(now = new Date()): string {
  const id = `k${now.toISOString().slice(0, 10).replaceAll('-', '')}`;
  return formatPayloadKeys([{ id, key: randomBytes(PAYLOAD_KEY_BYTES) }]);
}
