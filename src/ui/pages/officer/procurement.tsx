import type { ProcurementBuyerRow } from "../../../../schema";
import { PROCUREMENT_METHODS, PROCUREMENT_TYPES, READINESS_STEPS } from "../../../domain/procurement";
import type { PackageView } from "../../../services/procurement/packages.service";
import type { ChecklistProgress } from "../../../services/procurement/readiness-checklist.service";
import type { ShareView } from "../../../services/procurement/share.service";
import type { RowError } from "../../../services/procurement/sheet";
import type { PackageSuppliers, SupplierItem } from "../../../services/procurement/suppliers.service";
import { fill, label, t } from "../../i18n";
import { Csrf } from "../../layout";
import { type Common, type FormState, TextField, type TextFieldProps } from "./shared";

/** The officers' procurement pages: overview and imports, one package's suppliers, the 40% share. */

export const rupiah = (n: number) => `Rp${n.toLocaleString("id-ID")}`;
const percent = (v: number) => `${Math.round(v * 1000) / 10}%`;

export interface ImportOutcome {
  kind: "rup" | "realisation";
  message: string;
  errors: RowError[];
}

export type PackageFormState = FormState;

function ImportErrors(props: Common & { errors: RowError[] }) {
  const s = t(props.lang);
  if (props.errors.length === 0) return null;
  return (
    <div class="table-wrap">
      <table aria-label={s.procErrorsTitle} data-import-errors={props.errors.length}>
        <thead>
          <tr>
            <th>{s.procLine}</th>
            <th>{s.procColumn}</th>
            <th>{s.procProblem}</th>
          </tr>
        </thead>
        <tbody>
          {props.errors.slice(0, 200).map((e) => (
            <tr data-line={e.line}>
              <td>{e.line}</td>
              <td>{e.column}</td>
              <td>{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function ImportForm(props: Common & { action: string; title: string; help: string; id: string }) {
  const s = t(props.lang);
  return (
    <form
      method="post"
      action={props.action}
      enctype="multipart/form-data"
      class="card stack"
      aria-labelledby={props.id}
    >
      <h2 id={props.id}>{props.title}</h2>
      <p class="muted">{props.help}</p>
      <Csrf token={props.csrfToken} />
      <label>
        {s.procFile}
        <input
          type="file"
          name="file"
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          required
        />
      </label>
      <p>
        <button type="submit">{s.procImport}</button>
      </p>
    </form>
  );
}

const Field = (props: Omit<TextFieldProps, "idPrefix">) => TextField({ ...props, idPrefix: "pkg" });

function PackageForm(props: Common & { form: PackageFormState }) {
  const s = t(props.lang);
  const f = props.form;
  const select = (name: string, text: string, options: readonly string[], labels: Record<string, string>) => (
    <label>
      {text}
      <select name={name}>
        {options.map((o) => (
          <option value={o} selected={f.values[name] === o}>
            {label(labels, o)}
          </option>
        ))}
      </select>
      {f.errors[name] ? (
        <span class="field-error" data-code="validation_failed">
          {f.errors[name]}
        </span>
      ) : null}
    </label>
  );
  return (
    <form method="post" action="/ui/pengadaan/paket" class="card stack" aria-labelledby="p-add">
      <h2 id="p-add">{s.procAddPackage}</h2>
      <Csrf token={props.csrfToken} />
      <Field name="name" text={s.procName} form={f} required />
      <Field name="buyer" text={s.procBuyer} form={f} required />
      <div class="grid two">
        <Field name="pagu" text={s.procPagu} form={f} required />
        <Field name="plannedMonth" text={s.procMonth} form={f} required />
      </div>
      <div class="grid two">
        {select("method", s.procMethod, PROCUREMENT_METHODS, s.procMethods)}
        {select("type", s.procType, PROCUREMENT_TYPES, s.procTypes)}
      </div>
      <div class="grid two">
        <Field name="fundingSource" text={s.procFunding} form={f} />
        <Field name="code" text={s.procCode} form={f} />
      </div>
      <p>
        <button type="submit">{s.procSavePackage}</button>
      </p>
    </form>
  );
}

export function ProcurementPage(
  props: Common & {
    buyers: ProcurementBuyerRow[];
    packages: { items: PackageView[]; total: number; nextHref: string | null };
    filters: { buyer: string; q: string };
    outcome: ImportOutcome | null;
    packageForm: PackageFormState;
    buyerErrors: Record<string, string>;
  },
) {
  const s = t(props.lang);
  return (
    <>
      <p class="lead">{s.procIntro}</p>
      <p>
        <a href="/ui/pengadaan/porsi">{s.procShareLink}</a> ·{" "}
        <a href="/ui/pengadaan/kesiapan">{s.procReadiness}</a>
      </p>
      {props.outcome ? (
        <div class="card" data-import={props.outcome.kind}>
          <p class="notice ok" role="status">
            {props.outcome.message}
          </p>
          <ImportErrors lang={props.lang} csrfToken={props.csrfToken} errors={props.outcome.errors} />
        </div>
      ) : null}
      <div class="grid two">
        <ImportForm
          lang={props.lang}
          csrfToken={props.csrfToken}
          action="/ui/pengadaan/rup/import"
          title={s.procImportRup}
          help={s.procFormatHelp}
          id="imp-rup"
        />
        <ImportForm
          lang={props.lang}
          csrfToken={props.csrfToken}
          action="/ui/pengadaan/realisasi/import"
          title={s.procImportRealisation}
          help={s.procRealisationHelp}
          id="imp-rls"
        />
      </div>
      <section class="card stack" aria-labelledby="p-list">
        <h2 id="p-list">{s.procPackages}</h2>
        <form method="get" action="/ui/pengadaan" class="filters">
          <label>
            {s.procBuyer}
            <select name="opd">
              <option value="">{s.procAllBuyers}</option>
              {props.buyers.map((b) => (
                <option value={b.id} selected={b.id === props.filters.buyer}>
                  {b.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {s.procSearch}
            <input name="q" value={props.filters.q} maxlength={100} />
          </label>
          <button type="submit">{s.procShow}</button>
        </form>
        <p class="muted" data-total={props.packages.total}>
          {fill(s.procCount, { n: props.packages.total })}
        </p>
        {props.packages.items.length === 0 ? (
          <p class="muted">{s.procNoPackages}</p>
        ) : (
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>{s.procName}</th>
                  <th>{s.procBuyer}</th>
                  <th>{s.procPagu}</th>
                  <th>{s.procMethod}</th>
                  <th>{s.procOppPlanned}</th>
                </tr>
              </thead>
              <tbody>
                {props.packages.items.map((p) => (
                  <tr data-package={p.id}>
                    <td>
                      <a href={`/ui/pengadaan/paket/${p.id}`}>{p.name}</a>
                    </td>
                    <td>{p.buyerName}</td>
                    <td>{rupiah(p.pagu)}</td>
                    <td>{label(s.procMethods, p.method)}</td>
                    <td>{p.plannedMonth}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {props.packages.nextHref ? (
          <p>
            <a href={props.packages.nextHref}>{s.procMore}</a>
          </p>
        ) : null}
      </section>
      <PackageForm lang={props.lang} csrfToken={props.csrfToken} form={props.packageForm} />
      <section class="card stack" aria-labelledby="p-buyers">
        <h2 id="p-buyers">{s.procBuyers}</h2>
        <ul>
          {props.buyers.map((b) => (
            <li data-buyer={b.id}>
              {b.name} —{" "}
              {[b.contactName, b.contactEmail, b.contactPhone].filter(Boolean).join(", ") || s.procNoContact}
            </li>
          ))}
        </ul>
        <form method="post" action="/ui/pengadaan/opd" class="stack">
          <Csrf token={props.csrfToken} />
          {(
            [
              ["name", s.procBuyerName],
              ["contactName", s.procContactName],
              ["contactEmail", s.procContactEmail],
              ["contactPhone", s.procContactPhone],
            ] as const
          ).map(([name, text]) => (
            <label>
              {text}
              <input
                name={name}
                required={name === "name"}
                aria-invalid={props.buyerErrors[name] ? "true" : undefined}
              />
              {props.buyerErrors[name] ? (
                <span class="field-error" data-code="validation_failed">
                  {props.buyerErrors[name]}
                </span>
              ) : null}
            </label>
          ))}
          <p>
            <button type="submit">{s.procSaveBuyer}</button>
          </p>
        </form>
      </section>
    </>
  );
}

function SupplierRows(props: Common & { items: SupplierItem[]; showLacks: boolean }) {
  const s = t(props.lang);
  return (
    <ul class="stack">
      {props.items.map((m) => (
        <li class="card" data-supplier={m.id}>
          <label class="check">
            <input type="checkbox" name="business" value={m.id} />
            <strong>{m.name}</strong>
          </label>
          <p class="muted">
            {[m.kelurahan, m.kecamatan].filter(Boolean).join(", ")} · {m.sizeClass} · {s.procScore}{" "}
            {m.score.toFixed(2)}
          </p>
          {props.showLacks ? (
            <p data-lacks={m.lacks.join(" ")}>
              {s.procLacks}: {m.lacks.map((l) => label(s.procLack, l)).join(", ")}
            </p>
          ) : null}
          <ul>
            {m.reasons.map((r) => (
              <li>{r}</li>
            ))}
          </ul>
        </li>
      ))}
    </ul>
  );
}

export function PackagePage(props: Common & { data: PackageSuppliers; notified: string | null }) {
  const s = t(props.lang);
  const p = props.data.package;
  return (
    <>
      {props.notified ? (
        <p class="notice ok" role="status" data-notified>
          {props.notified}
        </p>
      ) : null}
      <dl class="kv card">
        <dt>{s.procBuyer}</dt>
        <dd>{p.buyerName}</dd>
        <dt>{s.procPagu}</dt>
        <dd>{rupiah(p.pagu)}</dd>
        <dt>{s.procMethod}</dt>
        <dd>{label(s.procMethods, p.method)}</dd>
        <dt>{s.procType}</dt>
        <dd>{label(s.procTypes, p.type)}</dd>
        <dt>{s.procFunding}</dt>
        <dd>{p.fundingSource ?? "—"}</dd>
        <dt>{s.procOppPlanned}</dt>
        <dd>{p.plannedMonth}</dd>
        <dt>{s.procActivities}</dt>
        <dd>{props.data.activities.join(", ") || "—"}</dd>
      </dl>
      <form method="post" action={`/ui/pengadaan/paket/${p.id}/notify`} class="stack">
        <Csrf token={props.csrfToken} />
        <section aria-labelledby="s-ready">
          <h2 id="s-ready">{s.procReady}</h2>
          {props.data.ready.length === 0 ? (
            <p class="muted">{s.procNoneReady}</p>
          ) : (
            <SupplierRows
              lang={props.lang}
              csrfToken={props.csrfToken}
              items={props.data.ready}
              showLacks={false}
            />
          )}
        </section>
        <section aria-labelledby="s-one">
          <h2 id="s-one">{s.procOneStep}</h2>
          {props.data.oneStep.length === 0 ? (
            <p class="muted">{s.procNoneOneStep}</p>
          ) : (
            <SupplierRows
              lang={props.lang}
              csrfToken={props.csrfToken}
              items={props.data.oneStep}
              showLacks
            />
          )}
        </section>
        <p>
          <button type="submit">{s.procNotify}</button>
        </p>
      </form>
    </>
  );
}

export function SharePage(props: Common & { data: ShareView }) {
  const s = t(props.lang);
  const d = props.data;
  const yq = d.year ? `?year=${d.year}` : "";
  const row = (name: string, f: ShareView["overall"], key?: string) => (
    <tr data-key={key ?? name}>
      <td>{name}</td>
      <td>{rupiah(f.total)}</td>
      <td>{rupiah(f.small)}</td>
      <td data-share={f.share}>{percent(f.share)}</td>
      <td>{rupiah(f.registrySmall)}</td>
      <td data-gap={f.gap}>{f.gap > 0 ? rupiah(f.gap) : "—"}</td>
    </tr>
  );
  const head = (first: string) => (
    <thead>
      <tr>
        <th>{first}</th>
        <th>{s.procTotal}</th>
        <th>{s.procSmall}</th>
        <th>%</th>
        <th>{s.procRegistry}</th>
        <th>{s.procGap}</th>
      </tr>
    </thead>
  );
  return (
    <>
      <form method="get" action="/ui/pengadaan/porsi" class="filters">
        <label>
          {s.procYear}
          <select name="year">
            {d.years.map((y) => (
              <option value={y} selected={y === d.year}>
                {y}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{s.procShow}</button>
      </form>
      {d.year === null ? (
        <p class="muted">{s.procNoRealisation}</p>
      ) : (
        <>
          <div class="grid three">
            <section class="card" aria-labelledby="sh-share">
              <h2 id="sh-share">{s.procShare}</h2>
              <p class="big" data-metric="umkm-share" data-value={d.overall.share}>
                {percent(d.overall.share)}
              </p>
              <p class="muted">{fill(s.procTarget, { p: percent(d.target) })}</p>
            </section>
            <section class="card" aria-labelledby="sh-small">
              <h2 id="sh-small">{s.procSmall}</h2>
              <p class="big">{rupiah(d.overall.small)}</p>
              <p class="muted">
                {s.procTotal}: {rupiah(d.overall.total)}
              </p>
            </section>
            <section class="card" aria-labelledby="sh-reg">
              <h2 id="sh-reg">{s.procRegistry}</h2>
              <p class="big" data-metric="registry-small">
                {rupiah(d.overall.registrySmall)}
              </p>
              <p class="muted">{fill(s.procMatched, d.matched)}</p>
            </section>
          </div>
          <p>
            {s.procExport}: <a href={`/ui/pengadaan/porsi/export.xlsx${yq}`}>XLSX</a> ·{" "}
            <a href={`/ui/pengadaan/porsi/export.csv${yq}`}>CSV</a>
          </p>
          <h2>{s.procByBuyer}</h2>
          <div class="table-wrap">
            <table data-table="opd">
              {head(s.procBuyer)}
              <tbody>{d.byBuyer.map((b) => row(b.name, b, b.key))}</tbody>
            </table>
          </div>
          {d.byBuyer
            .filter((b) => (d.closing[b.key] ?? []).length > 0)
            .map((b) => (
              <section class="card" data-closing={b.key}>
                <h3>
                  {b.name}: {s.procClosing} ({rupiah(b.gap)})
                </h3>
                <ul>
                  {(d.closing[b.key] ?? []).map((p) => (
                    <li>
                      <a href={`/ui/pengadaan/paket/${p.id}`}>{p.name}</a> — {rupiah(p.pagu)},{" "}
                      {p.plannedMonth}
                    </li>
                  ))}
                </ul>
              </section>
            ))}
          <h2>{s.procByMonth}</h2>
          <div class="table-wrap">
            <table data-table="month">
              {head(s.procYear)}
              <tbody>{d.byMonth.map((m) => row(m.key, m))}</tbody>
            </table>
          </div>
          <h2>{s.procByType}</h2>
          <div class="table-wrap">
            <table data-table="type">
              {head(s.procType)}
              <tbody>{d.byType.map((x) => row(label(s.procTypes, x.key), x, x.key))}</tbody>
            </table>
          </div>
        </>
      )}
    </>
  );
}

export function ReadinessProgressPage(props: Common & { items: ChecklistProgress[] }) {
  const s = t(props.lang);
  return (
    <>
      <p class="lead">{s.procReadinessIntro}</p>
      <ol class="muted">
        {READINESS_STEPS.map((step) => (
          <li>{step.text[props.lang]}</li>
        ))}
      </ol>
      {props.items.length === 0 ? (
        <p class="muted">{s.procNoReadiness}</p>
      ) : (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{s.procName}</th>
                <th>{s.procSteps}</th>
                <th>{s.procCompleted}</th>
              </tr>
            </thead>
            <tbody>
              {props.items.map((r) => (
                <tr data-business={r.businessId} data-completed={r.completedAt ? "1" : "0"}>
                  <td>
                    <a href={`/ui/businesses/${r.businessId}`}>{r.name}</a>
                  </td>
                  <td>
                    {r.done}/{r.steps}
                  </td>
                  <td>{r.completedAt ? s.procCompleted : s.procInProgress}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
