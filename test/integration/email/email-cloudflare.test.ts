import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { app } from "../../../src/app";
import { cloudflareMailer } from "../../../src/email/cloudflare";
import { type EmailMessage, MailError, mailerFor } from "../../../src/email/mailer";
import { industryBody, seedBusiness } from "../helpers";

/**
 * The Cloudflare Email Service provider against miniflare's local `send_email` simulation (the
 * binding from wrangler.toml), wrapped in a recorder so the test sees exactly what was handed to
 * the binding and what it answered; plus a fake binding for the platform's error codes.
 */

const FROM = { email: "noreply@kemitraan.test", name: "Kemitraan Kota Mojokerto" };

const digest: EmailMessage = {
  to: "pemilik@umkm.example.id",
  subject: "Kemitraan: 3 usulan mitra baru — Kota Mojokerto",
  text: "Ada 3 usulan mitra baru.\nhttps://kemitraan.example.id/",
  html: "<p>Ada <b>3</b> usulan mitra baru.</p>",
  headers: {
    "List-Unsubscribe": "<https://kemitraan.example.id/v1/unsubscribe?t=abc>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
  },
};

interface Recorded {
  payload: EmailMessageBuilder;
  result?: EmailSendResult;
  error?: unknown;
}

/** Passes every call through to `binding` and keeps what went in and came out. */
function recording(binding: SendEmail): { binding: SendEmail; calls: Recorded[] } {
  const calls: Recorded[] = [];
  const send = async (payload: EmailMessageBuilder) => {
    const call: Recorded = { payload };
    calls.push(call);
    try {
      call.result = await binding.send(payload);
      return call.result;
    } catch (err) {
      call.error = err;
      throw err;
    }
  };
  return { binding: { send } as unknown as SendEmail, calls };
}

async function failure(work: Promise<unknown>): Promise<MailError> {
  const error = await work.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(MailError);
  return error as MailError;
}

describe("Cloudflare Email Service provider (miniflare's send_email simulation)", () => {
  it("hands the structured builder to the binding, which accepts it and answers a message id", async () => {
    const recorder = recording(env.EMAIL);
    await cloudflareMailer(recorder.binding, FROM).send(digest);
    expect(recorder.calls).toHaveLength(1);
    const [call] = recorder.calls;
    expect(call?.error).toBeUndefined();
    expect(call?.result?.messageId).toMatch(/^<.+@kemitraan\.test>$/);
    expect(call?.payload).toEqual({
      from: FROM,
      to: digest.to,
      subject: digest.subject,
      text: digest.text,
      html: digest.html,
      headers: digest.headers,
    });
  });

  it("turns the binding's sender restriction into a non-retryable configuration error", async () => {
    await cloudflareMailer(env.EMAIL_RESTRICTED, FROM).send(digest);
    const error = await failure(
      cloudflareMailer(env.EMAIL_RESTRICTED, { email: "other@kemitraan.test" }).send(digest),
    );
    expect([error.kind, error.retryable]).toEqual(["config", false]);
    expect(error.message).toMatch(/other@kemitraan\.test not allowed/);
  });

  it("refuses a header injection before calling the binding", async () => {
    const recorder = recording(env.EMAIL);
    const error = await failure(
      cloudflareMailer(recorder.binding, FROM).send({
        ...digest,
        headers: { "X-Note": "a\r\nBcc: v@x.example" },
      }),
    );
    expect([error.kind, error.retryable]).toEqual(["invalid", false]);
    expect(recorder.calls).toHaveLength(0);
  });

  it("classifies the platform's error codes: rate limits retry, suppressed recipients do not", async () => {
    const failing = (code: string) =>
      ({
        send: async () => {
          throw Object.assign(new Error(`${code} from the platform`), { code });
        },
      }) as unknown as SendEmail;
    const limited = await failure(cloudflareMailer(failing("E_RATE_LIMIT_EXCEEDED"), FROM).send(digest));
    expect([limited.kind, limited.retryable, limited.providerCode]).toEqual([
      "transient",
      true,
      "E_RATE_LIMIT_EXCEEDED",
    ]);
    const suppressed = await failure(cloudflareMailer(failing("E_RECIPIENT_SUPPRESSED"), FROM).send(digest));
    expect([suppressed.kind, suppressed.retryable]).toEqual(["rejected", false]);
  });

  it("is what mailerFor picks for MAIL_PROVIDER=cloudflare, and the sign-in route sends through it", async () => {
    const recorder = recording(env.EMAIL);
    const cloudflareEnv = {
      ...env,
      MAIL_PROVIDER: "cloudflare",
      MAIL_FROM: FROM.email,
      MAIL_FROM_NAME: FROM.name,
      EMAIL: recorder.binding,
    };
    expect(mailerFor(cloudflareEnv).open).toBeUndefined();
    await seedBusiness(industryBody({ email: "cf@link.example.id", language: "en", name: "CV Kulit Miji" }));
    const ctx = createExecutionContext();
    const res = await app.request(
      "/v1/auth/email-link",
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "cf@link.example.id" }),
      },
      cloudflareEnv,
      ctx,
    );
    expect(res.status).toBe(202);
    await waitOnExecutionContext(ctx);
    expect(recorder.calls).toHaveLength(1);
    const payload = recorder.calls[0]?.payload;
    expect(payload).toMatchObject({
      from: FROM,
      to: "cf@link.example.id",
      subject: "Your Kemitraan sign-in link",
    });
    expect(payload?.text).toMatch(
      /Sign in to Kemitraan as CV Kulit Miji:\n+http:\/\/localhost\/ui\/login\/confirm\?token=/,
    );
    expect(payload?.html).toContain('<a href="http://localhost/ui/login/confirm?token=');
    expect(recorder.calls[0]?.result?.messageId).toBeTruthy();
  });

  it("fails the request loudly (503 mail_not_configured) when MAIL_PROVIDER=cloudflare lacks MAIL_FROM", async () => {
    const res = await app.request(
      "/v1/auth/email-link",
      {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ email: "x@link.example.id" }),
      },
      { ...env, MAIL_PROVIDER: "cloudflare", MAIL_FROM: "" },
    );
    expect(res.status).toBe(503);
    expect(res.headers.get("Content-Type")).toMatch(/problem\+json/);
    expect(((await res.json()) as { code: string }).code).toBe("mail_not_configured");
  });
});
