/**
 * The demo page (SPEC §9): HTML, CSS and a small script with no dependencies. The script talks
 * only to the demo's own routes (/demo/send, /demo/verify, /demo/resend); the API key stays on
 * the server. An SMS that does not arrive can be followed by a call that reads a code out (SPEC §12).
 */
import { DEMO_MESSAGES } from './messages';

export const DEMO_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>durable-otp demo</title>
<link rel="stylesheet" href="/demo/demo.css">
<script src="/demo/demo.js" defer></script>
</head>
<body>
<main>
  <h1>Verify it's you</h1>
  <p class="note">durable-otp demo: sandbox sessions of the dev tenant. Nothing is sent; the code appears below.</p>

  <form id="send-form" novalidate>
    <fieldset>
      <legend>Send a code by</legend>
      <label><input type="radio" name="channel" value="email" checked> Email</label>
      <label><input type="radio" name="channel" value="sms"> Phone (SMS)</label>
    </fieldset>
    <label for="address" id="address-label">Email address</label>
    <input id="address" name="address" type="email" autocomplete="email" required
           placeholder="ada@example.com" aria-describedby="address-hint">
    <p id="address-hint" class="hint">A phone number is written with its country code, e.g. +14155550100.</p>
    <button type="submit" id="send">Send code</button>
  </form>

  <form id="verify-form" hidden novalidate>
    <p id="sent-to"></p>
    <p id="sandbox" class="sandbox">Sandbox code: <strong id="sandbox-code"></strong></p>
    <fieldset>
      <legend id="code-legend">Enter the code</legend>
      <div id="digits" class="digits"></div>
    </fieldset>
    <div class="actions">
      <button type="submit" id="verify">Verify</button>
      <button type="button" id="resend" disabled>Resend code</button>
      <button type="button" id="call-instead" hidden>Call me instead</button>
      <button type="button" id="restart" class="link">Use another address</button>
    </div>
    <p><a id="temporal-link" target="_blank" rel="noopener">See this session in the Temporal UI</a></p>
  </form>

  <p id="message" role="alert" aria-live="assertive"></p>
  <p id="status" role="status" aria-live="polite"></p>
