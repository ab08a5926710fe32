import type { Child } from "hono/jsx";
import { EKATALOG_STAGE_INFO, type EkatalogStage } from "../../domain/ekatalog-pipeline";
import type { Pipeline, PipelineEntry } from "../../services/procurement/ekatalog-pipeline.service";
import { t } from "../i18n";
import { Csrf } from "../layout";
import type { Common } from "./officer/shared";

/** The assisted e-katalog registration: officers' board and record page, the owner's view. */

const stageLabel = (lang: Common["lang"], stage: EkatalogStage | null) =>
  EKATALOG_STAGE_INFO.find((s) => s.id === stage)?.label[lang] ?? "-";

/** The board on /ui/pengadaan/kesiapan: businesses by the stage they reached, and a lookup. */
export function PipelineBoard(
  props: Common & { board: Record<EkatalogStage, PipelineEntry[]>; missing: boolean },
) {
  const s = t(props.lang);
  return (
    <section class="stack" aria-labelledby="pipe">
      <h2 id="pipe">{s.pipeTitle}</h2>
      <p class="muted">{s.pipeIntro}</p>
      <form method="get" action="/ui/pengadaan/kesiapan/cari" class="card stack">
        <label>
          {s.pipeFind}
          <input
            name="q"
            required
            maxlength={40}
            aria-invalid={props.missing ? "true" : undefined}
            aria-describedby={props.missing ? "pipe-q-error" : undefined}
          />
        </label>
        {props.missing ? (
          <span class="field-error" id="pipe-q-error" data-code="not_found">
            {s.pipeFindMissing}
          </span>
        ) : null}
        <p>
          <button type="submit">{s.pipeFindButton}</button>
        </p>
      </form>
      {EKATALOG_STAGE_INFO.map((stage) => {
        const items = props.board[stage.id];
        return (
          <div class="card" data-stage={stage.id} data-count={items.length}>
            <h3>
              {stage.label[props.lang]} ({items.length})
            </h3>
            {items.length === 0 ? (
              <p class="muted">{s.pipeNone}</p>
            ) : (
              <ul>
                {items.map((e) => (
                  <li data-business={e.businessId}>
                    <a href={`/ui/pengadaan/kesiapan/${e.businessId}`}>{e.name}</a>{" "}
                    <small class="muted">{e.date}</small>
                    {e.note ? <small> · {e.note}</small> : null}
                  </li>
                ))}
              </ul>
            )}
          </div>
        );
      })}
    </section>
  );
}

function Steps(props: Common & { pipeline: Pipeline }) {
  const s = t(props.lang);
  return (
    <ol class="stack" data-current={props.pipeline.current ?? ""}>
      {EKATALOG_STAGE_INFO.map((info) => {
        const step = props.pipeline.steps.find((x) => x.stage === info.id);
        const current = props.pipeline.current === info.id;
        return (
          <li
            data-step={info.id}
            data-done={step?.date ? "1" : "0"}
            aria-current={current ? "step" : undefined}
          >
            <strong>{info.label[props.lang]}</strong>: {step?.date ?? s.pipeNotRecorded}
            {step?.note ? <span> · {step.note}</span> : null}
            <br />
            <small class="muted">{info.help[props.lang]}</small>
          </li>
        );
      })}
    </ol>
  );
}

export interface StageFormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** One business's pipeline, with the form an officer records a stage with. */
export function PipelinePage(props: Common & { pipeline: Pipeline; form: StageFormState; saved: boolean }) {
  const s = t(props.lang);
  const v = props.form.values;
  const field = (name: string, labelText: string, input: Child) => {
    const err = props.form.errors[name];
    return (
      <div class="stack">
        <label for={`stage-${name}`}>{labelText}</label>
        {input}
        {err ? (
          <span class="field-error" id={`stage-${name}-error`} data-code="validation_failed">
            {err}
          </span>
        ) : null}
      </div>
    );
  };
  const invalid = (name: string) => (props.form.errors[name] ? "true" : undefined);
  const described = (name: string) => (props.form.errors[name] ? `stage-${name}-error` : undefined);
  return (
    <>
      <p>
        <a href="/ui/pengadaan/kesiapan">{s.pipeBack}</a> ·{" "}
        <a href={`/ui/businesses/${props.pipeline.businessId}`}>{props.pipeline.name}</a>
      </p>
      {props.saved ? (
        <p class="notice ok" role="status">
          {s.pipeSaved}
        </p>
      ) : null}
      <p>
        {s.pipeCurrent}:{" "}
        <strong data-current-stage={props.pipeline.current ?? ""}>
          {stageLabel(props.lang, props.pipeline.current)}
        </strong>
        {props.pipeline.ekatalogListed ? <span class="badge"> {s.pipeListed}</span> : null}
      </p>
      <Steps lang={props.lang} csrfToken={props.csrfToken} pipeline={props.pipeline} />
      <form
        method="post"
        action={`/ui/pengadaan/kesiapan/${props.pipeline.businessId}`}
        class="card stack"
        aria-labelledby="rec"
      >
        <h2 id="rec">{s.pipeRecord}</h2>
        <Csrf token={props.csrfToken} />
        {field(
          "stage",
          s.pipeStage,
          <select
            name="stage"
            id="stage-stage"
            aria-invalid={invalid("stage")}
            aria-describedby={described("stage")}
          >
            {EKATALOG_STAGE_INFO.map((x) => (
              <option value={x.id} selected={v.stage === x.id}>
                {x.label[props.lang]}
              </option>
            ))}
          </select>,
        )}
        {field(
          "date",
          s.pipeDate,
          <input
            name="date"
            id="stage-date"
            type="date"
            required
            value={v.date ?? ""}
            aria-invalid={invalid("date")}
            aria-describedby={described("date")}
          />,
        )}
        {field(
          "note",
          s.pipeNote,
          <input
            name="note"
            id="stage-note"
            maxlength={500}
            value={v.note ?? ""}
            aria-invalid={invalid("note")}
            aria-describedby={described("note")}
          />,
        )}
        {field(
          "url",
          s.pipeUrl,
          <input
            name="url"
            id="stage-url"
            type="url"
            maxlength={500}
            value={v.url ?? ""}
            aria-invalid={invalid("url")}
            aria-describedby={described("url")}
          />,
        )}
        <p>
          <button type="submit">{s.pipeSave}</button>
        </p>
      </form>
    </>
  );
}

/** The owner's view on /ui/me/pengadaan, once an officer recorded a stage. */
export function OwnerPipeline(props: Common & { pipeline: Pipeline }) {
  const s = t(props.lang);
  if (props.pipeline.current === null) return null;
  return (
    <section class="card stack" aria-labelledby="ekr" data-pipeline={props.pipeline.current}>
      <h2 id="ekr">{s.pipeOwnerTitle}</h2>
      <p class="muted">{s.pipeOwnerIntro}</p>
      <p>
        {s.pipeCurrent}: <strong>{stageLabel(props.lang, props.pipeline.current)}</strong>
      </p>
      <Steps lang={props.lang} csrfToken={props.csrfToken} pipeline={props.pipeline} />
    </section>
  );
}
