/**
 * How a party is named in a single text column: `business:<id>` or `officer:<id>` (and, for who
 * did something, `system:<job>`). Digest recipients and preferences, idempotency scopes, the
 * `...By` columns and recompute triggers all store this string, and erasure and access find a
 * business's rows by it, so it is built and parsed only here.
 */

/** Who can receive mail, own preferences and send requests. */
export const PARTY_KINDS = ["business", "officer"] as const;
export type PartyKind = (typeof PARTY_KINDS)[number];

/** Who can make a change: a party, or a job (the system). */
export const ACTOR_KINDS = ["officer", "business", "system"] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];

/** Who made a change, as the audit log and the `...By` columns record it. */
export interface AuditActor {
  kind: ActorKind;
  /** Officer id, business id, or the job's name. */
  id: string;
}

/** `business:<id>` or `officer:<id>`. */
export type PartyRef = `${PartyKind}:${string}`;
/** A party reference, or `system:<job>`. */
export type ActorRef = `${ActorKind}:${string}`;

/** The reference of a business or an officer, e.g. `partyRef("business", "biz_01…")`. */
export function partyRef(kind: PartyKind, id: string): PartyRef {
  return `${kind}:${id}`;
}

/** The reference of whoever made a change, as stored in a row's `...By` column. */
export function actorRef(actor: AuditActor): ActorRef {
  return `${actor.kind}:${actor.id}`;
}

/**
 * What SQL prepends to an id column to build a party reference in a query
 * (`${partyRefPrefix("business")} || b.id`), so a join on a stored reference matches `partyRef`.
 */
export function partyRefPrefix(kind: PartyKind): `${PartyKind}:` {
  return `${kind}:`;
}

/**
 * Parses a party reference from outside (an unsubscribe link): the kind must be known and the id
 * made of id characters, so a crafted value names no other row.
 */
export function parsePartyRef(value: string): { kind: PartyKind; id: string } | null {
  const match = /^(business|officer):([A-Za-z0-9_-]{1,100})$/.exec(value);
  if (!match?.[1] || !match[2]) return null;
  return { kind: match[1] as PartyKind, id: match[2] };
}

/** Reads back a stored actor reference (`...By` columns); null when empty or of an unknown kind. */
export function parseActorRef(ref: string | null): AuditActor | null {
  if (!ref) return null;
  const i = ref.indexOf(":");
  const kind = ref.slice(0, i);
  return (ACTOR_KINDS as readonly string[]).includes(kind)
    ? { kind: kind as ActorKind, id: ref.slice(i + 1) }
    : null;
}
