import fc from "fast-check";

/**
 * fast-check arbitraries derived from the OpenAPI document's JSON Schemas (which the routes' zod
 * contracts generate), so every route is fuzzed from its own contract. Strings are mixed with
 * hostile ones: right-to-left overrides, emoji, NUL, lone surrogates, SQL and HTML injection.
 */

export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  format?: string;
};

export interface SchemaDocument {
  components?: { schemas?: Record<string, JsonSchema> };
}

export const HOSTILE_STRINGS = [
  "' OR '1'='1",
  "'); DROP TABLE businesses; --",
  '" OR ""="',
  "1; SELECT * FROM api_keys --",
  "%' UNION SELECT hash, prefix FROM api_keys --",
  "<script>alert(1)</script>",
  '<img src=x onerror="alert(1)">',
  "javascript:alert(1)",
  // Template-injection probe: the placeholder is meant literally.
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a hostile input, not a template
  "{{7*7}}${7*7}",
  "../../../../etc/passwd",
  "\u202Egnp.exe",
  "\u200F\u0645\u0631\u062D\u0628\u0627 \u05E9\u05DC\u05D5\u05DD",
  "🧵👟🏭🇮🇩👨‍👩‍👧‍👦",
  "a\u0000b",
  "\u0000",
  "\uD800",
  "x\uDFFFy",
  "\uFEFF\u200B\u2028\u2029",
  "Z\u0351\u0363\u0364a\u0351\u0352l\u0350g\u0352o",
  " ",
  "",
  "null",
  "undefined",
  "NaN",
  `kmt_aaaaaaaa_${"a".repeat(40)}`,
  "biz_' OR 1=1 --",
  "e".repeat(5000),
] as const;

export const hostileString: fc.Arbitrary<string> = fc.constantFrom(...HOSTILE_STRINGS);

/** Any string: mostly unicode-rich, sometimes hostile. */
export const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 2, arbitrary: hostileString },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

function resolve(schema: JsonSchema, doc: SchemaDocument): JsonSchema {
  let s = schema;
  for (let i = 0; s.$ref && i < 10; i++) {
    const name = s.$ref.split("/").at(-1) ?? "";
    s = doc.components?.schemas?.[name] ?? {};
  }
  return s;
}

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.min(s.maxLength ?? 60, 60);
  let valid: fc.Arbitrary<string>;
  if (s.format === "email") valid = fc.emailAddress();
  else if (s.format === "date-time") {
    valid = fc
      .date({ min: new Date("2000-01-01"), max: new Date("2100-01-01"), noInvalidDate: true })
      .map((d) => d.toISOString());
  } else if (s.format === "uri") valid = fc.webUrl();
  else if (s.pattern) {
    try {
      valid = fc.stringMatching(new RegExp(s.pattern));
    } catch {
      valid = fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
    }
  } else valid = fc.string({ minLength, maxLength: Math.max(minLength, maxLength) });
  return fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: anyString });
}

/**
 * Values for `schema`: mostly valid, with hostile strings, wrong types and unknown fields mixed in
 * (weights keep most requests close enough to the contract to reach the handlers).
 */
export function fromSchema(schema: JsonSchema, doc: SchemaDocument, depth = 0): fc.Arbitrary<unknown> {
  const s = resolve(schema, doc);
  const wrong = fc.oneof(fc.jsonValue({ maxDepth: 2 }), hostileString);
  const mix = (valid: fc.Arbitrary<unknown>) =>
    fc.oneof({ weight: 9, arbitrary: valid }, { weight: 1, arbitrary: wrong });
  if (depth > 6) return wrong;
  if (s.const !== undefined) return mix(fc.constant(s.const));
  if (s.enum) return mix(fc.constantFrom(...s.enum));
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => fromSchema(a, doc, depth + 1)));
  if (s.allOf?.[0]) return fromSchema(s.allOf[0], doc, depth + 1);
  const types = Array.isArray(s.type) ? s.type : s.type ? [s.type] : [];
  if (types.length > 1) return fc.oneof(...types.map((type) => fromSchema({ ...s, type }, doc, depth + 1)));
  switch (types[0]) {
    case "null":
      return fc.constant(null);
    case "string":
      return mix(stringArbitrary(s));
    case "integer":
      return mix(fc.integer({ min: s.minimum ?? -1_000_000, max: s.maximum ?? 1_000_000 }));
    case "number":
      return mix(
        fc.double({ min: s.minimum ?? -1e9, max: s.maximum ?? 1e9, noNaN: true, noDefaultInfinity: true }),
      );
    case "boolean":
      return mix(fc.boolean());
    case "array": {
      if (s.prefixItems) return mix(fc.tuple(...s.prefixItems.map((p) => fromSchema(p, doc, depth + 1))));
      const items = s.items ? fromSchema(s.items, doc, depth + 1) : fc.jsonValue({ maxDepth: 1 });
      const minLength = s.minItems ?? 0;
      return mix(
        fc.array(items, { minLength, maxLength: Math.max(minLength, Math.min(s.maxItems ?? 4, 4)) }),
      );
    }
    case "object": {
      const props = s.properties ?? {};
      const required = new Set(s.required ?? []);
      const record = fc.record(
        Object.fromEntries(Object.entries(props).map(([k, v]) => [k, fromSchema(v, doc, depth + 1)])),
        // Drop a required field now and then, too.
        { requiredKeys: [...required].filter(() => true) },
      );
      const withExtra = fc
        .tuple(record, fc.option(fc.tuple(anyString, fc.jsonValue({ maxDepth: 1 })), { freq: 8 }))
        .map(([value, extra]) => (extra ? { ...(value as object), [extra[0]]: extra[1] } : value));
      const missingOne = record.chain((value) => {
        const keys = Object.keys(value as object);
        if (keys.length === 0) return fc.constant(value);
        return fc.constantFrom(...keys).map((k) => {
          const copy = { ...(value as Record<string, unknown>) };
          delete copy[k];
          return copy;
        });
      });
      return fc.oneof(
        { weight: 7, arbitrary: withExtra },
        { weight: 1, arbitrary: missingOne },
        { weight: 1, arbitrary: wrong },
      );
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}
