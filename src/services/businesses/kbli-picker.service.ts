import { type KbliTitle, kbli2020Title, searchKbli2020 } from "../../domain/kbli";
import { inferActivities } from "../../matching/activity";

/**
 * The KBLI picker of the sign-up and profile forms: a title search, the titles of codes already
 * chosen, and codes read from an owner's own words when they do not know theirs ("belum tahu").
 */

/** Five-digit KBLI 2020 codes matching a search (see `searchKbli2020`). */
export function searchKbli(query: string, limit = 15): KbliTitle[] {
  return searchKbli2020(query, limit);
}

/** The BPS title of a code, for showing a chosen one (KBLI 2020 only; else undefined). */
export function kbliTitle(code: string, version: string): string | undefined {
  return version === "2020" ? kbli2020Title(code) : undefined;
}

/**
 * For an owner who does not know their KBLI: the codes (at most 3, strongest first) that the
 * engine reads from their name and offers, on their side of the registry (manufacturing for an
 * industry). Empty when the words name nothing: the form then asks them to choose or say more.
 */
export function kbliFromDescription(input: {
  name: string;
  offers: string;
  sector: "service" | "industry";
}): string[] {
  if (input.offers.trim() === "") return [];
  return inferActivities(input.offers, input.sector, input.name)
    .slice(0, 3)
    .map(([code]) => code);
}
