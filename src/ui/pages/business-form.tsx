import { type KbliTitle, kbli2020Title } from "../../domain/kbli";
import type { Language } from "../../domain/language";
import { kelurahanNames, regionOptions } from "../../domain/location";
import { rupiahShort, SIZE_CLASS_RANGES, type SizeClassRange } from "../../domain/size-class";
import { fill, t } from "../i18n";
import { Csrf } from "../layout";

/**
 * The business form shared by the sign-up page (/ui/daftar) and the owner's profile page
 * (/ui/me/profil). No script: the KBLI search is a second submit button that posts the whole form
 * to a search address, which renders it again, every value kept, with the codes found as
 * checkboxes; codes already ticked stay ticked.
 */

/** The form's "outside Kota Mojokerto" choice in the kelurahan list. */
export const OUTSIDE_CITY = "luar";

/** What the form holds, as typed (strings), so a failed submit shows exactly what was sent. */
export interface BusinessFormValues {
  name: string;
  email: string;
  sector: string;
  nib: string;
  /** Chosen codes as `version:code` ("2020:10792"). */
  kbli: string[];
  kbliUnsure: boolean;
  kbliQuery: string;
  /** A kelurahan name, `OUTSIDE_CITY`, or "". */
  kelurahan: string;
  /** A region code from data/regions.json when outside the city. */
  region: string;
  sizeClass: string;
  offers: string;
  needs: string;
  whatsapp: string;
  language: string;
}

export const EMPTY_FORM: BusinessFormValues = {
  name: "",
  email: "",
  sector: "",
  nib: "",
  kbli: [],
  kbliUnsure: false,
  kbliQuery: "",
  kelurahan: "",
  region: "",
  sizeClass: "",
  offers: "",
  needs: "",
  whatsapp: "",
  language: "id",
};

/** Message per field name (`name`, `kbli`, `location`, ...), in the page's language. */
export type FormErrors = Partial<Record<string, string>>;

export interface BusinessFormProps {
  lang: Language;
  csrfToken: string;
  action: string;
  searchAction: string;
  values: BusinessFormValues;
  errors: FormErrors;
  /** The KBLI search's results, or null when nothing was searched. */
  results: KbliTitle[] | null;
  submitLabel: string;
  /** The sign-up asks for everything; the profile leaves the email language to its own field too. */
  mode: "signup" | "profile";
}

function FieldError(props: { id: string; message: string | undefined }) {
  return props.message ? (
    <p class="field-error" id={props.id} role="alert">
      {props.message}
    </p>
  ) : null;
}

