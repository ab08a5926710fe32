import type { Language } from "../../domain/language";
import type { SignInLinkPreview } from "../../services/accounts/sign-in.service";
import { t } from "../i18n";
import { Csrf } from "../layout";

interface Common {
  lang: Language;
  csrfToken: string;
}

export function LoginPage(props: Common & { accessEnabled: boolean; keyLoginEnabled: boolean }) {
  const s = t(props.lang);
  return (
    <div class="grid two">
      <section class="card" aria-labelledby="l-owner">
        <h2 id="l-owner">{s.ownerLoginTitle}</h2>
        <p class="muted">{s.ownerLoginHelp}</p>
        <form method="post" action="/ui/login/email" class="stack">
          <Csrf token={props.csrfToken} />
          <label>
            {s.email}
            <input type="email" name="email" required maxlength={254} autocomplete="email" />
          </label>
          <button type="submit">{s.sendLink}</button>
        </form>
        <p>
          {s.loginNoAccount} <a href="/ui/daftar">{s.loginSignUpLink}</a>
        </p>
      </section>
      <section class="card" aria-labelledby="l-officer">
        <h2 id="l-officer">{s.officerLoginTitle}</h2>
        <p class="muted">{s.officerAccessHelp}</p>
        {props.accessEnabled ? (
          <p>
            {/* Access guards the officer paths: opening one starts its sign-in. */}
            <a href="/ui/queue">{s.officerAccessLink}</a>
          </p>
        ) : null}
        {props.keyLoginEnabled ? (
          <form method="post" action="/ui/login/officer" class="stack">
            <Csrf token={props.csrfToken} />
            <p class="muted">{s.officerKeyHelp}</p>
            <label>
              {s.officerKey}
              <input type="password" name="key" required autocomplete="off" maxlength={100} />
            </label>
            <button type="submit">{s.officerLoginButton}</button>
          </form>
        ) : null}
      </section>
    </div>
  );
}

export function LinkSentPage(props: { lang: Language }) {
  return <p class="notice ok">{t(props.lang).linkSent}</p>;
}

/**
 * GET of an emailed link lands here: a button, so a mail scanner's prefetch signs nobody in. The
 * page names the business the link signs in as, so a link forged into someone's browser (login
 * CSRF) shows whose account it is; a sign-up's link shows what was registered, framed as what
 * someone entered, before the address's owner confirms it.
 */
export function ConfirmPage(props: Common & { token: string; preview: SignInLinkPreview }) {
  const s = t(props.lang);
  const b = props.preview.business;
  const signUp = props.preview.purpose === "confirm_sign_up";
  return (
    <section class="card" data-purpose={props.preview.purpose}>
      <p>{signUp ? s.confirmSignUpHelp : s.confirmHelp}</p>
      <h2 class="confirm-business">{b.name}</h2>
      <dl class="kv">
        <dt>{s.kelurahan}</dt>
        <dd>{[b.location.kelurahan, b.location.kecamatan, b.location.city].filter(Boolean).join(", ")}</dd>
        {signUp ? (
          <>
            <dt>{s.nib}</dt>
            <dd>{b.nib ?? "—"}</dd>
            <dt>{s.offers}</dt>
            <dd>{b.offers || "—"}</dd>
            <dt>{s.needs}</dt>
            <dd>{b.needs || "—"}</dd>
          </>
        ) : null}
      </dl>
      <p class="muted">{signUp ? s.confirmSignUpNotYou : s.confirmNotYou}</p>
      <form method="post" action="/ui/login/confirm">
        <Csrf token={props.csrfToken} />
        <input type="hidden" name="token" value={props.token} />
        <button type="submit">{signUp ? s.confirmSignUpButton : s.confirmButton}</button>
      </form>
    </section>
  );
}
