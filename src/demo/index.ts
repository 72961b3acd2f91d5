/**
 * The demo page of SPEC §9 at GET /demo, in the embedded default only: a verification screen
 * whose calls go through three small server-side routes (/demo/send, /demo/verify, /demo/resend)
 * that call the API over loopback HTTP with a test key. The key never reaches the page; being a
 * test key, every session is a sandbox session, so its codes come back and nothing is sent.
 *
 * The routes need no key, so they have a limiter of their own, keyed by the caller's IP: every
 * send and resend through them counts there. Their calls reach the API from loopback, so the API
 * counts them per recipient in the tenant's sandbox key space only, and not per IP (every caller
 * of the demo would share 127.0.0.1 there): the dev tenant's live counters never see the demo.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import Router from '@koa/router';
import type { Context, Middleware } from 'koa';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { z } from 'zod';
import { readJsonBody } from '../contract/body';
import { ApiError, validate } from '../contract/errors';
import {
  API_BASE,
  type ResendResponse,
  type SendResponse,
  type SessionDetail,
  type VerifyResponse,
} from '../contract/schemas';
import type { ApiCaller, TenantRegistry } from '../config/tenants';
import { DEMO_CSS, DEMO_HTML, DEMO_SCRIPT } from './page';

export interface DemoOptions {
  /** A test key (sk_test_…) of the tenant whose sandbox sessions the demo makes. */
  apiKey: string;
  /** Sends and resends per caller IP the demo routes allow in a window; default DEMO_LIMIT. */
  limit?: DemoLimit;
}

export interface DemoLimit {
  max: number;
  window_seconds: number;
}

/** Ten codes per caller IP per ten minutes: plenty for a person trying the page. */
export const DEMO_LIMIT: DemoLimit = { max: 10, window_seconds: 600 };

/** The callers the demo's own key authenticates: the API leaves their per-IP count to the demo. */
const demoCallers = new WeakSet<ApiCaller>();

/** Whether this caller is the demo routes' own key (its per-IP limit is the demo's, by the real caller). */
export const isDemoCaller = (caller: ApiCaller): boolean => demoCallers.has(caller);

const sha256 = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * A test key for `tenantId` that exists only in this process: the tenants file keeps key hashes
 * only, so the embedded default cannot know the dev test key it printed on its first start.
 * Undefined when there is no such tenant.
 */
export function withDemoKey(
  tenants: TenantRegistry,
  tenantId: string,
): { tenants: TenantRegistry; demo: DemoOptions } | undefined {
  const tenant = tenants.byId(tenantId);
  if (!tenant) return undefined;
  const apiKey = `sk_test_demo_${randomBytes(24).toString('base64url')}`;
  const hash = sha256(apiKey);
  const demoCaller: ApiCaller = { tenant, keyId: 'demo', testKey: true };
  demoCallers.add(demoCaller);
  return {
    demo: { apiKey },
    tenants: {
      byId: (id) => tenants.byId(id),
      authenticate(presented) {
        const caller = tenants.authenticate(presented);
        const demoKey = timingSafeEqual(sha256(presented), hash);
        if (caller) return caller;
        return demoKey ? demoCaller : undefined;
      },
    },
  };
}

/** The page sends by email or SMS, and calls (SPEC §12) when the person asks for a call instead. */
const demoChannel = z.enum(['email', 'sms', 'voice']);
const sendSchema = z.strictObject({
  channel: demoChannel,
  address: z.string().max(320),
});
const verifySchema = z.strictObject({
  session_token: z.string().min(1).max(4096),
  channel: demoChannel,
  code: z.string().min(1).max(32),
});
const resendSchema = z.strictObject({ session_token: z.string().min(1).max(4096) });

/** An answer of the API; a refusal is handed on to the page as it is (status and error body). */
class Refused extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super('refused');
  }
}

