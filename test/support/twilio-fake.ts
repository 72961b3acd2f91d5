/**
 * A local stand-in for Twilio's Messages and Calls APIs (`POST /2010-04-01/Accounts/:sid/Messages.json`
 * and `…/Calls.json`), for use as TWILIO_API_BASE_URL. It answers like Twilio does (form-encoded request, JSON message
 * resource or Twilio error), records what it was asked to send, fails on demand, and can be slow.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import twilio from 'twilio';

export interface RecordedTwilioRequest {
  /** A message (Messages.json) or a call (Calls.json). */
  kind: 'message' | 'call';
  accountSid: string;
  to?: string;
  from?: string;
  body?: string;
  contentSid?: string;
  contentVariables?: string;
  messagingServiceSid?: string;
  statusCallback?: string;
  /** A call's inline TwiML (what the call says). */
  twiml?: string;
  /** A call's status callback events (`completed`, …), comma-joined as the form repeats them. */
  statusCallbackEvent?: string;
}

export interface TwilioFakeOptions {
  /**
   * Take a request in only this long after it arrived, as behind a slow network or proxy: a
   * request whose client gives up meanwhile never reaches the Messages API (nothing recorded,
   * nothing sent). A function decides per request (by its `To`).
   */
  delayMs?: number | ((to: string | undefined) => number);
}

export interface TwilioFake {
  /** `http://127.0.0.1:<port>`, for `apiBaseUrl`. */
  baseUrl: string;
  /** Every authenticated request to the Messages or Calls endpoint, including those answered with an error. */
  requests: RecordedTwilioRequest[];
  /** The SID the fake answered a request with; undefined when it answered with an error. */
  sidOf(request: RecordedTwilioRequest): string | undefined;
  /** Answer the next `count` requests with HTTP `status` (default 500). */
  failNext(count: number, status?: number): void;
  /** Answer every request `matches` picks with HTTP `status` (default 503), until `clear`. */
  failWhen(matches: (request: RecordedTwilioRequest) => boolean, status?: number): { clear(): void };
  /** Answer requests whose `To` is exactly `to` (e.g. `whatsapp:+1…`) with a Twilio error. */
  rejectRecipient(to: string, code: number, status?: number): void;
  /** Resolves when a request next starts its `delayMs` wait. */
  nextDelayed(): Promise<void>;
  /** Resolves when a delayed request is next abandoned by its client (and so never recorded). */
  nextAbandoned(): Promise<void>;
  close(): Promise<void>;
}

const RESOURCE_PATH = /^\/2010-04-01\/Accounts\/(AC[0-9a-zA-Z]+)\/(Messages|Calls)\.json$/;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
}

function sendTwilioError(res: ServerResponse, status: number, code: number, message: string): void {
  sendJson(res, status, { code, message, more_info: `https://www.twilio.com/docs/errors/${code}`, status });
}

