import type { Language } from "../../domain/language";
import type { Business } from "../../services/businesses/businesses.views";
import { t } from "../i18n";
import { BusinessForm, type BusinessFormProps } from "./business-form";

/** Sign-up: the form, and a link to sign in for those already registered. */
export function SignUpPage(props: BusinessFormProps) {
  const s = t(props.lang);
  return (
    <>
      <p>{s.signUpIntro}</p>
      <p class="muted">
        {s.signUpHaveAccount} <a href="/ui/login">{s.landingSignIn}</a>
      </p>
      <BusinessForm {...props} />
    </>
  );
}

/**
 * The owner's profile: the same form as the sign-up, filled in. A rejected owner sees the
 * officer's reason first and resubmits with the form.
 */
export function ProfilePage(props: BusinessFormProps & { business: Business; done: string | undefined }) {
  const s = t(props.lang);
  const b = props.business;
  return (
    <>
      {props.done === "saved" ? (
        <p class="notice ok" role="status">
          {s.profileSaved}
        </p>
      ) : null}
      {props.done === "resubmitted" ? (
        <p class="notice ok" role="status">
          {s.resubmitted}
        </p>
      ) : null}
      {b.status === "rejected" ? (
        <section class="notice warn" data-status="rejected">
          <h2>{s.rejectedTitle}</h2>
          <p>
            {s.rejectedReason} <q class="rejection-reason">{b.rejectionReason ?? "—"}</q>
          </p>
          <p>{s.rejectedHelp}</p>
        </section>
      ) : null}
      {b.status === "pending_review" ? <p class="notice">{s.pendingNote}</p> : null}
      <p>{s.profileIntro}</p>
      {b.status === "published" ? <p class="muted">{s.profileReviewNote}</p> : null}
      <BusinessForm {...props} />
      <p>
        <a href="/ui/me">{s.profileBack}</a>
      </p>
    </>
  );
}

export function SignUpSentPage(props: { lang: Language; text: string }) {
  return (
    <p class="notice ok" role="status" data-sent="sign-up">
      {props.text}
    </p>
  );
}
