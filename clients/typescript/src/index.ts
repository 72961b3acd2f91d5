/**
 * A thin typed client of the durable-otp REST API. The types come from the API's own OpenAPI
 * document (src/schema.ts, generated: `npm run client:generate`), the calls go through
 * openapi-fetch, and every refusal is thrown as an OtpApiError whose `code` is typed by the
 * operation's documented error codes.
 *
 *   const otp = createOtpClient({ baseUrl: 'http://localhost:3000', apiKey: process.env.OTP_API_KEY! });
 *   const sent = await otp.send({ channels: ['email'], recipients: { email: 'ada@example.com' } });
 *   try {
 *     await otp.verify({ token: sent.session_token, otps: { email: typedByThePerson } });
 *   } catch (err) {
 *     if (isOtpApiError(err, 'invalid_otp')) showAttemptsLeft(err.body.attempts_remaining);
 *     else throw err;
 *   }
 */
import createClient from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths } from './schema';

type Schemas = components['schemas'];
export type SendRequest = Schemas['SendRequest'];
export type SendResponse = Schemas['SendResponse'];
export type VerifyRequest = Schemas['VerifyRequest'];
export type VerifyResponse = Schemas['VerifyResponse'];
export type ResendRequest = Schemas['ResendRequest'];
export type ResendResponse = Schemas['ResendResponse'];
export type SessionDetail = Schemas['SessionDetail'];
export type SessionList = Schemas['SessionList'];
export type Balance = Schemas['Balance'];
export type ListSessionsQuery = NonNullable<operations['listSessions']['parameters']['query']>;

/** Every error body: `{ statusCode, message, error, code, ...extras }` (SPEC §4). */
export type ErrorBody = Schemas['Error'];
export type ErrorCode = ErrorBody['code'];

type JsonContent<R> = R extends { content: { 'application/json': infer Body } } ? Body : never;
type ErrorStatus = `${4 | 5}${string}`;
/** The codes an operation's documented error responses can carry. */
export type OperationErrorCode<Operation extends keyof operations> = {
  [Status in keyof operations[Operation]['responses']]: `${Status & (string | number)}` extends ErrorStatus
    ? JsonContent<operations[Operation]['responses'][Status]> extends { code: infer Code }
      ? Code
      : never
    : never;
}[keyof operations[Operation]['responses']];

export type SendErrorCode = OperationErrorCode<'sendOtp'>;
export type VerifyErrorCode = OperationErrorCode<'verifyOtp'>;
export type ResendErrorCode = OperationErrorCode<'resendOtp'>;
export type CancelErrorCode = OperationErrorCode<'cancelSession'>;

/** The API refused a request: `code` says why (docs/API.md lists them), `body` holds the extras. */
export class OtpApiError<Code extends ErrorCode = ErrorCode> extends Error {
  readonly name = 'OtpApiError';
  readonly code: Code;

  constructor(
    readonly status: number,
    readonly body: ErrorBody & { code: Code },
    /** The API's request id (X-Request-Id), for support. */
    readonly requestId: string | undefined,
    private readonly retryAfterHeader: string | null,
  ) {
    super(`${body.code}: ${body.message}`);
    this.code = body.code;
  }

  /** Seconds to wait before trying again (cooldown_active, rate_limited, session_locked…), if given. */
  get retryAfter(): number | undefined {
    if (this.body.retry_after !== undefined) return this.body.retry_after;
    const header = Number(this.retryAfterHeader ?? Number.NaN);
    return Number.isFinite(header) ? header : undefined;
  }
}

