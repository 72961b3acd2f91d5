/**
 * Reads a JSON request body within SPEC §4's limits: 64 KiB (413), `application/json` only
 * (415), well-formed (400 `invalid_json`). A request without a body reads as `undefined`, so
 * the route's schema decides whether one was needed.
 */
import type { Context } from 'koa';
import { ApiError } from './errors';

export const MAX_BODY_BYTES = 64 * 1024;

function hasBody(ctx: Context): boolean {
  const length = ctx.get('Content-Length');
  if (length !== '') return Number(length) > 0;
  return ctx.get('Transfer-Encoding') !== '';
}

async function readLimited(ctx: Context, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Stop reading at once: the rest of an oversized body is not worth receiving.
    if (size > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const tooLarge = (maxBytes: number) =>
  maxBytes === MAX_BODY_BYTES
    ? new ApiError('payload_too_large')
    : new ApiError('payload_too_large', {}, `Request body exceeds ${maxBytes / 1024} KiB`);

/** `maxBytes`: another limit than SPEC §4's, for a route that is not the OTP API (the codec endpoints). */
export async function readJsonBody(ctx: Context, maxBytes = MAX_BODY_BYTES): Promise<unknown> {
  if (!hasBody(ctx)) return undefined;
  if (Number(ctx.get('Content-Length')) > maxBytes) throw tooLarge(maxBytes);
  if (!ctx.is('application/json')) throw new ApiError('unsupported_media_type');
  const raw = (await readLimited(ctx, maxBytes)).toString('utf8');
  if (raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ApiError('invalid_json');
  }
}

/** Reads an `application/x-www-form-urlencoded` body (a provider's callback) within `maxBytes`. */
export async function readFormBody(ctx: Context, maxBytes = MAX_BODY_BYTES): Promise<Record<string, string>> {
  if (!hasBody(ctx)) return {};
  if (Number(ctx.get('Content-Length')) > maxBytes) throw tooLarge(maxBytes);
  if (!ctx.is('application/x-www-form-urlencoded')) {
    throw new ApiError(
      'unsupported_media_type',
      {},
      'Request body must be application/x-www-form-urlencoded',
    );
  }
  return Object.fromEntries(new URLSearchParams((await readLimited(ctx, maxBytes)).toString('utf8')));
}
