import { Hono } from "hono";
import { z } from "zod";
import { PARTNERSHIP_OUTCOMES } from "../../domain/partnership";
import { PartnershipTextSchema } from "../../domain/texts";
import { validationError } from "../../errors";
import { PARTNERSHIP_PATTERNS } from "../../matching";
import { getBusiness } from "../../services/businesses/businesses.service";
import {
  acceptPartnership,
  cancelPartnership,
  createPartnership,
  declinePair,
  declinePartnership,
  endPartnership,
  listPartnerships,
  parsePartnershipConfig,
} from "../../services/partnerships/partnerships.service";
import { type ConsoleEnv, formField } from "../context";
import { t } from "../i18n";
import { OwnerPage } from "../pages/owner";
import { asBusiness, deps, done, page, suggestionsOrNone } from "../render";

/** The business owner's page: suggestions, requests and partnerships. */
export const ownerRoutes = new Hono<ConsoleEnv>();

// Business owners ---------------------------------------------------------------------------------

ownerRoutes.get("/me", async (c) => {
  const me = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const business = await getBusiness(deps(c), { id: me.businessId });
  const [suggestions, partnerships] = await Promise.all([
    suggestionsOrNone(c, me.businessId, lang),
    listPartnerships(deps(c), { viewer: me, filters: {}, limit: 100 }),
  ]);
  return page(
    c,
    t(lang).mineTitle,
    <OwnerPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      business={business}
      suggestions={suggestions}
      partnerships={partnerships.items}
      done={c.req.query("done") === "1"}
    />,
  );
});

const RequestForm = z.object({
  partnerId: z.string().min(1).max(64),
  pattern: z.enum(PARTNERSHIP_PATTERNS),
  message: PartnershipTextSchema,
});

ownerRoutes.post("/me/requests", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const form = RequestForm.safeParse({
    partnerId: await formField(c, "partnerId"),
    pattern: await formField(c, "pattern"),
    message: await formField(c, "message"),
  });
  if (!form.success) throw validationError([{ path: "form", message: "Choose a partner and a pattern." }]);
  await createPartnership(
    { ...deps(c), config: parsePartnershipConfig(c.env) },
    {
      actor,
      partnerId: form.data.partnerId,
      pattern: form.data.pattern,
      message: form.data.message,
      now: Date.now(),
    },
  );
  return c.redirect(done("/ui/me"), 303);
});

ownerRoutes.post("/me/declined", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const partnerId = await formField(c, "partnerId");
  if (!partnerId) throw validationError([{ path: "partnerId", message: "Missing partner." }]);
  await declinePair(deps(c), { actor, partnerId, now: Date.now() });
  return c.redirect(done("/ui/me"), 303);
});

const ownerActions = {
  accept: acceptPartnership,
  decline: declinePartnership,
  cancel: cancelPartnership,
} as const;

ownerRoutes.post("/me/partnerships/:id/:action{accept|decline|cancel}", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const action = c.req.param("action") as keyof typeof ownerActions;
  await ownerActions[action](deps(c), { id: c.req.param("id"), actor, now: Date.now() });
  return c.redirect(done("/ui/me"), 303);
});

const EndForm = z.object({ outcome: z.enum(PARTNERSHIP_OUTCOMES), note: PartnershipTextSchema });

ownerRoutes.post("/me/partnerships/:id/end", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const form = EndForm.safeParse({
    outcome: await formField(c, "outcome"),
    note: await formField(c, "note"),
  });
  if (!form.success) throw validationError([{ path: "outcome", message: "Choose an outcome." }]);
  await endPartnership(deps(c), {
    id: c.req.param("id"),
    actor,
    outcome: form.data.outcome,
    note: form.data.note || undefined,
    now: Date.now(),
  });
  return c.redirect(done("/ui/me"), 303);
});
