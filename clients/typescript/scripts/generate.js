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
const { writeFileSync } = require('node:fs');
const path = require('node:path');

const { ROOT, openApiDocument, exitWith } = require('../../scripts/openapi-document');
const SCHEMA_FILE = path.join(ROOT, 'clients/typescript/src/schema.ts');

/** The same options every time, so that the output can be compared byte for byte. */
async function typesFromDocument(document) {
  const { default: openapiTS, astToString } = require('openapi-typescript');
  // Request fields with a default (verification, metadata, sandbox_mode) stay optional.
  return astToString(await openapiTS(document, { defaultNonNullable: false, silent: true }));
}

async function main() {
  const source = process.argv[2];
  const stdout = source === '--stdout';
  const types = await typesFromDocument(
    await openApiDocument(stdout ? undefined : source, { stdin: stdout }),
  );
  if (stdout) return void process.stdout.write(types);
  writeFileSync(SCHEMA_FILE, types);
  process.stdout.write(
    `wrote ${path.relative(process.cwd(), SCHEMA_FILE)} from ${source ?? 'the API code'}\n`,
  );
}

main().catch(exitWith);
