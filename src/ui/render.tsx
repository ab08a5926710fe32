import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { requirePrincipal } from "../auth/middleware";
import type { Principal } from "../auth/principal";
import type { Language } from "../domain/language";
import { DECISION_REASON_MAX_LENGTH, DecisionReasonSchema } from "../domain/texts";
import { ApiError, validationError } from "../errors";
import { toApiError } from "../http/problem";
import { serviceDeps } from "../http/service-deps";
import { type MatchItem, suggestPartners } from "../services/matching/matches.service";
import { CONSOLE_CSP, type ConsoleContext, formField } from "./context";
import { Layout } from "./layout";

/** Rendering and form helpers shared by the console's route files. */

export function html(c: Context, node: Child, status: ContentfulStatusCode = 200): Response {
  c.header("Content-Security-Policy", CONSOLE_CSP);
  c.header("Cache-Control", "no-store");
  return c.html(`<!doctype html>${String(node)}`, status);
}

export function page(
  c: ConsoleContext,
  title: string,
  body: Child,
  status?: 200 | 400 | 403 | 404 | 409 | 422,
): Response {
  return html(
    c,
    <Layout
      lang={c.get("lang")}
      title={title}
      principal={c.get("principal")}
      csrfToken={c.get("csrfToken")}
      url={c.req.url}
    >
      {body}
    </Layout>,
    status,
  );
}

export function asBusiness(p: Principal | null): Extract<Principal, { kind: "business" }> {
  const who = requirePrincipal(p);
  if (who.kind !== "business") throw new ApiError("forbidden", "Business owners only.");
  return who;
}

export async function reasonField(c: ConsoleContext): Promise<string> {
  const parsed = DecisionReasonSchema.safeParse(await formField(c, "reason"));
  if (!parsed.success) {
    throw validationError([
      { path: "reason", message: `A reason of 1-${DECISION_REASON_MAX_LENGTH} characters is required.` },
    ]);
  }
  return parsed.data;
}

export const done = (path: string) => `${path}?done=1`;

export function deps(c: ConsoleContext) {
  return serviceDeps(c);
}

/** A business's top suggestions for a page, or none while it is not matchable (409). */
export async function suggestionsOrNone(
  c: ConsoleContext,
  businessId: string,
  lang: Language,
  limit = 10,
): Promise<MatchItem[]> {
  try {
    const r = await suggestPartners(deps(c), { businessId, limit, minScore: 0, lang, now: Date.now() });
    return r.items;
  } catch (err) {
    const e = toApiError(err);
    if (e.status === 409) return [];
    throw err;
  }
}
