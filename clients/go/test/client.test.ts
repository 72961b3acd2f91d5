/**
 * The Go client against the real API (clients/support/generated-client.ts): its package equals
 * oapi-codegen's output for the live document, the example runs, and refusals arrive as
 * *otp.APIError with the API's code and extras. The programs are built once, with one `go build`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describeGeneratedClient, run } from '../../support/generated-client';

const MODULE = path.join(__dirname, '..');
const bin = mkdtempSync(path.join(tmpdir(), 'otp-go-bin-'));

describeGeneratedClient({
  language: 'go',
  generator: 'oapi-codegen',
  generated: 'otpapi',
  sendFile: 'otpapi.gen.go',
  sessionDetailFile: 'otpapi.gen.go',
  async prepare() {
    // The pinned modules only (go.sum), never an update of go.mod.
    await run('go', ['build', '-o', bin, './examples/send-verify-resend', './test/checks'], {
      cwd: MODULE,
      env: { ...process.env, GOFLAGS: '-mod=readonly' },
    });
  },
  async program(name, env) {
    const binary = path.join(bin, name === 'example' ? 'send-verify-resend' : 'checks');
    return (await run(binary, [], { env: { ...process.env, ...env } })).stdout;
  },
  cleanup: () => rmSync(bin, { recursive: true, force: true }),
  transportStatus: 0,
});
