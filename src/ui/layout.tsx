import type { Child } from "hono/jsx";
import type { Principal } from "../auth/principal";
import type { Language } from "../domain/language";
import { CSRF_FIELD } from "./context";
import { t } from "./i18n";

export interface PageProps {
  lang: Language;
  title: string;
  principal: Principal | null;
  csrfToken: string;
  /** The current URL: the language toggle links back to it. */
  url: string;
  children?: Child;
}

/** The hidden CSRF field every console form carries. */
export function Csrf(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

function toggleHref(url: string, lang: Language): string {
  const u = new URL(url);
  u.searchParams.set("lang", lang === "id" ? "en" : "id");
  u.searchParams.delete("done");
  return `${u.pathname}${u.search}`;
}

/** The one page layout: header with navigation for the signed-in role, language toggle, sign-out. */
export function Layout(props: PageProps) {
  const s = t(props.lang);
  const p = props.principal;
  return (
    <html lang={props.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} · ${s.appName}`}</title>
        <link rel="stylesheet" href="/ui/app.css" />
      </head>
      <body>
        <a class="skip" href="#main">
          {s.skipToContent}
        </a>
        <header class="top">
          <a class="brand" href="/ui">
            {s.appName}
          </a>
          <nav class="main" aria-label="Menu">
            {p?.kind === "officer" ? (
              <>
                <a href="/ui/queue">{s.navQueue}</a>
                <a href="/ui/businesses">{s.navDirectory}</a>
                <a href="/ui/partnerships">{s.navPartnerships}</a>
                <a href="/ui/dashboard">{s.navDashboard}</a>
                <a href="/ui/pengadaan">{s.navProcurement}</a>
                <a href="/ui/forum">{s.navForums}</a>
              </>
            ) : null}
            {p?.kind === "business" ? <a href="/ui/me">{s.navMine}</a> : null}
            {p?.kind === "business" ? <a href="/ui/me/pengadaan">{s.navOpportunities}</a> : null}
            <a href={toggleHref(props.url, props.lang)} lang={props.lang === "id" ? "en" : "id"}>
              {s.switchTo}
            </a>
            {p ? (
              <form method="post" action="/ui/logout">
                <Csrf token={props.csrfToken} />
                <button type="submit" class="linkbtn">
                  {s.logout}
                </button>
              </form>
            ) : null}
          </nav>
        </header>
        <main id="main">
          <h1>{props.title}</h1>
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A status badge with its translated label. */
export function Badge(props: { lang: Language; status: string }) {
  return (
    <span class={`badge ${props.status}`}>{t(props.lang).statusLabels[props.status] ?? props.status}</span>
  );
}

/** `done=` flash message after a form's redirect. */
export function Done(props: { lang: Language; show: boolean }) {
  return props.show ? (
    <p class="notice ok" role="status">
      {t(props.lang).done}
    </p>
  ) : null;
}