function basicAuthUser(req: IncomingMessage): string | undefined {
  const [scheme, encoded] = (req.headers.authorization ?? '').split(' ');
  if (scheme !== 'Basic' || !encoded) return undefined;
  const [user, password] = Buffer.from(encoded, 'base64').toString('utf8').split(':');
  return password ? user : undefined;
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

export async function startTwilioFake(opts: TwilioFakeOptions = {}): Promise<TwilioFake> {
  const events = new EventEmitter();
  const requests: RecordedTwilioRequest[] = [];
  const sids = new WeakMap<RecordedTwilioRequest, string>();
  const pendingFailures: number[] = [];
  const rejectedRecipients = new Map<string, { code: number; status: number }>();
  const failureRules = new Set<{ matches: (request: RecordedTwilioRequest) => boolean; status: number }>();

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://fake').pathname;
    const [, accountSid, resource] = RESOURCE_PATH.exec(path) ?? [];
    if (!accountSid) return sendTwilioError(res, 404, 20404, 'The requested resource was not found');
    if (req.method !== 'POST') return sendTwilioError(res, 405, 20004, 'Method not allowed');
    if (basicAuthUser(req) !== accountSid) return sendTwilioError(res, 401, 20003, 'Authenticate');

    const form = await readForm(req);
    const field = (name: string) => form.get(name) ?? undefined;
    const delay = typeof opts.delayMs === 'function' ? opts.delayMs(field('To')) : opts.delayMs;
    if (delay && !(await tookIn(res, delay))) return void events.emit('abandoned');
    const kind = resource === 'Calls' ? 'call' : 'message';
    const request: RecordedTwilioRequest = {
      kind,
      accountSid,
      to: field('To'),
      from: field('From'),
      body: field('Body'),
      contentSid: field('ContentSid'),
      contentVariables: field('ContentVariables'),
      messagingServiceSid: field('MessagingServiceSid'),
      statusCallback: field('StatusCallback'),
      ...(kind === 'call'
        ? {
            twiml: field('Twiml'),
            statusCallbackEvent: form.getAll('StatusCallbackEvent').join(',') || undefined,
          }
        : {}),
    };
    requests.push(request);

    const failure = pendingFailures.shift() ?? [...failureRules].find((r) => r.matches(request))?.status;
    if (failure) return sendTwilioError(res, failure, 20500, 'Internal Server Error');
    const rejection = request.to ? rejectedRecipients.get(request.to) : undefined;
    // Echoes the message, as some providers and proxies do: a sender must never pass this text on.
    if (rejection)
      return sendTwilioError(
        res,
        rejection.status,
        rejection.code,
        `The recipient was rejected: ${request.body ?? request.contentVariables ?? request.twiml ?? ''}`,
      );
    if (!request.to) return sendTwilioError(res, 400, 21604, "A 'To' phone number is required.");
    if (!request.from && !request.messagingServiceSid) {
      return sendTwilioError(res, 400, 21603, "A 'From' phone number is required.");
    }
    if (kind === 'call') return answerCall(res, request);
    if (!request.body && !request.contentSid)
      return sendTwilioError(res, 400, 21602, 'Message body is required.');

    const sid = `SM${randomBytes(16).toString('hex')}`;
    sids.set(request, sid);
    const now = new Date().toUTCString();
    sendJson(res, 201, {
      account_sid: accountSid,
      api_version: '2010-04-01',
      body: request.body ?? '',
      date_created: now,
      date_sent: null,
      date_updated: now,
      direction: 'outbound-api',
      error_code: null,
      error_message: null,
      from: request.from ?? null,
      messaging_service_sid: request.messagingServiceSid ?? null,
      num_media: '0',
      num_segments: '1',
      price: null,
      price_unit: 'USD',
      sid,
      status: 'queued',
      subresource_uris: { media: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}/Media.json` },
      to: request.to,
      uri: `/2010-04-01/Accounts/${accountSid}/Messages/${sid}.json`,
    });
  }

  /** A call resource, as Twilio answers `POST …/Calls.json`: queued, nothing said yet. */
  function answerCall(res: ServerResponse, request: RecordedTwilioRequest): void {
    if (!request.twiml) return sendTwilioError(res, 400, 21205, 'Url or Twiml is required.');
    const sid = `CA${randomBytes(16).toString('hex')}`;
    sids.set(request, sid);
    const now = new Date().toUTCString();
    sendJson(res, 201, {
      account_sid: request.accountSid,
      api_version: '2010-04-01',
      date_created: now,
      date_updated: now,
      direction: 'outbound-api',
      from: request.from,
      sid,
      status: 'queued',
      to: request.to,
      uri: `/2010-04-01/Accounts/${request.accountSid}/Calls/${sid}.json`,
    });
  }

  /** Waits `delay` ms; false when the client went away meanwhile. */
  function tookIn(res: ServerResponse, delay: number): Promise<boolean> {
    events.emit('delayed');
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        res.off('close', abandoned);
        resolve(true);
      }, delay);
      const abandoned = () => {
        clearTimeout(timer);
        resolve(false);
      };
      res.once('close', abandoned);
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch(() => sendTwilioError(res, 500, 20500, 'Internal Server Error'));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    sidOf: (request) => sids.get(request),
    requests,
    failNext(count, status = 500) {
      for (let i = 0; i < count; i++) pendingFailures.push(status);
    },
    failWhen(matches, status = 503) {
      const rule = { matches, status };
      failureRules.add(rule);
      return { clear: () => void failureRules.delete(rule) };
    },
    rejectRecipient(to, code, status = 400) {
      rejectedRecipients.set(to, { code, status });
    },
    nextDelayed: async () => void (await once(events, 'delayed')),
    nextAbandoned: async () => void (await once(events, 'abandoned')),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // Clients keep idle connections alive; without this close() would wait for them.
        server.closeAllConnections();
      }),
  };
}

/**
 * POSTs a status callback to the API at `apiUrl`, at the path and query of `statusCallback` (the
 * URL the product gave Twilio, under PUBLIC_BASE_URL), with `signature` as X-Twilio-Signature
 * (none: unsigned). `twilioSignature` signs as Twilio does.
 */
export function postStatusCallback(
  apiUrl: string,
  statusCallback: string,
  params: Record<string, string>,
  signature?: string,
): Promise<Response> {
  const url = new URL(statusCallback);
  return fetch(`${apiUrl}${url.pathname}${url.search}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(signature === undefined ? {} : { 'X-Twilio-Signature': signature }),
    },
    body: new URLSearchParams(params),
  });
}

/** Twilio's signature of a callback to `url` with `params`, keyed with the account's auth token. */
export const twilioSignature = (authToken: string, url: string, params: Record<string, string>): string =>
  twilio.getExpectedTwilioSignature(authToken, url, params);
