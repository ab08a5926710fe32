import { eq } from "drizzle-orm";
import { digestPreferences, officers } from "../../../schema";
import type { Language } from "../../domain/language";
import { type PartyRef, parsePartyRef } from "../../domain/party";
import { ApiError, notFound } from "../../errors";
import type { ServiceDeps } from "../deps";

export interface DigestPreferences {
  cadence: "weekly" | "monthly" | "off";
  /** The digest's language (a business without a choice follows its profile language). */
  language: Language;
  unsubscribedAt: string | null;
}

/** The officer row behind an officer principal (Access sign-in), or 404 for an officer key. */
async function assertOfficerRecipient(deps: ServiceDeps, id: string): Promise<void> {
  const row = await deps.db.select({ id: officers.id }).from(officers).where(eq(officers.id, id)).get();
  if (!row) {
    throw new ApiError(
      "not_found",
      "No officer account with an email is behind these credentials: officer API keys carry no email. Sign in through Cloudflare Access.",
    );
  }
}

async function defaultLanguage(deps: ServiceDeps, recipient: PartyRef): Promise<Language> {
  const parsed = parsePartyRef(recipient);
  if (parsed?.kind !== "business") return "id";
  const row = await deps.db.query.businesses.findFirst({
    columns: { language: true },
    where: (b, { eq: equals }) => equals(b.id, parsed.id),
  });
  return row?.language ?? "id";
}

/** A recipient's digest preferences (defaults when never set). */
export async function getDigestPreferences(
  deps: ServiceDeps,
  input: { recipient: PartyRef },
): Promise<DigestPreferences> {
  const parsed = parsePartyRef(input.recipient);
  if (!parsed) throw notFound("Recipient");
  if (parsed.kind === "officer") await assertOfficerRecipient(deps, parsed.id);
  const row = await deps.db
    .select()
    .from(digestPreferences)
    .where(eq(digestPreferences.recipient, input.recipient))
    .get();
  return {
    cadence: row?.cadence ?? "weekly",
    language: row?.language ?? (await defaultLanguage(deps, input.recipient)),
    unsubscribedAt: row?.unsubscribedAt ? new Date(row.unsubscribedAt).toISOString() : null,
  };
}

/**
 * Sets a recipient's cadence and/or language. Choosing a cadence other than `off` clears an earlier
 * unsubscribe (the recipient opted back in).
 */
export async function setDigestPreferences(
  deps: ServiceDeps,
  input: {
    recipient: PartyRef;
    cadence?: DigestPreferences["cadence"] | undefined;
    language?: Language | undefined;
    now: number;
  },
): Promise<DigestPreferences> {
  const parsed = parsePartyRef(input.recipient);
  if (!parsed) throw notFound("Recipient");
  if (parsed.kind === "officer") await assertOfficerRecipient(deps, parsed.id);
  const set: Partial<typeof digestPreferences.$inferInsert> = { updatedAt: input.now };
  if (input.cadence !== undefined) {
    set.cadence = input.cadence;
    if (input.cadence !== "off") set.unsubscribedAt = null;
  }
  if (input.language !== undefined) set.language = input.language;
  await deps.db
    .insert(digestPreferences)
    .values({
      recipient: input.recipient,
      cadence: input.cadence ?? "weekly",
      language: input.language ?? null,
      updatedAt: input.now,
    })
    .onConflictDoUpdate({ target: digestPreferences.recipient, set });
  return getDigestPreferences(deps, { recipient: input.recipient });
}
