import { Hono } from "hono";
import { z } from "zod";
import { isoDay, wibDate } from "../../domain/calendar";
import { PARTNERSHIP_OUTCOMES } from "../../domain/partnership";
import { PartnershipTextSchema } from "../../domain/texts";
import { validationError } from "../../errors";
import { PARTNERSHIP_PATTERNS } from "../../matching";
import { getBusiness } from "../../services/businesses/read.service";
import { unansweredInvitations } from "../../services/forums/my-forums.service";
import { cancelPartnership } from "../../services/partnerships/cancel.service";
import { declinePair } from "../../services/partnerships/declined-pair-write.service";
import { endPartnership } from "../../services/partnerships/end.service";
import { partnerProfiles } from "../../services/partnerships/partner-profiles.service";
import { parsePartnershipConfig } from "../../services/partnerships/partnership-config";
import { getPartnership, listPartnerships } from "../../services/partnerships/read.service";
import { createPartnership } from "../../services/partnerships/request.service";
import { acceptPartnership, declinePartnership } from "../../services/partnerships/respond.service";
import { listOwnDeclines, undoDeclinePair } from "../../services/partnerships/undo-decline.service";
import { type ConsoleContext, type ConsoleEnv, formField } from "../context";
import { t } from "../i18n";
import { cardId, type EndFormState, type OwnerFlash, OwnerPage } from "../pages/owner";
import { asBusiness, deps, page, suggestionsOrNone } from "../render";

/** The business owner's page: what waits for them, their requests and partnerships, suggestions. */
export const ownerRoutes = new Hono<ConsoleEnv>();

/** How many suggestions the page shows. */
const SUGGESTIONS_SHOWN = 10;

/** What a form did, as `?done=` names it; the page words each in the card acted on. */
const DONE = ["requested", "accepted", "declined", "cancelled", "ended", "notInterested", "undone"] as const;
type Done = (typeof DONE)[number];

/** Ids as they appear in a URL and an anchor (`biz_...`, `ptn_...`). */
const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** Back to the card acted on: `/ui/me?done=<what>&card=<id>#card-<id>`. */
function backTo(what: Done, card: string, pos?: number): string {
  const q = new URLSearchParams({ done: what, card });
  if (pos !== undefined) q.set("pos", String(pos));
  return `/ui/me?${q}#${cardId(card)}`;
}

function readFlash(c: ConsoleContext): OwnerFlash | null {
  const what = c.req.query("done");
  const card = IdSchema.safeParse(c.req.query("card"));
  if (!what || !(DONE as readonly string[]).includes(what) || !card.success) return null;
  const pos = Number.parseInt(c.req.query("pos") ?? "0", 10);
  return { what, card: card.data, pos: Number.isFinite(pos) ? pos : 0 };
}

async function idField(c: ConsoleContext, name: string): Promise<string> {
  const parsed = IdSchema.safeParse(await formField(c, name));
  if (!parsed.success) throw validationError([{ path: name, message: "Missing or malformed id." }]);
  return parsed.data;
}

async function posField(c: ConsoleContext): Promise<number> {
  const pos = Number.parseInt(await formField(c, "pos"), 10);
  return Number.isFinite(pos) && pos >= 0 && pos < 1000 ? pos : 0;
}

async function renderOwner(c: ConsoleContext, endForm: EndFormState | null = null, status?: 422) {
  const me = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const [business, suggestions, partnerships, declines, forumInvitations] = await Promise.all([
    getBusiness(deps(c), { id: me.businessId }),
    // More than shown: those with an open request are listed above, not among the ten suggestions.
    suggestionsOrNone(c, me.businessId, lang, 2 * SUGGESTIONS_SHOWN),
    listPartnerships(deps(c), { viewer: me, filters: {}, limit: 100 }),
    listOwnDeclines(deps(c), { actor: me }),
    unansweredInvitations(deps(c), { businessId: me.businessId, today: isoDay(wibDate(Date.now())) }),
  ]);
  const others = partnerships.items.map((p) =>
    p.requester.id === me.businessId ? p.partner.id : p.requester.id,
  );
  const profiles = await partnerProfiles(deps(c), { viewer: me, ids: others });
  const confirm = IdSchema.safeParse(c.req.query("confirm"));
  return page(
    c,
    t(lang).mineTitle,
    <OwnerPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      business={business}
      suggestions={suggestions}
      suggestionsShown={SUGGESTIONS_SHOWN}
      partnerships={partnerships.items}
      profiles={profiles}
      declines={declines}
      flash={readFlash(c)}
      confirm={confirm.success ? confirm.data : null}
      endForm={endForm}
      forumInvitations={forumInvitations}
    />,
    status,
  );
}

ownerRoutes.get("/me", (c) => renderOwner(c));

const RequestForm = z.object({
  partnerId: IdSchema,
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
  const created = await createPartnership(
    { ...deps(c), config: parsePartnershipConfig(c.env) },
    {
      actor,
      partnerId: form.data.partnerId,
      pattern: form.data.pattern,
      message: form.data.message,
      now: Date.now(),
    },
  );
  return c.redirect(backTo("requested", created.id), 303);
});

/** "Tidak berminat": only with the confirmation's `confirm=yes`; without it, the confirmation. */
ownerRoutes.post("/me/declined", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const partnerId = await idField(c, "partnerId");
  const pos = await posField(c);
  if ((await formField(c, "confirm")) !== "yes") {
    return c.redirect(`/ui/me?confirm=${partnerId}#${cardId(partnerId)}`, 303);
  }
  await declinePair(deps(c), { actor, partnerId, now: Date.now() });
  return c.redirect(backTo("notInterested", partnerId, pos), 303);
});

/** "Batalkan" after "tidak berminat": the owner takes back their own decline. */
ownerRoutes.post("/me/declined/undo", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const partnerId = await idField(c, "partnerId");
  await undoDeclinePair(deps(c), { actor, partnerId, now: Date.now() });
  return c.redirect(backTo("undone", partnerId), 303);
});

const ownerActions = {
  accept: [acceptPartnership, "accepted"],
  decline: [declinePartnership, "declined"],
  cancel: [cancelPartnership, "cancelled"],
} as const;

ownerRoutes.post("/me/partnerships/:id/:action{accept|decline|cancel}", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const [act, done] = ownerActions[c.req.param("action") as keyof typeof ownerActions];
  const id = c.req.param("id");
  await act(deps(c), { id, actor, now: Date.now() });
  return c.redirect(backTo(done, id), 303);
});

const EndForm = z.object({ outcome: z.enum(PARTNERSHIP_OUTCOMES), note: PartnershipTextSchema });

ownerRoutes.post("/me/partnerships/:id/end", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const id = c.req.param("id");
  const note = await formField(c, "note");
  const outcome = await formField(c, "outcome");
  const form = EndForm.safeParse({ outcome, note });
  if (!form.success) {
    // A partnership this owner cannot see is a 404, not a form to show again.
    await getPartnership(deps(c), { id, viewer: actor });
    // The page again, the form open with what was typed and the message at the field.
    const s = t(c.get("lang"));
    const outcomeOk = EndForm.shape.outcome.safeParse(outcome).success;
    const error = outcomeOk ? (s.errorCodes.validation_failed ?? "") : s.ownerEndNeedsOutcome;
    return renderOwner(c, { id, note, error }, 422);
  }
  await endPartnership(deps(c), {
    id,
    actor,
    outcome: form.data.outcome,
    note: form.data.note || undefined,
    now: Date.now(),
  });
  return c.redirect(backTo("ended", id), 303);
});
