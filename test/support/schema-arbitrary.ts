/**
 * fast-check arbitraries from the JSON Schemas (2020-12) of an OpenAPI document, for the
 * schema-driven fuzzer (test/openapi-fuzz.test.ts). Generates from the structural keywords
 * (type, const, enum, properties, items, bounds, pattern, formats, contentSchema); the assertions
 * that relate fields to each other (allOf of if/then, oneOf of `required`, not, contains) are
 * left to the caller, which keeps only values a validator of the whole schema accepts.
 */
import fc from 'fast-check';
import { getCountries, getExampleNumber } from 'libphonenumber-js/max';
import mobileExamples from 'libphonenumber-js/mobile/examples';

/** One valid mobile number per country, in E.164. */
const PHONE_EXAMPLES = getCountries()
  .map((country) => getExampleNumber(country, mobileExamples)?.number)
  .filter((number): number is NonNullable<typeof number> => number !== undefined)
  .map(String);

export type JsonSchema = { [keyword: string]: unknown };

/** Bounds that keep one request small: the fuzzer is about shapes, not sizes. */
const MAX_ITEMS = 4;
const MAX_EXTRA_KEYS = 4;
const MAX_FREE_STRING = 40;

export function resolveRef(root: JsonSchema, ref: string): JsonSchema {
  if (!ref.startsWith('#/')) throw new Error(`only local references are supported: ${ref}`);
  let node: unknown = root;
  for (const part of ref.slice(2).split('/')) {
    node = (node as JsonSchema)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    if (node === undefined) throw new Error(`unresolved reference ${ref}`);
  }
  return node as JsonSchema;
}

/** A member of oneOf/anyOf that describes a value by itself (not only a `required` list). */
const describesValue = (schema: JsonSchema) =>
  ['type', 'const', 'enum', '$ref', 'properties', 'items', 'oneOf', 'anyOf'].some((k) => k in schema);

export function arbitraryOf(schema: JsonSchema, root: JsonSchema): fc.Arbitrary<unknown> {
  if (typeof schema.$ref === 'string') return arbitraryOf(resolveRef(root, schema.$ref), root);
  if ('const' in schema) return fc.constant(schema.const);
  if (Array.isArray(schema.enum)) return fc.constantFrom(...(schema.enum as unknown[]));
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const members = (schema[keyword] as JsonSchema[] | undefined)?.filter(describesValue) ?? [];
    if (members.length > 0) {
      const rest = Object.fromEntries(Object.entries(schema).filter(([name]) => name !== keyword));
      const own = describesValue(rest) ? [arbitraryOf(rest, root)] : [];
      // `type` next to a union (e.g. properties + oneOf of required) belongs to every member.
      return own.length > 0 && members.every((m) => !('type' in m) && !('$ref' in m))
        ? own[0]!
        : fc.oneof(...members.map((member) => arbitraryOf(member, root)));
    }
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string | undefined];
  if (types.length > 1) return fc.oneof(...types.map((type) => arbitraryOf({ ...schema, type }, root)));
  switch (types[0]) {
    case 'string':
      return stringArbitrary(schema, root);
    case 'integer':
      return fc.integer({
        min: (schema.minimum as number | undefined) ?? -1_000_000_000,
        max: (schema.maximum as number | undefined) ?? 1_000_000_000,
      });
    case 'number':
      return fc.double({
        noNaN: true,
        noDefaultInfinity: true,
        min: schema.minimum as number | undefined,
        max: schema.maximum as number | undefined,
      });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      return arrayArbitrary(schema, root);
    case 'object':
      return objectArbitrary(schema, root);
    default:
      if ('properties' in schema) return objectArbitrary(schema, root);
      if (Object.keys(schema).length === 0) return fc.jsonValue();
      throw new Error(`no generator for schema ${JSON.stringify(schema).slice(0, 200)}`);
  }
}

