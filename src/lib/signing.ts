/**
 * HMAC-SHA256 signatures for links that act without a session (digest unsubscribe). The signature
 * is over a purpose label and the value, so a signature for one purpose never verifies another.
 */

const encoder = new TextEncoder();

async function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

function toBase64Url(bytes: ArrayBuffer): string {
  let binary = "";
  for (const b of new Uint8Array(bytes)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** base64url HMAC-SHA256 of `purpose:value` under `secret`. */
export async function sign(secret: string, purpose: string, value: string): Promise<string> {
  const key = await hmacKey(secret);
  return toBase64Url(await crypto.subtle.sign("HMAC", key, encoder.encode(`${purpose}:${value}`)));
}

/** True when `signature` is `sign(secret, purpose, value)`; compared in constant time by WebCrypto. */
export async function verify(
  secret: string,
  purpose: string,
  value: string,
  signature: string,
): Promise<boolean> {
  const bytes = fromBase64Url(signature);
  if (bytes?.length !== 32) return false;
  const key = await hmacKey(secret);
  return crypto.subtle.verify("HMAC", key, bytes, encoder.encode(`${purpose}:${value}`));
}
