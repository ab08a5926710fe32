/**
 * Keyset-pagination cursors for lists ordered by a string id: the page's last id, base64url-encoded
 * so clients treat it as opaque. Shared by the business, partnership and proposal lists.
 */

export function encodeCursor(lastId: string): string {
  return btoa(lastId).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The id a cursor stands for, or null when it is not one we issued (bad base64 or odd characters). */
export function decodeCursor(cursor: string): string | null {
  try {
    const id = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    return /^[\x21-\x7e]{1,100}$/.test(id) ? id : null;
  } catch {
    return null;
  }
}
