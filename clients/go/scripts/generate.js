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
const { mkdtempSync, rmSync, writeFileSync, mkdirSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { ROOT, clientToolchain, runGenerator } = require('../../scripts/openapi-document');
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

/** Writes the generated package's files into dir. */
function generate(document, dir, generator = clientToolchain('go')) {
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

runGenerator(GENERATED, generate);
