import { Hono } from "hono";
import { z } from "zod";
import { assertAdmin, assertOfficer } from "../../auth/middleware";
import { kecamatanNames } from "../../domain/location";
import { listBusinesses } from "../../services/businesses/read.service";
import { acknowledgeChanges, reviewBusiness } from "../../services/businesses/review.service";
import { pairingInsights } from "../../services/dashboard/pairing-insights.service";
import { queueFilters, reviewQueueCounts } from "../../services/dashboard/review-queue.service";
import { approvePartnership, rejectPartnership } from "../../services/partnerships/decide.service";
import { parsePartnershipConfig } from "../../services/partnerships/partnership-config";
import { decideProposals } from "../../services/partnerships/proposals-bulk.service";
import { parseProposalConfig } from "../../services/partnerships/proposals-config";
import { discardProposal } from "../../services/partnerships/proposals-discard.service";
import { proposePairings } from "../../services/partnerships/proposals-generate.service";
import { publishProposal } from "../../services/partnerships/proposals-publish.service";
import { listProposals } from "../../services/partnerships/proposals-read.service";
import { listPartnerships } from "../../services/partnerships/read.service";
import { type ConsoleContext, type ConsoleEnv, formField, formValues } from "../context";
import { t } from "../i18n";
import { BulkResultPage, ProposeResultPage, QueuePage } from "../pages/officer/queue";
import { deps, done, page, reasonField } from "../render";

/** The officers' review queue: sign-ups, changed profiles, accepted requests and the engine's weekly drafts. */
export const queueRoutes = new Hono<ConsoleEnv>();

// Officers ----------------------------------------------------------------------------------------

/** Items per list and page of the review queue; each list pages on its own (`?signups=<cursor>`...). */
export const QUEUE_PAGE_SIZE = 50;

const QueueQuery = z.object({
  kecamatan: z.string().trim().max(60).optional().catch(undefined),
  sector: z.enum(["service", "industry"]).optional().catch(undefined),
  // "0,6" as officers here write it, or "0.6"; out of range or not a number: no filter.
  minScore: z
    .string()
    .trim()
    .transform((v) => (v === "" ? undefined : Number(v.replace(",", "."))))
    .pipe(z.number().min(0).max(1).optional())
    .optional()
    .catch(undefined),
  signups: z.string().min(1).max(200).optional().catch(undefined),
  changed: z.string().min(1).max(200).optional().catch(undefined),
  pairings: z.string().min(1).max(200).optional().catch(undefined),
  drafts: z.string().min(1).max(200).optional().catch(undefined),
});
type QueueList = "signups" | "changed" | "pairings" | "drafts";

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
  const f = queueFilters({ kecamatan: q.kecamatan, sector: q.sector, minScore: q.minScore });
  const place = { kecamatan: f.kecamatan, sector: f.sector };
  const [pending, changed, accepted, drafts, totals] = await Promise.all([
    // Confirmed sign-ups only: an unconfirmed one is nobody's yet (see signUpBusiness).
    listBusinesses(deps(c), { filters: { ...place, status: "pending_review" }, limit, cursor: q.signups }),
    listBusinesses(deps(c), { filters: { ...place, changesToReview: true }, limit, cursor: q.changed }),
    listPartnerships(deps(c), {
      viewer,
      filters: { status: "accepted", kecamatan: f.kecamatan },
      limit,
      cursor: q.pairings,
    }),
    listProposals(deps(c), {
      actor: viewer,
      status: "draft",
      kecamatan: f.kecamatan,
      minScore: f.minScore,
      limit,
      cursor: q.drafts,
    }),
    reviewQueueCounts(deps(c), f),
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
      isAdmin={viewer.role === "admin"}
      filters={{ kecamatan: q.kecamatan, sector: q.sector, minScore: c.req.query("minScore") }}
      kecamatan={kecamatanNames()}
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

/**
 * Several drafts at once: `ids` (checkboxes) and `decision` (the button pressed); a discard takes
 * one reason for all. Each draft goes through the single action's service; the page says how many
 * went and which did not, with why.
 */
queueRoutes.post("/queue/drafts/bulk", async (c) => {
  const actor = assertOfficer(c.get("principal"));
  const decision = (await formField(c, "decision")) === "discard" ? "discard" : "publish";
  const report = await decideProposals(
    { ...deps(c), config: parsePartnershipConfig(c.env) },
    {
      ids: await formValues(c, "ids"),
      decision,
      reason: decision === "discard" ? await formField(c, "reason") : undefined,
      actor,
      now: Date.now(),
    },
  );
  const lang = c.get("lang");
  return page(c, t(lang).bulkResultTitle, <BulkResultPage lang={lang} report={report} />);
});

/** Admins run the weekly proposals now: the propose-pairings job's service, with its settings. */
queueRoutes.post("/queue/propose", async (c) => {
  assertAdmin(c.get("principal"));
  const report = await proposePairings(deps(c), { now: Date.now(), config: parseProposalConfig(c.env) });
  const lang = c.get("lang");
  return page(
    c,
    t(lang).proposeTitle,
    <ProposeResultPage lang={lang} written={report.proposalsWritten} period={report.period} />,
  );
});
