// Starts the API reference on /docs from /openapi.json. A file, not an inline script, so the page's
// CSP can allow scripts from this origin only. Scalar's own fonts and services are off: the page
// uses system fonts and talks to this origin alone.
window.Scalar.createApiReference("#api-reference", {
  url: "/openapi.json",
  withDefaultFonts: false,
  telemetry: false,
  showDeveloperTools: "never",
  agent: { disabled: true },
  hideClientButton: false,
  documentDownloadType: "json",
});
