import { describe, expect, it } from "vitest";
import { signInEmail } from "../../../src/email/sign-in.template";

const link = "https://kemitraan.example.id/v1/auth/callback?token=abc&x=1";

describe("signInEmail", () => {
  it("writes Bahasa Indonesia and English with the link in both parts", () => {
    const id = signInEmail("id", { businessName: "Katering Rasa Majapahit", link, validMinutes: 15 });
    const en = signInEmail("en", { businessName: "Katering Rasa Majapahit", link, validMinutes: 15 });
    expect(id.subject).toBe("Tautan masuk Kemitraan");
    expect(en.subject).toBe("Your Kemitraan sign-in link");
    expect(id.text).toContain(`\n\n${link}\n\n`);
    expect(id.text).toContain("selama 15 menit");
    expect(en.text).toContain("for 15 minutes");
    expect(id.html).toContain('<html lang="id">');
    expect(en.html).toContain('<html lang="en">');
    // The link is HTML-escaped in attributes and text, and survives as itself once unescaped.
    expect(id.html).toContain(`href="${link.replace("&", "&#38;")}"`);
    expect(en.text).not.toMatch(/Masuk|Tautan/);
  });

  it("escapes a business name that contains markup", () => {
    const mail = signInEmail("id", {
      businessName: '<script>alert(1)</script> "Toko"',
      link,
      validMinutes: 15,
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&#60;script&#62;alert(1)&#60;/script&#62; &#34;Toko&#34;");
    expect(mail.text).toContain('<script>alert(1)</script> "Toko"'); // plain text stays literal
  });
});
