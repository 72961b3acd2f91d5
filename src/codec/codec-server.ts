/**
 * Temporal's remote codec protocol on the API (SPEC §8): `POST /codec/decode` and
 * `POST /codec/encode` take and give `{ payloads: [{ metadata: { key: base64 }, data: base64 }] }`
 * (Payloads in proto JSON), as the Temporal UI and CLI send them with `--codec-endpoint
 * <API>/codec`. What comes back is plaintext personal data, so every call is authenticated:
 *
 * - `Authorization: Bearer <OTP_CODEC_TOKEN>` (the CLI's `--codec-auth`), from anywhere;
 * - in the embedded default only, the local Temporal UI, which cannot send a static token, calls
 *   `/codec/<capability>/decode`: the capability is 32 random bytes made at each start of
 *   `make run` and handed to the dev server's `--ui-codec-endpoint`. Knowing it is the
 *   authorisation; a wrong one answers 404, as if the path did not exist.
 *
 * No header other than `Authorization` authorises anything: `Origin` and the peer address only
 * decide CORS. Without a token and a capability the endpoints do not exist (404).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { Context, Middleware, Next } from 'koa';
import { z } from 'zod';
import { readJsonBody } from '../contract/body';
import { ApiError } from '../contract/errors';
import { isEncrypted, PayloadDecryptionError } from './encryption-codec';

export interface CodecAccess {
  /** OTP_CODEC_TOKEN: the bearer token the CLI (or a proxy in front of a UI) presents. */
  token?: string;
  /** The origin of TEMPORAL_UI_URL: the one origin CORS answers. */
  uiOrigin?: string;
  /** Embedded default only: the secret path segment the local UI calls without a token. */
  uiCapability?: string;
}

export const CODEC_BASE = '/codec';

/** A fresh capability for the local UI: 32 CSPRNG bytes, base64url (a path segment). */
export function newCodecCapability(): string {
  return randomBytes(32).toString('base64url');
}

/** The codec endpoint to give the UI, under the API's base URL: `/codec/<capability>`. */
export const codecUiPath = (capability: string) => `${CODEC_BASE}/${capability}`;
/** The UI sends a whole event's payloads at once; a session's are small, but not always under 64 KiB. */
const MAX_CODEC_BODY_BYTES = 4 * 1024 * 1024;
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Namespace';

const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
/** Proto JSON leaves out an empty list: the CLI sends `{}` for an event without payloads. */
const payloadsBodySchema = z.object({
  payloads: z
    .array(
      z.object({
        metadata: z.record(z.string(), base64).nullish(),
        data: base64.nullish(),
      }),
    )
    .default([]),
});
type JsonPayload = z.infer<typeof payloadsBodySchema>['payloads'][number];

const fromJson = ({ metadata, data }: JsonPayload): Payload => ({
  metadata: Object.fromEntries(
    Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value, 'base64')]),
  ),
  data: Buffer.from(data ?? '', 'base64'),
});

const toJson = ({ metadata, data }: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(metadata ?? {}).map(([key, value]) => [key, Buffer.from(value).toString('base64')]),
  ),
  data: Buffer.from(data ?? []).toString('base64'),
});

