import { createRoute, z } from "@hono/zod-openapi";
import { assertOfficer, requireOfficer } from "../auth/middleware";
import { ApiError } from "../errors";
import { bodyErrorResponses, commonErrorResponses } from "../http/problem";
import { actorOf } from "../services/audit/audit.queries";
import { importBusinesses } from "../services/businesses/business-import.service";
import { IMPORT_COLUMNS, MAX_IMPORT_ROWS } from "../services/businesses/business-import.validate";
import { bearerSecurity, createRouter, json, recomputeDeps } from "./router";

/** Mounted under /v1; app.ts gives this path (only) the larger body limit. */
export const IMPORT_PATH = "/v1/businesses/import";

/** Largest CSV accepted: 10,000 rows of full profiles fit with room to spare. */
export const IMPORT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;

const ImportQuerySchema = z.strictObject({
  atomic: z
    .enum(["true", "false"])
    .default("false")
    .openapi({
      description:
        "`true`: all or nothing (any failing row fails the import and nothing is written). " +
        "`false` (default): valid rows are written, failing rows reported.",
    }),
});

const RowErrorSchema = z
  .object({
    line: z.number().int().openapi({ description: "Physical line in the file (1-based; the header is 1)." }),
    column: z.string().openapi({ example: "kbli" }),
    path: z.string().openapi({ example: "kbli.0.code", description: "The field in the create contract." }),
    message: z.string(),
  })
  .openapi("ImportRowError");

const ImportReportSchema = z
  .object({
    importId: z.string().openapi({ example: "imp_01KB1WQ4ZJ8M6V3T0X9YB2C7DE" }),
    mode: z.enum(["atomic", "partial"]),
    delimiter: z.enum([",", ";", "\t"]),
    rows: z.number().int().openapi({ description: "Data rows in the file." }),
    imported: z.number().int(),
    failed: z.number().int().openapi({ description: "Rows not imported (see `errors`)." }),
    businesses: z.array(
      z.object({ line: z.number().int(), id: z.string(), name: z.string(), nib: z.string().nullable() }),
    ),
    errors: z.array(RowErrorSchema),
    writes: z.object({ batches: z.number().int(), statements: z.number().int() }),
  })
  .openapi("ImportReport");

const CSV_TYPES = new Set(["text/csv", "application/csv"]);

export const importBusinessesRoute = createRoute({
  method: "post",
  path: "/businesses/import",
  operationId: "importBusinesses",
  summary: "Import businesses from CSV (officers)",
  description:
    `UTF-8 CSV (with or without BOM), comma or semicolon separated (detected from the header), quoted ` +
    `fields may hold separators, quotes ("") and line breaks. Up to ${MAX_IMPORT_ROWS} rows and 10 MiB. ` +
    `Columns (header names, any order, case-insensitive): ${IMPORT_COLUMNS.join(", ")}. Required: name, ` +
    "sector, kbli, sizeClass, email, and kelurahan (Kota Mojokerto) or city + lat + lng. `kbli`: 1-5 codes " +
    "separated by `|`; `kbliVersion` 2020 (default) or 2025 applies to all. Booleans true/false, ya/tidak, " +
    "1/0; numbers may use a decimal comma. Every row is validated exactly as `POST /v1/businesses` " +
    "validates a body; errors name the physical line, column and field. A NIB repeated in the file or " +
    "already registered fails its row. Imported businesses are published, get no API key, and are " +
    "audited (`import`, with the import id and line); a full recompute of stored suggestions follows.",
  tags: ["Businesses"],
  security: bearerSecurity,
  middleware: [requireOfficer] as const,
  request: {
    query: ImportQuerySchema,
    body: {
      required: true,
      content: { "text/csv": { schema: z.string().openapi({ format: "binary" }) } },
    },
  },
  responses: {
    201: json(ImportReportSchema, "Imported (partial mode: with the failing rows in `errors`)."),
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

function unsupportedMediaType(): ApiError {
  return new ApiError("unsupported_media_type", "Send the body as text/csv in UTF-8.");
}

/** The body as text: text/csv in UTF-8 (a BOM is dropped), anything else is refused. */
async function readCsv(request: Request): Promise<string> {
  const [type = "", ...params] = (request.headers.get("Content-Type") ?? "").split(";");
  if (!CSV_TYPES.has(type.trim().toLowerCase())) throw unsupportedMediaType();
  const charset = params
    .map((p) => p.trim().toLowerCase())
    .find((p) => p.startsWith("charset="))
    ?.slice("charset=".length)
    .replace(/"/g, "");
  if (charset && charset !== "utf-8" && charset !== "utf8") throw unsupportedMediaType();
  const bytes = await request.arrayBuffer();
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new ApiError("malformed_body", "The file is not valid UTF-8.");
  }
}

export const importsRoutes = createRouter().openapi(importBusinessesRoute, async (c) => {
  const officer = assertOfficer(c.get("principal"));
  const csv = await readCsv(c.req.raw);
  const report = await importBusinesses(recomputeDeps(c), {
    csv,
    atomic: c.req.valid("query").atomic === "true",
    actor: actorOf(officer),
    now: Date.now(),
  });
  return c.json(report, 201);
});
