import { Hono } from "hono";
import { z } from "zod";
import { FORUM_RATINGS } from "../../domain/forum";
import { ApiError } from "../../errors";
import { toApiError } from "../../http/problem";
import { getBusiness } from "../../services/businesses/read.service";
import { answerInvitation } from "../../services/forums/attendance.service";
import { forumPartners } from "../../services/forums/forum-partners.service";
import { type MyForum, myForum, myForums } from "../../services/forums/my-forums.service";
import { ownerForumAgenda } from "../../services/forums/owner-agenda.service";
import { rateForumMeeting } from "../../services/forums/ratings.service";
import {
  answerMeetingRequest,
  markNotInterested,
  requestMeeting,
} from "../../services/forums/requests.service";
import { withdrawMeetingRequest } from "../../services/forums/withdraw-request.service";
import { parsePartnershipConfig } from "../../services/partnerships/partnership-config";
import { type ConsoleContext, type ConsoleEnv, formField, formValues } from "../context";
import { fill, t } from "../i18n";
import { cardId } from "../pages/owner";
import {
  AgendaPage,
  type AttendanceForm,
  type CardError,
  type ForumFlash,
  ForumPage,
  MyForumsPage,
  PrintAgendaPage,
} from "../pages/owner-forum";
import { asBusiness, deps, page } from "../render";

/**
 * The owner's side of a business-matching forum (docs/FORUMS.md): /ui/me/forum lists the
 * invitations; /ui/me/forum/:id answers one, shows the suggested partners among the attendees and
 * the requests; /agenda and /agenda/cetak show the meetings and take the ratings. The officers'
 * pages are elsewhere (/ui/forum...).
 */
export const forumOwnerRoutes = new Hono<ConsoleEnv>();

/** Ids as they appear in a URL and an anchor (`frm_...`, `biz_...`, `fmt_...`). */
const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);
const CodeSchema = z.string().regex(/^[A-Za-z_]{1,40}$/);
const RatingSchema = z.enum(FORUM_RATINGS);

const base = (forumId: string) => `/ui/me/forum/${forumId}`;

function readFlash(c: ConsoleContext): ForumFlash | null {
  const what = CodeSchema.safeParse(c.req.query("done"));
  if (!what.success) return null;
  const card = IdSchema.safeParse(c.req.query("card"));
  const refused = CodeSchema.safeParse(c.req.query("refused"));
  return {
    what: what.data,
    card: card.success ? card.data : null,
    refused: refused.success ? refused.data : null,
  };
}

function back(forumId: string, what: string, card?: string, extra: Record<string, string> = {}): string {
  const q = new URLSearchParams({ done: what, ...(card ? { card } : {}), ...extra });
  return `${base(forumId)}?${q}${card ? `#${cardId(card)}` : ""}`;
}

function formOf(my: MyForum): AttendanceForm {
  const attending = my.participation === "confirmed" ? "ya" : my.participation === "declined" ? "tidak" : "";
  return { attending, available: my.available, error: null };
}

/** A service's refusal in the page's words (the forum's limit filled in), for the card acted on. */
function refusalText(c: ConsoleContext, e: ApiError, my: MyForum): string {
  const s = t(c.get("lang"));
  const text = s.myForumErrors[e.code] ?? s.errorCodes[e.code] ?? s.moreErrorCodes[e.code] ?? s.errorFallback;
  return fill(text, { max: my.forum.maxRequests });
}

async function renderForum(
  c: ConsoleContext,
  extra: { form?: AttendanceForm; error?: CardError } = {},
  status?: 404 | 409 | 422,
) {
  const actor = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const my = await myForum(deps(c), { forumId: c.req.param("id") ?? "", actor });
  const partners =
    my.participation === "confirmed" || my.participation === "invited"
      ? await forumPartners(deps(c), { forumId: my.forum.id, actor, lang })
      : null;
  return page(
    c,
    my.forum.name,
    <ForumPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      my={my}
      partners={partners}
      form={extra.form ?? formOf(my)}
      flash={readFlash(c)}
      error={extra.error ?? null}
    />,
    status,
  );
}

/**
 * Runs one of the page's actions; a refusal the owner can act on (the limit, a sector mismatch, a
 * participant or request gone, the forum over) shows the page again with the message at the card.
 */
async function act(c: ConsoleContext, card: string, run: () => Promise<string>): Promise<Response> {
  try {
    return c.redirect(await run(), 303);
  } catch (err) {
    const e = toApiError(err);
    if (e.status !== 404 && e.status !== 409 && e.status !== 422) throw err;
    const actor = asBusiness(c.get("principal"));
    const my = await myForum(deps(c), { forumId: c.req.param("id") ?? "", actor });
    return renderForum(c, { error: { card, text: refusalText(c, e, my) } }, e.status);
  }
}

forumOwnerRoutes.get("/me/forum", async (c) => {
  const me = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const items = await myForums(deps(c), { businessId: me.businessId });
  return page(
    c,
    t(lang).myForumsTitle,
    <MyForumsPage lang={lang} csrfToken={c.get("csrfToken")} items={items} />,
  );
});

forumOwnerRoutes.get("/me/forum/:id", (c) => renderForum(c));

