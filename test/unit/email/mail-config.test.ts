import { describe, expect, it } from "vitest";
import { cloudflarePayload } from "../../../src/email/cloudflare";
import {
  classifyCloudflareError,
  classifySmtpError,
  isRetryableMailError,
  MailError,
} from "../../../src/email/errors";
import { type MailEnv, mailConfig } from "../../../src/email/mail-config";
import {
  type EmailMessage,
  logMailer,
  type Mailer,
  mailerFor,
  withMailSession,
} from "../../../src/email/mailer";
import { type SmtpConfig, smtpConnectOptions, smtpEmailOptions } from "../../../src/email/smtp";

const binding = { send: async () => ({ messageId: "x" }) } as unknown as SendEmail;

function configError(env: MailEnv): MailError {
  try {
    mailConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(MailError);
    expect((err as MailError).kind).toBe("config");
    expect((err as MailError).retryable).toBe(false);
    return err as MailError;
  }
  throw new Error("expected a configuration error");
}

describe("provider selection (MAIL_PROVIDER)", () => {
  it("defaults to the log mailer in local development (ENVIRONMENT=development)", () => {
    const dev = { ENVIRONMENT: "development" };
    expect(mailerFor(dev as Env)).toBe(logMailer);
    expect(mailerFor({ ...dev, MAIL_PROVIDER: "" } as Env)).toBe(logMailer);
    expect(mailerFor({ ...dev, MAIL_PROVIDER: "log" } as Env)).toBe(logMailer);
  });

  it.each([
    ["production", { ENVIRONMENT: "production", MAIL_PROVIDER: "log" }],
    ["ENVIRONMENT unset", { MAIL_PROVIDER: "log" }],
    ["a misspelt environment", { ENVIRONMENT: "develop", MAIL_PROVIDER: "log" }],
    ["the default provider in production", { ENVIRONMENT: "production" }],
  ])("refuses the log mailer (it logs sign-in links) outside development: %s", (_label, env) => {
    expect(configError(env).message).toMatch(
      /writes sign-in links to the Worker log, so it only runs with ENVIRONMENT="development".*"cloudflare" or "smtp"/,
    );
  });

  it("refuses an unknown provider by name", () => {
    expect(configError({ MAIL_PROVIDER: "sendgrid" }).message).toMatch(
      /"sendgrid" is not one of log, cloudflare, smtp/,
    );
  });

  it("cloudflare needs the EMAIL binding and MAIL_FROM", () => {
    expect(configError({ MAIL_PROVIDER: "cloudflare", MAIL_FROM: "a@kota.example.id" }).message).toMatch(
      /send_email binding EMAIL/,
    );
    expect(configError({ MAIL_PROVIDER: "cloudflare", EMAIL: binding }).message).toMatch(/needs MAIL_FROM/);
    expect(
      configError({ MAIL_PROVIDER: "cloudflare", EMAIL: binding, MAIL_FROM: "not an address" }).message,
    ).toMatch(/MAIL_FROM address "not an address" is not a valid/);
    const config = mailConfig({
      MAIL_PROVIDER: "cloudflare",
      EMAIL: binding,
      MAIL_FROM: "a@kota.example.id",
      MAIL_FROM_NAME: "Kemitraan",
    });
    expect(config).toEqual({
      provider: "cloudflare",
      binding,
      from: { email: "a@kota.example.id", name: "Kemitraan" },
    });
    const mailer = mailerFor({
      MAIL_PROVIDER: "cloudflare",
      EMAIL: binding,
      MAIL_FROM: "a@kota.example.id",
    } as unknown as Env);
    expect(mailer.open).toBeUndefined();
  });

  it("smtp needs a host and a valid port; security follows the port unless set", () => {
    const base = { MAIL_PROVIDER: "smtp", MAIL_FROM: "a@kota.example.id" };
    expect(configError(base).message).toMatch(/needs SMTP_HOST/);
    expect(configError({ ...base, SMTP_HOST: "mail.kota.example.id", SMTP_PORT: "smtp" }).message).toMatch(
      /SMTP_PORT "smtp"/,
    );
    expect(configError({ ...base, SMTP_HOST: "mail.kota.example.id", SMTP_SECURITY: "ssl" }).message).toMatch(
      /SMTP_SECURITY "ssl"/,
    );
    const tls = mailConfig({ ...base, SMTP_HOST: "mail.kota.example.id", SMTP_PORT: "465" });
    expect(tls).toMatchObject({
      provider: "smtp",
      smtp: { host: "mail.kota.example.id", port: 465, security: "tls" },
    });
    const submission = mailConfig({ ...base, SMTP_HOST: "mail.kota.example.id" });
    expect(submission).toMatchObject({ smtp: { port: 587, security: "starttls", user: undefined } });
    expect(mailerFor({ ...base, SMTP_HOST: "mail.kota.example.id" } as Env).open).toBeTypeOf("function");
  });

  it("smtp never sends in clear text to another host, with or without credentials", () => {
    const base = { MAIL_PROVIDER: "smtp", MAIL_FROM: "a@kota.example.id", SMTP_SECURITY: "none" };
    expect(configError({ ...base, SMTP_HOST: "mail.kota.example.id" }).message).toMatch(
      /SMTP_SECURITY=none would send sign-in links in clear text to mail\.kota\.example\.id/,
    );
    for (const host of ["127.0.0.1", "localhost", "::1"]) {
      expect(mailConfig({ ...base, SMTP_HOST: host })).toMatchObject({ smtp: { host, security: "none" } });
    }
  });

  it("requires STARTTLS (no plain-text fallback) for every host but this machine", () => {
    const smtp = (host: string, security: SmtpConfig["security"]): SmtpConfig => ({
      host,
      port: security === "tls" ? 465 : 587,
      security,
      from: { email: "a@kota.example.id" },
    });
    expect(smtpConnectOptions(smtp("mail.kota.example.id", "starttls"))).toMatchObject({
      secure: false,
      startTls: true,
      requireStartTls: true,
    });
    expect(smtpConnectOptions(smtp("mail.kota.example.id", "tls"))).toMatchObject({
      secure: true,
      startTls: false,
      requireStartTls: false,
    });
    // A local relay or test server may lack STARTTLS.
    expect(smtpConnectOptions(smtp("127.0.0.1", "starttls"))).toMatchObject({
      startTls: true,
      requireStartTls: false,
    });
    expect(smtpConnectOptions(smtp("127.0.0.1", "none"))).toMatchObject({
      secure: false,
      startTls: false,
      requireStartTls: false,
    });
    // The default for port 587 is STARTTLS, so a plain SMTP_HOST gets the requirement.
    const config = mailConfig({
      MAIL_PROVIDER: "smtp",
      MAIL_FROM: "a@kota.example.id",
      SMTP_HOST: "mail.kota.example.id",
    });
    if (config.provider !== "smtp") throw new Error("expected smtp");
    expect(smtpConnectOptions(config.smtp).requireStartTls).toBe(true);
  });

  it("smtp credentials come in pairs and never travel in clear text to a remote host", () => {
    const base = { MAIL_PROVIDER: "smtp", MAIL_FROM: "a@kota.example.id", SMTP_HOST: "mail.kota.example.id" };
    expect(configError({ ...base, SMTP_USER: "kemitraan" }).message).toMatch(/SMTP_PASSWORD is not/);
    expect(configError({ ...base, SMTP_PASSWORD: "s3cret" }).message).toMatch(/SMTP_USER is not/);
    expect(
      configError({ ...base, SMTP_USER: "u", SMTP_PASSWORD: "p", SMTP_SECURITY: "none" }).message,
    ).toMatch(/clear text to mail\.kota\.example\.id/);
    const local = mailConfig({
      ...base,
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: "2525",
      SMTP_USER: "u",
      SMTP_PASSWORD: "p",
      SMTP_SECURITY: "none",
    });
    expect(local).toMatchObject({ smtp: { security: "none", user: "u", password: "p" } });
  });
});

