import { and, eq, inArray, lt, notExists } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import { apiKeys, businesses, deletionRequests, sessions, signInTokens } from "../../../schema";
import { SIGN_UP_CONFIRM_TTL_MS } from "../../auth/session";
import { auditInsertIf } from "../audit/audit.queries";
import type { ServiceDeps } from "../deps";
import { wroteAt } from "./businesses.shared";

/** Sign-ups deleted per run: each is a few statements of one batch. */
const PURGE_LIMIT = 200;

/**
 * Deletes sign-ups never confirmed within `SIGN_UP_CONFIRM_TTL_MS`, with their confirmation links:
 * whoever typed the address did not own it, or gave up. Their sign-up audit rows stay (ids and
 * times only); an `expire` row records the deletion. A sign-up something else now points to (an
 * officer minted it a key, say) is left alone. Bounded per run; the daily job calls it.
 *
 * @returns how many were deleted, and whether more are due (run again).
 */
export async function purgeUnconfirmedSignUps(
  deps: ServiceDeps,
  input: { now: number },
): Promise<{ deleted: number; more: boolean }> {
  const due = await deps.db
    .select({ id: businesses.id })
    .from(businesses)
    .where(
      and(
        eq(businesses.status, "unconfirmed"),
        lt(businesses.createdAt, input.now - SIGN_UP_CONFIRM_TTL_MS),
        notExists(deps.db.select().from(apiKeys).where(eq(apiKeys.businessId, businesses.id))),
        notExists(deps.db.select().from(sessions).where(eq(sessions.businessId, businesses.id))),
        notExists(
          deps.db.select().from(deletionRequests).where(eq(deletionRequests.businessId, businesses.id)),
        ),
      ),
    )
    .orderBy(businesses.id)
    .limit(PURGE_LIMIT + 1);
  const ids = due.slice(0, PURGE_LIMIT).map((r) => r.id);
  if (ids.length === 0) return { deleted: 0, more: false };
  const statements: [BatchItem<"sqlite">, ...BatchItem<"sqlite">[]] = [
    deps.db.delete(signInTokens).where(inArray(signInTokens.businessId, ids)),
  ];
  for (const id of ids) {
    // Still unconfirmed when the batch runs: a confirmation that landed meanwhile wins.
    statements.push(
      deps.db.delete(businesses).where(and(eq(businesses.id, id), eq(businesses.status, "unconfirmed"))),
      auditInsertIf(
        deps.db,
        {
          at: input.now,
          actor: { kind: "system", id: "expire-sign-ups" },
          entityType: "business",
          entityId: id,
          action: "expire",
          fromState: "unconfirmed",
          toState: null,
        },
        wroteAt(),
      ),
    );
  }
  await deps.db.batch(statements);
  return { deleted: ids.length, more: due.length > PURGE_LIMIT };
}
