import { Hono } from "hono";
import { SignUpSchema, UpdateBusinessSchema } from "../../contracts/businesses.schemas";
import { CONFIRM_PATH } from "../../contracts/sign-in";
import { mailerFor } from "../../email/mailer";
import { enforceRateLimit } from "../../http/rate-limit";
import { searchKbli } from "../../services/businesses/kbli-picker.service";
import { getBusiness } from "../../services/businesses/read.service";
import { resubmitBusiness } from "../../services/businesses/resubmit.service";
import { signUpBusiness } from "../../services/businesses/sign-up.service";
import { updateBusiness } from "../../services/businesses/update.service";
import type { ConsoleContext, ConsoleEnv } from "../context";
import { fill, t } from "../i18n";
import { type BusinessFormValues, EMPTY_FORM, type FormErrors } from "../pages/business-form";
import { ProfilePage, SignUpPage, SignUpSentPage } from "../pages/profile";
import { asBusiness, deps, page } from "../render";
import { changedFields, readBusinessForm, serviceErrors, toBody, valuesOf, zodErrors } from "./business-form";

/**
 * Owner self-service: the sign-up form (/ui/daftar) and the profile form (/ui/me/profil), which
 * also resubmits a rejected sign-up. Both call the API's services with bodies the API's own
 * contracts validate.
 */
export const signupRoutes = new Hono<ConsoleEnv>();

for (const alias of ["/signup", "/register"]) signupRoutes.get(alias, (c) => c.redirect("/ui/daftar", 303));

function results(v: BusinessFormValues) {
  return v.kbliQuery === "" ? null : searchKbli(v.kbliQuery);
}

function signUpPage(c: ConsoleContext, values: BusinessFormValues, errors: FormErrors, status?: 200 | 422) {
  const lang = c.get("lang");
  return page(
    c,
    t(lang).signUpTitle,
    <SignUpPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      action="/ui/daftar"
      searchAction="/ui/daftar/cari"
      values={values}
      errors={errors}
      results={results(values)}
      submitLabel={t(lang).signUpSubmit}
      mode="signup"
    />,
    status,
  );
}

signupRoutes.get("/daftar", (c) => {
  const q = (c.req.query("kbli_q") ?? "").trim().slice(0, 100);
  return signUpPage(c, { ...EMPTY_FORM, language: c.get("lang"), kbliQuery: q }, {});
});

// The KBLI search button: the whole form comes back, nothing is stored.
signupRoutes.post("/daftar/cari", async (c) => signUpPage(c, await readBusinessForm(c), {}));

signupRoutes.post("/daftar", async (c) => {
  const lang = c.get("lang");
  const values = await readBusinessForm(c);
  const parsed = SignUpSchema.safeParse(toBody(values));
  if (!parsed.success) return signUpPage(c, values, zodErrors(lang, parsed.error), 422);
  // The same per-address limit as POST /v1/signup (the per-IP one is the middleware's).
  await enforceRateLimit(
    c.env.SIGN_IN_EMAIL_LIMITER,
    `signup-email:${parsed.data.email.trim().toLowerCase()}`,
    c.get("requestId"),
  );
  try {
    await signUpBusiness(
      { ...deps(c), mailer: mailerFor(c.env) },
      { fields: parsed.data, confirmUrl: new URL(CONFIRM_PATH, c.req.url).href, now: Date.now() },
    );
  } catch (err) {
    return signUpPage(c, values, serviceErrors(lang, err), 422);
  }
  const s = t(lang);
  return page(
    c,
    s.signUpSentTitle,
    <SignUpSentPage lang={lang} text={fill(s.signUpSent, { email: parsed.data.email })} />,
  );
});

// The owner's profile ------------------------------------------------------------------------------

async function profilePage(
  c: ConsoleContext,
  values: BusinessFormValues | null,
  errors: FormErrors,
  status?: 200 | 422,
) {
  const me = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const business = await getBusiness(deps(c), { id: me.businessId });
  const v = values ?? valuesOf(business);
  const s = t(lang);
  return page(
    c,
    s.profileTitle,
    <ProfilePage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      action="/ui/me/profil"
      searchAction="/ui/me/profil/cari"
      values={v}
      errors={errors}
      results={results(v)}
      submitLabel={business.status === "rejected" ? s.resubmitButton : s.profileSave}
      mode="profile"
      business={business}
      done={c.req.query("done")}
    />,
    status,
  );
}

signupRoutes.get("/me/profil", (c) => profilePage(c, null, {}));

signupRoutes.post("/me/profil/cari", async (c) => {
  asBusiness(c.get("principal"));
  return profilePage(c, await readBusinessForm(c), {});
});

signupRoutes.post("/me/profil", async (c) => {
  const me = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const business = await getBusiness(deps(c), { id: me.businessId });
  const values = await readBusinessForm(c);
  const changes = changedFields(valuesOf(business), values);
  let patch: ReturnType<typeof UpdateBusinessSchema.parse> | undefined;
  if (Object.keys(changes).length > 0) {
    const parsed = UpdateBusinessSchema.safeParse(changes);
    if (!parsed.success) return profilePage(c, values, zodErrors(lang, parsed.error), 422);
    patch = parsed.data;
  }
  const now = Date.now();
  try {
    if (business.status === "rejected") {
      await resubmitBusiness(deps(c), { actor: me, patch, now });
      return c.redirect("/ui/me/profil?done=resubmitted", 303);
    }
    if (patch) await updateBusiness(deps(c), { id: me.businessId, patch, actor: me, now });
  } catch (err) {
    return profilePage(c, values, serviceErrors(lang, err), 422);
  }
  return c.redirect("/ui/me/profil?done=saved", 303);
});