function sameSecret(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Whether a codec call may be answered: on the capability path by the capability alone, otherwise
 * by its bearer token (see the top of this file). Nothing else about the call is looked at.
 */
export function codecCallAllowed(
  call: { authorization: string; capability?: string },
  access: CodecAccess,
): boolean {
  if (call.capability !== undefined)
    return access.uiCapability !== undefined && sameSecret(call.capability, access.uiCapability);
  const presented = /^Bearer (.+)$/.exec(call.authorization)?.[1];
  return presented !== undefined && access.token !== undefined && sameSecret(presented, access.token);
}

/** Routes for the Koa app; `codecs` are the API client's own, so they decode what it encodes. */
export function codecRoutes(codecs: readonly PayloadCodec[], access: CodecAccess): Middleware {
  const router = new Router({ prefix: CODEC_BASE });
  const enabled = Boolean(access.token) || Boolean(access.uiCapability);
  const fromUi = (ctx: Context) => access.uiOrigin !== undefined && ctx.get('Origin') === access.uiOrigin;

  async function allowUiOrigin(ctx: Context, next: Next): Promise<void> {
    if (!enabled) throw new ApiError('not_found');
    ctx.vary('Origin');
    // On every answer to the UI, refusals too, so the UI can show why.
    if (fromUi(ctx)) ctx.set('Access-Control-Allow-Origin', access.uiOrigin!);
    await next();
  }

  /** On `/:capability/…`: a capability that is not this start's answers as a path that does not exist. */
  async function capabilityPath(ctx: Context, next: Next): Promise<void> {
    const capability = String((ctx as Context & { params: Record<string, string> }).params.capability);
    if (!codecCallAllowed({ authorization: '', capability }, access)) throw new ApiError('not_found');
    ctx.state.codecCapability = true;
    await next();
  }

  async function authorize(ctx: Context, next: Next): Promise<void> {
    if (
      !ctx.state.codecCapability &&
      !codecCallAllowed({ authorization: ctx.get('Authorization') }, access)
    ) {
      ctx.set('WWW-Authenticate', 'Bearer realm="codec"');
      throw new ApiError('invalid_api_key', {}, 'A valid codec bearer token (OTP_CODEC_TOKEN) is required');
    }
    // Decoded payloads are personal data: nothing on the way may keep a copy.
    ctx.set('Cache-Control', 'no-store');
    await next();
  }

  async function readPayloads(ctx: Context): Promise<Payload[]> {
    const parsed = payloadsBodySchema.safeParse(await readJsonBody(ctx, MAX_CODEC_BODY_BYTES));
    if (!parsed.success) {
      throw new ApiError('validation_error', {
        details: parsed.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
      });
    }
    return parsed.data.payloads.map(fromJson);
  }

  const preflight = (ctx: Context) => {
    // Any other origin gets no Access-Control-* header: its browser refuses to send the request.
    if (!fromUi(ctx) || ctx.get('Access-Control-Request-Method') !== 'POST') {
      ctx.status = 403;
      return;
    }
    ctx.set('Access-Control-Allow-Methods', 'POST');
    ctx.set('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    ctx.set('Access-Control-Max-Age', '600');
    ctx.status = 204;
  };

  const decode = async (ctx: Context) => {
    const received = await readPayloads(ctx);
    // The UI asks for every payload of a history, search attributes too, which are plaintext by
    // design (SPEC §8): those are shown as stored. The product itself never reads one (its codec
    // refuses a payload without the marker).
    const sealed = received.filter(isEncrypted);
    let opened = sealed;
    try {
      // The reverse of encoding's order, as the SDK applies a codec chain.
      for (const codec of [...codecs].reverse()) opened = await codec.decode(opened);
    } catch (err) {
      if (err instanceof PayloadDecryptionError) throw new ApiError('validation_error', {}, err.message);
      throw err;
    }
    const payloads = received.map((payload) =>
      isEncrypted(payload) ? opened[sealed.indexOf(payload)] : payload,
    );
    ctx.body = { payloads: payloads.map(toJson) };
  };

  const encode = async (ctx: Context) => {
    let payloads = await readPayloads(ctx);
    for (const codec of codecs) payloads = await codec.encode(payloads);
    ctx.body = { payloads: payloads.map(toJson) };
  };

  router.options(['/decode', '/encode'], allowUiOrigin, preflight);
  router.post('/decode', allowUiOrigin, authorize, decode);
  router.post('/encode', allowUiOrigin, authorize, encode);
  // The local UI's own path; the route pattern, not the capability, is what logs and traces show.
  router.options(['/:capability/decode', '/:capability/encode'], allowUiOrigin, capabilityPath, preflight);
  router.post('/:capability/decode', allowUiOrigin, capabilityPath, authorize, decode);
  router.post('/:capability/encode', allowUiOrigin, capabilityPath, authorize, encode);

  return router.routes() as Middleware;
}
