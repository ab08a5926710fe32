import { Hono } from "hono";
import { assertOfficer } from "../../auth/middleware";
import { toApiError } from "../../http/problem";
import { forumCheckInList, forumTablePlan } from "../../services/forums/agenda.service";
import { recordArrival } from "../../services/forums/attendance.service";
import { loadForum } from "../../services/forums/forums.queries";
import { lockForumMeeting } from "../../services/forums/schedule.service";
import { unlockForumMeeting } from "../../services/forums/unlock-meeting.service";
import { type ConsoleContext, type ConsoleEnv, formField, formFieldOrNull } from "../context";
import { t } from "../i18n";
import { CheckInPage, type MoveState, TablePlanPage, TablePlanPrint } from "../pages/officer/forum-day";
import { deps, page } from "../render";
import { fieldErrors, flash } from "./forums.routes";

/** The forum's day for officers: the table plan with lock and move, its A4 print, the check-in list. */
export const forumDayRoutes = new Hono<ConsoleEnv>();

async function tablePlan(c: ConsoleContext, move: MoveState | null, status?: 409 | 422) {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const forum = await loadForum(deps(c), c.req.param("id") ?? "");
  const plan = await forumTablePlan(deps(c), { forumId: forum.id });
  const s = t(lang);
  const done = c.req.query("locked") ? s.foLockedDone : c.req.query("unlocked") ? s.foUnlockedDone : null;
  const message = status ? null : (done ?? flash(c));
  return page(
    c,
    `${t(lang).foTablePlan} · ${forum.name}`,
    <TablePlanPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      forum={forum}
      plan={plan}
      move={move}
      message={message}
    />,
    status,
  );
}

forumDayRoutes.get("/forum/:id/meja", (c) => tablePlan(c, null));

forumDayRoutes.get("/forum/:id/meja/cetak", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const forum = await loadForum(deps(c), c.req.param("id"));
  const plan = await forumTablePlan(deps(c), { forumId: forum.id });
  return page(
    c,
    `${t(lang).foTablePlan} · ${forum.name}`,
    <TablePlanPrint lang={lang} csrfToken={c.get("csrfToken")} forum={forum} plan={plan} />,
  );
});

/** Lock a meeting where it is; with a slot or table, move it there and lock it. */
forumDayRoutes.post("/forum/:id/rapat/:meetingId/kunci", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const forumId = c.req.param("id");
  const meetingId = c.req.param("meetingId");
  const slot = await formFieldOrNull(c, "slot");
  const table = await formFieldOrNull(c, "tableNo");
  try {
    await lockForumMeeting(deps(c), {
      meetingId,
      forumId,
      actor,
      slot: slot || undefined,
      tableNo: table === null ? undefined : table === "" ? Number.NaN : Number(table),
      now: Date.now(),
    });
    return c.redirect(`/ui/forum/${forumId}/meja?locked=1`, 303);
  } catch (err) {
    const values = { slot: slot ?? "", tableNo: table ?? "" };
    const lang = c.get("lang");
    if (toApiError(err).code === "meeting_conflict") {
      const text = t(lang).foConflict;
      return tablePlan(
        c,
        { meetingId, code: "meeting_conflict", values, errors: { form: text, slot: text } },
        409,
      );
    }
    const errors = fieldErrors(err, lang);
    if (!errors) throw err;
    return tablePlan(c, { meetingId, code: "validation_failed", values, errors }, 422);
  }
});

/** Unlock a locked meeting: it stays put until the next run, which may move it. */
forumDayRoutes.post("/forum/:id/rapat/:meetingId/buka", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const forumId = c.req.param("id");
  const meetingId = c.req.param("meetingId");
  try {
    await unlockForumMeeting(deps(c), { meetingId, forumId, actor, now: Date.now() });
  } catch (err) {
    if (toApiError(err).code !== "meeting_not_locked") throw err;
    const text = t(c.get("lang")).foNotLocked;
    return tablePlan(
      c,
      { meetingId: "", code: "meeting_not_locked", values: {}, errors: { form: text } },
      409,
    );
  }
  return c.redirect(`/ui/forum/${forumId}/meja?unlocked=1`, 303);
});

forumDayRoutes.get("/forum/:id/hadir", async (c) => {
  assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const forum = await loadForum(deps(c), c.req.param("id"));
  const items = await forumCheckInList(deps(c), { forumId: forum.id });
  const message = c.req.query("arrival") ? t(lang).foArrivalDone : flash(c);
  return page(
    c,
    `${t(lang).foCheckIn} · ${forum.name}`,
    <CheckInPage lang={lang} csrfToken={c.get("csrfToken")} forum={forum} items={items} message={message} />,
  );
});

const KINDS = { arrived: "arrived", late: "arrived", no_show: "no_show" } as const;

/** At the door: arrived, late from a slot (the earlier slots dropped), or no-show. */
forumDayRoutes.post("/forum/:id/hadir/:businessId", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const forumId = c.req.param("id");
  const kindField = await formField(c, "kind");
  const kind = KINDS[kindField as keyof typeof KINDS];
  const from = kindField === "late" ? await formField(c, "from") : "";
  if (!kind || (kindField === "late" && !from)) {
    const s = t(lang);
    const message = kind ? s.foFieldErrors.from : s.foFieldErrors.kind;
    return badArrival(c, message ?? "");
  }
  try {
    await recordArrival(deps(c), {
      forumId,
      businessId: c.req.param("businessId"),
      actor,
      kind,
      from: from || undefined,
      now: Date.now(),
    });
  } catch (err) {
    const errors = fieldErrors(err, lang);
    if (!errors) throw err;
    return badArrival(c, Object.values(errors)[0] ?? "");
  }
  return c.redirect(`/ui/forum/${forumId}/hadir?arrival=1`, 303);
});

async function badArrival(c: ConsoleContext, message: string) {
  const lang = c.get("lang");
  const forum = await loadForum(deps(c), c.req.param("id") ?? "");
  const items = await forumCheckInList(deps(c), { forumId: forum.id });
  return page(
    c,
    `${t(lang).foCheckIn} · ${forum.name}`,
    <CheckInPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      forum={forum}
      items={items}
      message={null}
      error={message}
    />,
    422,
  );
}
