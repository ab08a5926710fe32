const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/**
 * A ULID (26 Crockford base32 chars: 48-bit ms timestamp, then 80 random bits) with an optional
 * prefix. Ids sort by creation time, which keyset pagination relies on for a stable order.
 */
export function newId(prefix: string, now: number = Date.now()): string {
  let time = "";
  let t = now;
  for (let i = 0; i < 10; i++) {
    time = CROCKFORD[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  // 256 is a multiple of 32, so masking a random byte gives a uniform base32 digit.
  for (const b of bytes) rand += CROCKFORD[b & 31];
  return `${prefix}${time}${rand}`;
}

/** Random lowercase base32 string of `length` characters (5 bits of entropy each). */
export function randomToken(length: number): string {
  const alphabet = "abcdefghijkmnpqrstuvwxyz23456789";
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  let out = "";
  for (const b of bytes) out += alphabet[b & 31];
  return out;
}
