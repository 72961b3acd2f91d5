/**
 * A session's history as text, for tests that look for what it holds: `raw`, as Temporal stores
 * it (every payload's bytes read as UTF-8: what anyone with the database or the history API
 * sees), or `decoded` through the product's codec (what an operator with the keys sees).
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';

/** @temporalio/proto's messages are reflected types, not classes: a Payload is known by its fields. */
const isPayload = (value: object): value is Payload =>
  'metadata' in value && 'data' in value && value.data instanceof Uint8Array;

async function toText(value: unknown, decode: (payload: Payload) => Promise<Payload>): Promise<unknown> {
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (Array.isArray(value)) return Promise.all(value.map((item) => toText(item, decode)));
  if (value === null || typeof value !== 'object') return value;
  const object = isPayload(value) ? await decode(value) : value;
  const entries = await Promise.all(
    Object.entries(object).map(async ([key, child]) => [key, await toText(child, decode)] as const),
  );
  return Object.fromEntries(entries);
}

/** Every payload of the history, each one as its stored bytes. */
export async function rawHistoryText(history: temporal.api.history.v1.IHistory): Promise<string> {
  return JSON.stringify(await toText(history.events ?? [], async (payload) => payload));
}

/**
 * Every encrypted payload of the history decoded by `codecs` (the innermost last, as the SDK
 * applies them); the plaintext ones (search attributes) as stored, as the codec server shows them.
 */
export async function decodedHistoryText(
  history: temporal.api.history.v1.IHistory,
  codecs: readonly PayloadCodec[],
): Promise<string> {
  const decode = async (payload: Payload) => {
    if (Buffer.from(payload.metadata?.encoding ?? []).toString('utf8') !== 'binary/encrypted') return payload;
    let decoded = [payload];
    for (const codec of [...codecs].reverse()) decoded = await codec.decode(decoded);
    return decoded[0];
  };
  return JSON.stringify(await toText(history.events ?? [], decode));
}

/** Where the history holds a payload that is not encrypted: e.g. `events.6.…searchAttributes.indexedFields.OtpStatus`. */
export function plaintextPayloadPaths(history: temporal.api.history.v1.IHistory): string[] {
  const found: string[] = [];
  const visit = (value: unknown, at: string) => {
    if (value === null || typeof value !== 'object' || value instanceof Uint8Array) return;
    if (isPayload(value)) {
      const encoding = Buffer.from(value.metadata?.encoding ?? []).toString('utf8');
      if (encoding !== 'binary/encrypted') found.push(at);
      return;
    }
    for (const [key, child] of Object.entries(value)) visit(child, at ? `${at}.${key}` : key);
  };
  visit(history.events ?? [], 'events');
  return found;
}
