import { createRoute, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { requirePrincipal } from "../auth/middleware";
import { LanguageSchema } from "../contracts/businesses.schemas";
import { NOTIFICATION_TOPICS, type NotificationTopic } from "../domain/notifications";
import { type PartyRef, partyRef } from "../domain/party";
import { renderUnsubscribePage } from "../email/unsubscribe.page";
import type { AppEnv } from "../env";
import { validationError } from "../errors";
import { bodyErrorResponses, commonErrorResponses, notFoundResponse } from "../http/problem";
import { parseDigestConfig } from "../services/digests/digest-config";
import { unsubscribe, verifyUnsubscribe } from "../services/digests/digest-unsubscribe.service";
import {
  getEmailPreferences,
  setEmailPreferences,
  turnOffTopic,
} from "../services/notifications/preferences";
import { bearerSecurity, createRouter, json, jsonBody, serviceDeps } from "./router";

const tags = ["Digests"];

const CadenceSchema = z.enum(["weekly", "monthly", "off"]).openapi({
  description:
    "`weekly` (Monday morning WIB), `monthly` (with the first weekly run of the month) or `off`. " +
    "A digest is only sent when there is something new.",
});

const TOPIC_DESCRIPTIONS: Record<NotificationTopic, string> = {
  signUpDecision: "My sign-up was published or rejected (with the officer's reason).",
  incomingRequest: "A business sent me a partnership request.",
  requestAnswered: "The partner accepted or declined my request.",
  officerDecision: "An officer approved or rejected a partnership of mine (with the reason).",
  requestExpired: "A request between me and another business expired unanswered.",
  officerSummary: "Officers: the daily summary of what waits for review.",
  forumAgenda: "My agenda for a business-matching forum (time, table, partner, why), once per schedule.",
  procurementOpportunity: "An officer told me about a city procurement package my business could supply.",
};

const NotificationSwitchesSchema = z
  .object(
    Object.fromEntries(
      NOTIFICATION_TOPICS.map((t) => [t, z.boolean().openapi({ description: TOPIC_DESCRIPTIONS[t] })]),
    ) as Record<NotificationTopic, z.ZodBoolean>,
  )
  .openapi("NotificationSwitches", {
    description: "One switch per kind of event email; true = sent (the default).",
  });

const DigestPreferencesSchema = z
  .object({
    cadence: CadenceSchema,
    language: LanguageSchema,
    unsubscribedAt: z.string().nullable().openapi({
      format: "date-time",
      description: "When a one-click unsubscribe turned digests off; cleared by choosing a cadence again.",
    }),
    notifications: NotificationSwitchesSchema,
  })
  .openapi("DigestPreferences");

const UpdateDigestPreferencesSchema = z
  .strictObject({
    cadence: CadenceSchema.optional(),
    language: LanguageSchema.optional().openapi({
      description: "The language of digests and notification emails.",
    }),
    notifications: NotificationSwitchesSchema.partial().strict().optional().openapi({
      description: "Only the switches given change.",
    }),
  })
  .openapi("UpdateDigestPreferences");

const UnsubscribeQuerySchema = z.object({
  r: z
    .string()
    .min(1)
    .max(120)
    .openapi({ param: { name: "r", in: "query" }, example: "business:biz_01JC3Z9V6X7Y8Z9A0B1C2D3E4F" }),
  sig: z
    .string()
    .min(1)
    .max(100)
    .openapi({
      param: { name: "sig", in: "query" },
      description: "HMAC-SHA256 of the recipient, base64url.",
    }),
  k: z
    .enum(NOTIFICATION_TOPICS)
    .optional()
    .openapi({
      param: { name: "k", in: "query" },
      description: "A notification email's link: turn only this kind of email off (not the digest).",
    }),
});

const html = (description: string) =>
  ({ description, content: { "text/html": { schema: z.string() } } }) as const;

/** The caller as a digest recipient: a business itself, or an officer signed in through Access. */
function recipientOf(c: Context<AppEnv>): PartyRef {
  const p = requirePrincipal(c.get("principal"));
  return p.kind === "business" ? partyRef("business", p.businessId) : partyRef("officer", p.id);
}

export const getDigestPreferencesRoute = createRoute({
  method: "get",
  path: "/me/digest-preferences",
  operationId: "getDigestPreferences",
  summary: "My digest cadence and language, and my notification email switches",
  description:
    "A business (its key or session) or an officer signed in through Cloudflare Access reads its own " +
    "preferences. Officer API keys carry no email, so they get 404.",
  tags,
  security: bearerSecurity,
  responses: {
    200: json(DigestPreferencesSchema, "The preferences (defaults when never set)."),
    ...notFoundResponse,
    ...commonErrorResponses,
  },
});

export const updateDigestPreferencesRoute = createRoute({
  method: "put",
  path: "/me/digest-preferences",
  operationId: "updateDigestPreferences",
  summary: "Set my digest cadence, language and/or notification switches",
  tags,
  security: bearerSecurity,
  request: { body: jsonBody(UpdateDigestPreferencesSchema) },
  responses: {
    200: json(DigestPreferencesSchema, "The preferences now."),
    ...notFoundResponse,
    ...bodyErrorResponses,
    ...commonErrorResponses,
  },
});

export const unsubscribePageRoute = createRoute({
  method: "get",
  path: "/digests/unsubscribe",
  operationId: "showUnsubscribe",
  summary: "Confirm page of a digest's unsubscribe link",
  description:
    "Shows a button that unsubscribes; opening the link changes nothing (mail scanners prefetch links).",
  tags,
  security: [],
  request: { query: UnsubscribeQuerySchema },
  responses: {
    200: html("A page with one confirm button (POSTs to the same URL)."),
    ...commonErrorResponses,
  },
});

export const unsubscribeRoute = createRoute({
  method: "post",
  path: "/digests/unsubscribe",
  operationId: "unsubscribeDigests",
  summary: "One-click unsubscribe from digests or one kind of notification (RFC 8058)",
  description:
    "The target of `List-Unsubscribe` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`: mail " +
    "providers POST `List-Unsubscribe=One-Click` here; the confirm page's button does the same. Needs only " +
    "the signed link, no sign-in. Sets the cadence to `off`, or with `k` turns that notification kind " +
    "off; idempotent.",
  tags,
  security: [],
  request: { query: UnsubscribeQuerySchema },
  responses: {
    200: html("Unsubscribed."),
    ...commonErrorResponses,
  },
});

/** The page may only post back to this origin, and carries no script. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

export const digestsRoutes = createRouter()
  .openapi(getDigestPreferencesRoute, async (c) => {
    const prefs = await getEmailPreferences(serviceDeps(c), { recipient: recipientOf(c) });
    return c.json(prefs, 200);
  })
  .openapi(updateDigestPreferencesRoute, async (c) => {
    const body = c.req.valid("json");
    if (body.cadence === undefined && body.language === undefined && body.notifications === undefined) {
      throw validationError([{ path: "", message: "Give cadence, language, notifications or several." }]);
    }
    const prefs = await setEmailPreferences(serviceDeps(c), {
      recipient: recipientOf(c),
      cadence: body.cadence,
      language: body.language,
      notifications: body.notifications,
      now: Date.now(),
    });
    return c.json(prefs, 200);
  })
  .openapi(unsubscribePageRoute, async (c) => {
    const query = c.req.valid("query");
    await verifyUnsubscribe(parseDigestConfig(c.env), { recipient: query.r, signature: query.sig });
    c.header("Content-Security-Policy", PAGE_CSP);
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(
      renderUnsubscribePage({ state: "confirm", action: new URL(c.req.url).search, topic: query.k }),
      200,
    );
  })
  .openapi(unsubscribeRoute, async (c) => {
    const query = c.req.valid("query");
    const deps = { ...serviceDeps(c), config: parseDigestConfig(c.env) };
    const input = { recipient: query.r, signature: query.sig, now: Date.now() };
    if (query.k) await turnOffTopic(deps, { ...input, topic: query.k });
    else await unsubscribe(deps, input);
    c.header("Content-Security-Policy", PAGE_CSP);
    c.header("Cache-Control", "no-store");
    c.header("Referrer-Policy", "no-referrer");
    return c.html(renderUnsubscribePage({ state: "done", action: "", topic: query.k }), 200);
  });