forumOwnerRoutes.post("/me/forum/:id/hadir", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const s = t(c.get("lang"));
  const forumId = c.req.param("id");
  const answer = await formField(c, "attending");
  const available = await formValues(c, "slot");
  const again = (field: "attending" | "available", text: string) =>
    renderForum(c, { form: { attending: answer, available, error: { field, text } } }, 422);
  if (answer !== "ya" && answer !== "tidak") return again("attending", s.myForumNeedAnswer);
  try {
    await answerInvitation(deps(c), {
      forumId,
      actor,
      attending: answer === "ya",
      available,
      now: Date.now(),
    });
  } catch (err) {
    const e = toApiError(err);
    if (e.code === "validation_failed") return again("available", s.myForumBadSlot);
    if (e.code === "forum_not_open")
      return renderForum(c, { error: { card: null, text: s.myForumErrors.forum_not_open ?? "" } }, 409);
    throw err;
  }
  return c.redirect(`${back(forumId, "answered")}#hadir`, 303);
});

forumOwnerRoutes.post("/me/forum/:id/minta", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const forumId = c.req.param("id");
  const toId = IdSchema.safeParse(await formField(c, "partnerId"));
  if (!toId.success) throw new ApiError("not_found", "Participant not found.");
  return act(c, toId.data, async () => {
    const r = await requestMeeting(deps(c), { forumId, actor, toId: toId.data, now: Date.now() });
    return back(forumId, r.mutual ? "mutual" : "requested", toId.data);
  });
});

forumOwnerRoutes.post("/me/forum/:id/batal", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const forumId = c.req.param("id");
  const toId = IdSchema.safeParse(await formField(c, "partnerId"));
  if (!toId.success) throw new ApiError("not_found", "Meeting request not found.");
  return act(c, toId.data, async () => {
    await withdrawMeetingRequest(deps(c), { forumId, actor, toId: toId.data, now: Date.now() });
    return back(forumId, "withdrawn", toId.data);
  });
});

forumOwnerRoutes.post("/me/forum/:id/tidak-berminat", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const forumId = c.req.param("id");
  const otherId = IdSchema.safeParse(await formField(c, "partnerId"));
  if (!otherId.success) throw new ApiError("not_found", "Participant not found.");
  return act(c, otherId.data, async () => {
    await markNotInterested(deps(c), { forumId, actor, otherId: otherId.data, now: Date.now() });
    // The card leaves the suggestions: the message shows at the top.
    return back(forumId, "notInterested");
  });
});

forumOwnerRoutes.post("/me/forum/:id/permintaan", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const forumId = c.req.param("id");
  const fromId = IdSchema.safeParse(await formField(c, "fromId"));
  const answer = await formField(c, "answer");
  if (!fromId.success || (answer !== "terima" && answer !== "tolak"))
    throw new ApiError("not_found", "Meeting request not found.");
  const card = `r-${fromId.data}`;
  return act(c, card, async () => {
    const accept = answer === "terima";
    await answerMeetingRequest(deps(c), { forumId, actor, fromId: fromId.data, accept, now: Date.now() });
    return back(forumId, accept ? "accepted" : "declined", card);
  });
});

async function renderAgenda(c: ConsoleContext, error: CardError | null = null, status?: 409 | 422) {
  const actor = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const forumId = c.req.param("id") ?? "";
  const my = await myForum(deps(c), { forumId, actor });
  const agenda = await ownerForumAgenda(deps(c), { forumId, actor, lang, now: Date.now() });
  return page(
    c,
    t(lang).myAgendaTitle,
    <AgendaPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      my={my}
      agenda={agenda}
      flash={readFlash(c)}
      error={error}
    />,
    status,
  );
}

forumOwnerRoutes.get("/me/forum/:id/agenda", (c) => renderAgenda(c));

forumOwnerRoutes.get("/me/forum/:id/agenda/cetak", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const forumId = c.req.param("id");
  const my = await myForum(deps(c), { forumId, actor });
  const [agenda, business] = await Promise.all([
    ownerForumAgenda(deps(c), { forumId, actor, lang, now: Date.now() }),
    getBusiness(deps(c), { id: actor.businessId }),
  ]);
  return page(
    c,
    t(lang).myAgendaPrintTitle,
    <PrintAgendaPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      my={my}
      agenda={agenda}
      businessName={business.name}
    />,
  );
});

forumOwnerRoutes.post("/me/forum/:id/nilai", async (c) => {
  const actor = asBusiness(c.get("principal"));
  const s = t(c.get("lang"));
  const forumId = c.req.param("id");
  const meetingId = IdSchema.safeParse(await formField(c, "meetingId"));
  if (!meetingId.success) throw new ApiError("not_found", "Meeting not found.");
  const rating = RatingSchema.safeParse(await formField(c, "rating"));
  if (!rating.success) return renderAgenda(c, { card: meetingId.data, text: s.myRateNeedChoice }, 422);
  let r: Awaited<ReturnType<typeof rateForumMeeting>>;
  try {
    r = await rateForumMeeting(
      { ...deps(c), config: parsePartnershipConfig(c.env) },
      { meetingId: meetingId.data, actor, rating: rating.data, now: Date.now() },
    );
  } catch (err) {
    const e = toApiError(err);
    if (e.code !== "forum_not_open") throw err;
    return renderAgenda(c, { card: meetingId.data, text: s.myRateLater }, 409);
  }
  const q = new URLSearchParams({ done: "rated", card: meetingId.data });
  if (r.followUpRefused) q.set("refused", r.followUpRefused);
  return c.redirect(`${base(forumId)}/agenda?${q}#m-${meetingId.data}`, 303);
});