describe("error classification", () => {
  const smtp: Array<[string, string, boolean, string | undefined]> = [
    ["Invalid RCPT TO: <x@kota.example.id> 550 5.1.1 User unknown", "rejected", false, "550"],
    ["Failed send email body: 552 5.3.4 Message size exceeds fixed limit", "rejected", false, "552"],
    ["Invalid MAIL FROM: <a@kota.example.id> 451 4.3.0 Try again later", "transient", true, "451"],
    ["Failed to EHLO. 421 4.3.2 Service shutting down", "transient", true, "421"],
    ["Failed to plain authentication: 535 5.7.8 Authentication credentials invalid", "config", false, "535"],
    ["smtp server requires authentication, but no credentials found", "config", false, undefined],
    [
      "STARTTLS is required but the SMTP server did not offer it; nothing was sent",
      "config",
      false,
      undefined,
    ],
    ["Socket timeout!", "transient", true, undefined],
    ["Timeout while waiting for smtp server response", "transient", true, undefined],
    ["Network connection lost.", "transient", true, undefined],
  ];
  for (const [message, kind, retryable, code] of smtp) {
    it(`SMTP "${message}" is ${kind}`, () => {
      const error = classifySmtpError(new Error(message));
      expect([error.kind, error.retryable, error.providerCode]).toEqual([kind, retryable, code]);
      expect(error.message).toContain(message);
    });
  }

  const cloudflare: Array<[string, string, boolean]> = [
    ["E_RATE_LIMIT_EXCEEDED", "transient", true],
    ["E_DAILY_LIMIT_EXCEEDED", "transient", true],
    ["E_INTERNAL_SERVER_ERROR", "transient", true],
    ["E_RECIPIENT_SUPPRESSED", "rejected", false],
    ["E_VALIDATION_ERROR", "invalid", false],
    ["E_HEADER_NOT_ALLOWED", "invalid", false],
    ["E_SENDER_NOT_VERIFIED", "config", false],
    ["E_SOMETHING_NEW", "transient", true],
  ];
  for (const [code, kind, retryable] of cloudflare) {
    it(`Email Service ${code} is ${kind}`, () => {
      const error = classifyCloudflareError(Object.assign(new Error("refused"), { code }));
      expect([error.kind, error.retryable, error.providerCode]).toEqual([kind, retryable, code]);
    });
  }

  it("an Email Service error without a code is transient, a local sender restriction is configuration", () => {
    expect(classifyCloudflareError(new Error("internal error")).retryable).toBe(true);
    expect(classifyCloudflareError(new Error("email from x@y.example not allowed")).kind).toBe("config");
  });

  it("unknown errors count as retryable, MailErrors keep their own verdict", () => {
    expect(isRetryableMailError(new Error("?"))).toBe(true);
    expect(isRetryableMailError(new MailError("invalid", "bad"))).toBe(false);
    const original = new MailError("rejected", "no");
    expect(classifySmtpError(original)).toBe(original);
  });
});

