/**
 * SMS and WhatsApp delivery through Twilio's Messages API, and voice through its Calls API with
 * TwiML `<Say>` (TWILIO_* settings, SPEC §2, §12).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import twilio from 'twilio';
import type RequestClient from 'twilio/lib/base/RequestClient';
import TwilioServiceException from 'twilio/lib/base/TwilioServiceException';
import type VoiceResponse from 'twilio/lib/twiml/VoiceResponse';
import type { CallListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/call';
import type { MessageListInstanceCreateOptions } from 'twilio/lib/rest/api/v2010/account/message';
import { DeliveryCancelled, DeliveryError, type ChannelSender, type OtpMessage } from './delivery';
import { renderSms, renderVoice, renderWhatsApp } from './templates';

export interface TwilioSenderOptions {
  accountSid: string;
  authToken: string;
  /** SMS sender number; wins over `messagingServiceSid` when both are set. */
  smsFrom?: string;
  messagingServiceSid?: string;
  /** WhatsApp sender, with or without the `whatsapp:` prefix. */
  whatsappFrom?: string;
  /** Content template for WhatsApp OTPs, unless the tenant names its own (see templates.ts). */
  whatsappContentSid?: string;
  /** The number voice calls come from (TWILIO_VOICE_FROM). */
  voiceFrom?: string;
  /** TWILIO_API_BASE_URL: a Twilio-compatible proxy, or a local fake in tests. */
  apiBaseUrl?: string;
  /** Per request, connecting included. */
  timeoutMs?: number;
}

/**
 * Twilio error codes that no retry can fix. Any other 4xx except 429 is treated as permanent too;
 * the list names the common recipient problems and is checked whatever the HTTP status.
 */
export const PERMANENT_TWILIO_ERROR_CODES: ReadonlySet<number> = new Set([
  21211, // invalid 'To' number
  21408, // sending to this region is not enabled
  21610, // recipient unsubscribed (replied STOP)
  21612, // 'To' number cannot be reached from this 'From'
  21614, // 'To' is not a mobile number
  63003, // channel could not find the 'To' address (not on WhatsApp)
  21214, // call: 'To' number cannot be reached
  21215, // call: geographic permission does not allow calling the 'To' country
  21216, // call: 'To' number is blocked for this account
  21217, // call: 'To' does not appear to be a valid phone number
]);

const DEFAULT_TIMEOUT_MS = 10_000;

export type TwilioChannel = 'sms' | 'whatsapp' | 'voice';

/** Hands one message to Twilio and answers the SID of what it made (a message or a call). */
type TwilioCreate = (client: twilio.Twilio, message: OtpMessage) => Promise<{ sid: string }>;

export function createTwilioSender(channel: TwilioChannel, opts: TwilioSenderOptions): ChannelSender {
  const clientOptions = { timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS };
  const httpClient = opts.apiBaseUrl
    ? new RebasedRequestClient(new URL(opts.apiBaseUrl), clientOptions)
    : new AbortableRequestClient(clientOptions);
  const client = twilio(opts.accountSid, opts.authToken, { httpClient });
  const create = { sms: smsCreate, whatsapp: whatsAppCreate, voice: voiceCreate }[channel](opts);

  return {
    async send(message, { signal } = {}) {
      try {
        const sent = await (signal
          ? sendSignal.run(signal, () => create(client, message))
          : create(client, message));
        return { providerMessageId: sent.sid };
      } catch (err) {
        if (signal?.aborted) throw new DeliveryCancelled();
        throw toDeliveryError(err);
      }
    },
  };
}

function createMessage(toRequest: (message: OtpMessage) => MessageListInstanceCreateOptions): TwilioCreate {
  return (client, message) => {
    const request = toRequest(message);
    if (message.statusCallback) request.statusCallback = message.statusCallback;
    return client.messages.create(request);
  };
}

function smsCreate({ smsFrom, messagingServiceSid }: TwilioSenderOptions): TwilioCreate {
  if (!smsFrom && !messagingServiceSid) {
    throw new Error('Twilio SMS needs TWILIO_SMS_FROM or TWILIO_MESSAGING_SERVICE_SID');
  }
  const sender = smsFrom ? { from: smsFrom } : { messagingServiceSid };
  return createMessage((message) => ({ to: message.to, ...sender, body: renderSms(message).text }));
}

function whatsAppCreate({ whatsappFrom, whatsappContentSid }: TwilioSenderOptions): TwilioCreate {
  if (!whatsappFrom) throw new Error('Twilio WhatsApp needs TWILIO_WHATSAPP_FROM');
  const from = whatsAppAddress(whatsappFrom);
  return createMessage((message) => {
    const { text, contentSid, contentVariables } = renderWhatsApp(message, whatsappContentSid);
    const content = contentSid ? { contentSid, contentVariables } : { body: text };
    return { to: whatsAppAddress(message.to), from, ...content };
  });
}

/**
 * A call that reads the code out (SPEC §12): the TwiML travels inline with the call request, so
 * no URL of this product has to serve the code. A second of silence first lets the person lift
 * the phone to their ear. The status callback reports the call's end only (`completed`, `busy`,
 * `no-answer`, `failed`, `canceled`): the receipt.
 */
function voiceCreate({ voiceFrom }: TwilioSenderOptions): TwilioCreate {
  if (!voiceFrom) throw new Error('Twilio voice needs TWILIO_VOICE_FROM');
  return (client, message) => {
    const request: CallListInstanceCreateOptions = {
      to: message.to,
      from: voiceFrom,
      twiml: voiceTwiml(message),
    };
    if (message.statusCallback) {
      request.statusCallback = message.statusCallback;
      request.statusCallbackEvent = ['completed'];
    }
    return client.calls.create(request);
  };
}

