import { describe, expect, it } from "vitest";
import { normaliseWhatsApp, whatsAppLink } from "../../../src/domain/whatsapp";

describe("WhatsApp numbers", () => {
  it("normalises the three ways owners write a mobile number to E.164", () => {
    expect(normaliseWhatsApp("081234567890")).toBe("+6281234567890");
    expect(normaliseWhatsApp("0812-3456-7890")).toBe("+6281234567890");
    expect(normaliseWhatsApp("+62 812 3456 7890")).toBe("+6281234567890");
    expect(normaliseWhatsApp("6281234567890")).toBe("+6281234567890");
    expect(normaliseWhatsApp("(0812) 3456.7890")).toBe("+6281234567890");
  });

  it("accepts the shortest and longest Indonesian mobile numbers", () => {
    expect(normaliseWhatsApp("0812345678")).toBe("+62812345678"); // 10 digits nationally
    expect(normaliseWhatsApp("0812345678901")).toBe("+62812345678901"); // 13 digits
  });

  it("refuses landlines, foreign numbers, wrong lengths and text", () => {
    expect(normaliseWhatsApp("0321 321234")).toBeNull(); // Mojokerto landline
    expect(normaliseWhatsApp("+6221 5551234")).toBeNull();
    expect(normaliseWhatsApp("+60 12 345 6789")).toBeNull(); // Malaysia
    expect(normaliseWhatsApp("081234567")).toBeNull(); // too short
    expect(normaliseWhatsApp("08123456789012")).toBeNull(); // too long
    expect(normaliseWhatsApp("81234567890")).toBeNull(); // no prefix: ambiguous
    expect(normaliseWhatsApp("nomor wa saya")).toBeNull();
    expect(normaliseWhatsApp("")).toBeNull();
  });

  it("links to click-to-chat with the digits only", () => {
    expect(whatsAppLink("+6281234567890")).toBe("https://wa.me/6281234567890");
  });
});
