#!/usr/bin/env node
/**
 * Regenerates otpapi/otpapi.gen.go, the Go client's types and calls, with oapi-codegen (pinned in
 * tools/go.mod, built by scripts/client-toolchains.sh) from the API's OpenAPI document.
 *
 *   node clients/go/scripts/generate.js                                 # from the code (what GET /openapi.json serves)
 *   node clients/go/scripts/generate.js http://localhost:3000/openapi.json   # from a running API
 *   node clients/go/scripts/generate.js --stdin --out DIR < openapi.json     # into DIR (the drift check)
 *
 * oapi-codegen reads OpenAPI 3.1 itself, with one exception handled by forOapiCodegen below.
 */
const { execFileSync } = require('node:child_process');
const { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync, renameSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const MODULE = path.join(ROOT, 'clients/go');
const GENERATED = path.join(MODULE, 'otpapi');
const FILE = 'otpapi.gen.go';

const pascal = (name) =>
  name.replace(/(^|[^A-Za-z0-9]+)([A-Za-z0-9])/g, (_, _sep, first) => first.toUpperCase());

const isObjectSchema = (schema) =>
  schema !== null && typeof schema === 'object' && schema.type === 'object' && schema.properties;

/** Drops JSON Schema's content keywords, everywhere. */
function withoutContentKeywords(node) {
  if (Array.isArray(node)) return node.map(withoutContentKeywords);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'contentEncoding' || key === 'contentMediaType' || key === 'contentSchema') continue;
    out[key] = withoutContentKeywords(value);
  }
  return out;
}

/** Names each object schema nested in a component's properties after its path (x-go-type-name). */
function nameNestedObjects(schema, name) {
  for (const [property, child] of Object.entries(schema.properties ?? {})) {
    if (!isObjectSchema(child)) continue;
    const childName = `${name}${pascal(property)}`;
    child['x-go-type-name'] ??= childName;
    nameNestedObjects(child, childName);
  }
}

/**
 * The document as oapi-codegen should read it, derived mechanically (never edited by hand):
 * - JSON Schema's content keywords (contentEncoding, contentMediaType, contentSchema: the list
 *   cursor says it is base64url of a JSON array) make oapi-codegen type a string as
 *   openapi_types.File, which a query parameter cannot carry; without them it is the plain string
 *   it is on the wire.
 * - An object nested in a schema's properties (a send's `recipients`, `config`, `fallback`)
 *   becomes an anonymous struct, which a caller cannot name to fill in; `x-go-type-name` gives it
 *   its path's name (SendRequestRecipients, SendRequestConfig…).
 */
function forOapiCodegen(document) {
  const derived = withoutContentKeywords(document);
  for (const [name, schema] of Object.entries(derived.components?.schemas ?? {})) {
    if (isObjectSchema(schema)) nameNestedObjects(schema, name);
  }
  return derived;
}

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

/** The pinned oapi-codegen, built once per machine into ~/.cache/durable-otp. */
function oapiCodegen() {
  return execFileSync(path.join(ROOT, 'scripts/client-toolchains.sh'), ['go'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** Writes the generated package's files into dir. */
function generate(document, dir, generator = oapiCodegen()) {
  const work = mkdtempSync(path.join(os.tmpdir(), 'otp-go-generate-'));
  try {
    const spec = path.join(work, 'openapi.json');
    writeFileSync(spec, JSON.stringify(forOapiCodegen(document), null, 2));
    mkdirSync(dir, { recursive: true });
    execFileSync(
      generator,
      ['-config', path.join(MODULE, 'oapi-codegen.yaml'), '-o', path.join(dir, FILE), spec],
      { stdio: ['ignore', 'inherit', 'inherit'] },
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