export function demoRoutes({ apiKey, limit = DEMO_LIMIT }: DemoOptions): Middleware {
  if (!apiKey.startsWith('sk_test_'))
    throw new Error('The demo needs a test key (sk_test_…): its codes come back');

  // In process: the demo runs only in the embedded default, one process.
  const limiter = new RateLimiterMemory({
    keyPrefix: 'demo',
    points: limit.max,
    duration: limit.window_seconds,
  });
  /** One more code for the caller's IP (ctx.ip: the socket's, or X-Forwarded-For's under TRUST_PROXY), or 429. */
  async function countCode(ctx: Context): Promise<void> {
    try {
      await limiter.consume(ctx.ip);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      throw new ApiError('rate_limited', { retry_after: Math.max(1, Math.ceil(err.msBeforeNext / 1000)) });
    }
  }

  /** The API on the address and port this very request came in on: the same server, over loopback. */
  async function callApi<T>(ctx: Context, method: string, path: string, body?: unknown): Promise<T> {
    const { localAddress = '127.0.0.1', localPort } = ctx.req.socket;
    const host = localAddress.includes(':') ? `[${localAddress}]` : localAddress;
    const response = await fetch(`http://${host}:${localPort}${API_BASE}${path}`, {
      method,
      headers: {
        'X-API-Key': apiKey,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as unknown;
    if (!response.ok) throw new Refused(response.status, answer);
    return answer as T;
  }

  /** Every demo answer carries sandbox codes or tokens: never cached. */
  const respond = async (ctx: Context, run: () => Promise<unknown>) => {
    ctx.set('Cache-Control', 'no-store');
    try {
      ctx.body = await run();
    } catch (err) {
      if (!(err instanceof Refused)) throw err;
      ctx.status = err.status;
      ctx.body = err.body;
      const retryAfter = (err.body as { retry_after?: unknown }).retry_after;
      if (err.status === 429 && typeof retryAfter === 'number') ctx.set('Retry-After', String(retryAfter));
    }
  };

  /** The page's own files; it loads nothing from anywhere else. */
  const file = (type: string, content: string) => (ctx: Context) => {
    ctx.set('Content-Security-Policy', "default-src 'self'; frame-ancestors 'none'");
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.type = type;
    ctx.body = content;
  };

  const router = new Router();
  router.get('/demo', file('text/html; charset=utf-8', DEMO_HTML));
  router.get('/demo/demo.js', file('text/javascript; charset=utf-8', DEMO_SCRIPT));
  router.get('/demo/demo.css', file('text/css; charset=utf-8', DEMO_CSS));

  router.post('/demo/send', (ctx) =>
    respond(ctx, async () => {
      const { channel, address } = validate(sendSchema, await readJsonBody(ctx));
      await countCode(ctx);
      const sent = await callApi<SendResponse>(ctx, 'POST', '/send', {
        channels: [channel],
        recipients: { [channel]: address },
        metadata: { purpose: 'demo' },
      });
      // The detail has what send does not say: when a resend is allowed, and the Temporal UI link.
      const detail = await callApi<SessionDetail>(ctx, 'GET', `/sessions/${sent.session_id}`);
      return {
        session_id: sent.session_id,
        session_token: sent.session_token,
        channel,
        address,
        sandbox_code: sent.sandbox_otps?.[channel],
        code_length: detail.config.otp_length,
        code_type: detail.config.code_type,
        expires_at: sent.expires_at,
        next_resend_at: detail.resends.next_resend_at,
        temporal_ui_url: detail.temporal_ui_url,
      };
    }),
  );

  router.post('/demo/verify', (ctx) =>
    respond(ctx, async () => {
      const { session_token, channel, code } = validate(verifySchema, await readJsonBody(ctx));
      const verified = await callApi<VerifyResponse>(ctx, 'POST', '/verify', {
        token: session_token,
        otps: { [channel]: code },
      });
      return { status: verified.status };
    }),
  );

  router.post('/demo/resend', (ctx) =>
    respond(ctx, async () => {
      const { session_token } = validate(resendSchema, await readJsonBody(ctx));
      await countCode(ctx);
      const resent = await callApi<ResendResponse>(ctx, 'POST', '/resend', { session_token });
      const [channel] = Object.keys(resent.sandbox_otps ?? {}) as (keyof NonNullable<
        ResendResponse['sandbox_otps']
      >)[];
      return {
        sandbox_code: channel ? resent.sandbox_otps?.[channel] : undefined,
        next_resend_at: resent.next_resend_at,
        resends_remaining: resent.resends_remaining,
        expires_at: resent.expires_at,
      };
    }),
  );

  return router.routes() as Middleware;
}