type SayLanguage = NonNullable<VoiceResponse.SayAttributes['language']>;

/**
 * Twilio's text-to-speech language for each built-in locale (SPEC §12). Twilio has no voice for
 * Persian, Urdu or Swahili: calls in those locales are read in English (docs/INTEGRATIONS.md).
 */
export const TWILIO_SAY_LANGUAGES: Readonly<Record<string, SayLanguage>> = {
  en: 'en-US',
  es: 'es-ES',
  pt: 'pt-PT',
  'pt-BR': 'pt-BR',
  fr: 'fr-FR',
  de: 'de-DE',
  it: 'it-IT',
  nl: 'nl-NL',
  sv: 'sv-SE',
  da: 'da-DK',
  nb: 'nb-NO',
  fi: 'fi-FI',
  pl: 'pl-PL',
  cs: 'cs-CZ',
  ro: 'ro-RO',
  hu: 'hu-HU',
  el: 'el-GR',
  tr: 'tr-TR',
  ru: 'ru-RU',
  uk: 'uk-UA',
  ar: 'ar-XA',
  he: 'he-IL',
  hi: 'hi-IN',
  bn: 'bn-IN',
  id: 'id-ID',
  ms: 'ms-MY',
  th: 'th-TH',
  vi: 'vi-VN',
  'zh-CN': 'cmn-CN',
  'zh-TW': 'cmn-TW',
  ja: 'ja-JP',
  ko: 'ko-KR',
  fil: 'fil-PH',
};

/** `<Response><Pause length="1"/><Say language="…">…</Say></Response>` for one message. */
export function voiceTwiml(message: OtpMessage): string {
  let voice = renderVoice(message);
  let language = TWILIO_SAY_LANGUAGES[voice.language];
  if (!language) {
    // A tenant's text for that locale is in a language Twilio cannot read either.
    voice = renderVoice({ ...message, locale: 'en', templates: {} });
    language = 'en-US';
  }
  const response = new twilio.twiml.VoiceResponse();
  response.pause({ length: 1 });
  response.say({ language, ...(voice.loop > 1 ? { loop: voice.loop } : {}) }, voice.text);
  return response.toString();
}

function whatsAppAddress(phone: string): string {
  return phone.startsWith('whatsapp:') ? phone : `whatsapp:${phone}`;
}

/**
 * The abort signal of the send in progress. The SDK's `messages.create` takes no per-request
 * options, so the signal travels with the call's async context to the request client.
 */
const sendSignal = new AsyncLocalStorage<AbortSignal>();

/**
 * The SDK's request client (axios), whose requests carry the signal of the send that made them:
 * an abort destroys the HTTP request, whatever stage it is at, and fails it.
 */
class AbortableRequestClient extends twilio.RequestClient {
  constructor(options: RequestClient.RequestClientOptions) {
    super(options);
    this.axios.interceptors.request.use((config) => {
      const signal = sendSignal.getStore();
      if (signal) config.signal = signal;
      return config;
    });
  }
}

/**
 * Twilio's request-client hook: the SDK builds `https://<product>.twilio.com/...` URLs and hands
 * every request to its `httpClient`; this one sends those to the configured base URL instead,
 * keeping path and query (and a path prefix of the base URL, for proxies mounted under one).
 */
class RebasedRequestClient extends AbortableRequestClient {
  constructor(
    private readonly baseUrl: URL,
    options: RequestClient.RequestClientOptions,
  ) {
    super(options);
  }

  override request<TData>(opts: RequestClient.RequestOptions<TData>) {
    return super.request({ ...opts, uri: this.rebase(opts.uri) });
  }

  private rebase(uri: string): string {
    const target = new URL(uri);
    const isTwilio = target.hostname === 'twilio.com' || target.hostname.endsWith('.twilio.com');
    if (target.protocol !== 'https:' || !isTwilio) return uri;
    const prefix = this.baseUrl.pathname.replace(/\/+$/, '');
    return `${this.baseUrl.origin}${prefix}${target.pathname}${target.search}`;
  }
}

/**
 * Built from the HTTP status and Twilio's error code only. The raw error is not attached as a
 * cause: network errors from the SDK's HTTP layer (axios) carry the request, form body included,
 * and that body holds the code.
 */
function toDeliveryError(err: unknown): DeliveryError {
  if (err instanceof twilio.RestException || err instanceof TwilioServiceException) {
    const { status, code } = err;
    // 401 / 20003: our account credentials, not the message: retried while an operator fixes them.
    const credentials = status === 401 || code === 20003;
    const permanent =
      !credentials &&
      ((code !== undefined && PERMANENT_TWILIO_ERROR_CODES.has(code)) ||
        (status >= 400 && status < 500 && status !== 429));
    const detail = code === undefined ? `HTTP ${status}` : `HTTP ${status}, error ${code}`;
    return new DeliveryError(
      `Twilio refused the message (${detail})`,
      permanent,
      code ?? status,
      credentials,
    );
  }
  // Connection refused or reset, DNS, timeout: nothing reached Twilio or no answer came back.
  const networkCode = (err as { code?: unknown } | null)?.code;
  return typeof networkCode === 'string'
    ? new DeliveryError(`Twilio request failed: ${networkCode}`, false, networkCode)
    : new DeliveryError('Twilio request failed', false);
}
