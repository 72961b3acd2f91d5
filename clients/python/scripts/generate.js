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
const { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const GENERATED = path.join(ROOT, 'clients/python/durable_otp/generated');

async function documentFrom(source) {
  if (source === '--stdin') return JSON.parse(readFileSync(0, 'utf8'));
  if (source) {
    const response = await globalThis.fetch(source);
    if (!response.ok) throw new Error(`GET ${source} answered ${response.status}`);
    return response.json();
  }
  // What GET /openapi.json serves, from the compiled code (npm run build first).
  return require(path.join(ROOT, 'dist/src/http/openapi.js')).openApiDocument();
}

/** The virtualenv with the pinned generator, made once per machine into ~/.cache/durable-otp. */
function generatorEnv() {
  return execFileSync(path.join(ROOT, 'scripts/client-toolchains.sh'), ['python'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** Writes the generated package into dir, which must not exist. */
function generate(document, dir, env = generatorEnv()) {
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

async function main() {
  const args = process.argv.slice(2);
  const outAt = args.indexOf('--out');
  const out = outAt >= 0 ? args.splice(outAt, 2)[1] : undefined;
  const source = args[0];
  const document = await documentFrom(source);
  if (out) return void generate(document, path.resolve(out));
  // Into a fresh directory first, so that a failure leaves the committed package as it was.
  const fresh = `${GENERATED}.new`;
  rmSync(fresh, { recursive: true, force: true });
  generate(document, fresh);
  rmSync(GENERATED, { recursive: true, force: true });
  renameSync(fresh, GENERATED);
  process.stdout.write(`wrote ${path.relative(process.cwd(), GENERATED)} from ${source ?? 'the API code'}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
