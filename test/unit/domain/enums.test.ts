import { describe, expect, it } from "vitest";
import { businesses, digestPreferences, partnerships } from "../../../schema";
import { LanguageSchema } from "../../../src/contracts/businesses.schemas";
import { isLanguage, LANGUAGES } from "../../../src/domain/language";
import { PARTNERSHIP_OUTCOMES } from "../../../src/domain/partnership";
import { OutcomeSchema } from "../../../src/routes/partnerships.schemas";
import { t } from "../../../src/ui/i18n";

describe("shared enums", () => {
  it("the tables, the API contracts and the console take the outcomes from one list", () => {
    expect(partnerships.outcome.enumValues).toEqual([...PARTNERSHIP_OUTCOMES]);
    expect(OutcomeSchema.options).toEqual([...PARTNERSHIP_OUTCOMES]);
    for (const lang of LANGUAGES) {
      expect(Object.keys(t(lang).outcomeLabels).sort()).toEqual([...PARTNERSHIP_OUTCOMES].sort());
    }
  });

  it("the tables and the API contracts take the languages from one list", () => {
    expect(businesses.language.enumValues).toEqual([...LANGUAGES]);
    expect(digestPreferences.language.enumValues).toEqual([...LANGUAGES]);
    expect(LanguageSchema.options).toEqual([...LANGUAGES]);
    expect(LANGUAGES.every(isLanguage)).toBe(true);
    expect(isLanguage("fr")).toBe(false);
    expect(isLanguage(undefined)).toBe(false);
  });
});
