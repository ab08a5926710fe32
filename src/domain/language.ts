/**
 * The languages the product speaks: Bahasa Indonesia (the default) and English. Profiles, digest
 * preferences, the console, emails and the matcher's explanations all take one of these.
 */
export const LANGUAGES = ["id", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Narrows a query or cookie value to a language. */
export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}
