import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";

/**
 * A self-contained API reference rendered from the OpenAPI document: no CDN, no script, so it
 * works offline and under a strict CSP. `/openapi.json` remains the source of truth for tooling.
 */

interface ParameterLike {
  name?: string;
  in?: string;
  required?: boolean;
  description?: string;
  /** A shared parameter (`#/components/parameters/...`), such as Idempotency-Key. */
  $ref?: string;
}

interface OperationLike {
  operationId?: string;
  summary?: string;
  description?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  parameters?: Array<ParameterLike>;
  requestBody?: { content?: Record<string, { schema?: { $ref?: string } }> };
  responses?: Record<string, { description?: string }>;
}

interface DocumentLike {
  info: { title: string; version: string; description?: string };
  paths?: object;
  components?: { parameters?: Record<string, ParameterLike> };
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

function refName(ref: string | undefined): string | undefined {
  return ref?.split("/").at(-1);
}

function operationHtml(
  method: string,
  path: string,
  op: OperationLike,
  shared: Record<string, ParameterLike>,
): HtmlEscapedString | Promise<HtmlEscapedString> {
  const params = (op.parameters ?? []).map((p) => (p.$ref ? (shared[refName(p.$ref) ?? ""] ?? p) : p));
  const body = refName(op.requestBody?.content?.["application/json"]?.schema?.$ref);
  const auth = (op.security ?? []).length > 0 ? "API key (Bearer)" : "none";
  return html`<section id="${op.operationId ?? ""}">
    <h3><code class="m">${method.toUpperCase()}</code> <code>${path}</code></h3>
    <p><strong>${op.summary ?? ""}</strong> <small>(${op.operationId ?? ""}; auth: ${auth})</small></p>
    ${op.description ? html`<p>${op.description}</p>` : ""}
    ${
      params.length > 0
        ? html`<table><tr><th>parameter</th><th>in</th><th></th></tr>${params.map(
            (p) =>
              html`<tr><td><code>${p.name ?? ""}</code>${p.required ? " *" : ""}</td><td>${p.in ?? ""}</td><td>${p.description ?? ""}</td></tr>`,
          )}</table>`
        : ""
    }
    ${body ? html`<p>Body: <code>${body}</code> (JSON; see <a href="/openapi.json">openapi.json</a>)</p>` : ""}
    <p>Responses: ${Object.entries(op.responses ?? {}).map(
      ([code, r]) => html`<span class="r" title="${r.description ?? ""}">${code}</span> `,
    )}</p>
  </section>`;
}

export function renderDocsPage(doc: DocumentLike) {
  const ops: Array<{ tag: string; method: string; path: string; op: OperationLike }> = [];
  for (const [path, item] of Object.entries(
    (doc.paths ?? {}) as Record<string, Record<string, OperationLike>>,
  )) {
    for (const method of METHODS) {
      const op = item?.[method];
      if (op) ops.push({ tag: op.tags?.[0] ?? "Other", method, path, op });
    }
  }
  const tags = [...new Set(ops.map((o) => o.tag))];
  const shared = doc.components?.parameters ?? {};
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} API</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
code{background:#f3f3f3;padding:0 .25em;border-radius:3px}.m{font-weight:bold}
section{border-top:1px solid #ddd;padding:.5rem 0}table{border-collapse:collapse}
td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}.r{background:#eef;padding:0 .3em;border-radius:3px}
</style></head><body>
<h1>${doc.info.title} <small>${doc.info.version}</small></h1>
${doc.info.description ? html`<p>${doc.info.description}</p>` : ""}
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Authenticate with
<code>Authorization: Bearer kmt_…</code>. Errors are <code>application/problem+json</code> (RFC 9457).</p>
${tags.map(
  (tag) =>
    html`<h2>${tag}</h2>${ops.filter((o) => o.tag === tag).map((o) => operationHtml(o.method, o.path, o.op, shared))}`,
)}
</body></html>`;
}
