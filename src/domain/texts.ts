import { z } from "zod";

/**
 * Free text people write into the record, with the limits the API and the console both enforce
 * (the console's form fields take `maxlength` from here too).
 */

/** Longest reason an officer may give for a refusal. */
export const DECISION_REASON_MAX_LENGTH = 1000;

/**
 * An officer's reason for a refusal (a sign-up or a partnership rejected, a proposed pairing
 * discarded): required, trimmed, shown to the businesses concerned.
 */
export const DecisionReasonSchema = z.string().trim().min(1).max(DECISION_REASON_MAX_LENGTH);

/** Longest message with a partnership request, or note when one ends. */
export const PARTNERSHIP_TEXT_MAX_LENGTH = 2000;

/** A request's message or an ending's note: optional free text, trimmed. */
export const PartnershipTextSchema = z.string().trim().max(PARTNERSHIP_TEXT_MAX_LENGTH);
