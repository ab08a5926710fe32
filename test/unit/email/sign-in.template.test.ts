import { describe, expect, it } from "vitest";
import { signInEmail, signUpConfirmationEmail } from "../../../src/email/sign-in.template";

const link = "https://kemitraan.example.id/v1/auth/callback?token=abc&x=1";

describe("signInEmail", () => {
  it("writes Bahasa Indonesia and English with the link in both parts", () => {
    const choices = [{ businessName: "Katering Rasa Majapahit", link }];
    const id = signInEmail("id", { choices, validMinutes: 15 });
    const en = signInEmail("en", { choices, validMinutes: 15 });
    expect(id.subject).toBe("Tautan masuk Kemitraan");
    expect(en.subject).toBe("Your Kemitraan sign-in link");
    expect(id.text).toContain("Masuk ke Kemitraan sebagai Katering Rasa Majapahit:");
    expect(id.text).toContain(`\n\n${link}\n\n`);
    expect(id.text).toContain("selama 15 menit");
    expect(en.text).toContain("for 15 minutes");
    expect(id.html).toContain('<html lang="id">');
    expect(en.html).toContain('<html lang="en">');
    // The link is HTML-escaped in attributes and text, and survives as itself once unescaped.
    expect(id.html).toContain(`href="${link.replace("&", "&#38;")}"`);
    expect(en.text).not.toMatch(/Masuk|Tautan/);
  });

  it("lists every business of the address, each with its own link and button", () => {
    const choices = ["Usaha Satu", "Usaha Dua", "Usaha Tiga"].map((name, i) => ({
      businessName: name,
      link: `https://kemitraan.example.id/ui/login/confirm?token=t${i}`,
    }));
    const mail = signInEmail("id", { choices, validMinutes: 15 });
    expect(mail.text).toContain("terdaftar untuk 3 usaha");
    for (const c of choices) {
      expect(mail.text).toContain(`${c.businessName}:\n${c.link}\n`);
      expect(mail.html).toContain(`>Masuk sebagai ${c.businessName}</a>`);
    }
  });

  it("escapes a business name that contains markup", () => {
    const mail = signInEmail("id", {
      choices: [{ businessName: '<script>alert(1)</script> "Toko"', link }],
      validMinutes: 15,
    });
    expect(mail.html).not.toContain("<script>");
    expect(mail.html).toContain("&#60;script&#62;alert(1)&#60;/script&#62; &#34;Toko&#34;");
    expect(mail.text).toContain('<script>alert(1)</script> "Toko"'); // plain text stays literal
  });
});

describe("signUpConfirmationEmail", () => {
  it("says only that someone registered a business with the address, in either language", () => {
    const id = signUpConfirmationEmail("id", { link, validHours: 24 });
    const en = signUpConfirmationEmail("en", { link, validHours: 24 });
    expect(id.subject).toBe("Konfirmasi pendaftaran usaha di Kemitraan");
    expect(id.text).toContain("Seseorang mendaftarkan sebuah usaha");
    expect(id.text).toContain(`\n\n${link}\n\n`);
    expect(id.text).toContain("abaikan email ini");
    expect(en.text).toContain("ignore this email");
    expect(en.text).toContain("24 hours");
    expect(id.html).toContain(`href="${link.replace("&", "&#38;")}"`);
  });
});
