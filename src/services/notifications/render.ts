import { eq } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import {
  auditLog,
  businesses,
  digestPreferences,
  type NotificationOutboxRow,
  officers,
  partnerships,
  procurementBuyers,
  procurementPackages,
} from "../../../schema";
import type { Language } from "../../domain/language";
import { TOPIC_OF } from "../../domain/notifications";
import { type PartyRef, parsePartyRef } from "../../domain/party";
import type { EmailMessage } from "../../email/mailer";
import { type NotificationData, renderNotification } from "../../email/notification.template";
import type { ServiceDeps } from "../deps";
import type { DigestConfig } from "../digests/digest-config";
import { unsubscribeUrl } from "../digests/digest-unsubscribe.service";
import { participantAgenda } from "../forums/agenda.service";
import { getForum } from "../forums/forums.service";

/**
 * Send time: a claimed outbox row (ids only) becomes a message, read from the rows as they are now:
 * names, the request's message, the officer's reason. Null when there is nothing left to say: the
 * recipient or the other side was erased, the recipient has no address, or a new request was
 * already answered or withdrawn before its email went out.
 */
export async function composeNotification(
  deps: ServiceDeps & { config: DigestConfig },
  row: NotificationOutboxRow,
): Promise<EmailMessage | null> {
  const recipient = parsePartyRef(row.recipient);
  if (!recipient) throw new Error(`outbox row ${row.id} has no valid recipient`);
  const pref = await deps.db
    .select({ language: digestPreferences.language })
    .from(digestPreferences)
    .where(eq(digestPreferences.recipient, row.recipient))
    .get();
  const base = deps.config.baseUrl;
  const topic = TOPIC_OF[row.kind];
  const unsubscribe = deps.config.signingKey
    ? `${await unsubscribeUrl(deps.config, row.recipient as PartyRef)}&k=${topic}`
    : null;

  let to: string;
  let data: NotificationData;
  if (recipient.kind === "officer") {
    if (row.kind !== "officer_summary" || !row.counts) return null;
    const officer = await deps.db
      .select({ email: officers.email, active: officers.active })
      .from(officers)
      .where(eq(officers.id, recipient.id))
      .get();
    if (!officer?.active || !officer.email) return null;
    to = officer.email;
    data = {
      kind: "officer_summary",
      language: pref?.language ?? "id",
      links: { app: `${base}/ui/queue`, preferences: null, unsubscribe },
      counts: row.counts,
      date: row.createdAt,
    };
  } else {
    const me = await deps.db
      .select({
        name: businesses.name,
        email: businesses.email,
        language: businesses.language,
        deletedAt: businesses.deletedAt,
      })
      .from(businesses)
      .where(eq(businesses.id, recipient.id))
      .get();
    if (!me || me.deletedAt !== null || !me.email) return null;
    to = me.email;
    const language: Language = pref?.language ?? me.language;
    const common = {
      language,
      businessName: me.name,
      links: { app: `${base}/ui/me`, preferences: `${base}/ui/me/notifikasi`, unsubscribe },
    };
    const reason = await auditReason(deps, row.auditId);
    if (row.kind === "sign_up_published") data = { ...common, kind: row.kind };
    else if (row.kind === "sign_up_rejected") data = { ...common, kind: row.kind, reason };
    else if (row.kind === "forum_agenda") {
      // Read at send time: the agenda as it is now (a later re-run enqueues its own email).
      const forum = await getForum(deps, row.subjectId);
      if (!forum) return null;
      const items = await participantAgenda(deps, {
        forumId: forum.id,
        businessId: recipient.id,
        lang: language,
      });
      if (items.length === 0) return null;
      data = {
        ...common,
        kind: row.kind,
        links: { ...common.links, app: `${base}/ui/me` },
        forum: { name: forum.name, date: forum.date, venue: forum.venue },
        items: items.map((i) => ({
          start: i.start,
          end: i.end,
          tableNo: i.tableNo,
          partner: i.partner.name,
          why: i.why[0] ?? null,
        })),
      };
    } else if (row.kind === "procurement_opportunity") {
      const pkg = await opportunityPackage(deps, row.subjectId);
      if (!pkg) return null;
      data = {
        ...common,
        kind: row.kind,
        ...pkg,
        links: { ...common.links, app: `${base}/ui/me/pengadaan` },
      };
    } else {
      const pair = await loadPair(deps, row.subjectId, recipient.id);
      if (!pair) return null;
      const side = { ...common, otherName: pair.otherName, pattern: pair.row.pattern };
      switch (row.kind) {
        case "request_received":
          // Answered or withdrawn before the email went out: the news is stale.
          if (pair.row.status !== "requested") return null;
          data = { ...side, kind: row.kind, message: pair.row.message, expiresAt: pair.row.expiresAt };
          break;
        case "request_accepted":
        case "request_declined":
        case "partnership_approved":
          data = { ...side, kind: row.kind };
          break;
        case "partnership_rejected":
          data = { ...side, kind: row.kind, reason: reason ?? pair.row.rejectionReason };
          break;
        case "request_expired":
          data = {
            ...side,
            kind: row.kind,
            role: pair.row.requesterId === recipient.id ? "requester" : "partner",
          };
          break;
        default:
          return null;
      }
    }
  }
  return { to, ...renderNotification(data), headers: listHeaders(unsubscribe) };
}

/** The package an opportunity email names (null when it was removed before sending). */
async function opportunityPackage(deps: ServiceDeps, packageId: string) {
  const found = await deps.db
    .select({
      packageName: procurementPackages.name,
      buyerName: procurementBuyers.name,
      pagu: procurementPackages.pagu,
      plannedMonth: procurementPackages.plannedMonth,
    })
    .from(procurementPackages)
    .innerJoin(procurementBuyers, eq(procurementBuyers.id, procurementPackages.buyerId))
    .where(eq(procurementPackages.id, packageId))
    .get();
  return found ?? null;
}

/** The officer's reason the event's audit row carries (erasure removes it from there too). */
async function auditReason(deps: ServiceDeps, auditId: number | null): Promise<string | null> {
  if (auditId === null) return null;
  const row = await deps.db
    .select({ details: auditLog.details })
    .from(auditLog)
    .where(eq(auditLog.id, auditId))
    .get();
  const reason = row?.details?.reason;
  return typeof reason === "string" && reason.trim() !== "" ? reason : null;
}

/** The partnership and the other side's name as the recipient sees it; null when either side is erased. */
async function loadPair(deps: ServiceDeps, partnershipId: string, me: string) {
  const r = alias(businesses, "r");
  const q = alias(businesses, "q");
  const found = await deps.db
    .select({
      row: partnerships,
      requesterName: r.name,
      requesterDeleted: r.deletedAt,
      partnerName: q.name,
      partnerDeleted: q.deletedAt,
    })
    .from(partnerships)
    .innerJoin(r, eq(r.id, partnerships.requesterId))
    .innerJoin(q, eq(q.id, partnerships.partnerId))
    .where(eq(partnerships.id, partnershipId))
    .get();
  if (!found || found.requesterDeleted !== null || found.partnerDeleted !== null) return null;
  const otherName = found.row.requesterId === me ? found.partnerName : found.requesterName;
  return { row: found.row, otherName };
}

/** RFC 2369 List-Unsubscribe, and RFC 8058 one-click when the link is https (as digests do). */
function listHeaders(url: string | null): Record<string, string> {
  if (!url) return {};
  const headers: Record<string, string> = { "List-Unsubscribe": `<${url}>` };
  if (url.startsWith("https://")) headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
  return headers;
}
