import { Hono } from "hono";
import { describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../../src/env";
import { ApiError, ERROR_CATALOGUE, ERROR_CODES, type ErrorCode } from "../../../src/errors";
import { handleError } from "../../../src/http/problem";
import { call, expectProblem } from "../helpers";

/** A bare app whose one route throws the given code, rendered by the API's own error handler. */
function throwing(code: ErrorCode) {
  const app = new Hono<AppEnv>();
  app.use("*", async (c, next) => {
    c.set("requestId", crypto.randomUUID());
    await next();
  });
  app.get("/boom", () => {
    throw new ApiError(code, "An occurrence.");
  });
  app.onError(handleError);
  return app.request("https://kemitraan.test/boom");
}

describe("the error catalogue", () => {
  it("renders every code as problem+json with its status, title and a /problems type", async () => {
    expect(ERROR_CODES.length).toBeGreaterThan(30);
    // 5xx problems are logged with their stack; that is not this test's business.
    const log = vi.spyOn(console, "error").mockImplementation(() => undefined);
    for (const code of ERROR_CODES) {
      const { status, title } = ERROR_CATALOGUE[code];
      const body = await expectProblem(await throwing(code), status, code);
      expect(body.title, code).toBe(title);
      expect(body.type, code).toBe(`/problems/${code}`);
      if (status < 500) expect(body.detail, code).toBe("An occurrence.");
    }
    log.mockRestore();
  });

  it("documents every code at its type URI", async () => {
    for (const code of ERROR_CODES) {
      const res = await call(`/problems/${code}`);
      expect(res.status, code).toBe(200);
      expect(await res.json()).toEqual({ type: `/problems/${code}`, code, ...ERROR_CATALOGUE[code] });
    }
    const list = (await (await call("/problems")).json()) as { items: Array<{ code: string }> };
    expect(list.items.map((i) => i.code)).toEqual(ERROR_CODES);
  });

  it("answers the type URI of a real error with 200, as a page for a browser", async () => {
    const problem = await expectProblem(await call("/v1/businesses"), 401, "unauthorized");
    const target = new URL(problem.type, "https://kemitraan.test/v1/businesses");
    expect(target.pathname).toBe("/problems/unauthorized");
    const json = await call(target.pathname);
    expect(json.status).toBe(200);
    expect(await json.json()).toMatchObject({ code: "unauthorized", status: 401 });
    const page = await call(target.pathname, { headers: { Accept: "text/html,application/xhtml+xml" } });
    expect(page.status).toBe(200);
    expect(page.headers.get("Content-Type")).toMatch(/^text\/html/);
    const text = await page.text();
    expect(text).toContain("<code>unauthorized</code>");
    expect(text).toContain(ERROR_CATALOGUE.unauthorized.description);
  });

  it("answers 404 for a code that is not in the catalogue", async () => {
    await expectProblem(await call("/problems/no_such_code"), 404, "not_found");
    await expectProblem(await call("/problems/toString"), 404, "not_found");
  });

  it("takes status and title from the catalogue, and only known codes", () => {
    const error = new ApiError("capacity_reached", "Full.");
    expect([error.status, error.title, error.detail]).toEqual([409, "Capacity reached", "Full."]);
    // @ts-expect-error: a code outside the catalogue does not typecheck (never called).
    const unknownCode = () => new ApiError("no_such_code");
    expect(unknownCode).toBeTypeOf("function");
  });
});