/** A one-line text field with its label, optional hint and the error at the field. */
function TextField(props: {
  label: string;
  name: string;
  value: string;
  error: string | undefined;
  hint?: string | undefined;
  type?: "email" | "tel" | undefined;
  required?: boolean | undefined;
  inputmode?: "numeric" | undefined;
  maxlength: number;
  autocomplete?: string | undefined;
  placeholder?: string | undefined;
}) {
  const hintId = props.hint === undefined ? undefined : `hint-${props.name}`;
  const errId = `err-${props.name}`;
  return (
    <>
      <label>
        {props.label}
        <input
          type={props.type}
          name={props.name}
          value={props.value}
          required={props.required || undefined}
          inputmode={props.inputmode}
          maxlength={props.maxlength}
          autocomplete={props.autocomplete}
          placeholder={props.placeholder}
          aria-invalid={props.error ? "true" : undefined}
          aria-describedby={[hintId, props.error ? errId : undefined].filter(Boolean).join(" ") || undefined}
        />
      </label>
      {hintId ? (
        <p class="muted" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      <FieldError id={errId} message={props.error} />
    </>
  );
}

function sizeText(lang: Language, r: SizeClassRange): string {
  const s = t(lang);
  const v = {
    capital: r.capitalMax === undefined ? "" : rupiahShort(r.capitalMax),
    sales: r.salesMax === undefined ? "" : rupiahShort(r.salesMax),
    capitalMin: r.capitalMin === undefined ? "" : rupiahShort(r.capitalMin),
    salesMin: r.salesMin === undefined ? "" : rupiahShort(r.salesMin),
  };
  const template =
    r.capitalMin === undefined ? s.sizeUpTo : r.capitalMax === undefined ? s.sizeAbove : s.sizeBetween;
  return fill(template, v);
}

function chosenLabel(value: string): string {
  const [version, code] = value.split(":");
  const title = version === "2020" && code ? kbli2020Title(code) : undefined;
  return title ? `${code} ${title}` : `${code ?? value} (KBLI ${version})`;
}

export function BusinessForm(props: BusinessFormProps) {
  const s = t(props.lang);
  const v = props.values;
  const e = props.errors;
  const chosen = new Set(v.kbli);
  const found = (props.results ?? []).filter((r) => !chosen.has(`2020:${r.code}`));
  const describedBy = (field: string, hint?: string) =>
    [hint, e[field] ? `err-${field}` : undefined].filter(Boolean).join(" ") || undefined;
  return (
    <form method="post" action={props.action} class="stack business-form" novalidate>
      <Csrf token={props.csrfToken} />
      {Object.keys(e).length > 0 ? (
        <p class="notice warn" role="alert" data-code="validation_failed">
          {s.formHasErrors}
        </p>
      ) : null}

      <TextField
        label={s.fieldName}
        name="name"
        value={v.name}
        error={e.name}
        required
        maxlength={200}
        autocomplete="organization"
      />

      <TextField
        label={s.fieldEmail}
        type="email"
        name="email"
        value={v.email}
        error={e.email}
        hint={s.emailHint}
        required
        maxlength={254}
        autocomplete="email"
      />

      <fieldset aria-describedby={describedBy("sector")}>
        <legend>{s.fieldSector}</legend>
        <label class="check">
          <input type="radio" name="sector" value="service" checked={v.sector === "service"} />
          <span>
            <strong>{s.sectorLabels.service}</strong> · {s.sectorServiceHint}
          </span>
        </label>
        <label class="check">
          <input type="radio" name="sector" value="industry" checked={v.sector === "industry"} />
          <span>
            <strong>{s.sectorLabels.industry}</strong> · {s.sectorIndustryHint}
          </span>
        </label>
      </fieldset>
      <FieldError id="err-sector" message={e.sector} />

      <fieldset class="kbli" aria-describedby={describedBy("kbli", "hint-kbli")}>
        <legend>{s.kbliLegend}</legend>
        <p class="muted" id="hint-kbli">
          {s.kbliHint}
        </p>
        {v.kbli.length > 0 ? (
          <div class="chosen">
            <p>{s.kbliChosen}</p>
            {v.kbli.map((value) => (
              <label class="check">
                <input type="checkbox" name="kbli" value={value} checked />
                <span>{chosenLabel(value)}</span>
              </label>
            ))}
          </div>
        ) : null}
        <label>
          {s.kbliSearchLabel}
          <input type="search" name="kbli_q" value={v.kbliQuery} maxlength={100} />
        </label>
        <button type="submit" class="secondary" formaction={props.searchAction} formnovalidate>
          {s.kbliSearch}
        </button>
        {props.results !== null ? (
          found.length > 0 || (props.results.length > 0 && found.length === 0) ? (
            <div class="results">
              <p>{fill(s.kbliResults, { q: v.kbliQuery })}</p>
              {found.map((r) => (
                <label class="check">
                  <input type="checkbox" name="kbli" value={`2020:${r.code}`} />
                  <span>
                    {r.code} {r.title}
                  </span>
                </label>
              ))}
            </div>
          ) : (
            <p class="muted" role="status">
              {fill(s.kbliNoResults, { q: v.kbliQuery })}
            </p>
          )
        ) : null}
        <label class="check">
          <input type="checkbox" name="kbli_unsure" value="1" checked={v.kbliUnsure} />
          <span>{s.kbliUnsure}</span>
        </label>
      </fieldset>
      <FieldError id="err-kbli" message={e.kbli} />

      <fieldset aria-describedby={describedBy("location")}>
        <legend>{s.fieldLocation}</legend>
        <label>
          {s.kelurahanLabel}
          <select name="kelurahan" aria-invalid={e.location ? "true" : undefined}>
            <option value="">{s.chooseOne}</option>
            {kelurahanNames().map((k) => (
              <option value={k} selected={v.kelurahan === k}>
                {k}
              </option>
            ))}
            <option value={OUTSIDE_CITY} selected={v.kelurahan === OUTSIDE_CITY}>
              {s.outsideCity}
            </option>
          </select>
        </label>
        <label>
          {s.regionLabel}
          <select name="region">
            <option value="">{s.chooseOne}</option>
            {regionOptions().map((r) => (
              <option value={r.code} selected={v.region === r.code}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <FieldError id="err-location" message={e.location} />

      <fieldset aria-describedby={describedBy("sizeClass", "hint-size")}>
        <legend>{s.fieldSize}</legend>
        <p class="muted" id="hint-size">
          {s.sizeHint}
        </p>
        {SIZE_CLASS_RANGES.map((r) => (
          <label class="check">
            <input type="radio" name="sizeClass" value={r.code} checked={v.sizeClass === r.code} />
            <span>
              <strong>{s.sizeNames[r.code] ?? r.code}</strong> · {sizeText(props.lang, r)}
            </span>
          </label>
        ))}
      </fieldset>
      <FieldError id="err-sizeClass" message={e.sizeClass} />

      <TextField
        label={s.fieldNib}
        name="nib"
        value={v.nib}
        error={e.nib}
        hint={s.nibHint}
        inputmode="numeric"
        maxlength={20}
      />

      {(["offers", "needs"] as const).map((name) => (
        <>
          <label>
            {name === "offers" ? s.fieldOffers : s.fieldNeeds}
            <textarea
              name={name}
              rows={3}
              maxlength={4000}
              placeholder={name === "offers" ? s.offersPlaceholder : s.needsPlaceholder}
            >
              {v[name]}
            </textarea>
          </label>
          <FieldError id={`err-${name}`} message={e[name]} />
        </>
      ))}

      <TextField
        label={s.fieldWhatsapp}
        type="tel"
        name="whatsapp"
        value={v.whatsapp}
        error={e.whatsapp}
        hint={s.whatsappHint}
        maxlength={32}
        autocomplete="tel"
        placeholder="0812-3456-7890"
      />

      <label>
        {s.fieldLanguage}
        <select name="language">
          <option value="id" selected={v.language !== "en"}>
            Bahasa Indonesia
          </option>
          <option value="en" selected={v.language === "en"}>
            English
          </option>
        </select>
      </label>

      <button type="submit">{props.submitLabel}</button>
    </form>
  );
}
