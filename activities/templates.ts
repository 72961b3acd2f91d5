/**
 * Turns an OTP message into what a channel sends: the tenant's template when it has one
 * (SPEC §6), else a built-in one. Placeholders: `{{code}}`, `{{expiry_minutes}}`, `{{app_name}}`.
 */
import type { OtpMessage } from './delivery';

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

export interface SmsContent {
  text: string;
}

/**
 * WhatsApp business-initiated messages need a pre-approved Content template. Its variables are
 * positional, and every OTP Content template used with this service must follow one convention:
 * `{{1}}` is the code and `{{2}}` the expiry in minutes, sent as Twilio `ContentVariables`
 * `{"1": "<code>", "2": "<expiry_minutes>"}`. `text` is always rendered too: it is the body when no
 * Content template is configured, and what the dev outbox shows.
 */
export interface WhatsAppContent {
  text: string;
  contentSid?: string;
  contentVariables?: string;
}

export type RenderedOtpMessage =
  | ({ channel: 'email' } & EmailContent)
  | ({ channel: 'sms' } & SmsContent)
  | ({ channel: 'whatsapp' } & WhatsAppContent);

type Values = Record<'code' | 'expiry_minutes' | 'app_name', string>;

const PLACEHOLDER = /\{\{\s*(code|expiry_minutes|app_name)\s*\}\}/g;

function fill(template: string, values: Values, escape: (value: string) => string = (v) => v): string {
  return template.replace(PLACEHOLDER, (_match, name: keyof Values) => escape(values[name]));
}

function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function valuesOf(message: OtpMessage): Values {
  return { code: message.code, expiry_minutes: String(message.expiryMinutes), app_name: message.appName };
}

function minutes(count: number): string {
  return count === 1 ? '1 minute' : `${count} minutes`;
}

/** Keeps a tenant's plain-text wording when it gave no HTML version. */
function textToHtml(text: string): string {
  return `<!doctype html><html><body><p>${escapeHtml(text).replace(/\r?\n/g, '<br>')}</p></body></html>`;
}

function builtInEmail(message: OtpMessage): EmailContent {
  const app = message.appName;
  const expiry = minutes(message.expiryMinutes);
  const [appHtml, codeHtml] = [escapeHtml(app), escapeHtml(message.code)];
  return {
    subject: `Your ${app} verification code`,
    text:
      `Your ${app} verification code is: ${message.code}\n\n` +
      `It expires in ${expiry}. If you did not request it, you can ignore this email; ` +
      `never share this code with anyone.`,
    html:
      `<!doctype html><html><body style="font-family:Arial,Helvetica,sans-serif;color:#222">` +
      `<p>Your ${appHtml} verification code is:</p>` +
      `<p style="font-size:28px;font-weight:bold;letter-spacing:4px">${codeHtml}</p>` +
      `<p>It expires in ${expiry}. If you did not request it, you can ignore this email; ` +
      `never share this code with anyone.</p></body></html>`,
  };
}

export function renderEmail(message: OtpMessage): EmailContent {
  const template = message.templates.otp_email;
  if (!template) return builtInEmail(message);
  const values = valuesOf(message);
  const text = fill(template.text, values);
  return {
    subject: fill(template.subject, values),
    text,
    html: template.html ? fill(template.html, values, escapeHtml) : textToHtml(text),
  };
}

export function renderSms(message: OtpMessage): SmsContent {
  const template = message.templates.otp_sms;
  if (template) return { text: fill(template.text, valuesOf(message)) };
  return {
    text:
      `${message.code} is your ${message.appName} verification code. ` +
      `It expires in ${minutes(message.expiryMinutes)}. Do not share it.`,
  };
}

/** `defaultContentSid` is the operator's Content template (TWILIO_WHATSAPP_CONTENT_SID); the tenant's wins. */
export function renderWhatsApp(message: OtpMessage, defaultContentSid?: string): WhatsAppContent {
  const template = message.templates.otp_whatsapp;
  const text = template?.text
    ? fill(template.text, valuesOf(message))
    : `*${message.code}* is your ${message.appName} verification code. ` +
      `It expires in ${minutes(message.expiryMinutes)}. Do not share it.`;
  const contentSid = template?.content_sid || defaultContentSid;
  if (!contentSid) return { text };
  const contentVariables = JSON.stringify({ 1: message.code, 2: String(message.expiryMinutes) });
  return { text, contentSid, contentVariables };
}

export function renderOtpMessage(message: OtpMessage): RenderedOtpMessage {
  switch (message.channel) {
    case 'email':
      return { channel: 'email', ...renderEmail(message) };
    case 'sms':
      return { channel: 'sms', ...renderSms(message) };
    case 'whatsapp':
      return { channel: 'whatsapp', ...renderWhatsApp(message) };
  }
}
