/**
 * What every client's generator starts from: the API's OpenAPI document, read from standard input
 * (the drift checks), fetched from a running API, or taken from the compiled code (what
 * GET /openapi.json serves; `npm run build` first). And the pinned generator toolchains that
 * scripts/client-toolchains.sh installs once per machine into ~/.cache/durable-otp.
 */
const { execFileSync } = require('node:child_process');
const { readFileSync, renameSync, rmSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../..');

/** `stdin`: read the document from standard input; else `source` is a URL, or absent. */
async function openApiDocument(source, { stdin = false } = {}) {
  if (stdin) return JSON.parse(readFileSync(0, 'utf8'));
  if (source) {
    const response = await globalThis.fetch(source);
    if (!response.ok) throw new Error(`GET ${source} answered ${response.status}`);
    return response.json();
  }
  return require(path.join(ROOT, 'dist/src/http/openapi.js')).openApiDocument();
}

/** The path scripts/client-toolchains.sh prints for `language` (python: a virtualenv; go: oapi-codegen). */
function clientToolchain(language) {
  return execFileSync(path.join(ROOT, 'scripts/client-toolchains.sh'), [language], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/**
 * A generator's command line: `[URL | --stdin] [--out DIR]`. With --out, `generate(document, dir)`
 * writes into DIR (the drift checks); without, into a fresh directory that then replaces
 * `generated`, so a failure leaves the committed package as it was.
 */
function runGenerator(generated, generate) {
  async function main() {
    const args = process.argv.slice(2);
    const outAt = args.indexOf('--out');
    const out = outAt >= 0 ? args.splice(outAt, 2)[1] : undefined;
    const stdin = args[0] === '--stdin';
    const source = stdin ? undefined : args[0];
    const document = await openApiDocument(source, { stdin });
    if (out) return void generate(document, path.resolve(out));
    const fresh = `${generated}.new`;
    rmSync(fresh, { recursive: true, force: true });
    generate(document, fresh);
    rmSync(generated, { recursive: true, force: true });
    renameSync(fresh, generated);
    process.stdout.write(
      `wrote ${path.relative(process.cwd(), generated)} from ${source ?? 'the API code'}\n`,
    );
  }
  main().catch(exitWith);
}

/** A generator's failure: its message on stderr, exit status 1. */
function exitWith(err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

module.exports = { ROOT, openApiDocument, clientToolchain, runGenerator, exitWith };
