import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestHarness, type TestHarness } from "wrangler";
import { createDb } from "../../src/db";
import { createApiKey } from "../../src/services/accounts/api-keys.service";
import { BUNDLE_DIR } from "./build-worker";
import { type ReceivedMail, type SmtpSink, startSmtpSink } from "./smtp-sink";

/**
 * Real SMTP delivery end to end: the bundled Worker (wrangler deploy --dry-run output) runs with
 * MAIL_PROVIDER=smtp against a local smtp-server that requires AUTH, and the test reads what
 * arrived. Today's message is the sign-in link; the digest test reuses smtp-sink.ts the same way.
 */

const root = path.resolve(import.meta.dirname, "../..");
const credentials = { user: "kemitraan", password: "test-only-password" };
let sink: SmtpSink;
let server: TestHarness;
let officer = "";

async function register(email: string, language: "id" | "en", name: string): Promise<void> {
  const res = await server.fetch("/v1/businesses", {
    method: "POST",
    headers: { Authorization: `Bearer ${officer}`, "Content-Type": "application/json" },
    body: JSON.stringify({
      name,
      email,
      language,
      sizeClass: "mikro",
      sector: "service",
      kbli: [{ code: "56210", version: "2020" }],
      location: { kelurahan: "Kedundung" },
      offers: "Katering nasi kotak untuk kantor.",
      needs: "Pemasok kemasan makanan.",
    }),
  });
  expect(res.status).toBe(201);
}

async function requestLink(email: string): Promise<void> {
  const res = await server.fetch("/v1/auth/email-link", {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email }),
  });
  expect(res.status).toBe(202);
}

const to = (address: string) => (m: ReceivedMail) => m.envelope.to.includes(address);

function header(mail: ReceivedMail, key: string): string | undefined {
  return mail.parsed.headerLines.find((h) => h.key === key)?.line;
}

beforeAll(async () => {
  sink = await startSmtpSink({
    auth: credentials,
    from: "noreply@kemitraan.test",
    refuseRecipient: (address) =>
      address.startsWith("bounce@") ? { code: 550, message: "5.1.1 No such mailbox" } : undefined,
  });
  server = createTestHarness({
    root,
    workers: [
      {
        configPath: "./wrangler.toml",
        prebuiltWorkerDir: BUNDLE_DIR,
        vars: sink.workerVars(),
        secrets: sink.workerSecrets(),
      },
    ],
  });
  await server.listen();
  const worker = server.getWorker<Env>();
  await worker.applyD1Migrations("DB");
  const env = await worker.getEnv();
  officer = (
    await createApiKey({ db: createDb(env.DB) }, { kind: "officer", label: "e2e smtp", now: Date.now() })
  ).plaintext;
}, 120_000);

afterAll(async () => {
  await server?.close();
  await sink?.stop();
});

describe("the bundled Worker sending over SMTP", () => {
  it("delivers the sign-in link email, authenticated, with headers, a text and an HTML part", async () => {
    await register("pemilik@katering.example.id", "id", "Katering Rasa Majapahit");
    await requestLink("Pemilik@Katering.example.id");
    const mail = await sink.waitFor(to("pemilik@katering.example.id"));

    expect(mail.user).toBe(credentials.user);
    expect(mail.envelope).toEqual({ from: "noreply@kemitraan.test", to: ["pemilik@katering.example.id"] });
    expect(mail.parsed.subject).toBe("Tautan masuk Kemitraan");
    expect(header(mail, "from")).toBe('From: "Kemitraan Kota Mojokerto" <noreply@kemitraan.test>');
    expect(header(mail, "to")).toBe("To: pemilik@katering.example.id");
    expect(mail.parsed.messageId).toMatch(/^<[0-9a-f-]{36}@kemitraan\.test>$/);
    expect(Math.abs((mail.parsed.date?.getTime() ?? 0) - Date.now())).toBeLessThan(60_000);
    expect(mail.raw).toMatch(/^MIME-Version: 1\.0\r$/m);
    for (const line of mail.raw.split("\r\n")) expect(line.length).toBeLessThanOrEqual(998);

    const text = mail.parsed.text ?? "";
    expect(text).toContain("Masuk ke Kemitraan sebagai Katering Rasa Majapahit:");
    expect(text).toContain("selama 15 menit");
    const link = text.match(/https?:\/\/\S+\/ui\/login\/confirm\?token=\S+/)?.[0] ?? "";
    expect(link).not.toBe("");
    const html = typeof mail.parsed.html === "string" ? mail.parsed.html : "";
    expect(html).toContain(`<a href="${link}"`);
    expect(html).toContain('<html lang="id">');

    // The link is real: opening it (as a mail scanner would) changes nothing; redeeming its token
    // signs the business in, once.
    const url = new URL(link);
    const opened = await server.fetch(url.pathname + url.search, { redirect: "manual" });
    expect(opened.status).toBe(200);
    const token = url.searchParams.get("token") ?? "";
    const redeem = () =>
      server.fetch("/v1/auth/callback", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token }),
      });
    const redeemed = await redeem();
    expect(redeemed.status).toBe(204);
    expect(redeemed.headers.get("Set-Cookie")).toMatch(/__Host-kemitraan_session=/);
    expect((await redeem()).status).toBe(400);
  });

  it("writes the email in English for a business that prefers English, non-ASCII names intact", async () => {
    await register("owner@packaging.example.id", "en", "UD Dus Kemasan — Mojosari");
    await requestLink("owner@packaging.example.id");
    const mail = await sink.waitFor(to("owner@packaging.example.id"));
    expect(mail.parsed.subject).toBe("Your Kemitraan sign-in link");
    expect(mail.parsed.text).toContain("Sign in to Kemitraan as UD Dus Kemasan — Mojosari:");
    expect(mail.parsed.html).toContain("UD Dus Kemasan — Mojosari");
    expect(mail.raw).toMatch(/^Content-Type: text\/html; charset="?UTF-8"?\r$/im);
  });

  it("sends one email naming every business under one address, each with its own link", async () => {
    await register("keluarga@umkm.example.id", "id", "Warung Bu Sri");
    await register("keluarga@umkm.example.id", "id", "Konveksi Pak Budi");
    sink.clear();
    await requestLink("keluarga@umkm.example.id");
    await expect.poll(() => sink.messages.length, { timeout: 15_000 }).toBe(1);
    const text = sink.messages[0]?.parsed.text ?? "";
    expect(text).toContain("terdaftar untuk 2 usaha");
    const names = [...text.matchAll(/^(.+):\n\S+\/ui\/login\/confirm\?token=/gm)].map((m) => m[1]).sort();
    expect(names).toEqual(["Konveksi Pak Budi", "Warung Bu Sri"]);
  });

  it("logs a permanent MailError when the server refuses the recipient, and keeps sending to others", async () => {
    await register("bounce@katering.example.id", "id", "Katering Ditolak");
    server.clearLogs();
    await requestLink("bounce@katering.example.id");
    await expect
      .poll(
        () =>
          server
            .getLogs()
            .map((l) => JSON.stringify(l))
            .join("\n"),
        { timeout: 15_000 },
      )
      .toMatch(/MailError.*SMTP: .*550/);
    expect(sink.messages.some((m) => m.envelope.to.includes("bounce@katering.example.id"))).toBe(false);

    await requestLink("pemilik@katering.example.id");
    const next = await sink.waitFor((m) => to("pemilik@katering.example.id")(m) && m !== sink.messages[0]);
    expect(next.parsed.subject).toBe("Tautan masuk Kemitraan");
  });
});
