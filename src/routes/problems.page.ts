import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import { ERROR_CATALOGUE, type ErrorCode } from "../errors";

/**
 * The human page behind a problem's `type` URI (RFC 9457 asks that it document the problem type).
 * Self-contained, no script, like /docs.
 */
export function renderProblemPage(code: ErrorCode): HtmlEscapedString | Promise<HtmlEscapedString> {
  const entry = ERROR_CATALOGUE[code];
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${code}: ${entry.title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .2rem}</style>
</head>
<body>
<h1><code>${code}</code></h1>
<p><strong>${entry.status} ${entry.title}</strong></p>
<p>${entry.description}</p>
<p>An error with this code is answered as <code>application/problem+json</code> (RFC 9457): <code>code</code> is
stable, <code>detail</code> explains the occurrence, <code>requestId</code> identifies the request in our logs.
<a href="/problems">All codes</a> · <a href="/docs">API reference</a></p>
</body>
</html>`;
}
