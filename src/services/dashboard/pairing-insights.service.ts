import type { Language } from "../../domain/language";
import type { Suggestion } from "../../matching";
import type { ServiceDeps } from "../deps";
import { currentMatcher } from "../matching/matcher.cache";

/** Why a pairing makes sense, as the engine sees it now: score, components, reasons, pattern. */
export type PairingInsight = Omit<Suggestion, "id">;

/**
 * Scores and explains requested pairings for an officer's review, from the requester's side (the
 * reasons say why the partner suits the requester). It uses the in-isolate matcher over the current
 * registry rather than the stored top-k, because the pair someone asked for need not be in the
 * requester's stored top list, and a stored set may be stale.
 *
 * @returns one insight per pair, keyed `requesterId:partnerId`; null when either side is not
 * matchable any more (deactivated, unpublished) or both are of one sector.
 */
export async function pairingInsights(
  deps: ServiceDeps,
  input: { pairs: ReadonlyArray<{ requesterId: string; partnerId: string }>; lang: Language },
): Promise<Map<string, PairingInsight | null>> {
  const out = new Map<string, PairingInsight | null>();
  if (input.pairs.length === 0) return out;
  const { matcher } = await currentMatcher(deps);
  for (const { requesterId, partnerId } of input.pairs) {
    const found = matcher.explainPair(requesterId, partnerId, input.lang);
    out.set(
      `${requesterId}:${partnerId}`,
      found
        ? { score: found.score, components: found.components, reasons: found.reasons, pattern: found.pattern }
        : null,
    );
  }
  return out;
}