function stringArbitrary(schema: JsonSchema, root: JsonSchema): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const maxLength = schema.maxLength as number | undefined;
  const fits = (value: string) =>
    value.length >= minLength && (maxLength === undefined || value.length <= maxLength);
  if (schema.contentSchema && schema.contentEncoding === 'base64url') {
    // A value of the documented inner format, encoded as the document says.
    return arbitraryOf(schema.contentSchema as JsonSchema, root)
      .map((inner) => Buffer.from(JSON.stringify(inner)).toString('base64url'))
      .filter(fits);
  }
  if (schema.format === 'date-time') {
    // Real instants in the RFC 3339 forms clients write; a pattern picks the forms it allows.
    const pattern = typeof schema.pattern === 'string' ? new RegExp(schema.pattern) : undefined;
    return fc
      .tuple(
        fc.date({
          min: new Date('1970-01-01T00:00:00Z'),
          max: new Date('2100-01-01T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom('millis', 'seconds', 'nanos', 'offset'),
        fc.integer({ min: 0, max: 999_999 }),
      )
      .map(([date, form, extraDigits]) => {
        const iso = date.toISOString();
        if (form === 'seconds') return `${iso.slice(0, 19)}Z`;
        if (form === 'nanos') return `${iso.slice(0, 23)}${String(extraDigits).padStart(6, '0')}Z`;
        if (form === 'offset')
          return `${new Date(date.getTime() + 5_400_000).toISOString().slice(0, 23)}+01:30`;
        return iso;
      })
      .filter((value) => fits(value) && (!pattern || pattern.test(value)));
  }
  if (schema.format === 'e164') {
    // A pattern cannot say which numbers are valid for their country: libphonenumber's examples are.
    return fc.constantFrom(...PHONE_EXAMPLES).filter(fits);
  }
  if (typeof schema.pattern === 'string') {
    return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  }
  if (schema.format === 'email') return fc.emailAddress().filter(fits);
  if (schema.format === 'uri') return fc.webUrl().filter(fits);
  // Any Unicode text (no lone surrogates: they are not text).
  return fc.string({
    unit: 'grapheme',
    minLength,
    maxLength: Math.min(maxLength ?? MAX_FREE_STRING, MAX_FREE_STRING),
  });
}

function arrayArbitrary(schema: JsonSchema, root: JsonSchema): fc.Arbitrary<unknown[]> {
  if (Array.isArray(schema.prefixItems)) {
    return fc.tuple(...(schema.prefixItems as JsonSchema[]).map((item) => arbitraryOf(item, root)));
  }
  const item = arbitraryOf((schema.items as JsonSchema | undefined) ?? {}, root);
  const minLength = (schema.minItems as number | undefined) ?? 0;
  const maxLength = Math.max(
    minLength,
    Math.min((schema.maxItems as number | undefined) ?? MAX_ITEMS, MAX_ITEMS),
  );
  return schema.uniqueItems
    ? fc.uniqueArray(item, { minLength, maxLength, selector: (value) => JSON.stringify(value) })
    : fc.array(item, { minLength, maxLength });
}

function objectArbitrary(schema: JsonSchema, root: JsonSchema): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const declared = fc.record(
    Object.fromEntries(Object.entries(properties).map(([name, value]) => [name, arbitraryOf(value, root)])),
    { requiredKeys: Object.keys(properties).filter((name) => required.has(name)) },
  );
  const additional = schema.additionalProperties;
  const minKeys = (schema.minProperties as number | undefined) ?? 0;
  if (additional === false || additional === undefined) {
    return declared.filter((value) => Object.keys(value).length >= minKeys);
  }
  const names = schema.propertyNames
    ? (arbitraryOf({ type: 'string', ...(schema.propertyNames as JsonSchema) }, root) as fc.Arbitrary<string>)
    : fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 });
  const extra = fc.dictionary(
    names.filter((name) => !(name in properties)),
    arbitraryOf(additional === true ? {} : (additional as JsonSchema), root),
    { maxKeys: MAX_EXTRA_KEYS, noNullPrototype: true },
  );
  return fc
    .tuple(declared, extra)
    .map(([own, more]) => ({ ...more, ...own }))
    .filter((value) => Object.keys(value).length >= minKeys);
}
