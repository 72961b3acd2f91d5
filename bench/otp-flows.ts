/**
 * The measured flows through the REST API (SPEC §4): a sandbox send on the email channel, then a
 * verify with the code the sandbox hands back; and the live one, whose code arrives by email
 * through the bench's SMTP sink. Node's global fetch keeps connections alive, so each closed
 * loop reuses its sockets.
 */
import { FlowError, timed, type Flow } from './load';
import type { CodeSink } from './smtp-sink';

export interface ApiTarget {
  /** e.g. http://127.0.0.1:3000 */
  url: string;
  apiKey: string;
}

interface SendResponse {
  session_id?: string;
  session_token?: string;
  sandbox_otps?: { email?: string };
}

async function postJson(
  target: ApiTarget,
  path: string,
  body: unknown,
): Promise<{ status: number; json: unknown }> {
  const response = await fetch(`${target.url}/api/v1/otp${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': target.apiKey },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json };
}

function failure(step: string, status: number, json: unknown): FlowError {
  const code = (json as { code?: string } | undefined)?.code ?? 'no code';
  return new FlowError(`${step} ${status} ${code}`);
}

/** Recipients are unique per run and flow, so per-address limits never see the same address twice. */
const runTag = Math.random().toString(36).slice(2, 8);
const recipient = (kind: string, index: number) => `bench-${runTag}-${kind}-${index}@example.com`;

/** Starts a sandbox session; resolves with its token and code. */
async function sendSandbox(
  target: ApiTarget,
  kind: string,
  index: number,
  config: Record<string, unknown> = {},
): Promise<{ sessionId: string; token: string; code: string }> {
  const { status, json } = await postJson(target, '/send', {
    channels: ['email'],
    recipients: { email: recipient(kind, index) },
    sandbox_mode: true,
    config,
    metadata: { purpose: 'bench' },
  });
  const body = json as SendResponse | undefined;
  if (status !== 201 || !body?.session_token || !body.sandbox_otps?.email)
    throw failure('send', status, json);
  return { sessionId: body.session_id ?? '', token: body.session_token, code: body.sandbox_otps.email };
}

async function verify(target: ApiTarget, token: string, code: string): Promise<void> {
  const { status, json } = await postJson(target, '/verify', { token, otps: { email: code } });
  if (status !== 200 || (json as { status?: string } | undefined)?.status !== 'verified') {
    throw failure('verify', status, json);
  }
}

/**
 * A live session (a `sk_live_` key): the worker delivers its code over SMTP, and it is paid from
 * the tenant's credits when the tenant has a balance. Resolves with its token.
 */
async function sendLive(target: ApiTarget, to: string): Promise<string> {
  const { status, json } = await postJson(target, '/send', {
    channels: ['email'],
    recipients: { email: to },
    metadata: { purpose: 'bench' },
  });
  const token = (json as SendResponse | undefined)?.session_token;
  if (status !== 201 || !token) throw failure('send', status, json);
  return token;
}

/** Live send → the code from the email → verify. `send` includes the delivery (send waits for it, up to 8 s). */
export function liveFlow(target: ApiTarget, sink: CodeSink, kind: string, onSent = () => {}): Flow {
  return async (index) => {
    const to = recipient(kind, index);
    const [token, send] = await timed(() => sendLive(target, to));
    onSent();
    const code = await sink.codeFor(to, 15_000);
    const [, verifyMs] = await timed(() => verify(target, token, code));
    return { send, verify: verifyMs };
  };
}

/** A code of the same length that is not `code`: the same alphabet's first symbol changed. */
const wrongCodeFor = (code: string) => (code.startsWith('0') ? '1' : '0') + code.slice(1);

/** A verify with a wrong code, answered 400 invalid_otp while the session has attempts left. */
async function verifyWrong(target: ApiTarget, token: string, code: string): Promise<void> {
  const { status, json } = await postJson(target, '/verify', { token, otps: { email: wrongCodeFor(code) } });
  if (status !== 400 || (json as { code?: string } | undefined)?.code !== 'invalid_otp') {
    throw failure('wrong verify', status, json);
  }
}

/**
 * Sandbox send → `wrongCodes` wrong verifies → the right one; with wrong codes, the session allows
 * one attempt more than them (the default is 3).
 */
export function otpFlow(target: ApiTarget, kind = 'flow', wrongCodes = 0): Flow {
  const config = wrongCodes > 0 ? { max_attempts: wrongCodes + 1 } : {};
  return async (index) => {
    const [session, send] = await timed(() => sendSandbox(target, kind, index, config));
    for (let i = 0; i < wrongCodes; i++) await verifyWrong(target, session.token, session.code);
    const [, verifyMs] = await timed(() => verify(target, session.token, session.code));
    return { send, verify: verifyMs };
  };
}

/**
 * Updates the API sent again after the server rejected them unprocessed so far
 * (`otp_update_retries_total`, every label summed, from its GET /metrics): what local activities
 * would cost in retries (docs/ARCHITECTURE.md). Undefined when the API does not serve its metrics.
 */
export async function updateRetries(target: ApiTarget): Promise<number | undefined> {
  const response = await fetch(`${target.url}/metrics`).catch(() => undefined);
  if (!response?.ok) return undefined;
  const text = await response.text();
  let total = 0;
  for (const match of text.matchAll(/^otp_update_retries_total(?:\{[^}]*\})? (\S+)$/gm))
    total += Number(match[1]);
  return total;
}
