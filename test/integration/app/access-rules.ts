/**
 * Who may call what: the one table the access-matrix test (access-matrix.test.ts) checks every
 * route of the app against. A route without a rule here fails that test; so does a rule for a
 * route that no longer exists.
 *
 * Roles: `anonymous` (no credentials); `other`, a business that has nothing to do with the
 * resource; `self`, the business the resource belongs to (for a partnership: the side that acts);
 * `officer`; `admin` (an officer who also manages officers).
 *
 * Each rule gives the expected status per role and, when the route needs them, a `setup` that makes
 * the resource the request acts on (run afresh for every role expected to succeed, so one role's
 * success never changes what the next one sees) and a `body`.
 *
 * The console (/ui) is called as a browser on this machine would call it: its forms urlencoded with
 * a valid CSRF token from our own origin, the caller's key as a bearer credential (the console
 * accepts the same credentials as the API). A page the caller may not see redirects an anonymous
 * visitor to the sign-in page (303) and is an HTML 403 for a signed-in one; a form posted without
 * credentials is an HTML 401.
 *
 * Two more callers are derived from the `officer` column rather than written per rule: an officer
 * signed in through Cloudflare Access (the `Cf-Access-Jwt-Assertion` header, no key) from our own
 * pages gets the officer's status unless the rule's `access` says otherwise; the same officer's
 * browser made to send an unsafe request from another site (the Access cookie rides along) gets a
 * 403 on every route, and nothing changes.
 *
 * Every unsafe request is also counted against the rate limits: the per-caller write limit for
 * every credential, and the per-IP (and per-email) limits of the entry points a rule's `limits`
 * names, whichever door (API or console form) it is.
 */

import { isoDay, wibDate } from "../../../src/domain/calendar";
import { meetingRequest } from "../services/forums/forum-owner.helpers";
import { lockedMeetingOf, scheduledForumOf, scheduledMeetingOf } from "../services/forums/forums.helpers";

/** A forum of self (industry) and partner (service), both confirmed, scheduled. */
function scheduledForum(f: Fixture): Promise<string> {
  return scheduledForumOf([f.self.id, f.partner.id]);
}

/** The forum meeting a rule's setup made, for its body (setup and body see the same fixture). */
const forumMeetingOf = new WeakMap<Fixture, string>();

/** A scheduled forum of self and partner whose meeting self rates; the meeting id goes to the body. */
async function ratedMeeting(f: Fixture): Promise<Target> {
  const params = await scheduledMeetingOf([f.self.id, f.partner.id]);
  forumMeetingOf.set(f, params.meetingId);
  return { params };
}

/** A scheduled forum where partner asked self for a meeting. */
async function askedForum(f: Fixture): Promise<Target> {
  const id = await scheduledForum(f);
  await meetingRequest(id, f.partner.id, f.self.id);
  return { params: { id, fromId: f.partner.id } };
}
/** A scheduled forum where self asked partner for a meeting (not answered yet). */
async function sentForum(f: Fixture): Promise<Target> {
  const id = await scheduledForum(f);
  await meetingRequest(id, f.self.id, f.partner.id);
  return { params: { id, toId: f.partner.id } };
}
/** The same forum's one meeting (self with partner): `:id` and `:meetingId`. */
async function scheduledMeeting(f: Fixture): Promise<Target> {
  return { params: await scheduledMeetingOf([f.self.id, f.partner.id]) };
}

/** The same meeting, locked by an officer (for unlocking). */
async function lockedMeeting(f: Fixture): Promise<Target> {
  return { params: await lockedMeetingOf([f.self.id, f.partner.id]) };
}

const forumTarget = async (f: Fixture): Promise<Target> => ({ params: { id: await scheduledForum(f) } });

/** A scheduled forum of self and partner whose day (WIB) is today: one an officer can close. */
const closableForum = async (f: Fixture): Promise<Target> => ({
  params: { id: await scheduledForumOf([f.self.id, f.partner.id], { date: isoDay(wibDate(Date.now())) }) },
});

export const ROLES = ["anonymous", "other", "self", "officer", "admin"] as const;
export type Role = (typeof ROLES)[number];

export interface Party {
  id: string;
  key: string;
  email: string;
}

/** What a rule's setup and body see: three businesses and the officer keys. */
export interface Fixture {
  /** An industry business (the resource owner). */
  self: Party;
  /** A service business: the other side of self's partnerships. */
  partner: Party;
  /** An industry business unrelated to everything above. */
  other: Party;
  officer: string;
  admin: string;
  /** Unique per call, for values that must not repeat (emails). */
  unique: () => string;
}

/** What setup returns: path parameters (`:id`, `:keyId`, `:runId`), a query, or another self key. */
export interface Target {
  params?: Record<string, string>;
  query?: string;
  /** Acts as `self` instead of the fixture's self (a pending sign-up's own key, say). */
  selfKey?: string;
  /** Ids `other` and `anonymous` must never see in a response. */
  secrets?: string[];
  /**
   * Values of self's that this response may show to anyone holding the request (an unsubscribe
   * link names its own recipient; it is signed for them alone).
   */
  mayShow?: string[];
}

type Statuses = Record<Role, number>;

/** The rate-limited services an entry point leads to (wrangler.toml's `[[ratelimits]]`). */
export type LimitedService = "sign-in" | "sign-up";