</main>
</body>
</html>
`;

export const DEMO_CSS = `
:root { color-scheme: light; font-family: system-ui, sans-serif; }
body { margin: 0; background: #f4f5f7; color: #1b1d21; }
main { max-width: 30rem; margin: 3rem auto; background: #fff; padding: 2rem 2.25rem; border-radius: 12px;
       box-shadow: 0 1px 3px rgba(0,0,0,.12); }
h1 { margin-top: 0; font-size: 1.6rem; }
.note, .hint { color: #4a4f57; font-size: .9rem; }
fieldset { border: 0; padding: 0; margin: 0 0 1rem; }
legend { font-weight: 600; margin-bottom: .5rem; }
fieldset label { margin-right: 1.25rem; }
label[for=address] { display: block; font-weight: 600; margin-bottom: .35rem; }
input[type=email], input[type=tel] { width: 100%; box-sizing: border-box; font-size: 1.05rem; padding: .6rem .7rem;
       border: 1px solid #8a9099; border-radius: 8px; }
.digits { display: flex; gap: .5rem; }
.digits input { width: 2.6rem; height: 3.1rem; font-size: 1.5rem; text-align: center; border: 1px solid #8a9099;
       border-radius: 8px; }
input:focus, button:focus-visible, a:focus-visible { outline: 3px solid #2f6fed; outline-offset: 2px; }
button { font-size: 1rem; padding: .6rem 1.1rem; border-radius: 8px; border: 1px solid #2f6fed; background: #2f6fed;
       color: #fff; cursor: pointer; }
button:disabled { background: #e3e6ea; border-color: #c9ced6; color: #4a4f57; cursor: not-allowed; }
button.link { background: none; border: 0; color: #2f6fed; text-decoration: underline; padding-left: 0; }
#resend:not(:disabled), #call-instead { background: #fff; color: #2f6fed; }
.actions { display: flex; gap: .75rem; flex-wrap: wrap; align-items: center; margin: 1rem 0; }
.sandbox { background: #fff7e0; border: 1px solid #f0d48a; padding: .5rem .75rem; border-radius: 8px; }
#message:not(:empty) { color: #a4161a; background: #fdecec; padding: .6rem .75rem; border-radius: 8px; }
#status:not(:empty) { color: #14532d; font-weight: 600; }
`;

/** Runs in the browser. Kept as plain ES2020 with no build step. */
const SCRIPT = `
'use strict';
const MESSAGES = __MESSAGES__;
const $ = (id) => document.getElementById(id);
let session = null;
let countdown = null;

function say(error) {
  let text = MESSAGES[error.code] || error.message || 'Something went wrong.';
  const details = (error.details || []).map((d) => d.message).join('; ');
  text = text.replace('{details}', details || error.message)
    .replace('{retry_after}', String(error.retry_after ?? ''))
    .replace('{attempts_remaining}', String(error.attempts_remaining ?? ''));
  $('message').textContent = text;
  $('message').dataset.code = error.code || '';
}

function clearMessages() {
  $('message').textContent = '';
  $('message').dataset.code = '';
  $('status').textContent = '';
}

async function call(path, body) {
  const response = await fetch('/demo/' + path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  const answer = await response.json().catch(() => ({ code: 'internal_error' }));
  if (!response.ok) throw answer;
  return answer;
}

function channel() {
  return document.querySelector('input[name=channel]:checked').value;
}

function onChannelChange() {
  const sms = channel() === 'sms';
  $('address').type = sms ? 'tel' : 'email';
  $('address').autocomplete = sms ? 'tel' : 'email';
  $('address').placeholder = sms ? '+14155550100' : 'ada@example.com';
  $('address-label').textContent = sms ? 'Phone number' : 'Email address';
}

function digitInputs() {
  return Array.from($('digits').querySelectorAll('input'));
}

function buildDigits(length, codeType) {
  const numeric = codeType === 'numeric';
  $('digits').replaceChildren();
  for (let i = 0; i < length; i++) {
    const input = document.createElement('input');
    input.type = 'text';
    input.maxLength = 1;
    input.inputMode = numeric ? 'numeric' : 'text';
    input.autocomplete = i === 0 ? 'one-time-code' : 'off';
    input.setAttribute('aria-label', 'Character ' + (i + 1) + ' of ' + length);
    input.addEventListener('input', () => {
      input.value = input.value.slice(-1).toUpperCase();
      if (input.value && i < length - 1) digitInputs()[i + 1].focus();
    });
    input.addEventListener('keydown', (event) => {
      const inputs = digitInputs();
      if (event.key === 'Backspace' && !input.value && i > 0) inputs[i - 1].focus();
      if (event.key === 'ArrowLeft' && i > 0) inputs[i - 1].focus();
      if (event.key === 'ArrowRight' && i < length - 1) inputs[i + 1].focus();
    });
    input.addEventListener('paste', (event) => {
      const pasted = (event.clipboardData.getData('text') || '').replace(/\\s/g, '').toUpperCase();
      if (!pasted) return;
      event.preventDefault();
      const inputs = digitInputs();
      [...pasted].slice(0, length - i).forEach((ch, k) => { inputs[i + k].value = ch; });
      inputs[Math.min(i + pasted.length, length - 1)].focus();
    });
    $('digits').append(input);
  }
  $('code-legend').textContent = 'Enter the ' + length + '-' + (numeric ? 'digit' : 'character') + ' code';
}

/** The resend button counts down to next_resend_at, then becomes available. */
function startCountdown(nextResendAt) {
  clearInterval(countdown);
  const button = $('resend');
  const tick = () => {
    if (nextResendAt === null) {
      button.disabled = true;
      button.textContent = 'No more resends';
      clearInterval(countdown);
      return;
    }
    const seconds = Math.ceil((Date.parse(nextResendAt) - Date.now()) / 1000);
    if (seconds > 0) {
      button.disabled = true;
      button.textContent = 'Resend code in ' + seconds + ' s';
    } else {
      button.disabled = false;
      button.textContent = 'Resend code';
      clearInterval(countdown);
      // The SMS had its time to arrive: offer a call that reads a code out instead.
      $('call-instead').hidden = session.channel !== 'sms';
    }
  };
  tick();
  countdown = setInterval(tick, 250);
}

function showSession(answer) {
  session = answer;
  $('send-form').hidden = true;
  $('verify-form').hidden = false;
  $('sent-to').textContent = answer.channel === 'voice'
    ? 'We are calling ' + answer.address + ' to read out a code.'
    : 'We sent a code to ' + answer.address + '.';
  $('call-instead').hidden = true;
  $('sandbox-code').textContent = answer.sandbox_code;
  buildDigits(answer.code_length, answer.code_type);
  const link = $('temporal-link');
  if (answer.temporal_ui_url) { link.href = answer.temporal_ui_url; link.parentElement.hidden = false; }
  else link.parentElement.hidden = true;
  $('verify').disabled = false;
  $('resend').hidden = false;
  startCountdown(answer.next_resend_at);
  digitInputs()[0].focus();
}

$('send-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearMessages();
  $('send').disabled = true;
  try {
    showSession(await call('send', { channel: channel(), address: $('address').value.trim() }));
  } catch (error) {
    say(error);
    $('address').focus();
  } finally {
    $('send').disabled = false;
  }
});

$('verify-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  clearMessages();
  const code = digitInputs().map((input) => input.value).join('');
  if (code.length < digitInputs().length) {
    say({ code: 'validation_error', details: [{ message: 'enter every character of the code' }] });
    return;
  }
  try {
    const answer = await call('verify', { session_token: session.session_token, channel: session.channel, code });
    if (answer.status === 'verified') {
      clearInterval(countdown);
      $('status').textContent = 'Verified: ' + session.address + ' is yours.';
      $('verify').disabled = true;
      // Nothing left to resend: a frozen countdown would say otherwise.
      $('resend').hidden = true;
      $('call-instead').hidden = true;
    }
  } catch (error) {
    say(error);
    digitInputs().forEach((input) => { input.value = ''; });
    digitInputs()[0].focus();
  }
});

$('resend').addEventListener('click', async () => {
  clearMessages();
  try {
    const answer = await call('resend', { session_token: session.session_token });
    $('sandbox-code').textContent = answer.sandbox_code;
    $('status').textContent = 'A new code is on its way. The previous one no longer works.';
    startCountdown(answer.next_resend_at);
    digitInputs().forEach((input) => { input.value = ''; });
    digitInputs()[0].focus();
  } catch (error) {
    say(error);
    if (error.retry_after) startCountdown(new Date(Date.now() + error.retry_after * 1000).toISOString());
  }
});

$('call-instead').addEventListener('click', async () => {
  clearMessages();
  $('call-instead').disabled = true;
  try {
    showSession(await call('send', { channel: 'voice', address: session.address }));
  } catch (error) {
    say(error);
  } finally {
    $('call-instead').disabled = false;
  }
});

$('restart').addEventListener('click', () => {
  clearInterval(countdown);
  clearMessages();
  session = null;
  $('sandbox-code').textContent = '';
  $('sent-to').textContent = '';
  $('digits').replaceChildren();
  $('verify-form').hidden = true;
  $('call-instead').hidden = true;
  $('send-form').hidden = false;
  $('verify').disabled = false;
  $('address').value = '';
  $('address').focus();
});

document.querySelectorAll('input[name=channel]').forEach((radio) => radio.addEventListener('change', onChannelChange));
`;

export const DEMO_SCRIPT = SCRIPT.replace('__MESSAGES__', JSON.stringify(DEMO_MESSAGES));
