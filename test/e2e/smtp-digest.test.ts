import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { createDb } from "../../src/db";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { BUNDLE_DIR } from "./build-worker";
import { type ReceivedMail, type SmtpSink, startSmtpSink } from "./smtp-sink";

/**
 * The weekly digest delivered for real: the bundled Worker (wrangler deploy --dry-run output) with
 * MAIL_PROVIDER=smtp runs the send-digests job (as an admin would) against a local smtp-server that
 * requires AUTH; the test reads what arrived: headers, both parts, the signed unsubscribe link, and
 * that the link unsubscribes by the one-click POST and a rerun sends nothing twice.
 */

const root = path.resolve(import.meta.dirname, "../..");
const credentials = { user: "kemitraan", password: "test-only-password" };
let sink: SmtpSink;
let server: TestHarness;
let admin = "";

async function register(body: Record<string, unknown>): Promise<string> {
  const res = await server.fetch("/v1/businesses", {
    method: "POST",
    headers: { Authorization: `Bearer ${admin}`, "Content-Type": "application/json" },
    body: JSON.stringify({ sizeClass: "mikro", location: { kelurahan: "Kedundung" }, ...body }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { business: { id: string } }).business.id;
}

async function runJob(name: string): Promise<Record<string, unknown>> {
  const res = await server.fetch(`/v1/admin/jobs/${name}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${admin}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { report: Record<string, unknown> }).report;
}

const to = (address: string) => (m: ReceivedMail) => m.envelope.to.includes(address);

function header(mail: ReceivedMail, key: string): string | undefined {
  return mail.parsed.headerLines.find((h) => h.key === key)?.line;
}

beforeAll(async () => {
  sink = await startSmtpSink({ auth: credentials, from: "noreply@kemitraan.test" });
  server = createTestHarness({
    root,
    workers: [
      {
        configPath: "./wrangler.toml",
        prebuiltWorkerDir: BUNDLE_DIR,
        // One-click unsubscribe (List-Unsubscribe-Post) is only offered with an https origin.
        vars: { ...sink.workerVars(), PUBLIC_BASE_URL: "https://kemitraan.example" },
        secrets: { ...sink.workerSecrets(), DIGEST_SIGNING_KEY: "e2e-digest-signing-key" },
      },
    ],
  });
  await server.listen();
  const worker = server.getWorker<Env>();
  await worker.applyD1Migrations("DB");
  const env = await worker.getEnv();
  admin = (
    await createApiKey(
      { db: createDb(env.DB) },
      { kind: "officer", role: "admin", label: "e2e digest", now: Date.now() },
    )
  ).plaintext;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await sink?.stop();
});

describe("the weekly digest over SMTP, from the bundled Worker", () => {
  it("delivers a bilingual-ready digest with both parts and a working one-click unsubscribe, once", async () => {
    const caterer = await register({
      name: "Katering Rasa Majapahit",
      email: "dapur@katering.example.id",
      language: "id",
      sector: "service",
      kbli: [{ code: "56210", version: "2020" }],
      offers: "Katering nasi kotak untuk kantor dan hajatan.",
      needs: "Pemasok kue basah dan onde-onde setiap hari, kemasan kotak makanan.",
    });
    const bakery = await register({
      name: "Onde-Onde Bu Tini",
      email: "tini@onde.example.id",
      language: "en",
      sector: "industry",
      kbli: [{ code: "10710", version: "2020" }],
      offers: "Onde-onde dan kue basah segar, pesanan harian untuk katering dan toko.",
      needs: "Pelanggan katering dan toko oleh-oleh.",
    });
    // Each business's stored suggestions exist once read (the nightly job would refresh them too).
    for (const id of [caterer, bakery]) {
      const res = await server.fetch(`/v1/businesses/${id}/matches`, {
        headers: { Authorization: `Bearer ${admin}` },
      });
      expect(res.status).toBe(200);
    }

    const report = await runJob("send-digests");
    expect(report).toMatchObject({ failed: 0, remaining: 0 });
    expect(report.sent).toBeGreaterThanOrEqual(2);

    const mail = await sink.waitFor(to("dapur@katering.example.id"));
    expect(header(mail, "from")).toBe('From: "Kemitraan Kota Mojokerto" <noreply@kemitraan.test>');
    expect(mail.parsed.subject).toMatch(/^Kemitraan: /);
    expect(mail.parsed.subject).toContain("Katering Rasa Majapahit");
    const text = mail.parsed.text ?? "";
    const html = typeof mail.parsed.html === "string" ? mail.parsed.html : "";
    expect(text).toContain("Onde-Onde Bu Tini");
    expect(html).toContain("Onde-Onde Bu Tini");
    expect(html).toContain('<html lang="id">');

    const listUnsubscribe = header(mail, "list-unsubscribe") ?? "";
    const link = listUnsubscribe.match(
      /<(https:\/\/kemitraan\.example\/v1\/digests\/unsubscribe\?[^>]+)>/,
    )?.[1];
    expect(link).toBeDefined();
    expect(header(mail, "list-unsubscribe-post")).toBe("List-Unsubscribe-Post: List-Unsubscribe=One-Click");
    expect(text).toContain(link ?? "-");
    expect(html).toContain((link ?? "-").replaceAll("&", "&amp;"));

    // The English-speaking partner gets the English digest.
    const english = await sink.waitFor(to("tini@onde.example.id"));
    expect(typeof english.parsed.html === "string" ? english.parsed.html : "").toContain('<html lang="en">');
    expect(english.parsed.text).toContain("Katering Rasa Majapahit");

    // What a mail client does on "unsubscribe": POST the link with the RFC 8058 body.
    const url = new URL(link ?? "https://x");
    const unsubscribed = await server.fetch(url.pathname + url.search, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(unsubscribed.status).toBeLessThan(300);

    // A second run in the same week sends nothing again: exactly once per recipient and period.
    const before = sink.messages.length;
    const rerun = await runJob("send-digests");
    expect(rerun).toMatchObject({ sent: 0, failed: 0 });
    expect(sink.messages.length).toBe(before);
  });
});
