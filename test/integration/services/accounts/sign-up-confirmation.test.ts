import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SESSION_COOKIE } from "../../../../src/auth/session";
import { createDb } from "../../../../src/db";
import { MemoryMailer } from "../../../../src/email/mailer";
import { findJob } from "../../../../src/jobs/registry";
import { requestSignInLink } from "../../../../src/services/accounts/sign-in.service";
import {
  call,
  expectProblem,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
  uniqueNib,
} from "../../helpers";
import { ConsoleClient } from "../../ui/console.helpers";

/**
 * Sign-up confirmation and the sign-in chooser: anyone may sign a business up under any address,
 * so a sign-up is unconfirmed until the address's owner uses the emailed link. Until then it is
 * not reviewed, holds no NIB, is never offered for sign-in and puts none of its text in email.
 */

afterEach(() => {
  vi.restoreAllMocks();
});

/** Text an attacker would like to see in an official email. */
const ATTACK = "PERINGATAN RESMI: akun Anda diblokir, hubungi 0812-0000-0000";

const CALLBACK = "https://kemitraan.test/ui/login/confirm";

let counter = 0;
const address = (tag: string) =>
  `${tag}-${Date.now().toString(36)}${(counter++).toString(36)}@signup.example.id`;

/** Every log-mailer message sent to `email` so far (the API sends through the log mailer). */
function loggedMailTo(
  log: { mock: { calls: unknown[][] } },
  email: string,
): Array<{ subject: string; text: string }> {
  return log.mock.calls
    .map((c) => String(c[0]))
    .filter((l) => l.includes('"email (log mailer)"'))
    .map((l) => JSON.parse(l) as { to: string; subject: string; text: string })
    .filter((m) => m.to.toLowerCase() === email.toLowerCase());
}

function tokensIn(text: string): string[] {
  return [...text.matchAll(/[?&]token=([A-Za-z0-9_-]{43})/g)].map((m) => m[1] ?? "");
}

/** Signs up through the API; returns the business id and the token of its confirmation email. */
async function signUp(body: Record<string, unknown>): Promise<{ id: string; status: string; token: string }> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const res = await call("/v1/signup", { body });
  expect(res.status).toBe(201);
  const { business } = (await res.json()) as { business: { id: string; status: string } };
  let token = "";
  await vi.waitFor(() => {
    const mail = loggedMailTo(log, String(body.email));
    token = tokensIn(mail.at(-1)?.text ?? "")[0] ?? "";
    expect(token).not.toBe("");
  });
  log.mockRestore();
  return { id: business.id, status: business.status, token };
}

async function redeem(token: string, businessId?: string): Promise<Response> {
  return call("/v1/auth/callback", { body: businessId ? { token, businessId } : { token } });
}

async function signInMail(email: string, now = Date.now()) {
  const mailer = new MemoryMailer();
  await requestSignInLink({ db: createDb(env.DB), mailer }, { email, callbackUrl: CALLBACK, now });
  return mailer.sent;
}

/** Which of `ids` the session a redeem answered with signs in as (it may read only its own). */
async function signedInAs(res: Response, ids: string[]): Promise<string[]> {
  expect(res.status).toBe(204);
  const cookie = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(res.headers.get("Set-Cookie") ?? "")?.[1] ?? "";
  expect(cookie).not.toBe("");
  const readable: string[] = [];
  for (const id of ids) {
    const own = await call(`/v1/businesses/${id}`, { headers: { Cookie: `${SESSION_COOKIE}=${cookie}` } });
    if (own.status === 200) readable.push(id);
  }
  return readable;
}

