import { Hono } from "hono";
import { z } from "zod";
import { assertOfficer } from "../../auth/middleware";
import {
  acknowledgeChanges,
  listBusinesses,
  reviewBusiness,
} from "../../services/businesses/businesses.service";
import { reviewQueueCounts } from "../../services/dashboard/dashboard.service";
import { pairingInsights } from "../../services/dashboard/pairing-insights.service";
import {
  approvePartnership,
  listPartnerships,
  parsePartnershipConfig,
  rejectPartnership,
} from "../../services/partnerships/partnerships.service";
import {
  discardProposal,
  listProposals,
  publishProposal,
} from "../../services/partnerships/proposals.service";
import type { ConsoleContext, ConsoleEnv } from "../context";
import { t } from "../i18n";
import { QueuePage } from "../pages/officer/queue";
import { deps, done, page, reasonField } from "../render";

/** The officers' review queue: sign-ups, changed profiles, accepted requests and the engine's weekly drafts. */
export const queueRoutes = new Hono<ConsoleEnv>();

// Officers ----------------------------------------------------------------------------------------

/** Items per list and page of the review queue; each list pages on its own (`?signups=<cursor>`...). */
export const QUEUE_PAGE_SIZE = 50;

const QueueQuery = z.object({
  signups: z.string().min(1).max(200).optional().catch(undefined),
  changed: z.string().min(1).max(200).optional().catch(undefined),
  pairings: z.string().min(1).max(200).optional().catch(undefined),
  drafts: z.string().min(1).max(200).optional().catch(undefined),
});
type QueueList = keyof z.infer<typeof QueueQuery>;

/** This page's URL with one list moved to `cursor` (null: its first page), the others kept. */
function queueHref(c: ConsoleContext, list: QueueList, cursor: string | null): string {
  const u = new URL(c.req.url);
  u.searchParams.delete("done");
  if (cursor === null) u.searchParams.delete(list);
  else u.searchParams.set(list, cursor);
  return `${u.pathname}${u.search}#q-${list}`;
}

queueRoutes.get("/queue", async (c) => {
  const viewer = assertOfficer(c.get("principal"));
  const lang = c.get("lang");
  const q = QueueQuery.parse(c.req.query());
  const limit = QUEUE_PAGE_SIZE;
  const [pending, changed, accepted, drafts, totals] = await Promise.all([
    // Confirmed sign-ups only: an unconfirmed one is nobody's yet (see signUpBusiness).
    listBusinesses(deps(c), { filters: { status: "pending_review" }, limit, cursor: q.signups }),
    listBusinesses(deps(c), { filters: { changesToReview: true }, limit, cursor: q.changed }),
    listPartnerships(deps(c), { viewer, filters: { status: "accepted" }, limit, cursor: q.pairings }),
    listProposals(deps(c), { actor: viewer, status: "draft", limit, cursor: q.drafts }),
    reviewQueueCounts(deps(c)),
  ]);
  const pager = (list: QueueList, nextCursor: string | null) => ({
    next: nextCursor ? queueHref(c, list, nextCursor) : null,
    first: q[list] ? queueHref(c, list, null) : null,
  });
  const insights = await pairingInsights(deps(c), {
    pairs: accepted.items.map((p) => ({ requesterId: p.requester.id, partnerId: p.partner.id })),
    lang,
  });
  return page(
    c,
    t(lang).queueTitle,
    <QueuePage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      done={c.req.query("done") === "1"}
      pending={pending.items}
      changed={changed.items}
      pairings={accepted.items.map((p) => ({
        partnership: p,
        insight: insights.get(`${p.requester.id}:${p.partner.id}`) ?? null,
      }))}
      drafts={drafts.items}
      totals={totals}
      pages={{
        signups: pager("signups", pending.nextCursor),
        changed: pager("changed", changed.nextCursor),
        pairings: pager("pairings", accepted.nextCursor),
        drafts: pager("drafts", drafts.nextCursor),
      }}
    />,
  );
});

queueRoutes.post("/queue/businesses/:id/publish", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  await reviewBusiness(deps(c), {
    id: c.req.param("id"),
    decision: "publish",
    officerId: officer.id,
    now: Date.now(),
  });
  return c.redirect(done("/ui/queue"), 303);
});

queueRoutes.post("/queue/businesses/:id/reject", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  const reason = await reasonField(c);
  await reviewBusiness(deps(c), {
    id: c.req.param("id"),
    decision: "reject",
    reason,
    officerId: officer.id,
    now: Date.now(),
  });
  return c.redirect(done("/ui/queue"), 303);
});

queueRoutes.post("/queue/businesses/:id/acknowledge", async (c) => {
  const officer = assertOfficer(c.get("principal"));
  await acknowledgeChanges(deps(c), { id: c.req.param("id"), officerId: officer.id, now: Date.now() });
  return c.redirect(done("/ui/queue"), 303);
});

queueRoutes.post("/queue/partnerships/:id/approve", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  await approvePartnership(deps(c), { id: c.req.param("id"), actor, now: Date.now() });
  return c.redirect(done("/ui/queue"), 303);
});

queueRoutes.post("/queue/partnerships/:id/reject", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const reason = await reasonField(c);
  await rejectPartnership(deps(c), { id: c.req.param("id"), actor, reason, now: Date.now() });
  return c.redirect(done("/ui/queue"), 303);
});

// The engine's weekly draft pairings: publishing makes the service business the requester (the
// proposals service's default); discarding needs a reason and the pair is not proposed again.
queueRoutes.post("/queue/drafts/:id/publish", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  await publishProposal(
    { ...deps(c), config: parsePartnershipConfig(c.env) },
    { id: c.req.param("id"), actor, now: Date.now() },
  );
  return c.redirect(done("/ui/queue"), 303);
});

queueRoutes.post("/queue/drafts/:id/discard", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const reason = await reasonField(c);
  await discardProposal(deps(c), { id: c.req.param("id"), actor, reason, now: Date.now() });
  return c.redirect(done("/ui/queue"), 303);
});
