/**
 * The Python client against the real API (clients/support/generated-client.ts): its package
 * equals openapi-python-client's output for the live document, the example runs, and refusals
 * are raised as OtpApiError with the API's code and extras.
 */
import path from 'node:path';
import { describeGeneratedClient, run } from '../../support/generated-client';

const CLIENT = path.join(__dirname, '..');
const ROOT = path.join(CLIENT, '../..');
let python: string;

describeGeneratedClient({
  language: 'python',
  generator: 'openapi-python-client',
  generated: 'durable_otp/generated',
  sendFile: 'api/default/send_otp.py',
  sessionDetailFile: 'models/session_detail.py',
  ignore: ['__pycache__', '.ruff_cache'],
  async prepare() {
    const { stdout } = await run(path.join(ROOT, 'scripts/client-toolchains.sh'), ['python']);
    python = path.join(stdout.trim(), 'bin/python');
  },
  async program(name, env) {
    const script = name === 'example' ? 'examples/send_verify_resend.py' : 'test/checks.py';
    const { stdout } = await run(python, [path.join(CLIENT, script)], {
      env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', ...env },
    });
    return stdout;
  },
  transportStatus: null,
});
