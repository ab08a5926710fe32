import { Hono } from "hono";
import { z } from "zod";
import { assertOfficer } from "../../auth/middleware";
import { canCloseForum, isCloseRefusal } from "../../domain/forum";
import type { Language } from "../../domain/language";
import { kecamatanNames } from "../../domain/location";
import { toApiError } from "../../http/problem";
import { listBusinesses } from "../../services/businesses/read.service";
import { sendForumAgendas } from "../../services/forums/agenda-emails.service";
import { closeForum } from "../../services/forums/close.service";
import { forumStats } from "../../services/forums/forum-stats.service";
import { loadForum } from "../../services/forums/forums.queries";
import { createForum, listForums } from "../../services/forums/forums.service";
import { inviteBusinesses } from "../../services/forums/invitations.service";
import { listForumParticipants } from "../../services/forums/participants.service";
import { runForumSchedule } from "../../services/forums/schedule.service";
import { type ConsoleContext, type ConsoleEnv, formField, formValues } from "../context";
import { fill, t } from "../i18n";
import { type FormState, ForumPage, ForumsPage, NEW_FORUM_FORM } from "../pages/officer/forums";
import { deps, page } from "../render";

/** The officers' forums (docs/FORUMS.md): the list and create form, one forum, invitations, the schedule. */
export const forumRoutes = new Hono<ConsoleEnv>();

/** A service's field errors in the page's language, keyed by field. */
export function fieldErrors(err: unknown, lang: Language): Record<string, string> | null {
  const e = toApiError(err);
  if (e.code !== "validation_failed") return null;
  const words = t(lang).foFieldErrors;
  return Object.fromEntries((e.extra?.errors ?? []).map((x) => [x.path, words[x.path] ?? x.message]));
}

async function listPage(c: ConsoleContext, form: FormState, status?: 422) {
  const lang = c.get("lang");
  const forums = await listForums(deps(c));
  return page(
    c,
    t(lang).foTitle,
    <ForumsPage lang={lang} csrfToken={c.get("csrfToken")} forums={forums} form={form} />,
    status,
  );
}

forumRoutes.get("/forum", (c) => {
  assertOfficer(c.get("principal"));
  return listPage(c, NEW_FORUM_FORM);
});

const FORUM_FIELDS = [
  "name",
  "date",
  "venue",
  "meetingMinutes",
  "start",
  "end",
  "breaks",
  "tables",
  "maxMeetings",
  "maxRequests",
] as const;

/** A number field: NaN when empty (the service says what is wrong), absent when optional and empty. */
const num = (v: string) => (v === "" ? Number.NaN : Number(v));
const optional = (v: string) => (v === "" ? undefined : Number(v));

forumRoutes.post("/forum", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const values: Record<string, string> = {};
  for (const f of FORUM_FIELDS) values[f] = await formField(c, f);
  try {
    const forum = await createForum(deps(c), {
      actor,
      name: values.name ?? "",
      date: values.date ?? "",
      venue: values.venue ?? "",
      meetingMinutes: num(values.meetingMinutes ?? ""),
      start: values.start ?? "",
      end: values.end ?? "",
      breaks: values.breaks ?? "",
      tables: num(values.tables ?? ""),
      maxMeetings: optional(values.maxMeetings ?? ""),
      maxRequests: optional(values.maxRequests ?? ""),
      now: Date.now(),
    });
    return c.redirect(`/ui/forum/${forum.id}`, 303);
  } catch (err) {
    const errors = fieldErrors(err, c.get("lang"));
    if (!errors) throw err;
    return listPage(c, { values, errors }, 422);
  }
});

const ForumQuery = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  invited: z.coerce.number().int().min(0).optional().catch(undefined),
  meetings: z.coerce.number().int().min(0).optional().catch(undefined),
  attendees: z.coerce.number().int().min(0).optional().catch(undefined),
  sent: z.coerce.number().int().min(0).optional().catch(undefined),
  closed: z.literal("1").optional().catch(undefined),
});

/**
 * The flash message a redirect asked for (`?invited=3`, `?meetings=12&attendees=8`, `?sent=8`,
 * `?closed=1`).
 */
