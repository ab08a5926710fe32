import { exports } from "cloudflare:workers";
import { expect, vi } from "vitest";
import { officerKey } from "../helpers";

/**
 * A tiny browser for the console in workerd: keeps cookies, sends forms the way a browser does
 * (urlencoded, `Sec-Fetch-Site: same-origin`, `Origin`) and reads the CSRF token from the last
 * page it loaded. Redirects are returned, not followed.
 */
export class ConsoleClient {
  readonly cookies = new Map<string, string>();
  lastHtml = "";

  /** `fetcher`: the Worker by default; a test with its own env passes `app.fetch` with that env. */
  constructor(
    readonly origin = "http://localhost",
    private readonly fetcher: (request: Request) => Promise<Response> = (r) => exports.default.fetch(r),
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  private keep(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) => /max-age=0/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()),
      );
      if (expired || value === "") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    const res = await this.fetcher(
      new Request(new URL(path, this.origin), {
        headers: { Cookie: this.cookieHeader(), ...headers },
        redirect: "manual",
      }),
    );
    this.keep(res);
    if ((res.headers.get("Content-Type") ?? "").includes("text/html"))
      this.lastHtml = await res.clone().text();
    return res;
  }

  /** The `_csrf` value of the first form on the last page loaded. */
  csrf(): string {
    return /name="_csrf" value="([0-9a-f]{64})"/.exec(this.lastHtml)?.[1] ?? "";
  }

  async post(
    path: string,
    fields: Record<string, string>,
    options: {
      csrf?: string | null;
      site?: string | null;
      origin?: string | null;
      /** Extra request headers (`CF-Connecting-IP`, `Authorization`, ...). */
      headers?: Record<string, string>;
    } = {},
  ): Promise<Response> {
    const body = new URLSearchParams(fields);
    const csrf = options.csrf === undefined ? this.csrf() : options.csrf;
    if (csrf !== null) body.set("_csrf", csrf);
    const headers: Record<string, string> = {
      ...options.headers,
      Cookie: this.cookieHeader(),
      "Content-Type": "application/x-www-form-urlencoded",
    };
    const site = options.site === undefined ? "same-origin" : options.site;
    if (site !== null) headers["Sec-Fetch-Site"] = site;
    const origin = options.origin === undefined ? this.origin : options.origin;
    if (origin !== null) headers.Origin = origin;
    const res = await this.fetcher(
      new Request(new URL(path, this.origin), { method: "POST", headers, body, redirect: "manual" }),
    );
    this.keep(res);
    if ((res.headers.get("Content-Type") ?? "").includes("text/html"))
      this.lastHtml = await res.clone().text();
    return res;
  }

  /** Signs in as an officer through the development key login (localhost only). */
  async officerLogin(key: string): Promise<Response> {
    await this.get("/ui/login");
    return this.post("/ui/login/officer", { key });
  }
}

/** The log mailer's line for `email` (links are sent after the response). */
export async function logLine(
  log: { mock: { calls: unknown[][] }; mockRestore(): void },
  email: string,
): Promise<string> {
  const find = () =>
    log.mock.calls.map((c) => String(c[0])).find((l) => l.includes(email) && l.includes("token="));
  await vi.waitFor(() => expect(find()).toBeDefined());
  const line = find() ?? "";
  log.mockRestore();
  return line;
}

export async function officerClient(): Promise<ConsoleClient> {
  const client = new ConsoleClient();
  const res = await client.officerLogin(await officerKey());
  expect(res.status).toBe(303);
  expect(res.headers.get("Location")).toBe("/ui/queue");
  return client;
}

/** Signs an owner in through the console: link by email (log mailer), confirm page, button. */
export async function ownerClient(email: string): Promise<ConsoleClient> {
  const log = vi.spyOn(console, "log").mockImplementation(() => undefined);
  const client = new ConsoleClient();
  await client.get("/ui/login");
  const sent = await client.post("/ui/login/email", { email });
  expect(sent.status).toBe(200);
  const line = await logLine(log, email);
  const link = /http:\/\/localhost\/ui\/login\/confirm\?token=[A-Za-z0-9_-]{43}/.exec(line)?.[0];
  expect(link).toBeDefined();
  const confirm = await client.get(new URL(link ?? "").pathname + new URL(link ?? "").search);
  expect(confirm.status).toBe(200);
  const done = await client.post("/ui/login/confirm", {
    token: new URL(link ?? "").searchParams.get("token") ?? "",
  });
  expect(done.status).toBe(303);
  expect(done.headers.get("Location")).toBe("/ui/me");
  return client;
}
