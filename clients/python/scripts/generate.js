#!/usr/bin/env node
/**
 * Regenerates durable_otp/generated/, the Python client's models and calls, with
 * openapi-python-client (pinned in requirements-dev.txt, installed by scripts/client-toolchains.sh)
 * from the API's OpenAPI document. openapi-python-client reads OpenAPI 3.1 as it is.
 *
 *   node clients/python/scripts/generate.js                                     # from the code (what GET /openapi.json serves)
 *   node clients/python/scripts/generate.js http://localhost:3000/openapi.json  # from a running API
 *   node clients/python/scripts/generate.js --stdin --out DIR < openapi.json    # into DIR (the drift check)
 */
const { execFileSync } = require('node:child_process');
const { mkdtempSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ROOT, clientToolchain, runGenerator } = require('../../scripts/openapi-document');
const GENERATED = path.join(ROOT, 'clients/python/durable_otp/generated');

/** Writes the generated package into dir, which must not exist. */
function generate(document, dir, env = clientToolchain('python')) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'otp-python-generate-'));
  try {
    const spec = path.join(work, 'openapi.json');
    writeFileSync(spec, JSON.stringify(document, null, 2));
    // Its post-hooks format with the pinned ruff, found on PATH.
    execFileSync(
      path.join(env, 'bin/openapi-python-client'),
      [
        'generate',
        '--path',
        spec,
        '--output-path',
        dir,
        '--meta',
        'none',
        '--config',
        path.join(ROOT, 'clients/python/openapi-python-client.yaml'),
        '--fail-on-warning',
      ],
      {
        cwd: work,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: {
          ...process.env,
          PATH: `${path.join(env, 'bin')}${path.delimiter}${process.env.PATH}`,
          PYTHONDONTWRITEBYTECODE: '1',
          RUFF_NO_CACHE: 'true',
        },
      },
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

runGenerator(GENERATED, generate);
