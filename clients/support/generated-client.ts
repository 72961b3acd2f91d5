/**
 * The contract every generated client (Python, Go) is tested against, over HTTP against the real
 * API + worker + dev server (test/support/api-env): its generated code is what its generator makes
 * of the live GET /openapi.json (the drift check, shown to fail on a changed document), the
 * example runs (send → a wrong code → resend → verify, as the TypeScript client's), and the
 * client's checks program reads, lists and cancels sessions and gets each refusal typed.
 * Programs run as child processes, asynchronously: the API answers from this process.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { KEYS, startApiEnv, type ApiTestEnv } from '../../test/support/api-env';

export const run = promisify(execFile);

export interface GeneratedClient {
  /** `go`, `python`: the folder under clients/ and the name in temporary paths. */
  language: string;
  /** The generator, as the drift check's message names it. */
  generator: string;
  /** The committed generated code, relative to the client's folder. */
  generated: string;
  /** A generated file that must hold the send operation's path, and the one file a changed SessionDetail changes. */
  sendFile: string;
  sessionDetailFile: string;
  /** Generated files and folders that are caches, not code. */
  ignore?: string[];
  /** Builds or installs what running programs needs; run beside the API's start. */
  prepare(): Promise<void>;
  /** Runs a program (`example` or `checks`) with `env` added to the environment; its stdout. */
  program(name: 'example' | 'checks', env: Record<string, string>): Promise<string>;
  cleanup?(): void;
  /** What the checks program reports for a refused connection's status. */
  transportStatus: number | null;
}

/** Every file under dir (relative path → bytes). */
function filesUnder(dir: string, ignore: string[], under = ''): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  for (const entry of readdirSync(path.join(dir, under), { withFileTypes: true })) {
    if (ignore.includes(entry.name)) continue;
    const relative = path.join(under, entry.name);
    if (entry.isDirectory())
      for (const [file, bytes] of filesUnder(dir, ignore, relative)) files.set(file, bytes);
    else files.set(relative, readFileSync(path.join(dir, relative)));
  }
  return files;
}

/** The files present on one side only, or whose bytes differ. */
function differences(generated: Map<string, Buffer>, committed: Map<string, Buffer>): string[] {
  const names = new Set([...generated.keys(), ...committed.keys()]);
  return [...names].filter((name) => !generated.get(name)?.equals(committed.get(name) ?? Buffer.alloc(0)));
}

export function describeGeneratedClient(client: GeneratedClient): void {
  const folder = path.join(__dirname, '..', client.language);
  const committedDir = path.join(folder, client.generated);
  const committed = () => filesUnder(committedDir, client.ignore ?? []);

  /** What `npm run clients:generate` writes for this document (its script, run as it runs). */
  async function generatedFor(document: unknown): Promise<Map<string, Buffer>> {
    const work = mkdtempSync(path.join(tmpdir(), `otp-${client.language}-drift-`));
    const out = path.join(work, 'generated');
    try {
      const child = run(process.execPath, [
        path.join(folder, 'scripts/generate.js'),
        '--stdin',
        '--out',
        out,
      ]);
      child.child.stdin!.end(JSON.stringify(document));
      await child;
      return filesUnder(out, client.ignore ?? []);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  }

  let t: ApiTestEnv;
  beforeAll(async () => {
    [t] = await Promise.all([startApiEnv(), client.prepare()]);
  }, 180_000);
  afterAll(async () => {
    client.cleanup?.();
    await t?.close();
  });

  const program = (name: 'example' | 'checks', env: Record<string, string> = {}) =>
    client.program(name, { OTP_API_URL: t.api.url, OTP_API_KEY: KEYS.acmeTest, ...env });

  describe('generated code', () => {
    it(`is what ${client.generator} makes of the live /openapi.json (else: npm run clients:generate)`, async () => {
      const live = await t.call('GET', '/openapi.json');
      expect(live.status).toBe(200);
      const generated = await generatedFor(live.body);
      const drift = differences(generated, committed());
      // The names first: a drift fails with one line that says what to do, not a huge diff.
      if (drift.length > 0) {
        throw new Error(
          `${committedDir} is out of date with GET /openapi.json (${drift.slice(0, 5).join(', ')}): run npm run clients:generate`,
        );
      }
      expect(generated.get(client.sendFile)?.toString()).toContain('"/api/v1/otp/send"');
    });

    it('notices a drift: a changed document gives other code', async () => {
      const live = (await t.call<Record<string, any>>('GET', '/openapi.json')).body; // eslint-disable-line @typescript-eslint/no-explicit-any
      live.components.schemas.SessionDetail.properties.status.description = 'changed';
      expect(differences(await generatedFor(live), committed())).toEqual([client.sessionDetailFile]);
    });
  });

  describe('the example', () => {
    it('sends, gets a wrong code refused with the attempts left, resends and verifies', async () => {
      const stdout = await program('example', { OTP_EMAIL: `${client.language}@example.com` });
      expect(stdout.trimEnd().split('\n')).toEqual([
        expect.stringMatching(/^sent: session ses_[0-9a-f]{32}, expires at \d{4}-/),
        'wrong code: 2 attempts left',
        expect.stringMatching(/^resent: 2 resends left/),
        'verify: verified',
      ]);
    });
  });

  describe('typed calls and errors', () => {
    it('reads, lists and cancels sessions, repeats a keyed send, and gets each refusal typed', async () => {
      const out = JSON.parse(await program('checks'));
      expect(out.detail).toEqual({
        session_id: expect.stringMatching(/^ses_/),
        status: 'pending',
        sandbox: true,
      });
      expect(out.cancelled).toBe('cancelled');
      expect(out.listed).toBe(true);
      expect(out.balance_is_null).toBe(true);

      expect(out.idempotent_same_session).toBe(true);
      const refusal = (status: number, code: string, extra: Record<string, unknown> = {}) =>
        expect.objectContaining({ kind: 'api_error', status, code, ...extra });
      expect(out.idempotency_key_reused).toEqual(refusal(422, 'idempotency_key_reused'));
      expect(out.invalid_otp).toEqual(
        refusal(400, 'invalid_otp', {
          attempts_remaining: 2,
          results: { email: 'invalid' },
          request_id: expect.any(String),
        }),
      );
      expect(out.cooldown_active).toEqual(refusal(429, 'cooldown_active'));
      expect(out.cooldown_active.retry_after).toBeGreaterThan(50);
      expect(out.session_not_found).toEqual(refusal(400, 'session_not_found'));
      expect(out.unknown_session).toEqual(refusal(400, 'session_not_found'));
      expect(out.validation_error).toEqual(
        refusal(400, 'validation_error', {
          details: [{ path: 'recipients.email', message: 'a recipient is required for email' }],
        }),
      );
      expect(out.invalid_api_key).toEqual(refusal(401, 'invalid_api_key'));
      expect(out.transport).toEqual({ kind: 'transport_error', status: client.transportStatus });
    });
  });
}
