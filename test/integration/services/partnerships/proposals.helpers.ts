import { env } from "cloudflare:workers";
import { industryBody, seedBusiness, serviceBody } from "../../helpers";

/**
 * The proposals job works on the whole registry, and storage is shared by the tests of a file:
 * each test starts from a registry with nothing matchable and no partnerships or proposals.
 */
export async function resetRegistry(): Promise<void> {
  await env.DB.batch([
    env.DB.prepare("update businesses set active = 0"),
    env.DB.prepare("delete from pairing_proposals"),
    env.DB.prepare("delete from partnerships"),
    env.DB.prepare("delete from declined_pairs"),
  ]);
}

let counter = 0;

/** A service business and its key (maxPartners as given). */
export async function shop(maxPartners = 3) {
  counter += 1;
  return seedBusiness(
    serviceBody({ name: `Toko Uji ${counter}`, email: `toko${counter}@example.id`, maxPartners }),
  );
}

/** A small industry and its key. */
export async function maker(maxPartners = 3) {
  counter += 1;
  return seedBusiness(
    industryBody({ name: `Pabrik Uji ${counter}`, email: `pabrik${counter}@example.id`, maxPartners }),
  );
}

/**
 * Replaces the stored suggestions of the businesses named in `pairs` with exactly these pairs (both
 * directions, ranked by score), so a test controls what the job sees.
 */
export async function storeSuggestions(pairs: Array<[serviceId: string, industryId: string, score: number]>) {
  const lists = new Map<string, Array<{ candidate: string; score: number }>>();
  for (const [s, i, score] of pairs) {
    lists.set(s, [...(lists.get(s) ?? []), { candidate: i, score }]);
    lists.set(i, [...(lists.get(i) ?? []), { candidate: s, score }]);
  }
  const statements = [];
  for (const [id, list] of lists) {
    statements.push(env.DB.prepare("delete from suggestions where business_id = ?").bind(id));
    for (const x of list) {
      statements.push(
        env.DB.prepare(
          "insert into suggestions (business_id, candidate_id, score, components, reasons, pattern) values (?, ?, ?, ?, ?, ?)",
        ).bind(
          id,
          x.candidate,
          x.score,
          JSON.stringify({ category: 0.9, location: 0.7, text: x.score }),
          // Reason codes as stored (explain.ts): shared words naming the pair.
          JSON.stringify([["w", [`w:${id}`, `w:${x.candidate}`]]]),
          "rantai_pasok",
        ),
      );
    }
  }
  await env.DB.batch(statements);
}

export interface DraftRow {
  id: string;
  period: string;
  service_id: string;
  industry_id: string;
  score: number;
  status: string;
  reasons_id: string;
  reasons_for: string;
}

export async function proposalRows(): Promise<DraftRow[]> {
  const { results } = await env.DB.prepare(
    "select id, period, service_id, industry_id, score, status, reasons_id, reasons_for from pairing_proposals order by score desc, service_id, industry_id",
  ).all<DraftRow>();
  return results;
}

/** Inserts one draft directly (for the officer API's tests). */
export async function insertDraft(serviceId: string, industryId: string, score = 0.7): Promise<string> {
  counter += 1;
  const id = `prp_TEST${String(Date.now())}${String(counter).padStart(6, "0")}`;
  await env.DB.prepare(
    `insert into pairing_proposals (id, period, service_id, industry_id, score, components, reasons_id, reasons_en,
      reasons_for, pattern, status, revision, run_id, created_at, updated_at)
     values (?, '2026-W48', ?, ?, ?, ?, ?, ?, 'service', 'rantai_pasok', 'draft', 'rev0', 'prun_test', ?, ?)`,
  )
    .bind(
      id,
      serviceId,
      industryId,
      score,
      JSON.stringify({ category: 0.95, location: 0.85, text: 0.6 }),
      JSON.stringify(["Mereka menawarkan yang Anda butuhkan: alas kaki"]),
      JSON.stringify(["They offer what you need: footwear"]),
      Date.now(),
      Date.now(),
    )
    .run();
  return id;
}