export interface Rule {
  expect: Statuses;
  /** An officer through Cloudflare Access, from our own pages, when not the officer key's status. */
  access?: number;
  /** The per-IP (and per-email) limits this entry point counts against. */
  limits?: LimitedService;
  setup?: (f: Fixture) => Promise<Target>;
  /** JSON for the API; the form's fields (strings) for a console route. */
  body?: (f: Fixture, role: Role) => unknown;
  /** A `text/csv` body instead (the CSV import). */
  csv?: (f: Fixture) => string;
  /** Where an anonymous GET answered 303 is sent, when not the sign-in page (an alias page). */
  redirectsTo?: string;
  /** After a success: wait for background work it started, so no later snapshot sees it land. */
  settle?: (res: Response, f: Fixture) => Promise<void>;
}

/** Helpers that the setups use; supplied by the test (they call the Worker). */
export interface SetupHelpers {
  partnership(
    f: Fixture,
    opts: { requester: "self" | "partner"; state: "requested" | "accepted" | "active" },
  ): Promise<string>;
  /** A self sign-up confirmed from its address (pending review), holding a NIB, with a key. */
  pendingSignUp(f: Fixture): Promise<{ id: string; key: string }>;
  /** A self sign-up confirmed, then rejected by an officer, with a key of its own. */
  rejectedSignUp(f: Fixture): Promise<{ id: string; key: string }>;
  /** Self (published) changes its own offers, so it waits for an officer's acknowledgement. */
  changedProfile(f: Fixture): Promise<void>;
  /** The token of a sign-in link for self (unused). */
  signInToken(f: Fixture): Promise<string>;
  businessKey(f: Fixture): Promise<string>;
  officerId(f: Fixture): Promise<string>;
  recomputeRun(f: Fixture): Promise<string>;
  /** Waits until the recompute run finishes (its queue consumer writes in the background). */
  recomputeFinished(f: Fixture, runId: string): Promise<void>;
  declinedPair(f: Fixture): Promise<void>;
  /** A draft pairing proposal of partner (service) and self (industry). */
  draftProposal(f: Fixture): Promise<string>;
  /** The query of self's signed digest unsubscribe link (`r=...&sig=...`). */
  unsubscribeQuery(f: Fixture): Promise<string>;
  /** A pending deletion request of self's, made by self. */
  deletionRequest(f: Fixture): Promise<string>;
  /** A small RUP package (open to micro businesses); when `notify`, an officer told self about it. */
  procurementPackage(f: Fixture, opts: { notify: boolean }): Promise<string>;
}

const all = (status: number): Statuses => ({
  anonymous: status,
  other: status,
  self: status,
  officer: status,
  admin: status,
});
/** Officers and admins only; a business key is a 403. */
const officersOnly = (ok: number): Statuses => ({
  anonymous: 401,
  other: 403,
  self: 403,
  officer: ok,
  admin: ok,
});
/** Admins only. */
const adminsOnly = (ok: number): Statuses => ({
  anonymous: 401,
  other: 403,
  self: 403,
  officer: 403,
  admin: ok,
});
/** The business itself or an officer; another business gets 404 (ids cannot be probed). */
const selfOrOfficers = (ok: number): Statuses => ({
  anonymous: 401,
  other: 404,
  self: ok,
  officer: ok,
  admin: ok,
});

/** The business itself (its own resource); officers have none: their API keys carry no email. */
const businessesOnly = (ok: number, officer: number): Statuses => ({
  anonymous: 401,
  other: ok,
  self: ok,
  officer,
  admin: officer,
});

/** Console pages for officers: anonymous visitors go to sign-in, businesses get a 403 page. */
const officerPages = (ok: number): Statuses => ({ ...officersOnly(ok), anonymous: 303 });
/** Console pages for owners: anonymous visitors go to sign-in, officers get a 403 page. */
const ownerPages = (ok: number): Statuses => ({
  anonymous: 303,
  other: ok,
  self: ok,
  officer: 403,
  admin: 403,
});
/** Console forms for officers (a form without credentials is a 401 page, not a redirect). */
const officerForms = officersOnly;

const business = (f: Fixture) => ({
  name: `Matrix ${f.unique()}`,
  sector: "industry",
  kbli: [{ code: "15201", version: "2020" }],
  sizeClass: "mikro",
  location: { kelurahan: "Miji" },
  offers: "Sepatu kulit",
  needs: "Toko sepatu",
  email: `m${f.unique()}@example.id`,
});

