#!/usr/bin/env node
/**
 * Docs helper (not a test): screenshots a page of the Temporal Web UI in headless Chromium once
 * it shows a given text, e.g. a session's history page once the UI has decoded its input through
 * the codec endpoint. Needs Debian's chromium (apt-get install -y chromium).
 *
 *   node scripts/screenshot-ui.js <url> <out.png> <text to wait for>
 *   e.g. node scripts/screenshot-ui.js http://localhost:8233/namespaces/default/workflows/otp-dev-ses_… \
 *          docs/temporal-ui-decoded.png person@example.com
 */
const { setTimeout: sleep } = require('node:timers/promises');
const puppeteer = require('puppeteer-core');

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

async function main() {
  const [url, out, expected] = process.argv.slice(2);
  if (!url || !out || !expected) {
    throw new Error('usage: node scripts/screenshot-ui.js <url> <out.png> <text to wait for>');
  }
  const browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1440, height: 1100 });
    // The codec calls are the point of the picture: say how each went.
    page.on('response', (response) => {
      if (response.url().includes('/codec/')) {
        // The embedded UI's codec path holds this start's capability: never print it.
        const url = response.url().replace(/\/codec\/[^/]+\/(decode|encode)/, '/codec/<capability>/$1');
        process.stdout.write(`${response.request().method()} ${url} → ${response.status()}\n`);
      }
    });
    // The UI keeps polling, so the network never goes idle: wait for the text instead.
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
    // Runs in the page: `document` is the browser's.
    const showsText = (text) => globalThis.document.body.innerText.includes(text);
    await page
      .waitForFunction(showsText, { timeout: 30_000, polling: 250 }, expected)
      .catch(() => Promise.reject(new Error(`the page never showed "${expected}"`)));
    await sleep(500); // let the last decoded blocks render
    await page.screenshot({ path: out });
    process.stdout.write(`saved ${out}\n`);
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : err}\n`);
  process.exit(1);
});
