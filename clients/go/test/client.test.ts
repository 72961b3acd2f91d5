/**
 * The Go client against the real API + worker + dev server (test/support/api-env): its generated
 * package is what oapi-codegen makes of the live GET /openapi.json (the drift check), the example
 * runs, and refusals arrive as *otp.APIError with the API's code and extras. The Go programs are
 * built once (one `go build`) and run as child processes, asynchronously: the API answers from
 * this process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KEYS, startApiEnv, type ApiTestEnv } from '../../../test/support/api-env';

const run = promisify(execFile);
const MODULE = path.join(__dirname, '..');
const GENERATED = path.join(MODULE, 'otpapi');

/** Every file of dir (name → bytes). */
function files(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).map((name) => [name, readFileSync(path.join(dir, name))]));
}

/** The files of the package other than the committed ones, or whose bytes differ. */
function differences(generated: Map<string, Buffer>, committed: Map<string, Buffer>): string[] {
  const names = new Set([...generated.keys(), ...committed.keys()]);
  return [...names].filter((name) => !generated.get(name)?.equals(committed.get(name) ?? Buffer.alloc(0)));
}

/** What `npm run clients:generate` writes for this document (its script, run as it runs). */
async function generatedFor(document: unknown): Promise<Map<string, Buffer>> {
  const out = mkdtempSync(path.join(tmpdir(), 'otp-go-drift-'));
  try {
    const child = run(process.execPath, [path.join(MODULE, 'scripts/generate.js'), '--stdin', '--out', out]);
    child.child.stdin!.end(JSON.stringify(document));
    await child;
    return files(out);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

let t: ApiTestEnv;
const bin = mkdtempSync(path.join(tmpdir(), 'otp-go-bin-'));
beforeAll(async () => {
  const [env] = await Promise.all([
    startApiEnv(),
    // The pinned modules only (go.sum), never an update of go.mod.
    run('go', ['build', '-o', bin, './examples/send-verify-resend', './test/checks'], {
      cwd: MODULE,
      env: { ...process.env, GOFLAGS: '-mod=readonly' },
    }),
  ]);
  t = env;
}, 180_000);
afterAll(async () => {
  rmSync(bin, { recursive: true, force: true });
  await t?.close();
});

/** Runs a built program with the API's address and the test key; its stdout. */
async function runGo(program: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await run(path.join(bin, program), [], {
    env: { ...process.env, OTP_API_URL: t.api.url, OTP_API_KEY: KEYS.acmeTest, ...env },
  });
  return stdout;
}

describe('generated package', () => {
  it('is what oapi-codegen makes of the live /openapi.json (else: npm run clients:generate)', async () => {
    const live = await t.call('GET', '/openapi.json');
    expect(live.status).toBe(200);
    const generated = await generatedFor(live.body);
    if (differences(generated, files(GENERATED)).length > 0) {
      throw new Error(`${GENERATED} is out of date with GET /openapi.json: run npm run clients:generate`);
    }
    expect(generated.get('otpapi.gen.go')?.toString()).toContain('"/api/v1/otp/send"');
  });

  it('notices a drift: a changed document gives another package', async () => {
    const live = (await t.call<Record<string, any>>('GET', '/openapi.json')).body; // eslint-disable-line @typescript-eslint/no-explicit-any
    live.components.schemas.SessionDetail.properties.status.description = 'changed';
    expect(differences(await generatedFor(live), files(GENERATED))).toEqual(['otpapi.gen.go']);
  });
});

describe('the example', () => {
  it('sends, gets a wrong code refused with the attempts left, resends and verifies', async () => {
    const stdout = await runGo('send-verify-resend', { OTP_EMAIL: 'go@example.com' });
    expect(stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(/^sent: session ses_[0-9a-f]{32}, expires at \d{4}-/),
      'wrong code: 2 attempts left',
      expect.stringMatching(/^resent: 2 resends left/),
      'verify: verified',
    ]);
  });
});

describe('typed calls and errors', () => {
  it('reads, lists and cancels sessions, repeats a keyed send, and returns each refusal typed', async () => {
    const out = JSON.parse(await runGo('checks'));
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
    expect(out.transport).toEqual({ kind: 'transport_error', status: 0 });
  });
});
