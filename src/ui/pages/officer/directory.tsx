import type { Business } from "../../../services/businesses/businesses.views";
import { label, t } from "../../i18n";
import { Badge } from "../../layout";
import { type Common, Select } from "./shared";

/** The business directory page. */

export interface DirectoryFilters {
  kecamatan?: string | undefined;
  kelurahan?: string | undefined;
  sector?: "service" | "industry" | undefined;
  kbliDivision?: string | undefined;
  status?: "unconfirmed" | "pending_review" | "published" | "rejected" | undefined;
  q?: string | undefined;
}

export function DirectoryPage(
  props: Common & {
    filters: DirectoryFilters;
    kecamatan: string[];
    kelurahan: string[];
    items: Business[];
    nextHref: string | null;
  },
) {
  const s = t(props.lang);
  const f = props.filters;
  return (
    <>
      <form method="get" action="/ui/businesses" class="card stack" aria-label={s.filter}>
        <div class="grid three">
          <Select
            name="kecamatan"
            label={s.kecamatan}
            all={s.all}
            value={f.kecamatan}
            options={props.kecamatan.map((k) => [k, k])}
          />
          <Select
            name="kelurahan"
            label={s.kelurahan}
            all={s.all}
            value={f.kelurahan}
            options={props.kelurahan.map((k) => [k, k])}
          />
          <Select
            name="sector"
            label={s.sector}
            all={s.all}
            value={f.sector}
            options={[
              ["service", label(s.sectorLabels, "service")],
              ["industry", label(s.sectorLabels, "industry")],
            ]}
          />
          <label>
            {s.kbliDivision}
            <input
              name="kbliDivision"
              inputmode="numeric"
              pattern="[0-9]{2}"
              maxlength={2}
              value={f.kbliDivision ?? ""}
            />
          </label>
          <Select
            name="status"
            label={s.status}
            all={s.all}
            value={f.status}
            options={(["unconfirmed", "pending_review", "published", "rejected"] as const).map((v) => [
              v,
              label(s.statusLabels, v),
            ])}
          />
          <label>
            {s.search}
            <input name="q" maxlength={100} value={f.q ?? ""} />
          </label>
        </div>
        <div>
          <button type="submit">{s.filter}</button>
        </div>
      </form>
      {props.items.length === 0 ? <p class="muted">{s.noResults}</p> : null}
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th>{s.name}</th>
              <th>{s.sector}</th>
              <th>{s.kelurahan}</th>
              <th>KBLI</th>
              <th>{s.status}</th>
            </tr>
          </thead>
          <tbody>
            {props.items.map((b) => (
              <tr data-business={b.id}>
                <td>
                  <a href={`/ui/businesses/${b.id}`}>{b.name}</a>
                </td>
                <td>{label(s.sectorLabels, b.sector)}</td>
                <td>{b.location.kelurahan ?? b.location.city}</td>
                <td>{b.kbli.map((k) => k.code).join(", ")}</td>
                <td>
                  <Badge lang={props.lang} status={b.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {props.nextHref ? (
        <p>
          <a href={props.nextHref} rel="next">
            {s.next} →
          </a>
        </p>
      ) : null}
    </>
  );
}