export function flash(c: ConsoleContext): string | null {
  const s = t(c.get("lang"));
  const q = ForumQuery.parse(c.req.query());
  if (q.invited !== undefined) return fill(s.foInvited, { n: q.invited });
  if (q.meetings !== undefined)
    return fill(s.foScheduled, { meetings: q.meetings, attendees: q.attendees ?? 0 });
  if (q.sent !== undefined) return fill(s.foSent, { n: q.sent });
  if (q.closed) return s.foClosedDone;
  return null;
}

const SEARCH_LIMIT = 20;

const NO_INVITE_FORM: FormState = { values: {}, errors: {} };

/** A refusal shown at the top of the forum page (its code on the notice). */
interface Refusal {
  code: string;
  text: string;
}

async function forumPage(
  c: ConsoleContext,
  inviteForm: FormState,
  failed?: { status: 409; refusal: Refusal } | { status: 422 },
) {
  const status = failed?.status;
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const forumId = c.req.param("id") ?? "";
  const forum = await loadForum(deps(c), forumId);
  const q = ForumQuery.parse(c.req.query()).q ?? "";
  const [stats, participants, found] = await Promise.all([
    forumStats(deps(c), { forumId }),
    listForumParticipants(deps(c), { forumId }),
    q
      ? listBusinesses(deps(c), { filters: { q, status: "published", active: true }, limit: SEARCH_LIMIT })
      : null,
  ]);
  return page(
    c,
    forum.name,
    <ForumPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      data={{
        forum,
        stats: stats[0],
        participants,
        kecamatan: kecamatanNames(),
        search: { q, items: found?.items ?? null },
        inviteForm,
        message: status ? null : flash(c),
        refusal: failed?.status === 409 ? failed.refusal : null,
        closable: canCloseForum(forum, Date.now()),
      }}
    />,
    status,
  );
}

forumRoutes.get("/forum/:id", (c) => forumPage(c, NO_INVITE_FORM));

const Sector = z.enum(["service", "industry"]).optional().catch(undefined);

forumRoutes.post("/forum/:id/undang", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const forumId = c.req.param("id");
  const values = {
    kecamatan: await formField(c, "kecamatan"),
    sector: await formField(c, "sector"),
    kbli: await formField(c, "kbli"),
  };
  try {
    const r = await inviteBusinesses(deps(c), {
      forumId,
      actor,
      businessIds: await formValues(c, "business"),
      filters: {
        kecamatan: values.kecamatan || undefined,
        sector: Sector.parse(values.sector || undefined),
        kbli: values.kbli || undefined,
      },
      now: Date.now(),
    });
    return c.redirect(`/ui/forum/${forumId}?invited=${r.invited}`, 303);
  } catch (err) {
    const errors = fieldErrors(err, c.get("lang"));
    if (!errors) throw err;
    if (errors.filters) errors.filters = t(c.get("lang")).foNeedFilter;
    return forumPage(c, { values, errors }, { status: 422 });
  }
});

/** Where a schedule run returns to: the forum (default), the table plan or the check-in list. */
const NEXT = { meja: "/meja", hadir: "/hadir" } as Record<string, string>;

forumRoutes.post("/forum/:id/jadwal", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const forumId = c.req.param("id");
  const fromSlot = (await formField(c, "fromSlot")) || undefined;
  const next = NEXT[await formField(c, "next")] ?? "";
  const run = await runForumSchedule(deps(c), { forumId, actor, fromSlot, now: Date.now() });
  return c.redirect(`/ui/forum/${forumId}${next}?meetings=${run.meetings}&attendees=${run.attendees}`, 303);
});

forumRoutes.post("/forum/:id/kirim-agenda", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const forumId = c.req.param("id");
  const r = await sendForumAgendas(deps(c), { forumId, actor, now: Date.now() });
  return c.redirect(`/ui/forum/${forumId}?sent=${r.enqueued}`, 303);
});

/** Close the forum after its day (the page asks first); a refusal stays on the page with its code. */
forumRoutes.post("/forum/:id/tutup", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const forumId = c.req.param("id");
  try {
    await closeForum(deps(c), { forumId, actor, now: Date.now() });
  } catch (err) {
    const code = toApiError(err).code;
    if (!isCloseRefusal(code)) throw err;
    const text = t(c.get("lang")).foCloseRefused[code] ?? "";
    return forumPage(c, NO_INVITE_FORM, { status: 409, refusal: { code, text } });
  }
  return c.redirect(`/ui/forum/${forumId}?closed=1`, 303);
});