export function accessRules(h: SetupHelpers): Record<string, Rule> {
  const partnershipRule = (
    expect: Statuses,
    opts: { requester: "self" | "partner"; state: "requested" | "accepted" | "active" },
    body?: Rule["body"],
  ): Rule => ({
    expect,
    setup: async (f) => {
      const id = await h.partnership(f, opts);
      return { params: { id }, secrets: [id] };
    },
    ...(body ? { body } : {}),
  });
  return {
    // Meta: public.
    "GET /": { expect: all(200) },
    "GET /health": { expect: all(200) },
    "GET /openapi.json": { expect: all(200) },
    "GET /docs": { expect: all(200) },
    "GET /problems": { expect: all(200) },
    "GET /problems/:code": {
      expect: all(200),
      setup: async () => ({ params: { code: "capacity_reached" } }),
    },

    // The registry.
    "POST /v1/businesses": { expect: officersOnly(201), body: business },
    "GET /v1/businesses": { expect: officersOnly(200) },
    "GET /v1/businesses/:id": { expect: selfOrOfficers(200) },
    "PATCH /v1/businesses/:id": {
      expect: selfOrOfficers(200),
      body: () => ({ offers: "Sepatu dan sandal" }),
    },
    "POST /v1/businesses/:id/deactivate": { expect: officersOnly(200) },
    "POST /v1/businesses/:id/reactivate": { expect: officersOnly(200) },
    "POST /v1/signup": { expect: all(201), body: business, limits: "sign-up" },
    "POST /v1/businesses/:id/publish": {
      expect: officersOnly(200),
      setup: async (f) => {
        const pending = await h.pendingSignUp(f);
        return { params: { id: pending.id }, selfKey: pending.key, secrets: [pending.id] };
      },
    },
    // A rejected sign-up sends itself back to review; a published business has nothing to resubmit.
    "POST /v1/me/resubmit": {
      expect: { anonymous: 401, other: 409, self: 200, officer: 403, admin: 403 },
      setup: async (f) => {
        const rejected = await h.rejectedSignUp(f);
        return { selfKey: rejected.key, secrets: [rejected.id] };
      },
    },
    "POST /v1/businesses/:id/reject": {
      expect: officersOnly(200),
      setup: async (f) => {
        const pending = await h.pendingSignUp(f);
        return { params: { id: pending.id }, selfKey: pending.key, secrets: [pending.id] };
      },
      body: () => ({ reason: "Data tidak lengkap" }),
    },
    // Officers release a NIB a sign-up holds (audited) and acknowledge a published profile's own
    // changes.
    "POST /v1/businesses/:id/release-nib": {
      expect: officersOnly(200),
      setup: async (f) => {
        const pending = await h.pendingSignUp(f);
        return { params: { id: pending.id }, selfKey: pending.key, secrets: [pending.id] };
      },
      body: () => ({ reason: "NIB milik usaha lain" }),
    },
    "POST /v1/businesses/:id/acknowledge-changes": {
      expect: officersOnly(200),
      setup: async (f) => {
        await h.changedProfile(f);
        return {};
      },
    },
    "GET /v1/businesses/:id/matches": { expect: selfOrOfficers(200) },
    "POST /v1/businesses/import": {
      expect: officersOnly(201),
      csv: (f) =>
        "name;sector;kbli;sizeClass;kelurahan;offers;needs;email\n" +
        `Impor ${f.unique()};industry;15201;mikro;Miji;Sepatu kulit;Toko sepatu;i${f.unique()}@example.id\n`,
    },

    // Data-subject rights (UU 27/2022): the business itself or officers; erasure needs an officer.
    "GET /v1/businesses/:id/export": { expect: selfOrOfficers(200) },
    "POST /v1/businesses/:id/deletion-request": { expect: selfOrOfficers(201) },
    "GET /v1/deletion-requests": {
      expect: officersOnly(200),
      setup: async (f) => ({ secrets: [await h.deletionRequest(f)] }),
    },
    "POST /v1/deletion-requests/:id/cancel": {
      expect: selfOrOfficers(200),
      setup: async (f) => {
        const id = await h.deletionRequest(f);
        return { params: { id }, secrets: [id] };
      },
    },
    "POST /v1/deletion-requests/:id/confirm": {
      // Officers only, decided before the request is looked up: another business learns nothing.
      expect: officersOnly(200),
      setup: async (f) => {
        const id = await h.deletionRequest(f);
        return { params: { id }, secrets: [id] };
      },
    },

    // Batch recompute.
    "POST /v1/admin/recompute": {
      expect: officersOnly(202),
      body: () => ({ mode: "incremental" }),
      settle: async (res, f) =>
        h.recomputeFinished(f, ((await res.clone().json()) as { runId: string }).runId),
    },
    "GET /v1/admin/recompute/:runId": {
      expect: officersOnly(200),
      setup: async (f) => ({ params: { runId: await h.recomputeRun(f) } }),
    },

    // Forums.
    "POST /v1/forums": {
      expect: officersOnly(201),
      body: () => ({
        name: "Sosialisasi Kemitraan Usaha",
        date: "2026-12-10",
        venue: "Pendopo Sabha Kridatama",
        meetingMinutes: 20,
        start: "09:00",
        end: "11:00",
        breaks: "10:00-10:15",
        tables: 10,
      }),
    },
    "GET /v1/forums": { expect: officersOnly(200) },
    "GET /v1/forums/stats": { expect: officersOnly(200) },
    "POST /v1/forums/:id/schedule": {
      expect: officersOnly(200),
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
      body: () => ({}),
    },
    "GET /v1/forums/:id/agenda": {
      // Only an invited business sees its agenda; officers read the table plan.
      expect: { anonymous: 401, other: 403, self: 200, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
    },
    // A business's own part in a forum: another business is not invited (403), officers take no part.
    "POST /v1/forums/:id/invitation": {
      expect: { anonymous: 401, other: 403, self: 200, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
      body: () => ({ attending: true, available: [] }),
    },
    "GET /v1/forums/:id/partners": {
      expect: { anonymous: 401, other: 403, self: 200, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
    },
    "POST /v1/forums/:id/meeting-requests": {
      expect: { anonymous: 401, other: 403, self: 201, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
      body: (f) => ({ toId: f.partner.id }),
    },
    "POST /v1/forums/:id/meeting-requests/:fromId/answer": {
      // The request was to self: for another business there is none to answer.
      expect: { anonymous: 401, other: 404, self: 200, officer: 403, admin: 403 },
      setup: askedForum,
      body: () => ({ accept: true }),
    },
    "DELETE /v1/forums/:id/meeting-requests/:toId": {
      // Another business is not a participant of self's forum.
      expect: { anonymous: 401, other: 403, self: 200, officer: 403, admin: 403 },
      setup: sentForum,
    },
    "POST /v1/forums/:id/not-interested": {
      expect: { anonymous: 401, other: 403, self: 200, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
      body: (f) => ({ otherId: f.partner.id }),
    },
    "POST /v1/forum-meetings/:meetingId/rating": {
      expect: { anonymous: 401, other: 404, self: 200, officer: 403, admin: 403 },
      setup: ratedMeeting,
      body: () => ({ rating: "mungkin" }),
    },
    "POST /v1/forums/:id/invitations": {
      expect: officersOnly(200),
      setup: forumTarget,
      body: (f) => ({ businessIds: [f.other.id] }),
    },
    "POST /v1/forums/:id/agendas": { expect: officersOnly(200), setup: forumTarget },
    "POST /v1/forums/:id/meetings/:meetingId/lock": {
      expect: officersOnly(200),
      setup: scheduledMeeting,
      body: () => ({}),
    },
    "POST /v1/forums/:id/meetings/:meetingId/unlock": { expect: officersOnly(200), setup: lockedMeeting },
    "POST /v1/forums/:id/close": { expect: officersOnly(200), setup: closableForum },
    "POST /v1/forums/:id/arrivals": {
      expect: officersOnly(200),
      setup: forumTarget,
      body: (f) => ({ businessId: f.self.id, kind: "arrived" }),
    },
    "GET /v1/forums/:id/table-plan": { expect: officersOnly(200), setup: forumTarget },
    "GET /v1/forums/:id/check-in": { expect: officersOnly(200), setup: forumTarget },
    "GET /v1/forums/:id/participants": { expect: officersOnly(200), setup: forumTarget },

    // Dashboard and the laporan.
    "GET /v1/dashboard": { expect: officersOnly(200) },
    "GET /v1/dashboard/readiness": { expect: officersOnly(200) },
    // A city deployment (this project has no SHARDS): 404 for officers; test/shards has the figures.
    "GET /v1/dashboard/province": { expect: officersOnly(404) },
    "GET /v1/dashboard/export.csv": { expect: officersOnly(200) },
    "GET /v1/dashboard/export.xlsx": { expect: officersOnly(200) },

    // Procurement (docs/PROCUREMENT.md): buyers' data officers' only; a business reads only the
    // packages an officer opened to it (another's is a 404).
    "GET /v1/procurement/buyers": { expect: officersOnly(200) },
    "POST /v1/procurement/buyers": {
      expect: officersOnly(200),
      body: (f) => ({ name: `Dinas Matrix API ${f.unique()}`, contactEmail: `api${f.unique()}@kota.id` }),
    },
    "GET /v1/procurement/packages": { expect: officersOnly(200) },
    "POST /v1/procurement/packages": {
      expect: officersOnly(201),
      body: (f) => ({
        name: `Belanja snack rapat ${f.unique()}`,
        buyer: "Dinas Matrix",
        pagu: "25000000",
        method: "Pengadaan Langsung",
        type: "Barang",
        plannedMonth: "Mei 2026",
      }),
    },
    "POST /v1/procurement/packages/import": {
      expect: officersOnly(200),
      csv: (f) =>
        "Kode RUP;Nama Paket;Satuan Kerja;Pagu;Metode Pemilihan;Jenis Pengadaan;Sumber Dana;Waktu Pemilihan\n" +
        `;Belanja ATK ${f.unique()};Dinas Matrix;15000000;E-Purchasing;Barang;APBD;April 2026\n`,
    },
    "GET /v1/procurement/packages/:id/suppliers": {
      expect: officersOnly(200),
      setup: async (f) => ({ params: { id: await h.procurementPackage(f, { notify: false }) } }),
    },
    "POST /v1/procurement/packages/:id/notify": {
      expect: officersOnly(200),
      setup: async (f) => ({ params: { id: await h.procurementPackage(f, { notify: false }) } }),
      body: (f) => ({ businessIds: [f.self.id] }),
    },
    "POST /v1/procurement/realisations/import": {
      expect: officersOnly(200),
      csv: (f) =>
        "Nama Paket;Satuan Kerja;Nama Penyedia;Nilai Realisasi;Tanggal;Jalur\n" +
        `Belanja ATK;Dinas Matrix;UD Matrix ${f.unique()};12000000;2026-04-10;E-Katalog\n`,
    },
    "GET /v1/procurement/share": { expect: officersOnly(200) },
    "GET /v1/procurement/share/export.csv": { expect: officersOnly(200) },
    "GET /v1/procurement/share/export.xlsx": { expect: officersOnly(200) },
    "GET /v1/procurement/readiness": { expect: officersOnly(200) },
    "GET /v1/procurement/readiness/:businessId": {
      expect: officersOnly(200),
      setup: async (f) => ({ params: { businessId: f.self.id } }),
    },
    "POST /v1/procurement/readiness/:businessId/stages": {
      expect: officersOnly(200),
      setup: async (f) => ({ params: { businessId: f.self.id } }),
      body: () => ({ stage: "dokumen_lengkap", date: "2026-04-03" }),
    },
    "GET /v1/me/procurement/opportunities": { expect: businessesOnly(200, 403) },
    "GET /v1/me/procurement/opportunities/:id": {
      expect: { anonymous: 401, other: 404, self: 200, officer: 403, admin: 403 },
      setup: async (f) => {
        const id = await h.procurementPackage(f, { notify: true });
        return { params: { id }, secrets: [id] };
      },
    },

    // Keys and officers.
    "POST /v1/businesses/:id/keys": { expect: selfOrOfficers(201), body: () => ({ label: "POS" }) },
    "GET /v1/businesses/:id/keys": { expect: selfOrOfficers(200) },
    "POST /v1/keys/:keyId/revoke": {
      expect: selfOrOfficers(200),
      setup: async (f) => {
        const keyId = await h.businessKey(f);
        return { params: { keyId }, secrets: [keyId] };
      },
    },
    "POST /v1/officers": { expect: adminsOnly(201), body: (f) => ({ email: `o${f.unique()}@kota.id` }) },
    "GET /v1/officers": { expect: adminsOnly(200) },
    "POST /v1/officers/:id/deactivate": {
      expect: adminsOnly(200),
      setup: async (f) => ({ params: { id: await h.officerId(f) } }),
    },

    // Sign-in: public by nature.
    "POST /v1/auth/email-link": {
      expect: all(202),
      body: (f) => ({ email: f.self.email }),
      limits: "sign-in",
    },
    "POST /v1/auth/logout": { expect: all(204) },

    // Partnerships. Any business may request one or decline a suggestion for itself; only the
    // parties and officers see one; each transition belongs to one side or to officers.
    "POST /v1/partnerships": {
      expect: { anonymous: 401, other: 201, self: 201, officer: 201, admin: 201 },
      body: (f, role) =>
        role === "officer" || role === "admin"
          ? { requesterId: f.self.id, partnerId: f.partner.id, pattern: "rantai_pasok" }
          : { partnerId: f.partner.id, pattern: "rantai_pasok", message: "Halo" },
    },
    "GET /v1/partnerships": {
      expect: { anonymous: 401, other: 200, self: 200, officer: 200, admin: 200 },
      setup: async (f) => {
        const id = await h.partnership(f, { requester: "partner", state: "requested" });
        return { secrets: [id] };
      },
    },
    "GET /v1/partnerships/:id": partnershipRule(selfOrOfficers(200), {
      requester: "partner",
      state: "requested",
    }),
    "POST /v1/partnerships/:id/accept": partnershipRule(
      { anonymous: 401, other: 404, self: 200, officer: 403, admin: 403 },
      { requester: "partner", state: "requested" },
    ),
    "POST /v1/partnerships/:id/decline": partnershipRule(
      { anonymous: 401, other: 404, self: 200, officer: 403, admin: 403 },
      { requester: "partner", state: "requested" },
    ),
    "POST /v1/partnerships/:id/cancel": partnershipRule(
      { anonymous: 401, other: 404, self: 200, officer: 403, admin: 403 },
      { requester: "self", state: "requested" },
    ),
    "POST /v1/partnerships/:id/approve": partnershipRule(
      { anonymous: 401, other: 404, self: 403, officer: 200, admin: 200 },
      { requester: "partner", state: "accepted" },
    ),
    "POST /v1/partnerships/:id/reject": partnershipRule(
      { anonymous: 401, other: 404, self: 403, officer: 200, admin: 200 },
      { requester: "partner", state: "accepted" },
      () => ({ reason: "Tidak sesuai" }),
    ),
    "POST /v1/partnerships/:id/end": partnershipRule(
      selfOrOfficers(200),
      { requester: "partner", state: "active" },
      () => ({ outcome: "cooperation_started" }),
    ),
    "POST /v1/declined-pairs": {
      expect: { anonymous: 401, other: 200, self: 200, officer: 403, admin: 403 },
      body: (f) => ({ partnerId: f.partner.id }),
    },
    "POST /v1/declined-pairs/reset": {
      expect: officersOnly(200),
      setup: async (f) => {
        await h.declinedPair(f);
        return {};
      },
      body: (f) => ({ businessIds: [f.self.id, f.partner.id] }),
    },
    "POST /v1/declined-pairs/undo": {
      // Only the side that declined takes it back: `other` declined nothing with partner (404).
      expect: { anonymous: 401, other: 404, self: 200, officer: 403, admin: 403 },
      setup: async (f) => {
        await h.declinedPair(f);
        return {};
      },
      body: (f) => ({ partnerId: f.partner.id }),
    },
    "GET /v1/audit": {
      expect: officersOnly(200),
      setup: async (f) => {
        const id = await h.partnership(f, { requester: "partner", state: "requested" });
        return { query: `entity=partnership&entityId=${id}`, secrets: [id] };
      },
    },

    // Sign-in by link: opening it only redirects to the console's confirm page (mail scanners
    // open links); redeeming an unknown token is a 400 for everyone.
    "GET /v1/auth/callback": {
      expect: all(303),
      setup: async () => ({ query: `token=${"A".repeat(43)}` }),
    },
    "POST /v1/auth/callback": { expect: all(400), body: () => ({ token: "A".repeat(43) }) },

    // Scheduled jobs: officers see which exist and when they run; only admins run one (jobs act on
    // the whole city and send email). expire-requests finishes in one chunk.
    "GET /v1/admin/jobs": { expect: officersOnly(200) },
    "POST /v1/admin/jobs/:name": {
      expect: adminsOnly(200),
      setup: async () => ({ params: { name: "expire-requests" } }),
    },

    // Digests: each caller reads and sets its own preferences (another business's are never
    // reachable: there is no id in the path); officer API keys have no email, so no preferences.
    // The signed unsubscribe link works for whoever holds it, signed in or not.
    // An officer through Access has an officer account with an email: preferences of its own.
    "GET /v1/me/digest-preferences": { expect: businessesOnly(200, 404), access: 200 },
    "PUT /v1/me/digest-preferences": {
      expect: businessesOnly(200, 404),
      access: 200,
      body: () => ({ cadence: "monthly", language: "en" }),
    },
    "GET /v1/digests/unsubscribe": {
      expect: all(200),
      setup: async (f) => ({ query: await h.unsubscribeQuery(f), mayShow: [f.self.id] }),
    },
    "POST /v1/digests/unsubscribe": {
      expect: all(200),
      setup: async (f) => ({ query: await h.unsubscribeQuery(f), mayShow: [f.self.id] }),
    },

    // Weekly pairing proposals: officers only; no business ever sees a draft.
    "GET /v1/proposals": {
      expect: officersOnly(200),
      setup: async (f) => ({ secrets: [await h.draftProposal(f)] }),
    },
    "GET /v1/proposals/:id": {
      expect: officersOnly(200),
      setup: async (f) => {
        const id = await h.draftProposal(f);
        return { params: { id }, secrets: [id] };
      },
    },
    "POST /v1/proposals/:id/publish": {
      expect: officersOnly(200),
      setup: async (f) => {
        const id = await h.draftProposal(f);
        return { params: { id }, secrets: [id] };
      },
      body: () => ({}),
    },
    "POST /v1/proposals/:id/discard": {
      expect: officersOnly(200),
      setup: async (f) => {
        const id = await h.draftProposal(f);
        return { params: { id }, secrets: [id] };
      },
      body: () => ({ reason: "Sudah bermitra di luar aplikasi" }),
    },

    // The console's forms for the engine's weekly drafts (officers only).
    "POST /ui/queue/drafts/:id/publish": {
      expect: officerForms(303),
      setup: async (f) => {
        const id = await h.draftProposal(f);
        return { params: { id }, secrets: [id] };
      },
    },
    "POST /ui/queue/drafts/:id/discard": {
      expect: officerForms(303),
      setup: async (f) => {
        const id = await h.draftProposal(f);
        return { params: { id }, secrets: [id] };
      },
      body: () => ({ reason: "Sudah bermitra di luar aplikasi" }),
    },

    // The console. Its entry point sends everyone where they belong; sign-in pages are public.
    "GET /ui": { expect: all(303) },
    "GET /ui/app.css": { expect: all(200) },
    "GET /ui/login": { expect: all(200) },
    // Sign-up in the console: the same service and limits as POST /v1/signup.
    "GET /ui/daftar": { expect: all(200) },
    "GET /ui/signup": { expect: all(303), redirectsTo: "/ui/daftar" },
    "GET /ui/register": { expect: all(303), redirectsTo: "/ui/daftar" },
    "POST /ui/daftar/cari": { expect: all(200), body: () => ({ kbli_q: "sepatu" }) },
    "POST /ui/daftar": {
      expect: all(200),
      body: (f) => ({
        name: `Matrix ${f.unique()}`,
        email: `m${f.unique()}@example.id`,
        sector: "industry",
        kbli: "2020:15201",
        kelurahan: "Miji",
        sizeClass: "mikro",
        offers: "Sepatu kulit",
        needs: "Toko sepatu",
        language: "id",
      }),
      limits: "sign-up",
    },
    // The confirm page names the business its link signs in as (to whoever holds the link); an
    // unknown link is a 400 page.
    "GET /ui/login/confirm": {
      expect: all(200),
      setup: async (f) => ({ query: `token=${await h.signInToken(f)}` }),
    },
    "POST /ui/login/confirm": { expect: all(400), body: () => ({ token: "A".repeat(43) }) },
    // The console's door into the same sign-in service: the same limits as the API's.
    "POST /ui/login/email": {
      expect: all(200),
      body: (f) => ({ email: f.self.email }),
      limits: "sign-in",
    },
    // The development key login (this machine only) signs in whoever holds an officer key.
    "POST /ui/login/officer": { expect: all(303), body: (f) => ({ key: f.officer }) },
    "POST /ui/logout": { expect: all(303) },

    // Officers' pages and forms.
    "GET /ui/queue": { expect: officerPages(200) },
    "GET /ui/businesses": { expect: officerPages(200) },
    "GET /ui/businesses/:id": { expect: officerPages(200) },
    "GET /ui/dashboard": { expect: officerPages(200) },
    "GET /ui/partnerships": { expect: officerPages(200) },
    "GET /ui/partnerships/:id": {
      expect: officerPages(200),
      setup: async (f) => {
        const id = await h.partnership(f, { requester: "partner", state: "active" });
        return { params: { id }, secrets: [id] };
      },
    },
    "POST /ui/partnerships/:id/end": partnershipRule(
      officerForms(303),
      { requester: "partner", state: "active" },
      () => ({ outcome: "cooperation_started", note: "Lancar" }),
    ),
    "POST /ui/businesses/:id/edit": {
      expect: officerForms(303),
      body: () => ({ offers: "Sepatu dan sandal kulit" }),
    },
    "POST /ui/businesses/:id/deactivate": { expect: officerForms(303) },
    "POST /ui/businesses/:id/reactivate": { expect: officerForms(303) },
    "POST /ui/businesses/:id/pairings": {
      expect: officerForms(303),
      body: (f) => ({ partnerId: f.partner.id, pattern: "rantai_pasok", message: "" }),
    },
    "POST /ui/businesses/:id/declined/:otherId/reset": {
      expect: officerForms(303),
      setup: async (f) => {
        await h.declinedPair(f);
        return { params: { id: f.self.id, otherId: f.partner.id } };
      },
    },
    "POST /ui/queue/drafts/bulk": {
      expect: officerForms(200),
      body: () => ({ decision: "discard", ids: "prp_UNKNOWN", reason: "Tidak cocok" }),
    },
    "POST /ui/queue/propose": { expect: adminsOnly(200) },
    "GET /ui/dashboard/readiness": { expect: officerPages(200) },
    "GET /ui/dashboard/export.csv": { expect: officerPages(200) },
    "GET /ui/dashboard/export.xlsx": { expect: officerPages(200) },
    "POST /ui/queue/businesses/:id/publish": {
      expect: officerForms(303),
      setup: async (f) => {
        const pending = await h.pendingSignUp(f);
        return { params: { id: pending.id }, selfKey: pending.key, secrets: [pending.id] };
      },
    },
    "POST /ui/queue/businesses/:id/reject": {
      expect: officerForms(303),
      setup: async (f) => {
        const pending = await h.pendingSignUp(f);
        return { params: { id: pending.id }, selfKey: pending.key, secrets: [pending.id] };
      },
      body: () => ({ reason: "Data tidak lengkap" }),
    },
    "POST /ui/queue/businesses/:id/acknowledge": {
      expect: officerForms(303),
      setup: async (f) => {
        await h.changedProfile(f);
        return {};
      },
    },
    "POST /ui/businesses/:id/release-nib": {
      expect: officerForms(303),
      setup: async (f) => {
        const pending = await h.pendingSignUp(f);
        return { params: { id: pending.id }, selfKey: pending.key, secrets: [pending.id] };
      },
      body: () => ({ reason: "NIB milik usaha lain" }),
    },
    "POST /ui/queue/partnerships/:id/approve": partnershipRule(officerForms(303), {
      requester: "partner",
      state: "accepted",
    }),
    "POST /ui/queue/partnerships/:id/reject": partnershipRule(
      officerForms(303),
      { requester: "partner", state: "accepted" },
      () => ({ reason: "Tidak sesuai" }),
    ),

    // Procurement (docs/PROCUREMENT.md): buyers' data and imports are officers' only; a business
    // sees only the packages an officer opened to it (another business's is a 404).
    "GET /ui/pengadaan": { expect: officerPages(200) },
    "POST /ui/pengadaan/rup/import": { expect: officerForms(422) },
    "POST /ui/pengadaan/realisasi/import": { expect: officerForms(422) },
    "POST /ui/pengadaan/paket": {
      expect: officerForms(303),
      body: (f) => ({
        name: `Belanja makan minum rapat ${f.unique()}`,
        buyer: "Dinas Matrix",
        pagu: "45000000",
        method: "pengadaan_langsung",
        type: "barang",
        plannedMonth: "Maret 2026",
      }),
    },
    "POST /ui/pengadaan/opd": {
      expect: officerForms(303),
      body: (f) => ({ name: `Dinas Matrix ${f.unique()}`, contactEmail: `opd${f.unique()}@kota.id` }),
    },
    "GET /ui/pengadaan/paket/:id": {
      expect: officerPages(200),
      setup: async (f) => ({ params: { id: await h.procurementPackage(f, { notify: false }) } }),
    },
    "POST /ui/pengadaan/paket/:id/notify": {
      expect: officerForms(303),
      setup: async (f) => ({ params: { id: await h.procurementPackage(f, { notify: false }) } }),
      body: (f) => ({ business: f.self.id }),
    },
    "GET /ui/pengadaan/porsi": { expect: officerPages(200) },
    "GET /ui/pengadaan/porsi/export.csv": { expect: officerPages(200) },
    "GET /ui/pengadaan/porsi/export.xlsx": { expect: officerPages(200) },
    "GET /ui/pengadaan/kesiapan": { expect: officerPages(200) },
    // The owner's forum pages: only an invited business sees a forum (another is a 403 page).
    "GET /ui/me/forum": { expect: ownerPages(200) },
    "GET /ui/me/forum/:id": {
      expect: { anonymous: 303, other: 403, self: 200, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
    },
    "GET /ui/me/forum/:id/agenda": {
      expect: { anonymous: 303, other: 403, self: 200, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
    },
    "GET /ui/me/forum/:id/agenda/cetak": {
      expect: { anonymous: 303, other: 403, self: 200, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
    },
    "POST /ui/me/forum/:id/hadir": {
      expect: { anonymous: 401, other: 403, self: 303, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
      body: () => ({ attending: "ya" }),
    },
    "POST /ui/me/forum/:id/minta": {
      expect: { anonymous: 401, other: 403, self: 303, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
      body: (f) => ({ partnerId: f.partner.id }),
    },
    "POST /ui/me/forum/:id/tidak-berminat": {
      expect: { anonymous: 401, other: 403, self: 303, officer: 403, admin: 403 },
      setup: async (f) => ({ params: { id: await scheduledForum(f) } }),
      body: (f) => ({ partnerId: f.partner.id }),
    },
    "POST /ui/me/forum/:id/batal": {
      expect: { anonymous: 401, other: 403, self: 303, officer: 403, admin: 403 },
      setup: sentForum,
      body: (f) => ({ partnerId: f.partner.id }),
    },
    "POST /ui/me/forum/:id/permintaan": {
      expect: { anonymous: 401, other: 403, self: 303, officer: 403, admin: 403 },
      setup: askedForum,
      body: (f) => ({ fromId: f.partner.id, answer: "terima" }),
    },
    "POST /ui/me/forum/:id/nilai": {
      // Rating is the meeting's two sides' only: another business's attempt is a 404.
      expect: { anonymous: 401, other: 404, self: 303, officer: 403, admin: 403 },
      setup: ratedMeeting,
      body: (f) => ({ meetingId: forumMeetingOf.get(f) ?? "", rating: "mungkin" }),
    },
    "GET /ui/pengadaan/kesiapan/cari": { expect: officerPages(303) },
    "GET /ui/pengadaan/kesiapan/:id": {
      expect: officerPages(200),
      setup: async (f) => ({ params: { id: f.self.id } }),
    },
    "POST /ui/pengadaan/kesiapan/:id": {
      expect: officerForms(303),
      setup: async (f) => ({ params: { id: f.self.id } }),
      body: () => ({ stage: "diajukan", date: "2026-04-01", note: "Matrix" }),
    },
    "GET /ui/me/pengadaan": { expect: ownerPages(200) },
    "POST /ui/me/pengadaan/langkah": {
      expect: { anonymous: 401, other: 303, self: 303, officer: 403, admin: 403 },
      body: () => ({ step: "nib" }),
    },
    "GET /ui/me/pengadaan/:id": {
      expect: { anonymous: 303, other: 404, self: 200, officer: 403, admin: 403 },
      setup: async (f) => {
        const id = await h.procurementPackage(f, { notify: true });
        return { params: { id }, secrets: [id] };
      },
    },

    // Forums, the officers' side (docs/FORUMS.md).
    "GET /ui/forum": { expect: officerPages(200) },
    "POST /ui/forum": {
      expect: officerForms(303),
      body: () => ({
        name: "Sosialisasi Kemitraan Usaha",
        date: "2026-12-10",
        venue: "Pendopo Sabha Kridatama",
        meetingMinutes: "20",
        start: "09:00",
        end: "11:00",
        breaks: "10:00-10:15",
        tables: "10",
      }),
    },
    "GET /ui/forum/:id": { expect: officerPages(200), setup: forumTarget },
    "POST /ui/forum/:id/undang": {
      expect: officerForms(303),
      setup: forumTarget,
      body: (f) => ({ business: f.other.id }),
    },
    "POST /ui/forum/:id/jadwal": { expect: officerForms(303), setup: forumTarget },
    "POST /ui/forum/:id/kirim-agenda": { expect: officerForms(303), setup: forumTarget },
    "GET /ui/forum/:id/meja": { expect: officerPages(200), setup: forumTarget },
    "GET /ui/forum/:id/meja/cetak": { expect: officerPages(200), setup: forumTarget },
    "POST /ui/forum/:id/rapat/:meetingId/kunci": { expect: officerForms(303), setup: scheduledMeeting },
    "POST /ui/forum/:id/rapat/:meetingId/buka": { expect: officerForms(303), setup: lockedMeeting },
    "POST /ui/forum/:id/tutup": { expect: officerForms(303), setup: closableForum },
    "GET /ui/forum/:id/hadir": { expect: officerPages(200), setup: forumTarget },
    "POST /ui/forum/:id/hadir/:businessId": {
      expect: officerForms(303),
      setup: async (f) => ({ params: { id: await scheduledForum(f), businessId: f.self.id } }),
      body: () => ({ kind: "arrived" }),
    },

    // Owners' page and forms: each acts as itself only; another business's partnership is a 404.
    "GET /ui/me": { expect: ownerPages(200) },
    "GET /ui/me/profil": { expect: ownerPages(200) },
    "POST /ui/me/profil/cari": {
      expect: { anonymous: 401, other: 200, self: 200, officer: 403, admin: 403 },
      body: () => ({ kbli_q: "sepatu" }),
    },
    "POST /ui/me/profil": {
      expect: { anonymous: 401, other: 303, self: 303, officer: 403, admin: 403 },
      body: (f) => ({
        name: `Matrix ${f.unique()}`,
        email: `m${f.unique()}@example.id`,
        sector: "industry",
        kbli: "2020:15201",
        kelurahan: "Miji",
        sizeClass: "mikro",
        offers: "Sepatu dan sandal kulit",
        needs: "Toko sepatu",
        language: "id",
      }),
    },
    "GET /ui/me/notifikasi": { expect: ownerPages(200) },
    "POST /ui/me/notifikasi": {
      expect: { anonymous: 401, other: 303, self: 303, officer: 403, admin: 403 },
      body: () => ({ cadence: "weekly", incomingRequest: "on" }),
    },
    "POST /ui/me/requests": {
      expect: { anonymous: 401, other: 303, self: 303, officer: 403, admin: 403 },
      body: (f) => ({ partnerId: f.partner.id, pattern: "rantai_pasok", message: "Halo" }),
    },
    "POST /ui/me/declined": {
      expect: { anonymous: 401, other: 303, self: 303, officer: 403, admin: 403 },
      body: (f) => ({ partnerId: f.partner.id }),
    },
    "POST /ui/me/declined/undo": {
      expect: { anonymous: 401, other: 404, self: 303, officer: 403, admin: 403 },
      setup: async (f) => {
        await h.declinedPair(f);
        return {};
      },
      body: (f) => ({ partnerId: f.partner.id }),
    },
    "POST /ui/me/partnerships/:id/:action{accept|decline|cancel}": {
      expect: { anonymous: 401, other: 404, self: 303, officer: 403, admin: 403 },
      setup: async (f) => {
        const id = await h.partnership(f, { requester: "partner", state: "requested" });
        return { params: { id, action: "accept" }, secrets: [id] };
      },
    },
    "POST /ui/me/partnerships/:id/end": partnershipRule(
      { anonymous: 401, other: 404, self: 303, officer: 403, admin: 403 },
      { requester: "partner", state: "active" },
      () => ({ outcome: "cooperation_started", note: "Lancar" }),
    ),
  };
}
