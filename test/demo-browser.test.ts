/**
 * The demo page (SPEC §9) in a real headless Chromium (Debian's chromium, driven by
 * puppeteer-core) against the real API + worker + dev server: send, read the sandbox code, type
 * it digit by digit from the keyboard, see "Verified"; a wrong code's message; the resend button
 * counting down from next_resend_at (a 3 s cooldown for the demo tenant) and enabling itself;
 * "call me instead" after an SMS (SPEC §12); and no API key anywhere in what the page loads or sends.
 *
 * DEMO_SCREENSHOT=docs/demo.png writes the README's picture of the page.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type HTTPRequest, type Page } from 'puppeteer-core';
import type { RunningApi } from '../src/http/start';
import { withDemoKey } from '../src/demo';
import { DEMO_MESSAGES } from '../src/demo/messages';
import { parseTenants } from '../src/config/tenants';
import { ERROR_CATALOGUE } from '../workflows/errors';
import { startApiEnv, TEMPORAL_UI, type ApiTestEnv } from './support/api-env';

/** The browser's globals, as far as the functions evaluated in the page use them (no DOM lib here). */
interface PageElement {
  id: string;
  textContent: string | null;
  disabled?: boolean;
  value?: string;
  getAttribute(name: string): string | null;
}
declare const document: {
  activeElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
};

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const COOLDOWN_SECONDS = 3;