const message: EmailMessage = {
  to: "pemilik@umkm.example.id",
  subject: "Kemitraan: 3 usulan mitra baru — Kota Mojokerto",
  text: "Teks",
  html: "<p>Teks</p>",
  headers: {
    "List-Unsubscribe": "<https://kemitraan.example.id/u/abc>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
};

describe("what the providers hand to their libraries", () => {
  it("Email Service gets the structured builder with the sender's name and the extra headers", () => {
    expect(cloudflarePayload(message, { email: "noreply@kota.example.id", name: "Kemitraan" })).toEqual({
      from: { email: "noreply@kota.example.id", name: "Kemitraan" },
      to: "pemilik@umkm.example.id",
      subject: message.subject,
      text: "Teks",
      html: "<p>Teks</p>",
      headers: message.headers,
    });
    expect(
      cloudflarePayload({ to: "a@b.example", subject: "s", text: "t" }, { email: "n@k.example" }),
    ).toEqual({
      from: "n@k.example",
      to: "a@b.example",
      subject: "s",
      text: "t",
    });
    expect(() =>
      cloudflarePayload({ ...message, subject: "a\r\nBcc: v@x.example" }, { email: "n@k.example" }),
    ).toThrow(/header injection/);
  });

  it("worker-mailer gets our encoded headers (it writes them verbatim), without MIME-Version or Content-Type", () => {
    const options = smtpEmailOptions(message, {
      email: "noreply@kota.example.id",
      name: "Kemitraan Kota Mojokerto",
    });
    const headers = options.headers ?? {};
    expect(Object.keys(headers)).toEqual([
      "From",
      "To",
      "Subject",
      "Date",
      "Message-ID",
      "List-Unsubscribe",
      "List-Unsubscribe-Post",
    ]);
    expect(headers.From).toBe('"Kemitraan Kota Mojokerto" <noreply@kota.example.id>');
    expect(headers.Subject).toMatch(/^=\?UTF-8\?Q\?Kemitraan=3A_3_usulan/);
    expect(headers["Message-ID"]).toMatch(/@kota\.example\.id>$/);
    expect(options.to).toBe("pemilik@umkm.example.id");
    expect(() =>
      smtpEmailOptions({ ...message, to: "x@y.example\r\nRCPT TO:<v@x.example>" }, { email: "n@k.example" }),
    ).toThrow(MailError);
  });
});

describe("withMailSession", () => {
  it("sends through one session and closes it even when the work throws", async () => {
    const events: string[] = [];
    const mailer: Mailer = {
      send: async () => {
        events.push("direct send");
      },
      open: async () => ({
        send: async (m) => {
          events.push(`session send ${m.to}`);
        },
        close: async () => {
          events.push("close");
        },
      }),
    };
    await expect(
      withMailSession(mailer, async (m) => {
        await m.send({ to: "a@x.example", subject: "s", text: "t" });
        await m.send({ to: "b@x.example", subject: "s", text: "t" });
        throw new Error("job crashed");
      }),
    ).rejects.toThrow("job crashed");
    expect(events).toEqual(["session send a@x.example", "session send b@x.example", "close"]);
  });

  it("uses the mailer itself when the provider has no sessions", async () => {
    const sent: string[] = [];
    const mailer: Mailer = { send: async (m) => void sent.push(m.to) };
    expect(
      await withMailSession(mailer, async (m) => {
        await m.send({ to: "a@x.example", subject: "s", text: "t" });
        return 7;
      }),
    ).toBe(7);
    expect(sent).toEqual(["a@x.example"]);
  });
});
