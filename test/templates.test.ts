import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OtpMessage } from '../activities/delivery';
import { createOutboxSender } from '../activities/outbox';
import { renderEmail, renderOtpMessage, renderSms, renderWhatsApp } from '../activities/templates';

function otp(overrides: Partial<OtpMessage> = {}): OtpMessage {
  // Not a literal typed OtpMessage: `locale` is new there and this compiles with or without it.
  const defaults = {
    channel: 'email' as const,
    to: 'ada@example.com',
    code: '482913',
    expiryMinutes: 10,
    appName: 'Acme',
    templates: {},
    locale: 'en',
  };
  return { ...defaults, ...overrides };
}

describe('built-in templates', () => {
  it('email carries code, expiry and app name in subject, text and HTML', () => {
    const email = renderEmail(otp());
    expect(email.subject).toBe('Your Acme verification code');
    for (const part of [email.text, email.html]) {
      expect(part).toContain('482913');
      expect(part).toContain('10 minutes');
      expect(part).toContain('Acme');
    }
  });

  it('escapes values in the HTML but not in the text', () => {
    const email = renderEmail(otp({ appName: '<Tom & "Jerry">' }));
    expect(email.html).toContain('&lt;Tom &amp; &quot;Jerry&quot;&gt;');
    expect(email.html).not.toContain('<Tom');
    expect(email.text).toContain('<Tom & "Jerry">');
  });

  it('says "1 minute", not "1 minutes"', () => {
    expect(renderSms(otp({ expiryMinutes: 1 })).text).toContain('expires in 1 minute.');
  });

  it('sms and whatsapp texts are short and carry the code', () => {
    const sms = renderSms(otp()).text;
    expect(sms).toBe('482913 is your Acme verification code. It expires in 10 minutes. Do not share it.');
    expect(renderWhatsApp(otp()).text).toContain('*482913*');
  });
});

describe('tenant templates', () => {
  it('fills placeholders, with or without spaces inside the braces', () => {
    const email = renderEmail(
      otp({
        templates: {
          otp_email: {
            subject: '{{ app_name }} code',
            text: 'Code {{code}}, valid {{ expiry_minutes }} min. {{unknown}} stays.',
            html: '<b>{{code}}</b> for {{app_name}}',
          },
        },
        appName: 'A&B',
      }),
    );
    expect(email.subject).toBe('A&B code');
    expect(email.text).toBe('Code 482913, valid 10 min. {{unknown}} stays.');
    expect(email.html).toBe('<b>482913</b> for A&amp;B');
  });

  it('derives the HTML from the tenant text when it has no HTML version', () => {
    const email = renderEmail(
      otp({ templates: { otp_email: { subject: 's', text: 'Code <{{code}}>\nBye' } } }),
    );
    expect(email.html).toContain('Code &lt;482913&gt;<br>Bye');
  });

  it('uses the tenant sms and whatsapp texts', () => {
    const templates = { otp_sms: { text: 'SMS {{code}}' }, otp_whatsapp: { text: 'WA {{code}}' } };
    expect(renderSms(otp({ templates })).text).toBe('SMS 482913');
    expect(renderWhatsApp(otp({ templates }))).toEqual({ text: 'WA 482913' });
  });
});

describe('whatsapp content templates', () => {
  it('passes code and expiry as variables 1 and 2 of the configured Content SID', () => {
    const rendered = renderWhatsApp(otp(), 'HXdefault');
    expect(rendered.contentSid).toBe('HXdefault');
    expect(JSON.parse(rendered.contentVariables ?? '')).toEqual({ 1: '482913', 2: '10' });
  });

  it("prefers the tenant's Content SID", () => {
    const rendered = renderWhatsApp(
      otp({ templates: { otp_whatsapp: { content_sid: 'HXtenant' } } }),
      'HXdefault',
    );
    expect(rendered.contentSid).toBe('HXtenant');
  });
});

it('renderOtpMessage picks the renderer of the channel', () => {
  expect(renderOtpMessage(otp()).channel).toBe('email');
  expect(renderOtpMessage(otp({ channel: 'sms', to: '+14155550100' }))).toEqual({
    channel: 'sms',
    ...renderSms(otp()),
  });
});

describe('dev outbox', () => {
  let dir: string;
  beforeEach(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'otp-outbox-')), 'outbox');
  });
  afterEach(() => rm(join(dir, '..'), { recursive: true, force: true }));

  it('writes one JSON file per message, named in send order', async () => {
    const outbox = createOutboxSender(dir);
    const first = await outbox.send(otp());
    await new Promise((resolve) => setTimeout(resolve, 5)); // names only order across milliseconds
    const second = await outbox.send(otp({ channel: 'sms', to: '+14155550100', code: '111222' }));

    const files = (await readdir(dir)).sort();
    expect(files).toEqual([`${first.providerMessageId}.json`, `${second.providerMessageId}.json`]);

    const email = JSON.parse(await readFile(join(dir, files[0]), 'utf8'));
    expect(email).toMatchObject({
      channel: 'email',
      to: 'ada@example.com',
      subject: 'Your Acme verification code',
    });
    expect(email.text).toContain('482913');
    expect(Date.parse(email.sentAt)).not.toBeNaN();
    const sms = JSON.parse(await readFile(join(dir, files[1]), 'utf8'));
    expect(sms).toMatchObject({ channel: 'sms', to: '+14155550100' });
    expect(sms.text).toContain('111222');
  });
});
