import type { Language } from "../../domain/language";
import { t } from "../i18n";

/** The public page at `/`: what Kemitraan is for a business owner, and the two ways in. */
export function LandingPage(props: { lang: Language }) {
  const s = t(props.lang);
  return (
    <section class="landing">
      <p class="lead">{s.landingLead}</p>
      <p>{s.landingHow}</p>
      <p class="actions">
        <a class="button" href="/ui/daftar">
          {s.landingSignUp}
        </a>
        <a class="button secondary" href="/ui/login">
          {s.landingSignIn}
        </a>
      </p>
      <p class="muted">{s.landingOfficers}</p>
      <p class="muted">
        <a href="/docs">{s.landingApi}</a>
      </p>
    </section>
  );
}