let t: ApiTestEnv;
let api: RunningApi;
let demoKey: string;
let browser: Browser;
let page: Page;
/** Everything the page asked the network for, headers included. */
const requests: HTTPRequest[] = [];
const loaded: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: run scripts/install-test-deps.sh (apt-get install chromium)`,
    );
  }
  t = await startApiEnv();
  const tenants = parseTenants({
    tenants: [
      {
        id: 'demo',
        name: 'Demo',
        // A key of its own that the demo does not use: the demo's key is made in process.
        api_keys: [
          { id: 'other', mode: 'live', sha256: createHash('sha256').update('sk_live_other').digest('hex') },
        ],
        defaults: { otp_length: 6, resend_cooldown_seconds: COOLDOWN_SECONDS },
      },
    ],
  });
  const access = withDemoKey(tenants, 'demo')!;
  demoKey = access.demo.apiKey;
  api = await t.startVariant({ tenants: access.tenants, demo: access.demo });
  browser = await puppeteer.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-sync',
    ],
  });
  page = await browser.newPage();
  await page.setViewport({ width: 900, height: 900 });
  page.on('request', (request) => requests.push(request));
  page.on('response', async (response) => {
    loaded.push(await response.text().catch(() => ''));
  });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

const text = (selector: string) => page.$eval(selector, (element) => element.textContent ?? '');
/** Waits for an element's text to match; a timeout says what the page showed instead. */
async function waitForText(selector: string, pattern: RegExp, timeout = 10_000): Promise<void> {
  try {
    await page.waitForFunction(
      (sel: string, source: string) =>
        new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''),
      { timeout, polling: 100 },
      selector,
      pattern.source,
    );
  } catch (err) {
    const shown = await page.$$eval('#message, #status, #sandbox-code', (elements) =>
      elements.map((e) => `${e.id}: "${e.textContent}"`).join(', '),
    );
    throw new Error(
      `${selector} never matched ${pattern} (${(err as Error).message}); the page shows ${shown}`,
    );
  }
}

/** Sends from the first screen with the keyboard only: tab to the field, type, Enter. */
async function sendTo(address: string, channel: 'email' | 'sms'): Promise<string> {
  await page.click('input[name=channel][value=email]');
  // Radio groups move with the arrow keys.
  if (channel === 'sms') await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => document.activeElement?.id)).toBe('address');
  await page.keyboard.type(address);
  await page.keyboard.press('Enter');
  await waitForText('#sent-to', new RegExp(`^We sent a code to ${address.replace(/[.+]/g, '\\$&')}\\.$`));
  return text('#sandbox-code');
}

describe('the demo page in headless Chromium', () => {
  it('is served only where configured, with labelled controls', async () => {
    expect((await fetch(`${t.api.url}/demo`)).status).toBe(404);
    const response = await page.goto(`${api.url}/demo`, { waitUntil: 'networkidle0' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    // Every input has an accessible name.
    const unlabelled = await page.$$eval('input', (inputs) =>
      inputs
        .filter((input) => !input.labels?.length && !input.getAttribute('aria-label'))
        .map((input) => input.outerHTML),
    );
    expect(unlabelled).toEqual([]);
    expect(await page.$eval('#message', (e) => e.getAttribute('role'))).toBe('alert');
  });

  it('sends to an email address, shows the sandbox code, takes it digit by digit and says verified', async () => {
    const code = await sendTo('ada@example.com', 'email');
    expect(code).toMatch(/^\d{6}$/);
    // One input per digit; focus is on the first, and typing moves along.
    expect(await page.$$eval('#digits input', (inputs) => inputs.length)).toBe(6);
    expect(await page.evaluate(() => document.activeElement?.getAttribute('aria-label'))).toBe(
      'Character 1 of 6',
    );
    const sessionLink = await page.$eval('#temporal-link', (a) => (a as unknown as { href: string }).href);
    expect(sessionLink).toMatch(
      new RegExp(`^${TEMPORAL_UI}/namespaces/default/workflows/otp-demo-ses_[0-9a-f]{32}$`),
    );
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await waitForText('#status', /^Verified: ada@example\.com is yours\.$/);
    expect(await text('#message')).toBe('');
    // Nothing is left to resend once verified.
    expect(await page.$eval('#resend', (b) => (b as unknown as { hidden: boolean }).hidden)).toBe(true);
  });

  it('explains a wrong code and a bad address in words, and counts the resend down to a new code', async () => {
    await page.click('#restart');
    // A bad address: the API's validation_error, in the page's words.
    await page.focus('input[name=channel][value=email]');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Tab');
    await page.keyboard.type('555-0100');
    await page.keyboard.press('Enter');
    await waitForText('#message', /^That does not look right: must be an E\.164 phone number/);
    await page.$eval('#address', (input) => {
      (input as unknown as { value: string }).value = '';
    });
    await page.keyboard.type('+14155550100');
    await page.keyboard.press('Enter');
    await waitForText('#sent-to', /^We sent a code to \+14155550100\.$/);
    const code = await text('#sandbox-code');

    // The cooldown of next_resend_at, counting down on a disabled button.
    expect(await page.$eval('#resend', (b) => (b as unknown as { disabled: boolean }).disabled)).toBe(true);
    const first = await text('#resend');
    expect(first).toMatch(/^Resend code in [1-3] s$/);

    const wrong = code.replace(/.$/, (last: string) => (last === '0' ? '1' : '0'));
    await page.keyboard.type(wrong);
    await page.keyboard.press('Enter');
    await waitForText('#message', /^That code is not right\. 2 attempts left\.$/);
    expect(await page.$eval('#message', (e) => e.getAttribute('data-code'))).toBe('invalid_otp');
    if (process.env.DEMO_SCREENSHOT) {
      await page.screenshot({
        path: process.env.DEMO_SCREENSHOT,
        clip: { x: 150, y: 20, width: 600, height: 540 },
      });
    }

    await page.waitForFunction(() => !document.querySelector('#resend')!.disabled, {
      timeout: (COOLDOWN_SECONDS + 2) * 1000,
      polling: 100,
    });
    expect(await text('#resend')).toBe('Resend code');
    await page.click('#resend');
    await waitForText('#status', /^A new code is on its way/);
    const resent = await text('#sandbox-code');
    expect(resent).toMatch(/^\d{6}$/);
    expect(await text('#resend')).toMatch(/^Resend code in [1-3] s$/);

    // The old code no longer works; the new one does.
    await page.keyboard.type(code === resent ? wrong : code);
    await page.keyboard.press('Enter');
    await waitForText('#message', /^That code is not right\./);
    await page.keyboard.type(resent);
    await page.keyboard.press('Enter');
    await waitForText('#status', /^Verified: \+14155550100 is yours\.$/);
  }, 30_000);

  it('offers a call once the SMS had its time to arrive; the call reads a new code out, which verifies', async () => {
    await page.click('#restart');
    await sendTo('+14155550123', 'sms');
    const hidden = () => page.$eval('#call-instead', (b) => (b as unknown as { hidden: boolean }).hidden);
    expect(await hidden()).toBe(true);
    await page.waitForFunction(() => !document.querySelector('#resend')!.disabled, {
      timeout: (COOLDOWN_SECONDS + 2) * 1000,
      polling: 100,
    });
    expect(await hidden()).toBe(false);
    expect(await text('#call-instead')).toBe('Call me instead');
    if (process.env.CALL_SCREENSHOT) {
      await page.screenshot({
        path: process.env.CALL_SCREENSHOT,
        clip: { x: 150, y: 20, width: 600, height: 540 },
      });
    }
    await page.click('#call-instead');
    await waitForText('#sent-to', /^We are calling \+14155550123 to read out a code\.$/);
    expect(await hidden()).toBe(true); // a call is the last resort here
    const code = await text('#sandbox-code');
    expect(code).toMatch(/^\d{6}$/);
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await waitForText('#status', /^Verified: \+14155550123 is yours\.$/);
  }, 30_000);

  it('has a message for every error code, and never shows the page the API key', async () => {
    expect(Object.keys(DEMO_MESSAGES).sort()).toEqual(Object.keys(ERROR_CATALOGUE).sort());
    const pageMessages = await page.evaluate(() =>
      fetch('/demo/demo.js').then((response) => response.text()),
    );
    for (const message of Object.values(DEMO_MESSAGES))
      expect(pageMessages).toContain(JSON.stringify(message));

    expect(requests.length).toBeGreaterThan(5);
    // The browser asks for /favicon.ico by itself; everything else is the demo's.
    for (const request of requests.filter((r) => new URL(r.url()).pathname !== '/favicon.ico')) {
      expect(new URL(request.url()).pathname).toMatch(/^\/demo(\/|$)/);
      expect(Object.keys(request.headers()).map((h) => h.toLowerCase())).not.toContain('x-api-key');
      expect(request.postData() ?? '').not.toContain(demoKey);
    }
    for (const body of loaded) expect(body).not.toContain(demoKey);
    expect(loaded.join('')).not.toContain('sk_test_');
  });
});
