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
 */

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
}

type Statuses = Record<Role, number>;

export interface Rule {
  expect: Statuses;
  setup?: (f: Fixture) => Promise<Target>;
  body?: (f: Fixture, role: Role) => unknown;
}

/** Helpers that the setups use; supplied by the test (they call the Worker). */
export interface SetupHelpers {
  partnership(
    f: Fixture,
    opts: { requester: "self" | "partner"; state: "requested" | "accepted" | "active" },
  ): Promise<string>;
  pendingSignUp(f: Fixture): Promise<{ id: string; key: string }>;
  businessKey(f: Fixture): Promise<string>;
  officerId(f: Fixture): Promise<string>;
  recomputeRun(f: Fixture): Promise<string>;
  declinedPair(f: Fixture): Promise<void>;
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

    // The registry.
    "POST /v1/businesses": { expect: officersOnly(201), body: business },
    "GET /v1/businesses": { expect: officersOnly(200) },
    "GET /v1/businesses/:id": { expect: selfOrOfficers(200) },
    "PATCH /v1/businesses/:id": {
      expect: selfOrOfficers(200),
      body: () => ({ offers: "Sepatu dan sandal" }),
    },
    "POST /v1/businesses/:id/deactivate": { expect: officersOnly(200) },
    "POST /v1/signup": { expect: all(201), body: business },
    "POST /v1/businesses/:id/publish": {
      expect: officersOnly(200),
      setup: async (f) => {
        const pending = await h.pendingSignUp(f);
        return { params: { id: pending.id }, selfKey: pending.key, secrets: [pending.id] };
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
    "GET /v1/businesses/:id/matches": { expect: selfOrOfficers(200) },

    // Batch recompute.
    "POST /v1/admin/recompute": { expect: officersOnly(202), body: () => ({ mode: "incremental" }) },
    "GET /v1/admin/recompute/:runId": {
      expect: officersOnly(200),
      setup: async (f) => ({ params: { runId: await h.recomputeRun(f) } }),
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

    // Sign-in: public by nature. The callback with an unknown token is a 400 for everyone.
    "POST /v1/auth/email-link": { expect: all(202), body: (f) => ({ email: f.self.email }) },
    "GET /v1/auth/callback": {
      expect: all(400),
      setup: async () => ({ query: `token=${"A".repeat(43)}` }),
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
    "GET /v1/audit": {
      expect: officersOnly(200),
      setup: async (f) => {
        const id = await h.partnership(f, { requester: "partner", state: "requested" });
        return { query: `entity=partnership&entityId=${id}`, secrets: [id] };
      },
    },
  };
}
