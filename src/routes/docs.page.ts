import { html } from "hono/html";

/**
 * The API reference at /docs: Scalar's viewer (request bodies with their fields, every response
 * per route, Markdown descriptions) over /openapi.json. Its script is a static asset of this Worker
 * (public/assets, copied from the npm package on install), so the page loads nothing from another
 * origin; `DOCS_CSP` says so to the browser. `/openapi.json` remains the source of truth for tools.
 */

/** Scripts, data and images from this origin only; Scalar injects its styles, hence inline styles. */
export const DOCS_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
  "font-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** The script files the page loads, in order (the viewer, then our start-up call). */
export const DOCS_SCRIPTS = ["/assets/scalar-api-reference.js", "/assets/docs.js"] as const;

export function renderDocsPage(info: { title: string; version: string }) {
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${info.title} API ${info.version}</title></head><body>
<noscript><p>${info.title} API ${info.version}: the reference needs JavaScript. The machine-readable
document is <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1).</p></noscript>
<div id="api-reference"></div>
${DOCS_SCRIPTS.map((src) => html`<script src="${src}"></script>`)}
</body></html>`;
}