/** The answer was not one of the API's (a proxy's error page, a network failure). */
export class OtpTransportError extends Error {
  readonly name = 'OtpTransportError';
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Narrows an error to an OtpApiError, optionally to some codes: `isOtpApiError(err, 'invalid_otp')`. */
export function isOtpApiError<Code extends ErrorCode>(
  err: unknown,
  ...codes: Code[]
): err is OtpApiError<Code> {
  return err instanceof OtpApiError && (codes.length === 0 || (codes as ErrorCode[]).includes(err.code));
}

export interface OtpClientOptions {
  /** Where the API runs, e.g. `http://localhost:3000` (without /api/v1/otp). */
  baseUrl: string;
  /** `sk_live_…` or `sk_test_…`; keep it on the server. */
  apiKey: string;
  /** Another fetch (tests, proxies, retries). */
  fetch?: (request: Request) => Promise<Response>;
}

export interface CallOptions {
  /** Makes the call safe to retry: the same key gets the first outcome (docs/API.md). */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

const isErrorBody = (value: unknown): value is ErrorBody =>
  typeof value === 'object' && value !== null && typeof (value as ErrorBody).code === 'string';

export function createOtpClient({ baseUrl, apiKey, fetch }: OtpClientOptions) {
  const http = createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { 'X-API-Key': apiKey },
    ...(fetch ? { fetch } : {}),
  });

  /** The data of a 2xx answer, or the refusal as an error. */
  async function answer<Data, Code extends ErrorCode>(
    call: Promise<{ data?: Data; error?: unknown; response: Response }>,
  ): Promise<Data> {
    let result: Awaited<typeof call>;
    try {
      result = await call;
    } catch (err) {
      throw new OtpTransportError(`request failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    const { data, error, response } = result;
    if (response.ok && data !== undefined) return data;
    if (isErrorBody(error)) {
      throw new OtpApiError<Code>(
        response.status,
        error as ErrorBody & { code: Code },
        response.headers.get('X-Request-Id') ?? undefined,
        response.headers.get('Retry-After'),
      );
    }
    throw new OtpTransportError(`unexpected answer ${response.status}`, response.status);
  }

  const header = (options: CallOptions) =>
    options.idempotencyKey === undefined ? {} : { 'Idempotency-Key': options.idempotencyKey };

  return {
    /** The openapi-fetch client itself, for calls this wrapper does not cover. */
    http,

    /** Starts a session and sends a code per channel; rejects with OtpApiError<SendErrorCode>. */
    send: (body: SendRequest, options: CallOptions = {}) =>
      answer<SendResponse, SendErrorCode>(
        http.POST('/api/v1/otp/send', { body, params: { header: header(options) }, signal: options.signal }),
      ),

    /** Checks codes; rejects with OtpApiError<VerifyErrorCode> (invalid_otp carries attempts_remaining). */
    verify: (body: VerifyRequest, options: CallOptions = {}) =>
      answer<VerifyResponse, VerifyErrorCode>(
        http.POST('/api/v1/otp/verify', {
          body,
          params: { header: header(options) },
          signal: options.signal,
        }),
      ),

    /** Sends fresh codes; rejects with OtpApiError<ResendErrorCode> (cooldown_active: see retryAfter). */
    resend: (body: ResendRequest, options: CallOptions = {}) =>
      answer<ResendResponse, ResendErrorCode>(
        http.POST('/api/v1/otp/resend', {
          body,
          params: { header: header(options) },
          signal: options.signal,
        }),
      ),

    getSession: (id: string, options: Pick<CallOptions, 'signal'> = {}) =>
      answer<SessionDetail, OperationErrorCode<'getSession'>>(
        http.GET('/api/v1/otp/sessions/{id}', { params: { path: { id } }, signal: options.signal }),
      ),

    listSessions: (query: ListSessionsQuery = {}, options: Pick<CallOptions, 'signal'> = {}) =>
      answer<SessionList, OperationErrorCode<'listSessions'>>(
        http.GET('/api/v1/otp/sessions', { params: { query }, signal: options.signal }),
      ),

    cancelSession: (id: string, options: CallOptions = {}) =>
      answer<SessionDetail, CancelErrorCode>(
        http.POST('/api/v1/otp/sessions/{id}/cancel', {
          params: { path: { id }, header: header(options) },
          signal: options.signal,
        }),
      ),

    balance: (options: Pick<CallOptions, 'signal'> = {}) =>
      answer<Balance, OperationErrorCode<'getBalance'>>(
        http.GET('/api/v1/otp/balance', { signal: options.signal }),
      ),
  };
}

export type OtpClient = ReturnType<typeof createOtpClient>;
