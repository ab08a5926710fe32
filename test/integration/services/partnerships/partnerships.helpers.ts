import { expect } from "vitest";
import {
  type AuditJson,
  auditTrail,
  call,
  industryBody,
  officerKey,
  seedBusiness,
  serviceBody,
} from "../../helpers";

export type { AuditJson };

export interface PartyJson {
  id: string;
  name: string;
  sector: string;
  contact: { email: string; whatsapp: string | null } | null;
}

export interface PartnershipJson {
  id: string;
  status: string;
  origin: string;
  pattern: string;
  message: string;
  terms: { volume?: string; paymentTerms?: string } | null;
  requester: PartyJson;
  partner: PartyJson;
  expiresAt: string | null;
  decidedAt: string | null;
  rejectionReason: string | null;
  endedAt: string | null;
  endedBy: { kind: string; id: string } | null;
  outcome: string | null;
  outcomeNote: string | null;
}

/** A shoe maker (industry) and a shoe shop (service), each with its key, plus an officer key. */
export async function seedPair(opts: { makerMax?: number; shopMax?: number } = {}) {
  const maker = await seedBusiness(
    industryBody({ email: "maker@example.id", maxPartners: opts.makerMax ?? 3 }),
  );
  const shop = await seedBusiness(serviceBody({ email: "shop@example.id", maxPartners: opts.shopMax ?? 3 }));
  return { maker, shop, officer: await officerKey() };
}

/** The shop requests a partnership with the maker; returns the created request. */
export async function request(
  fromKey: string,
  partnerId: string,
  extra: Record<string, unknown> = {},
): Promise<PartnershipJson> {
  const res = await call("/v1/partnerships", {
    key: fromKey,
    body: { partnerId, pattern: "rantai_pasok", message: "Kami ingin menjual sepatu Anda", ...extra },
  });
  const body = (await res.json()) as PartnershipJson;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body;
}

export async function act(id: string, action: string, key: string, body?: unknown): Promise<Response> {
  return call(`/v1/partnerships/${id}/${action}`, { key, method: "POST", body });
}

export async function expectStatus(res: Response, status: string): Promise<PartnershipJson> {
  expect(res.status).toBe(200);
  const body = (await res.json()) as PartnershipJson;
  expect(body.status).toBe(status);
  return body;
}

export async function auditOf(id: string, officer: string): Promise<AuditJson[]> {
  return auditTrail("partnership", id, officer);
}
