#!/usr/bin/env node
/**
 * Regenerates src/schema.ts, the typed client's types, with openapi-typescript from the API's
 * OpenAPI document. Plain Node (openapi-typescript loads ES modules that jest cannot), so the
 * drift check runs it too.
 *
 *   npm run client:generate                                         # from the code (what GET /openapi.json serves)
 *   npm run client:generate -- http://localhost:3000/openapi.json   # from a running API
 *   node clients/typescript/scripts/generate.js --stdout < openapi.json   # types on stdout
 */
const { readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const SCHEMA_FILE = path.join(ROOT, 'clients/typescript/src/schema.ts');

/** The same options every time, so that the output can be compared byte for byte. */
async function typesFromDocument(document) {
  const { default: openapiTS, astToString } = require('openapi-typescript');
  // Request fields with a default (verification, metadata, sandbox_mode) stay optional.
  return astToString(await openapiTS(document, { defaultNonNullable: false, silent: true }));
}

async function documentFrom(source) {
  if (source === '--stdout') return JSON.parse(readFileSync(0, 'utf8'));
  if (source) {
    const response = await globalThis.fetch(source);
    if (!response.ok) throw new Error(`GET ${source} answered ${response.status}`);
    return response.json();
  }
  // What GET /openapi.json serves, from the compiled code (the npm script compiles first).
  return require(path.join(ROOT, 'dist/src/http/openapi.js')).openApiDocument();
}

async function main() {
  const source = process.argv[2];
  const types = await typesFromDocument(await documentFrom(source));
  if (source === '--stdout') return void process.stdout.write(types);
  writeFileSync(SCHEMA_FILE, types);
  process.stdout.write(
    `wrote ${path.relative(process.cwd(), SCHEMA_FILE)} from ${source ?? 'the API code'}\n`,
  );
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
