/**
 * The Python client against the real API + worker + dev server (test/support/api-env): its
 * generated package is what openapi-python-client makes of the live GET /openapi.json (the drift
 * check), the example runs, and refusals arrive as OtpApiError with the API's code and extras.
 * Python runs as child processes, asynchronously: the API answers from this process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KEYS, startApiEnv, type ApiTestEnv } from '../../../test/support/api-env';

const run = promisify(execFile);
const CLIENT = path.join(__dirname, '..');
const ROOT = path.join(CLIENT, '../..');
const GENERATED = path.join(CLIENT, 'durable_otp/generated');

/** Every file under dir (relative path → bytes), caches left out. */
function tree(dir: string, under = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(path.join(dir, under), { withFileTypes: true })) {
    const relative = path.join(under, entry.name);
    if (entry.name === '__pycache__' || entry.name === '.ruff_cache') continue;
    if (entry.isDirectory()) for (const [file, bytes] of tree(dir, relative)) files.set(file, bytes);
    else files.set(relative, readFileSync(path.join(dir, relative)));
  }
  return files;
}

/** The files of the package other than the committed ones, or whose bytes differ. */
function differences(generated: Map<string, Buffer>, committed: Map<string, Buffer>): string[] {
  const names = new Set([...generated.keys(), ...committed.keys()]);
  return [...names].filter((name) => !generated.get(name)?.equals(committed.get(name) ?? Buffer.alloc(0)));
}

/** What `npm run clients:generate` writes for this document (its script, run as it runs). */
async function generatedFor(document: unknown): Promise<Map<string, Buffer>> {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'otp-python-drift-')), 'generated');
  try {
    const child = run(process.execPath, [path.join(CLIENT, 'scripts/generate.js'), '--stdin', '--out', out]);
    child.child.stdin!.end(JSON.stringify(document));
    await child;
    return tree(out);
  } finally {
    rmSync(path.dirname(out), { recursive: true, force: true });
  }
}

let t: ApiTestEnv;
let python: string;
beforeAll(async () => {
  const [env, toolchain] = await Promise.all([
    startApiEnv(),
    run(path.join(ROOT, 'scripts/client-toolchains.sh'), ['python']),
  ]);
  t = env;
  python = path.join(toolchain.stdout.trim(), 'bin/python');
}, 120_000);
afterAll(() => t?.close());

/** Runs a script of the client with the API's address and the test key; its stdout. */
async function runPython(script: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(python, [path.join(CLIENT, script)], {
    env: {
      ...process.env,
      OTP_API_URL: t.api.url,
      OTP_API_KEY: KEYS.acmeTest,
      PYTHONDONTWRITEBYTECODE: '1',
      ...env,
    },
  });
  return stdout;
}

describe('generated package', () => {
  it('is what openapi-python-client makes of the live /openapi.json (else: npm run clients:generate)', async () => {
    const live = await t.call('GET', '/openapi.json');
    expect(live.status).toBe(200);
    const generated = await generatedFor(live.body);
    const drift = differences(generated, tree(GENERATED));
    // The names first: a drift fails with one line that says what to do, not a 1,000-file diff.
    if (drift.length > 0) {
      throw new Error(
        `${GENERATED} is out of date with GET /openapi.json (${drift.slice(0, 5).join(', ')}…): run npm run clients:generate`,
      );
    }
    expect(generated.get('api/default/send_otp.py')?.toString()).toContain('"/api/v1/otp/send"');
  });

  it('notices a drift: a changed document gives another package', async () => {
    const live = (await t.call<Record<string, any>>('GET', '/openapi.json')).body; // eslint-disable-line @typescript-eslint/no-explicit-any
    live.components.schemas.SessionDetail.properties.status.description = 'changed';
    expect(differences(await generatedFor(live), tree(GENERATED))).toEqual(['models/session_detail.py']);
  });
});

describe('the example', () => {
  it('sends, gets a wrong code refused with the attempts left, resends and verifies', async () => {
    const stdout = await runPython('examples/send_verify_resend.py', { OTP_EMAIL: 'python@example.com' });
    expect(stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^sent: session ses_[0-9a-f]{32}, expires at \d{4}-/),
      'wrong code: 2 attempts left',
      expect.stringMatching(/^resent: 2 resends left/),
      'verify: verified',
    ]);
  });
});

describe('typed calls and errors', () => {
  it('reads, lists and cancels sessions, repeats a keyed send, and raises each refusal typed', async () => {
    const out = JSON.parse(await runPython('test/checks.py'));
    expect(out.detail).toEqual({
      session_id: expect.stringMatching(/^ses_/),
      status: 'pending',
      sandbox: true,
    });
    expect(out.cancelled).toBe('cancelled');
    expect(out.listed).toBe(true);
    expect(out.balance_is_null).toBe(true);

    expect(out.idempotent_same_session).toBe(true);
    expect(out.idempotency_key_reused).toEqual(
      expect.objectContaining({ kind: 'api_error', status: 422, code: 'idempotency_key_reused' }),
    );
    expect(out.invalid_otp).toEqual(
      expect.objectContaining({
        kind: 'api_error',
        status: 400,
        code: 'invalid_otp',
        attempts_remaining: 2,
        results: { email: 'invalid' },
        request_id: expect.any(String),
      }),
    );
    expect(out.cooldown_active).toEqual(
      expect.objectContaining({ kind: 'api_error', status: 429, code: 'cooldown_active' }),
    );
    expect(out.cooldown_active.retry_after).toBeGreaterThan(50);
    expect(out.session_not_found).toEqual(
      expect.objectContaining({ kind: 'api_error', status: 400, code: 'session_not_found' }),
    );
    expect(out.unknown_session).toEqual(
      expect.objectContaining({ kind: 'api_error', status: 400, code: 'session_not_found' }),
    );
    expect(out.validation_error).toEqual(
      expect.objectContaining({
        kind: 'api_error',
        status: 400,
        code: 'validation_error',
        details: [{ path: 'recipients.email', message: 'a recipient is required for email' }],
      }),
    );
    expect(out.invalid_api_key).toEqual(
      expect.objectContaining({ kind: 'api_error', status: 401, code: 'invalid_api_key' }),
    );
    expect(out.transport).toEqual({ kind: 'transport_error', status: null });
  });
});
