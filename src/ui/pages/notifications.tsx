import type { Language } from "../../domain/language";
import type { EmailPreferences } from "../../services/notifications/preferences";
import { t } from "../i18n";
import { Csrf, Done } from "../layout";

/** The switches an owner sees (the officer summary is for officers). */
export const OWNER_TOPICS = [
  "signUpDecision",
  "incomingRequest",
  "requestAnswered",
  "officerDecision",
  "requestExpired",
  "forumAgenda",
  "procurementOpportunity",
] as const;

export const CADENCES = ["weekly", "monthly", "off"] as const;

/** The owner's email settings: one checkbox per kind of news, and the digest's cadence. */
export function NotificationSettingsPage(props: {
  lang: Language;
  csrfToken: string;
  prefs: EmailPreferences;
  done: boolean;
}) {
  const s = t(props.lang);
  return (
    <>
      <Done lang={props.lang} show={props.done} />
      <p>{s.notifyIntro}</p>
      <form method="post" action="/ui/me/notifikasi" class="stack card">
        <Csrf token={props.csrfToken} />
        <fieldset>
          <legend>{s.notifyEvents}</legend>
          {OWNER_TOPICS.map((topic) => (
            <label class="check">
              <input type="checkbox" name={topic} value="on" checked={props.prefs.notifications[topic]} />
              {s.notifyTopics[topic]}
            </label>
          ))}
        </fieldset>
        <label>
          {s.notifyDigest}
          <select name="cadence">
            {CADENCES.map((c) => (
              <option value={c} selected={props.prefs.cadence === c}>
                {s.notifyCadence[c]}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{s.notifySave}</button>
      </form>
      <p>
        <a href="/ui/me">{s.notifyBack}</a>
      </p>
    </>
  );
}