describe("sign-up confirmation", () => {
  it("lands a sign-up unconfirmed and emails the address a link without any of the applicant's text", async () => {
    const email = address("neutral");
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const res = await call("/v1/signup", {
      body: industryBody({ email, name: ATTACK, offers: `${ATTACK} offers`, needs: `${ATTACK} needs` }),
    });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { business: { status: string } }).business.status).toBe("unconfirmed");
    await vi.waitFor(() => expect(loggedMailTo(log, email)).toHaveLength(1));
    const [mail] = loggedMailTo(log, email);
    expect(tokensIn(mail?.text ?? "")).toHaveLength(1);
    expect(JSON.stringify(mail)).not.toContain("PERINGATAN");
    expect(JSON.stringify(mail)).not.toContain("0812");
  });

  it("keeps an unconfirmed sign-up out of the officers' review queue until its link is used", async () => {
    const officer = await officerKey();
    const signed = await signUp(industryBody({ email: address("queue"), name: "Antrean Belum Konfirmasi" }));
    expect(signed.status).toBe("unconfirmed");
    const pendingIds = async () =>
      (
        (await (await call("/v1/businesses?status=pending_review&limit=100", { key: officer })).json()) as {
          items: Array<{ id: string }>;
        }
      ).items.map((b) => b.id);
    expect(await pendingIds()).not.toContain(signed.id);
    const queue = await (await call("/ui/queue", { key: officer })).text();
    expect(queue).not.toContain("Antrean Belum Konfirmasi");

    const confirmed = await redeem(signed.token);
    expect(confirmed.status).toBe(204);
    expect(await pendingIds()).toContain(signed.id);
    expect(await (await call("/ui/queue", { key: officer })).text()).toContain("Antrean Belum Konfirmasi");
    // The link works once.
    await expectProblem(await redeem(signed.token), 400, "invalid_sign_in_link");
  });

  it("never offers an unconfirmed sign-up for sign-in, so its name is never mailed", async () => {
    const email = address("unasked");
    await signUp(industryBody({ email, name: ATTACK }));
    expect(await signInMail(email)).toEqual([]);
  });

  it("expires: an unconfirmed sign-up and its link are deleted after 24 hours by the daily job", async () => {
    const signed = await signUp(industryBody({ email: address("expire") }));
    const job = findJob("expire-sign-ups");
    expect(job).toBeDefined();
    const later = Date.now() + 25 * 60 * 60 * 1000;
    await job?.run({ env, now: later, trigger: "test", defer: () => undefined });
    const row = await env.DB.prepare("select count(*) as n from businesses where id = ?")
      .bind(signed.id)
      .first<{ n: number }>();
    expect(row?.n).toBe(0);
    await expectProblem(await redeem(signed.token), 400, "invalid_sign_in_link");
  });

  it("holds no NIB until confirmed: the first confirmation takes it, the second gets 409", async () => {
    const nib = uniqueNib();
    const first = await signUp(industryBody({ email: address("nib-a"), nib }));
    const second = await signUp(industryBody({ email: address("nib-b"), nib }));
    expect((await redeem(first.token)).status).toBe(204);
    await expectProblem(await redeem(second.token), 409, "nib_taken");
  });
});

describe("sign-in chooser", () => {
  it("five sign-ups under the owner's address never crowd the owner out or put text in their mail", async () => {
    const email = address("owner");
    const owner = await seedBusiness(industryBody({ email, name: "UD Pemilik Asli" }));
    for (let i = 0; i < 5; i++) {
      const res = await call("/v1/signup", {
        body: serviceBody({ email: email.toUpperCase(), name: `${ATTACK} ${i}` }),
      });
      expect(res.status).toBe(201);
    }
    const sent = await signInMail(email);
    expect(JSON.stringify(sent)).not.toContain("PERINGATAN");
    const tokens = sent.flatMap((m) => tokensIn(m.text));
    expect(tokens).toHaveLength(1);
    expect(sent[0]?.text).toContain("UD Pemilik Asli");
    expect(await signedInAs(await redeem(tokens[0] ?? ""), [owner.business.id])).toEqual([owner.business.id]);
  });

  it("offers every confirmed business of the address in one email, each its own link", async () => {
    const email = address("many");
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      ids.push((await seedBusiness(industryBody({ email, name: `Usaha Ke-${i}` }))).business.id);
    }
    const sent = await signInMail(email);
    expect(sent).toHaveLength(1);
    const tokens = tokensIn(sent[0]?.text ?? "");
    expect(tokens).toHaveLength(7);
    for (let i = 0; i < 7; i++) expect(sent[0]?.text).toContain(`Usaha Ke-${i}`);
    const sessions: string[] = [];
    for (const token of tokens) sessions.push(...(await signedInAs(await redeem(token), ids)));
    expect(sessions.sort()).toEqual([...ids].sort());
  });

  it("does the same through the console's sign-in form", async () => {
    const email = address("console");
    await seedBusiness(industryBody({ email, name: "UD Konsol Asli" }));
    for (let i = 0; i < 5; i++) {
      expect(
        (await call("/v1/signup", { body: serviceBody({ email, name: `${ATTACK} ${i}` }) })).status,
      ).toBe(201);
    }
    const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
    const client = new ConsoleClient();
    await client.get("/ui/login");
    expect((await client.post("/ui/login/email", { email })).status).toBe(200);
    let mail: Array<{ subject: string; text: string }> = [];
    await vi.waitFor(() => {
      // The sign-ups' confirmation emails went to this address too; the sign-in email is the other.
      mail = loggedMailTo(log, email).filter((m) => m.subject.includes("masuk"));
      expect(mail.length).toBeGreaterThan(0);
    });
    expect(JSON.stringify(mail)).not.toContain("PERINGATAN");
    const [token] = tokensIn(mail[0]?.text ?? "");
    const page = await client.get(`/ui/login/confirm?token=${token}`);
    expect(page.status).toBe(200);
    expect(client.lastHtml).toContain("UD Konsol Asli");
    const done = await client.post("/ui/login/confirm", { token: token ?? "" });
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("/ui/me");
  });
});
