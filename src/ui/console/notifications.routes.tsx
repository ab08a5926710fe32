import { Hono } from "hono";
import { z } from "zod";
import { partyRef } from "../../domain/party";
import { validationError } from "../../errors";
import { getEmailPreferences, setEmailPreferences } from "../../services/notifications/preferences";
import { type ConsoleEnv, formField } from "../context";
import { t } from "../i18n";
import { CADENCES, NotificationSettingsPage, OWNER_TOPICS } from "../pages/notifications";
import { asBusiness, deps, done, page } from "../render";

/** The owner's email settings (notification switches and digest cadence): /ui/me/notifikasi. */
export const notificationRoutes = new Hono<ConsoleEnv>();

notificationRoutes.get("/me/notifikasi", async (c) => {
  const me = asBusiness(c.get("principal"));
  const lang = c.get("lang");
  const prefs = await getEmailPreferences(deps(c), { recipient: partyRef("business", me.businessId) });
  return page(
    c,
    t(lang).notifyTitle,
    <NotificationSettingsPage
      lang={lang}
      csrfToken={c.get("csrfToken")}
      prefs={prefs}
      done={c.req.query("done") === "1"}
    />,
  );
});

const CadenceField = z.enum(CADENCES);

notificationRoutes.post("/me/notifikasi", async (c) => {
  const me = asBusiness(c.get("principal"));
  const cadence = CadenceField.safeParse(await formField(c, "cadence"));
  if (!cadence.success) throw validationError([{ path: "cadence", message: "Choose how often." }]);
  // Every switch is on the form: an unchecked box is simply absent, so absent means off.
  const notifications: Record<string, boolean> = {};
  for (const topic of OWNER_TOPICS) notifications[topic] = (await formField(c, topic)) === "on";
  await setEmailPreferences(deps(c), {
    recipient: partyRef("business", me.businessId),
    cadence: cadence.data,
    notifications,
    now: Date.now(),
  });
  return c.redirect(done("/ui/me/notifikasi"), 303);
});
